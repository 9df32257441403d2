/**
 * Flow control between the core and a renderer that cannot keep up, through the real
 * broker: the core holds batches back, coalesces per topic meanwhile, and never loses
 * count of a message.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { MqttSession } from '../../electron/core/connection/mqtt-session';
import { connectionConfigSchema } from '../../shared/connection/connection-config';
import type { MessageBatch } from '../../shared/mqtt/mqtt-message';
import { delay, waitFor } from '../harness/wait-for';
import { connectionConfig, newPeer, newProbe, openConnected, sharedBroker, uniqueConnectionId, uniquePrefix } from './support';

const broker = sharedBroker();

/** Messages a list of batches stands for: each message counts itself and those it replaced. */
const represented = (batches: MessageBatch[]): number => batches.reduce((sum, b) => sum + b.messages.reduce((s, m) => s + 1 + m.coalesced, 0), 0);

/** Publishes `count` QoS 0 messages round-robin over `topics` topics; payload = the message's number. */
async function floodFrom(peer: Awaited<ReturnType<typeof newPeer>>, prefix: string, count: number, topics: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    peer.client.publish(`${prefix}/t${i % topics}`, String(i), { qos: 0 });
    // Let the socket drain now and then, so the publisher's own buffer stays small.
    if (i % 1_000 === 999) await delay(1);
  }
}

