import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QoS } from '../../shared/mqtt/mqtt-message';
import type { RecordedMessage } from '../../shared/recording/recording-reader';
import { formatReplayProgress, rewrittenTopicProblem, rewriteTopic, type ReplayOptions, type ReplayStatus } from '../../shared/recording/replay';
import { Replayer, type ReplayedMessage } from '../../electron/core/recording/replayer';
import type { Scheduler } from '../../electron/core/connection/scheduler';

const T0 = 1_700_000_000_000;
const scheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function message(offsetMs: number, topic = 'plant/a', qos: QoS = 0, extra: Partial<RecordedMessage> = {}): RecordedMessage {
  const payload = new TextEncoder().encode(`m${offsetMs}`);
  return { line: 0, topic, payload, payloadSize: payload.byteLength, qos, retain: false, receivedAt: T0 + offsetMs, coalesced: 0, ...extra };
}

interface Harness {
  replayer: Replayer;
  published: { at: number; message: ReplayedMessage; done: (problem: string | null) => void }[];
  statuses: ReplayStatus[];
  lateness: number[];
  finished: Promise<ReplayStatus>;
  pulled: () => number;
}

function start(batches: RecordedMessage[][], options: Partial<ReplayOptions> = {}, extra: { maxInFlight?: number; autoAck?: boolean; sendProperties?: boolean } = {}): Harness {
  const all = batches.flat();
  const published: Harness['published'] = [];
  const statuses: ReplayStatus[] = [];
  const lateness: number[] = [];
  const startedAt = Date.now();
  let pulled = 0;
  async function* pull(): AsyncGenerator<RecordedMessage[]> {
    for (const batch of batches) {
      pulled++;
      yield batch;
    }
  }
  const replayer = new Replayer({
    fileName: 'r.jsonl',
    batches: pull(),
    total: all.length,
    firstAt: all[0]?.receivedAt ?? T0,
    lastAt: all.at(-1)?.receivedAt ?? T0,
    options: { speed: 1, rewrite: { kind: 'none' }, retain: 'keep', ...options },
    maxInFlight: extra.maxInFlight ?? 64,
    sendProperties: extra.sendProperties ?? true,
    publish: (outgoing, done) => {
      published.push({ at: Date.now() - startedAt, message: outgoing, done });
      if (extra.autoAck ?? true) done(null);
      return true;
    },
    scheduler,
    onStatus: (status) => statuses.push(status),
    onLateness: (late) => lateness.push(late),
  });
  const finished = replayer.start();
  return { replayer, published, statuses, lateness, finished, pulled: () => pulled };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 + 5_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Replayer pacing', () => {
  const gaps = [0, 100, 250, 1_000, 1_001];

  it('keeps the original gaps at 1×, each publish at its absolute due time', async () => {
    const run = start([gaps.map((g) => message(g))]);
    await vi.advanceTimersByTimeAsync(2_000);
    const final = await run.finished;
    expect(run.published.map((p) => p.at)).toEqual(gaps);
    expect(run.lateness.every((late) => late >= 0 && late < 1)).toBe(true);
    expect(final).toMatchObject({ state: 'stopped', stoppedBecause: 'done', sent: 5, total: 5, positionMs: 1_001, durationMs: 1_001 });
  });

  it('divides the gaps by the speed', async () => {
    const fast = start([gaps.map((g) => message(g))], { speed: 4 });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fast.published.map((p) => p.at)).toEqual([0, 25, 62.5, 250, 250.25].map(Math.ceil));
    const slow = start([gaps.map((g) => message(g))], { speed: 0.5 });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(slow.published.map((p) => p.at)).toEqual([0, 200, 500, 2_000, 2_002]);
  });

  it('sends everything at once "as fast as the broker takes it"', async () => {
    const run = start([gaps.map((g) => message(g))], { speed: 'max' });
    await vi.advanceTimersByTimeAsync(0);
    expect(run.published.map((p) => p.at)).toEqual([0, 0, 0, 0, 0]);
    expect((await run.finished).sent).toBe(5);
  });
});

