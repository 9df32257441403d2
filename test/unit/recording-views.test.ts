/**
 * Opening a recording offline, in the core: a real file read from disk and sent to the
 * tab as message batches, paced by its acknowledgements. The scheduler is a manual one
 * so the acknowledgement timeout runs without waiting.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingViews, type RecordingViewLimits } from '../../electron/core/recording/recording-views';
import type { Scheduler } from '../../electron/core/connection/scheduler';
import type { MessageBatch } from '../../shared/mqtt/mqtt-message';
import type { RecordingViewStatus } from '../../shared/recording/recording-view';
import { waitFor } from '../harness/wait-for';

const T0 = 1_700_000_000_000;
const HEADER = JSON.stringify({ format: 'topicscope-recording', version: 1, startedAt: T0, filters: [] });
const END = JSON.stringify({ end: { endedAt: T0 + 99_999, messages: 0, missed: 0, reason: 'user' } });

function line(i: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ receivedAt: T0 + i * 10, topic: `plant/line${i % 7}/temp`, qos: 1, retain: i % 2 === 0, payload: `{"t":${i}}`, encoding: 'utf8', ...extra });
}

/** Timers that run only when the test says. */
class ManualScheduler implements Scheduler {
  #now = 0;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #next = 1;
  now(): number {
    return this.#now;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  advance(ms: number): void {
    this.#now += ms;
    for (const [id, timer] of [...this.#timers]) {
      if (timer.at > this.#now) continue;
      this.#timers.delete(id);
      timer.callback();
    }
  }
}

let folder: string;
let scheduler: ManualScheduler;
let batches: MessageBatch[];
let statuses: RecordingViewStatus[];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ts-recording-views-'));
  scheduler = new ManualScheduler();
  batches = [];
  statuses = [];
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function views(limits: Partial<RecordingViewLimits> = {}, pick: () => Promise<string | null> = async () => null): RecordingViews {
  return new RecordingViews({
    scheduler,
    sources: () => ({ pick, pathOf: async (name) => (name === 'topicscope-20260101-000000-000.jsonl' ? join(folder, 'r.jsonl') : null) }),
    deliver: (batch) => batches.push(batch),
    emitStatus: (_id, status) => statuses.push(status),
    limits: { maxBatchMessages: 100, ...limits },
  });
}

async function recording(name: string, lines: string[], gzip = false): Promise<string> {
  const path = join(folder, name);
  const text = [...lines, ''].join('\n');
  await writeFile(path, gzip ? gzipSync(text) : text);
  return path;
}

/** Acknowledges each batch as it arrives, as the tab does, until the load ends. */
async function acknowledgeAll(open: RecordingViews, connectionId: string): Promise<RecordingViewStatus> {
  let acked = -1;
  await waitFor('the load to end', () => {
    const last = batches.at(-1);
    if (last && last.seq > acked) {
      acked = last.seq;
      expect(open.ack(connectionId, last.seq)).toEqual({ ok: true, value: {} });
    }
    return statuses.some((s) => s.state !== 'loading');
  });
  return statuses.find((s) => s.state !== 'loading')!;
}

describe('RecordingViews', () => {
  it('sends a recording to its tab in file order with the recorded times, three batches at most ahead of the acknowledgements', async () => {
    const path = await recording('plant.jsonl', [HEADER, ...Array.from({ length: 1_000 }, (_, i) => line(i)), END]);
    const open = views({}, async () => path);

    const opened = await open.open('rec-1', { kind: 'dialog' });
    expect(opened).toMatchObject({ ok: true, value: { recording: { fileName: 'plant.jsonl', gzip: false, state: 'loading' } } });
    // Nothing acknowledged: the file waits after three batches.
    await waitFor('three batches', () => batches.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(batches).toHaveLength(3);

    const done = await acknowledgeAll(open, 'rec-1');
    expect(done).toMatchObject({ state: 'done', messages: 1_000, firstAt: T0, lastAt: T0 + 9_990, skipped: null, problem: null });
    const messages = batches.flatMap((b) => b.messages);
    expect(batches.map((b) => b.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(batches.every((b) => b.connectionId === 'rec-1' && b.coalesced === 0 && !b.rendererBehind)).toBe(true);
    expect(messages.map((m) => m.receivedAt)).toEqual(Array.from({ length: 1_000 }, (_, i) => T0 + i * 10));
    expect(messages[3]).toEqual({ topic: 'plant/line3/temp', payload: new TextEncoder().encode('{"t":3}'), payloadSize: 7, qos: 1, retain: false, receivedAt: T0 + 30, coalesced: 0 });
    // Loaded: the core holds nothing more for it.
    expect(open.has('rec-1')).toBe(false);
  });

  it('shows what a damaged recording holds and says what was skipped', async () => {
    const lines = [HEADER, line(0), 'not json at all', line(1), '{"topic":"x"}', line(2).slice(0, 20)];
    const path = await recording('damaged.jsonl', lines);
    const open = views({}, async () => path);

    await open.open('rec-2', { kind: 'dialog' });
    const done = await acknowledgeAll(open, 'rec-2');

    expect(batches.flatMap((b) => b.messages).map((m) => new TextDecoder().decode(m.payload))).toEqual(['{"t":0}', '{"t":1}']);
    expect(done.state).toBe('done');
    expect(done.skipped).toBe('3 lines skipped (line 3: not JSON); the recording has no end line: it was cut short.');
  });

  it('reads a gzip recording, and one cut short inside the compressed stream up to the cut', async () => {
    const whole = gzipSync([HEADER, ...Array.from({ length: 3_000 }, (_, i) => line(i)), END, ''].join('\n'));
    await writeFile(join(folder, 'cut.jsonl.gz'), whole.subarray(0, Math.floor(whole.byteLength * 0.5)));
    const open = views({}, async () => join(folder, 'cut.jsonl.gz'));

    const opened = await open.open('rec-3', { kind: 'dialog' });
    expect(opened.ok && opened.value.recording?.gzip).toBe(true);
    const done = await acknowledgeAll(open, 'rec-3');

    const topics = batches.flatMap((b) => b.messages).map((m) => m.receivedAt);
    expect(topics.length).toBeGreaterThan(100);
    expect(topics.length).toBeLessThan(3_000);
    expect(topics).toEqual(Array.from({ length: topics.length }, (_, i) => T0 + i * 10));
    expect(done.skipped).toContain('cut short');
  });

  it('cuts payloads longer than the window keeps, as a live connection does, and counts them', async () => {
    const big = 'x'.repeat(5_000);
    const path = await recording('big.jsonl', [HEADER, line(0, { payload: big }), line(1), END]);
    const open = views({ maxPayloadBytes: 1_000 }, async () => path);

    await open.open('rec-4', { kind: 'dialog' });
    const done = await acknowledgeAll(open, 'rec-4');

    const [first, second] = batches.flatMap((b) => b.messages);
    expect(first?.payload.byteLength).toBe(1_000);
    expect(first?.payloadSize).toBe(5_000);
    expect(second?.payloadSize).toBe(7);
    expect(batches[0]?.truncated).toBe(1);
    expect(done.truncatedPayloads).toBe(1);
  });

  it('stops loading when its tab closes, and when the tab acknowledges nothing for the timeout', async () => {
    const path = await recording('long.jsonl', [HEADER, ...Array.from({ length: 2_000 }, (_, i) => line(i)), END]);
    const open = views({}, async () => path);

    await open.open('closed', { kind: 'dialog' });
    await waitFor('three batches', () => batches.length === 3);
    expect(open.close('closed')).toEqual({ stopped: true });
    expect(statuses.at(-1)).toMatchObject({ state: 'stopped', messages: 300 });
    expect(open.close('closed')).toEqual({ stopped: false });

    await open.open('gone', { kind: 'dialog' });
    await waitFor('three batches', () => batches.filter((b) => b.connectionId === 'gone').length === 3);
    // The default: ten minutes, so a minimized window (no frames, no acknowledgements) keeps its load.
    scheduler.advance(10 * 60_000 - 1);
    expect(open.has('gone')).toBe(true);
    scheduler.advance(1);
    await waitFor('the load to stop', () => !open.has('gone'));
    expect(statuses.at(-1)).toMatchObject({ state: 'stopped', messages: 300, problem: 'the window read nothing for 10 min (it was reloaded or closed); open the recording again' });
    expect(batches).toHaveLength(6);
  });

  it('refuses an acknowledgement of a batch it never sent, and names no view it does not load', async () => {
    const path = await recording('r.jsonl', [HEADER, line(0), END]);
    const open = views({}, async () => path);
    await open.open('rec-5', { kind: 'dialog' });
    await waitFor('the batch', () => batches.length === 1);

    expect(open.ack('rec-5', 7)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(open.ack('nobody', 0)).toBeNull();
    expect(await open.open('rec-5', { kind: 'dialog' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('opens a listed name only when the host finds it, and nothing when the dialog is cancelled', async () => {
    const open = views();
    expect(await open.open('a', { kind: 'dialog' })).toEqual({ ok: true, value: { recording: null } });
    expect(await open.open('b', { kind: 'recording', name: 'topicscope-20260101-000001-000.jsonl' })).toMatchObject({ ok: false, error: { code: 'FILE_MISSING' } });
    await recording('r.jsonl', [HEADER, line(0), END]);
    expect(await open.open('c', { kind: 'recording', name: 'topicscope-20260101-000000-000.jsonl' })).toMatchObject({ ok: true, value: { recording: { fileName: 'r.jsonl' } } });
    expect(open.has('a') || open.has('b')).toBe(false);
  });

  it('says a file that cannot be opened cannot be read, and keeps nothing', async () => {
    const open = views({}, async () => join(folder, 'missing.jsonl'));
    expect(await open.open('d', { kind: 'dialog' })).toMatchObject({ ok: false, error: { code: 'FILE_UNREADABLE', message: expect.stringContaining('could not be read') } });
    expect(open.has('d')).toBe(false);
  });
});