describe('flow control', () => {
  it('a renderer that acknowledges slowly gets coalesced batches marked rendererBehind, with exact totals and the newest values', async () => {
    const probe = newProbe();
    probe.autoAcknowledge = false;
    const prefix = uniquePrefix('flow');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);

    // The "renderer": acknowledges the newest batch it has, only every 250 ms.
    let acking = true;
    const acks: Promise<void> = (async () => {
      while (acking) {
        await delay(250);
        const latest = probe.batches(connectionId).at(-1);
        if (latest) {
          const result = await probe.dispatch('messages:ack', { connectionId, seq: latest.seq });
          expect(result).toEqual({ ok: true, value: {} });
        }
      }
    })();
    onTestFinished(() => {
      acking = false;
    });

    const total = 30_000;
    const topics = 40;
    const peer = await newPeer(broker);
    await floodFrom(peer, prefix, total, topics);
    await waitFor(`all ${total} messages counted`, () => represented(probe.batches(connectionId)) >= total, {
      timeoutMs: 30_000,
      diagnostics: () => `represented ${represented(probe.batches(connectionId))} in ${probe.batches(connectionId).length} batches`,
    });
    acking = false;
    await acks;

    const batches = probe.batches(connectionId);
    expect(represented(batches)).toBe(total);
    expect(batches.map((b) => b.seq)).toEqual(batches.map((_, i) => i));
    // The renderer fell behind, and the core coalesced instead of queueing every message.
    const behind = batches.filter((b) => b.rendererBehind);
    expect(behind.length).toBeGreaterThan(0);
    for (const b of behind) expect(b.messages.length).toBeLessThanOrEqual(topics);
    expect(batches.reduce((sum, b) => sum + b.coalesced, 0)).toBe(total - batches.reduce((sum, b) => sum + b.messages.length, 0));
    // Exact per topic, and the newest value of each topic arrived.
    const perTopic = new Map<string, number>();
    const newest = new Map<string, string>();
    for (const m of batches.flatMap((b) => b.messages)) {
      perTopic.set(m.topic, (perTopic.get(m.topic) ?? 0) + 1 + m.coalesced);
      newest.set(m.topic, Buffer.from(m.payload).toString());
    }
    for (let t = 0; t < topics; t++) {
      expect(perTopic.get(`${prefix}/t${t}`), `t${t}`).toBe(total / topics);
      expect(newest.get(`${prefix}/t${t}`), `t${t}`).toBe(String(total - topics + t));
    }
  });

  it('acknowledging a batch that was never sent, or on an unknown connection, is refused and changes nothing', async () => {
    const probe = newProbe();
    probe.autoAcknowledge = false;
    const prefix = uniquePrefix('flow-ack');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    const peer = await newPeer(broker);
    await peer.publish(`${prefix}/a`, '1', { qos: 1 });
    await probe.waitForMessage(connectionId, `${prefix}/a`);

    const future = await probe.dispatch('messages:ack', { connectionId, seq: 5 });
    expect(future.ok ? 'accepted' : future.error.code).toBe('INVALID_INPUT');
    expect(future.ok ? '' : future.error.message).toContain('has not been sent');
    const unknown = await probe.dispatch('messages:ack', { connectionId: 'nobody', seq: 0 });
    expect(unknown.ok ? 'accepted' : unknown.error.code).toBe('UNKNOWN_CONNECTION');
    const negative = await probe.dispatch('messages:ack', { connectionId, seq: -1 });
    expect(negative.ok ? 'accepted' : negative.error.code).toBe('INVALID_INPUT');
    // The real batch can still be acknowledged, twice even.
    expect(await probe.dispatch('messages:ack', { connectionId, seq: 0 })).toEqual({ ok: true, value: {} });
    expect(await probe.dispatch('messages:ack', { connectionId, seq: 0 })).toEqual({ ok: true, value: {} });
  });

  it('a reloaded renderer that attaches gets the open connections, and the held-back messages at once', async () => {
    // A timeout far beyond the test, so only the attach can release the batch.
    const probe = newProbe({ batcher: { maxUnacknowledged: 2, ackTimeoutMs: 600_000 } });
    probe.autoAcknowledge = false;
    const prefix = uniquePrefix('flow-attach');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    const peer = await newPeer(broker);
    // The old page received two batches and went away without acknowledging them.
    for (let i = 0; probe.batches(connectionId).length < 2 && i < 200; i++) {
      await peer.publish(`${prefix}/fill`, String(i), { qos: 1 });
      await delay(50);
    }
    expect(probe.batches(connectionId)).toHaveLength(2);
    for (let i = 0; i < 50; i++) await peer.publish(`${prefix}/held`, String(i), { qos: 1 });
    await delay(500);
    // Held back, and other commands (profile:list, a repeated ack) do not release it.
    await probe.dispatch('profile:list', {});
    await probe.dispatch('app:info', {});
    expect(probe.batches(connectionId)).toHaveLength(2);

    const attached = await probe.dispatch('connection:attach', {});
    expect(attached).toEqual({
      ok: true,
      value: { connections: [expect.objectContaining({ connectionId, profileId: null, status: expect.objectContaining({ state: 'connected' }) })] },
    });
    const batches = probe.batches(connectionId);
    expect(batches).toHaveLength(3);
    expect(batches[2]!.rendererBehind).toBe(true);
    const held = batches[2]!.messages.find((m) => m.topic === `${prefix}/held`);
    expect(Buffer.from(held!.payload).toString()).toBe('49');
    expect(represented(batches.slice(2).map((b) => ({ ...b, messages: b.messages.filter((m) => m.topic === `${prefix}/held`) })))).toBe(50);
    // The new page acknowledges what it gets from here on; the old page's batches need nothing.
    expect(await probe.dispatch('messages:ack', { connectionId, seq: 2 })).toEqual({ ok: true, value: {} });
  });

  it('a renderer that reloaded never acknowledges: resetFlowControl releases the held-back messages at once', async () => {
    const prefix = uniquePrefix('flow-reset');
    const batches: MessageBatch[] = [];
    const session = new MqttSession(
      uniqueConnectionId(),
      connectionConfigSchema.parse(connectionConfig(broker, prefix)),
      { status: () => undefined, log: () => undefined, messages: (batch) => batches.push(batch) },
      // A timeout far beyond the test, so only the reset can release the batch.
      { batcher: { maxUnacknowledged: 2, ackTimeoutMs: 600_000 } },
    );
    onTestFinished(() => session.close());
    const opened = await session.open();
    expect(opened.ok).toBe(true);
    const peer = await newPeer(broker);
    // Publish until batches fill the window: the first ones also show the subscription is
    // in place. Nobody acknowledges any.
    for (let i = 0; batches.length < 2 && i < 200; i++) {
      await peer.publish(`${prefix}/fill`, String(i), { qos: 1 });
      await delay(50);
    }
    expect(batches).toHaveLength(2);
    for (let i = 0; i < 50; i++) await peer.publish(`${prefix}/held`, String(i), { qos: 1 });
    await delay(500);
    expect(batches).toHaveLength(2);

    session.resetFlowControl();
    expect(batches).toHaveLength(3);
    const released = batches[2]!;
    expect(released.rendererBehind).toBe(true);
    const held = released.messages.find((m) => m.topic === `${prefix}/held`);
    expect(Buffer.from(held!.payload).toString()).toBe('49');
    expect(represented(batches.slice(2).map((b) => ({ ...b, messages: b.messages.filter((m) => m.topic === `${prefix}/held`) })))).toBe(50);
  });
});