describe('Replayer output', () => {
  it('adds or replaces a topic prefix and strips retain when asked', async () => {
    const msgs = [message(0, 'plant/a', 0, { retain: true }), message(1, 'other/b', 0, { retain: true })];
    const added = start([msgs], { speed: 'max', rewrite: { kind: 'add', prefix: 'replay/' } });
    await added.finished;
    expect(added.published.map((p) => [p.message.topic, p.message.retain])).toEqual([['replay/plant/a', true], ['replay/other/b', true]]);
    const replaced = start([msgs], { speed: 'max', rewrite: { kind: 'replace', from: 'plant/', to: 'test/plant/' }, retain: 'strip' });
    await replaced.finished;
    expect(replaced.published.map((p) => [p.message.topic, p.message.retain])).toEqual([['test/plant/a', false], ['other/b', false]]);
  });

  it('sends MQTT 5 properties as recorded, without topic alias or subscription identifier, and none on 3.1.1', async () => {
    const properties = { contentType: 'application/json', userProperties: { site: ['a', 'b'] }, topicAlias: 3, subscriptionIdentifier: 7, correlationData: new Uint8Array([1, 2]) };
    const v5 = start([[message(0, 'p', 1, { properties })]], { speed: 'max' });
    await v5.finished;
    expect(v5.published[0]?.message.properties).toEqual({ contentType: 'application/json', userProperties: { site: ['a', 'b'] }, correlationData: new Uint8Array([1, 2]) });
    const v311 = start([[message(0, 'p', 1, { properties })]], { speed: 'max' }, { sendProperties: false });
    await v311.finished;
    expect(v311.published[0]?.message.properties).toBeUndefined();
  });

  it('checks rewritten topics and words the progress', () => {
    expect(rewriteTopic('plant/a', { kind: 'replace', from: 'plant/', to: '' })).toBe('a');
    expect(rewrittenTopicProblem('plant/', { kind: 'replace', from: 'plant/', to: '' })).toMatch(/"plant\/" would become ""/);
    expect(rewrittenTopicProblem('a', { kind: 'add', prefix: '$x/' })).toMatch(/"\$" topic/);
    expect(rewrittenTopicProblem('a', { kind: 'add', prefix: 'ok/' })).toBeNull();
    expect(formatReplayProgress({ sent: 12_345, failed: 0, total: 1_000_000, positionMs: 42_500, durationMs: 600_000 })).toBe('12,345 of 1,000,000 · 00:42 of 10:00');
  });
});

describe('Replayer flow', () => {
  it('keeps at most maxInFlight QoS 1 messages unacknowledged and reads no further ahead', async () => {
    const batches = Array.from({ length: 10 }, (_, b) => Array.from({ length: 10 }, (_, i) => message(b * 10 + i, 't', 1)));
    const run = start(batches, { speed: 'max' }, { maxInFlight: 5, autoAck: false });
    await vi.advanceTimersByTimeAsync(100);
    expect(run.published).toHaveLength(5);
    expect(run.pulled()).toBe(1);
    run.published[0]?.done(null);
    run.published[1]?.done('refused');
    await vi.advanceTimersByTimeAsync(0);
    expect(run.published).toHaveLength(7);
    // Acknowledge whatever is out, round after round: never more than 5 await their PUBACK.
    let acked = 2;
    while (acked < run.published.length) {
      expect(run.published.length - acked).toBeLessThanOrEqual(5);
      for (const p of run.published.slice(acked)) p.done(null);
      acked = run.published.length;
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(run.published).toHaveLength(100);
    expect(await run.finished).toMatchObject({ sent: 99, failed: 1, problem: 'refused', stoppedBecause: 'done' });
  });

  it('pauses, resumes with the remaining gaps, and stops', async () => {
    const run = start([[message(0), message(100), message(200), message(300)]]);
    await vi.advanceTimersByTimeAsync(150);
    expect(run.published).toHaveLength(2);
    run.replayer.pause();
    expect(run.statuses.at(-1)?.state).toBe('paused');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(run.published).toHaveLength(2);
    run.replayer.resume();
    // 50 ms were left until the third message when it paused.
    await vi.advanceTimersByTimeAsync(49);
    expect(run.published).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(run.published).toHaveLength(3);
    const stopped = await run.replayer.stop();
    expect(stopped).toMatchObject({ state: 'stopped', stoppedBecause: 'user', sent: 3, total: 4 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(run.published).toHaveLength(3);
  });

  it('reports progress at most 4 times a second', async () => {
    const run = start([Array.from({ length: 1_000 }, (_, i) => message(i * 10))]);
    await vi.advanceTimersByTimeAsync(10_000);
    await run.finished;
    const running = run.statuses.filter((s) => s.state === 'running');
    expect(running.length).toBeGreaterThanOrEqual(30);
    expect(running.length).toBeLessThanOrEqual(41);
    expect(run.statuses.at(-1)).toMatchObject({ stoppedBecause: 'done', sent: 1_000 });
  });

  it('stops with connection-lost when the publish finds the connection down', async () => {
    const published: string[] = [];
    const replayer = new Replayer({
      fileName: 'r', batches: (async function* () { yield [message(0), message(1)]; })(), total: 2, firstAt: T0, lastAt: T0 + 1,
      options: { speed: 'max', rewrite: { kind: 'none' }, retain: 'keep' }, maxInFlight: 64, sendProperties: true, scheduler,
      publish: (m) => { published.push(m.topic); return false; },
      onStatus: () => {},
    });
    expect(await replayer.start()).toMatchObject({ stoppedBecause: 'connection-lost', sent: 0, problem: expect.stringMatching(/connection is down/) });
  });
});
