/**
 * Repeat, end to end through the core's command dispatch, checked by an independent
 * subscriber (mosquitto_sub): the count asked for arrives, in order, with {{counter}}
 * 1..M, about one period apart; Stop stops; QoS 1 keeps at most the window waiting for
 * PUBACKs (the broker's Receive Maximum when lower), and a lost connection ends it.
 * Counts and order are exact; timing only within generous bounds, as machines are noisy.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emptyDraft, type MessageDraft } from '../../shared/publish/message-draft';
import type { EventPayloads } from '../../shared/ipc/ipc-contract';
import { startMosquittoSub, type MosquittoSub } from '../harness/mosquitto-sub';
import { startMosquitto, type MosquittoBroker } from '../harness/mosquitto';
import type { CoreProbe } from '../harness/core-probe';
import { delay, waitFor } from '../harness/wait-for';
import { connectionConfig, newProbe, openConnected, sharedBroker, uniquePrefix } from './support';

const broker = sharedBroker();
type Progress = EventPayloads['publish:repeat-progress'];

let sub: MosquittoSub | null = null;
afterEach(async () => {
  await sub?.stop();
  sub = null;
});

function progressOf(probe: CoreProbe, connectionId: string): Progress[] {
  return probe.events.flatMap((e) => (e.event === 'publish:repeat-progress' && e.payload.connectionId === connectionId ? [e.payload] : []));
}

function ended(probe: CoreProbe, connectionId: string, timeoutMs = 20_000): Promise<Progress> {
  return waitFor('the repeat to end', () => progressOf(probe, connectionId).find((p) => p.state === 'ended'), {
    timeoutMs,
    diagnostics: () => JSON.stringify(progressOf(probe, connectionId).at(-1)),
  });
}

function repeatArgs(connectionId: string, draft: MessageDraft, periodMs: number, times: number | null) {
  return { connectionId, draft, clientId: 'ts_repeat', counterStart: 1, periodMs, times };
}

/** The counters of the lines printed as "<topic>\t<n>". */
const counters = (lines: string[]): number[] => lines.map((line) => Number(line.split('\t')[1]));
const oneTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('repeat, as another client receives it', () => {
  it('publishes M messages in order, counter 1..M, one period apart', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('repeat-count');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [], mqttVersion: '5' }));
    sub = await startMosquittoSub(broker, `${prefix}/#`, '%p\t%U', `${prefix}/ready`);
    const started = await probe.dispatch('publish:repeat-start', repeatArgs(connectionId, { ...emptyDraft(), topic: `${prefix}/tick`, payload: '{{counter}}', qos: 1 }, 20, 50));
    expect(started).toEqual({ ok: true, value: { window: 16 } });

    const lines = await sub.waitForLines(50);
    expect(counters(lines)).toEqual(oneTo(50));
    const last = await ended(probe, connectionId);
    expect(last).toMatchObject({ ended: 'done', sent: 50, acknowledged: 50, failed: 0, waiting: 0, total: 50, nextCounter: 51, problem: null });
    // 49 periods of 20 ms between the first and the last: loosely (a late first message shortens the span).
    const times = lines.map((line) => Number(line.split('\t')[2]) * 1000);
    const spanMs = times.at(-1)! - times[0]!;
    expect(spanMs).toBeGreaterThanOrEqual(49 * 20 * 0.5);
    expect(spanMs).toBeLessThan(49 * 20 * 10);
    await delay(300);
    expect(sub.lines).toHaveLength(50);
  });

  it('runs until stopped, and Stop stops: nothing arrives after what was sent', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('repeat-stop');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [], mqttVersion: '5' }));
    sub = await startMosquittoSub(broker, `${prefix}/#`, '%p', `${prefix}/ready`);
    const started = await probe.dispatch('publish:repeat-start', repeatArgs(connectionId, { ...emptyDraft(), topic: `${prefix}/tick`, payload: '{{counter}}', qos: 0 }, 10, null));
    expect(started.ok).toBe(true);
    await sub.waitForLines(20);
    // A second repeat on the same connection is refused while one runs.
    const second = await probe.dispatch('publish:repeat-start', repeatArgs(connectionId, { ...emptyDraft(), topic: `${prefix}/other`, payload: 'x' }, 10, 1));
    expect(second).toMatchObject({ ok: false, error: { code: 'BUSY' } });

    expect(await probe.dispatch('publish:repeat-stop', { connectionId })).toEqual({ ok: true, value: { stopped: true } });
    const last = await ended(probe, connectionId);
    expect(last).toMatchObject({ ended: 'stopped', total: null, failed: 0 });
    await delay(500);
    expect(counters(sub.lines)).toEqual(oneTo(last.sent));
    expect(await probe.dispatch('publish:repeat-stop', { connectionId })).toEqual({ ok: true, value: { stopped: false } });
  });

  it('repeats a file\'s bytes as they are', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('repeat-file');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [], mqttVersion: '5' }));
    sub = await startMosquittoSub(broker, `${prefix}/#`, '%x', `${prefix}/ready`);
    const file = new Uint8Array([0, 1, 0xfe, 0xff]);
    const started = await probe.dispatch('publish:repeat-start', { ...repeatArgs(connectionId, { ...emptyDraft(), topic: `${prefix}/blob`, payload: 'ignored {{counter}}' }, 10, 3), file });
    expect(started.ok).toBe(true);
    expect(await sub.waitForLines(3)).toEqual([`${prefix}/blob\t0001feff`, `${prefix}/blob\t0001feff`, `${prefix}/blob\t0001feff`]);
  });

  it('refuses a draft that makes no message, and sends nothing', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('repeat-refused');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [], mqttVersion: '5' }));
    const result = await probe.dispatch('publish:repeat-start', repeatArgs(connectionId, { ...emptyDraft(), topic: `${prefix}/x`, payload: '{{nope}}' }, 10, 5));
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!result.ok && result.error.message).toMatch(/Unknown variable \{\{nope\}\}.*Nothing was sent\.$/);
    expect(progressOf(probe, connectionId)).toEqual([]);
    const badPeriod = await probe.dispatch('publish:repeat-start', repeatArgs(connectionId, { ...emptyDraft(), topic: `${prefix}/x`, payload: 'x' }, 0, 5));
    expect(badPeriod).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('repeat at QoS 1 against a broker that stops answering', () => {
  let own: MosquittoBroker;
  beforeAll(async () => {
    // Mosquitto sends max_inflight_messages as its Receive Maximum: 5 here, below the repeat's 16.
    own = await startMosquitto({ extraConfig: 'max_inflight_messages 5', logTypes: ['error', 'warning', 'notice'] });
  });
  afterAll(async () => {
    await own.stop();
  });

  it('keeps at most the broker\'s Receive Maximum waiting, skips ticks meanwhile, and delivers every message in order', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('repeat-window');
    const connectionId = await openConnected(probe, connectionConfig(own, prefix, { subscriptions: [], mqttVersion: '5' }));
    sub = await startMosquittoSub(own, `${prefix}/#`, '%p', `${prefix}/ready`);
    const started = await probe.dispatch('publish:repeat-start', repeatArgs(connectionId, { ...emptyDraft(), topic: `${prefix}/tick`, payload: '{{counter}}', qos: 1 }, 5, 300));
    expect(started).toEqual({ ok: true, value: { window: 5 } });
    await waitFor('some messages sent', () => progressOf(probe, connectionId).some((p) => p.sent >= 10));
    // The broker freezes: no PUBACK comes back for a while.
    process.kill(own.pid, 'SIGSTOP');
    try {
      await delay(400);
    } finally {
      process.kill(own.pid, 'SIGCONT');
    }
    const last = await ended(probe, connectionId);
    expect(last).toMatchObject({ ended: 'done', sent: 300, acknowledged: 300, failed: 0, window: 5, peakWaiting: 5 });
    expect(last.skippedFull).toBeGreaterThan(0);
    const lines = await sub.waitForLines(300);
    expect(counters(lines)).toEqual(oneTo(300));
    expect(probe.lastStatus(connectionId)?.state).toBe('connected');
  });

  it('ends, saying so, when the connection is lost', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('repeat-lost');
    const connectionId = await openConnected(probe, connectionConfig(own, prefix, { subscriptions: [], mqttVersion: '5' }));
    await probe.dispatch('publish:repeat-start', repeatArgs(connectionId, { ...emptyDraft(), topic: `${prefix}/tick`, payload: '{{counter}}', qos: 1 }, 10, null));
    await waitFor('some messages sent', () => progressOf(probe, connectionId).some((p) => p.sent >= 5));
    await own.restart();
    const last = await ended(probe, connectionId);
    expect(last.ended).toBe('connection-lost');
    expect(last.problem).toMatch(/^The connection was lost: /);
  });
});
