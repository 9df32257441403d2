/**
 * When a find ends and what it keeps: the quiet time after the last retained message,
 * the overall cap, the list limit, and which messages count as retained. A stand-in
 * client plays the broker's side (the real broker is in test/integration/clear-retained).
 */
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemScheduler } from '../../electron/core/connection/scheduler';
import { findRetained } from '../../electron/core/retained/retained-finder';

class BrokerStandIn extends EventEmitter {
  unsubscribed: string[] = [];
  grant = 0;
  subscribeAsync(): Promise<{ topic: string; qos: number }[]> {
    return Promise.resolve([{ topic: 'x', qos: this.grant }]);
  }
  unsubscribe(filter: string): void {
    this.unsubscribed.push(filter);
  }
  send(topic: string, payload: string, retain: boolean): void {
    this.emit('message', topic, Buffer.from(payload), { retain });
  }
}

let broker: BrokerStandIn;
// The finder uses only on/off/once, subscribeAsync and unsubscribe, which the stand-in has.
const asClient = (b: BrokerStandIn): MqttClient => b as unknown as MqttClient;

beforeEach(() => {
  vi.useFakeTimers();
  broker = new BrokerStandIn();
});
afterEach(() => vi.useRealTimers());

describe('findRetained', () => {
  it('keeps retained messages with a payload, sorted; ends after the quiet time, then unsubscribes', async () => {
    const finding = findRetained(asClient(broker), 'a/#', systemScheduler, { timing: { quietMs: 750, capMs: 20_000 } });
    await vi.advanceTimersByTimeAsync(0);
    broker.send('a/2', 'v', true);
    broker.send('a/live', 'v', false);
    broker.send('a/empty', '', true);
    await vi.advanceTimersByTimeAsync(700);
    // A message 700 ms later restarts the quiet time.
    broker.send('a/1', 'v', true);
    await vi.advanceTimersByTimeAsync(700);
    broker.send('a/3', 'v', true);
    await vi.advanceTimersByTimeAsync(750);
    await expect(finding).resolves.toEqual({ ok: true, value: { topics: ['a/1', 'a/2', 'a/3'], truncated: false, ended: 'quiet' } });
    expect(broker.unsubscribed).toEqual(['a/#']);
  });

  it('stops at the cap however busy the broker is, and says so', async () => {
    const finding = findRetained(asClient(broker), '#', systemScheduler, { timing: { quietMs: 750, capMs: 2_000 } });
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 10; i++) {
      broker.send(`t/${i}`, 'v', true);
      await vi.advanceTimersByTimeAsync(300);
    }
    await expect(finding).resolves.toMatchObject({ ok: true, value: { ended: 'time-cap', truncated: false } });
  });

  it('stops at the limit and says the list is truncated', async () => {
    const finding = findRetained(asClient(broker), '#', systemScheduler, { limit: 2 });
    await vi.advanceTimersByTimeAsync(0);
    for (const topic of ['c', 'a', 'a', 'b']) broker.send(topic, 'v', true);
    await expect(finding).resolves.toEqual({ ok: true, value: { topics: ['a', 'c'], truncated: true, ended: 'limit' } });
  });

  it('a refused subscription is the error, with its reason code', async () => {
    broker.grant = 0x87;
    await expect(findRetained(asClient(broker), '#', systemScheduler)).resolves.toMatchObject({ ok: false, error: { code: 'SUBSCRIPTION_REFUSED', reasonCode: 0x87 } });
  });

  it('a stop ends it at once with what arrived', async () => {
    const controller = new AbortController();
    const finding = findRetained(asClient(broker), '#', systemScheduler, { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(0);
    broker.send('a', 'v', true);
    controller.abort();
    await expect(finding).resolves.toEqual({ ok: true, value: { topics: ['a'], truncated: false, ended: 'stopped' } });
  });
});
