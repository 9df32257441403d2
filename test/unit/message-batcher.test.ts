import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_BATCHER_OPTIONS, MessageBatcher } from '../../electron/core/connection/message-batcher';
import type { Scheduler } from '../../electron/core/connection/scheduler';
import type { MessageBatch } from '../../shared/mqtt/mqtt-message';

/** A fake clock: timers only fire when the test advances time. */
class FakeScheduler implements Scheduler {
  time = 1_700_000_000_000;
  #nextId = 1;
  readonly timers = new Map<number, { at: number; callback: () => void }>();
  readonly delays: number[] = [];
  cleared = 0;

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    this.delays.push(ms);
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (this.timers.delete(handle as number)) this.cleared++;
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.timers) {
        if (entry[1].at <= target && (next === undefined || entry[1].at < next[1].at)) next = entry;
      }
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].callback();
    }
    this.time = target;
  }
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

let scheduler: FakeScheduler;
let batches: MessageBatch[];

function batcher(options: Partial<typeof DEFAULT_BATCHER_OPTIONS> = {}): MessageBatcher {
  return new MessageBatcher('conn-1', (batch) => batches.push(batch), scheduler, { flushIntervalMs: 33, ...options });
}

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0]!;
}

beforeEach(() => {
  scheduler = new FakeScheduler();
  batches = [];
});

describe('MessageBatcher timing', () => {
  it('delivers one batch per interval, not one per message', () => {
    const b = batcher();
    for (let i = 0; i < 100; i++) b.push(`t/${i}`, bytes(`${i}`), 0, false);
    expect(scheduler.timers.size).toBe(1);
    scheduler.advance(32);
    expect(batches).toHaveLength(0);
    scheduler.advance(1);
    const batch = only(batches);
    expect(batch.connectionId).toBe('conn-1');
    expect(batch.messages).toHaveLength(100);
  });

  it('times the flush from the first pending message, not the last', () => {
    const b = batcher();
    b.push('a', bytes('1'), 0, false);
    scheduler.advance(20);
    b.push('b', bytes('2'), 0, false);
    scheduler.advance(13); // 33 ms after the first message
    expect(only(batches).messages.map((m) => m.topic)).toEqual(['a', 'b']);
  });

  it('starts a new interval for messages after a flush', () => {
    const b = batcher();
    b.push('a', bytes('1'), 0, false);
    scheduler.advance(33);
    b.push('b', bytes('2'), 0, false);
    b.push('c', bytes('3'), 0, false);
    scheduler.advance(32);
    expect(batches).toHaveLength(1);
    scheduler.advance(1);
    expect(batches).toHaveLength(2);
    expect(batches[1]!.messages.map((m) => m.topic)).toEqual(['b', 'c']);
  });

  it('uses 33 ms by default', () => {
    expect(DEFAULT_BATCHER_OPTIONS.flushIntervalMs).toBe(33);
    const b = new MessageBatcher('c', (batch) => batches.push(batch), scheduler);
    b.push('a', bytes('x'), 0, false);
    expect(scheduler.delays).toEqual([33]);
  });

  it('flush() delivers at once and clears the pending timer', () => {
    const b = batcher();
    b.push('a', bytes('1'), 1, true);
    b.flush();
    expect(only(batches).messages).toHaveLength(1);
    expect(scheduler.cleared).toBe(1);
    expect(scheduler.timers.size).toBe(0);
    scheduler.advance(1_000);
    expect(batches).toHaveLength(1);
  });

  it('after flush(), the next message gets a fresh full interval', () => {
    const b = batcher();
    b.push('a', bytes('1'), 0, false);
    scheduler.advance(30);
    b.flush();
    b.push('b', bytes('2'), 0, false);
    scheduler.advance(3); // the old timer would have fired here
    expect(batches).toHaveLength(1);
    scheduler.advance(30);
    expect(batches).toHaveLength(2);
  });

  it('an empty flush delivers nothing', () => {
    const b = batcher();
    b.flush();
    expect(batches).toHaveLength(0);
    b.push('a', bytes('1'), 0, false);
    b.flush();
    b.flush();
    expect(batches).toHaveLength(1);
    expect(scheduler.delays).toHaveLength(1);
  });
});

describe('MessageBatcher message content', () => {
  it('keeps order, topic, payload, QoS, retain and the receive time', () => {
    const b = batcher();
    b.push('sensors/1', bytes('21.5'), 0, false);
    scheduler.advance(5);
    b.push('sensors/2', bytes('on'), 1, true);
    scheduler.advance(5);
    b.push('sensors/1', bytes('21.6'), 2, false, { contentType: 'text/plain' });
    scheduler.advance(33);
    const batch = only(batches);
    const t0 = 1_700_000_000_000;
    expect(batch.messages.map((m) => ({ ...m, payload: text(m.payload) }))).toEqual([
      { topic: 'sensors/1', payload: '21.5', payloadSize: 4, qos: 0, retain: false, receivedAt: t0, coalesced: 0 },
      { topic: 'sensors/2', payload: 'on', payloadSize: 2, qos: 1, retain: true, receivedAt: t0 + 5, coalesced: 0 },
      {
        topic: 'sensors/1',
        payload: '21.6',
        payloadSize: 4,
        qos: 2,
        retain: false,
        receivedAt: t0 + 10,
        coalesced: 0,
        properties: { contentType: 'text/plain' },
      },
    ]);
    expect(batch.coalesced).toBe(0);
    expect(batch.truncated).toBe(0);
  });

  it('copies the payload: changing the source buffer afterwards does not change the batch', () => {
    const b = batcher();
    const source = bytes('hello');
    b.push('a', source, 0, false);
    source.fill(0x21);
    b.flush();
    expect(text(only(batches).messages[0]!.payload)).toBe('hello');
  });

  it('copies only the view, not the larger buffer a payload may point into', () => {
    const b = batcher();
    const big = new Uint8Array(10_000).fill(0x41);
    big.set(bytes('view'), 5_000);
    b.push('a', big.subarray(5_000, 5_004), 0, false);
    b.flush();
    const payload = only(batches).messages[0]!.payload;
    expect(text(payload)).toBe('view');
    expect(payload.buffer.byteLength).toBe(4);
  });

  it('cuts payloads above maxPayloadBytes, keeps the original size and counts them', () => {
    const b = batcher({ maxPayloadBytes: 4 });
    b.push('big', bytes('0123456789'), 0, false);
    b.push('exact', bytes('abcd'), 0, false);
    b.push('big2', bytes('abcde'), 0, false);
    b.flush();
    const batch = only(batches);
    expect(batch.messages.map((m) => [m.topic, text(m.payload), m.payloadSize])).toEqual([
      ['big', '0123', 10],
      ['exact', 'abcd', 4],
      ['big2', 'abcd', 5],
    ]);
    expect(batch.truncated).toBe(2);
  });

  it('resets the truncated count for the next batch', () => {
    const b = batcher({ maxPayloadBytes: 2 });
    b.push('a', bytes('abc'), 0, false);
    b.flush();
    b.push('a', bytes('ab'), 0, false);
    b.flush();
    expect(batches.map((x) => x.truncated)).toEqual([1, 0]);
  });
});

describe('MessageBatcher coalescing', () => {
  it('does not coalesce at or below maxPendingMessages', () => {
    const b = batcher({ maxPendingMessages: 3 });
    b.push('a', bytes('1'), 0, false);
    b.push('a', bytes('2'), 0, false);
    b.push('a', bytes('3'), 0, false);
    b.flush();
    const batch = only(batches);
    expect(batch.messages.map((m) => text(m.payload))).toEqual(['1', '2', '3']);
    expect(batch.coalesced).toBe(0);
  });

  it('above maxPendingMessages, a message on a pending topic replaces the newest one there and counts it', () => {
    const b = batcher({ maxPendingMessages: 3 });
    b.push('a', bytes('a1'), 0, false);
    b.push('b', bytes('b1'), 0, false);
    b.push('a', bytes('a2'), 0, false);
    b.push('a', bytes('a3'), 1, true); // replaces a2 (the latest 'a'), not a1
    b.push('a', bytes('a4'), 2, false); // replaces a3
    b.push('c', bytes('c1'), 0, false); // new topic: appended
    b.push('b', bytes('b2'), 0, false); // replaces b1
    b.flush();
    const batch = only(batches);
    expect(batch.messages.map((m) => [m.topic, text(m.payload), m.qos, m.coalesced])).toEqual([
      ['a', 'a1', 0, 0],
      ['b', 'b2', 0, 1],
      ['a', 'a4', 2, 2],
      ['c', 'c1', 0, 0],
    ]);
    expect(batch.coalesced).toBe(3);
    const represented = batch.messages.reduce((sum, m) => sum + 1 + m.coalesced, 0);
    expect(represented).toBe(7);
  });

  it('keeps counts exact under a flood: sum of (1 + coalesced) equals messages pushed', () => {
    const b = batcher({ maxPendingMessages: 50 });
    let pushed = 0;
    const perTopic = new Map<string, number>();
    for (let i = 0; i < 5_000; i++) {
      const topic = `t/${(i * 7) % 13}`;
      b.push(topic, bytes(`${i}`), 0, false);
      perTopic.set(topic, (perTopic.get(topic) ?? 0) + 1);
      pushed++;
    }
    b.flush();
    const batch = only(batches);
    const represented = batch.messages.reduce((sum, m) => sum + 1 + m.coalesced, 0);
    expect(represented).toBe(pushed);
    expect(batch.coalesced).toBe(pushed - batch.messages.length);
    expect(batch.messages.reduce((sum, m) => sum + m.coalesced, 0)).toBe(batch.coalesced);
    // Exact per topic too.
    const representedPerTopic = new Map<string, number>();
    for (const m of batch.messages) representedPerTopic.set(m.topic, (representedPerTopic.get(m.topic) ?? 0) + 1 + m.coalesced);
    expect(representedPerTopic).toEqual(perTopic);
    // The newest message of each topic survives.
    const lastPayload = new Map<string, string>();
    for (const m of batch.messages) lastPayload.set(m.topic, text(m.payload));
    for (let i = 4_987; i < 5_000; i++) expect(lastPayload.get(`t/${(i * 7) % 13}`)).toBe(`${i}`);
    expect(batch.messages.length).toBeLessThanOrEqual(50 + 13);
  });

  it('starts the next batch without coalescing', () => {
    const b = batcher({ maxPendingMessages: 1 });
    b.push('a', bytes('1'), 0, false);
    b.push('a', bytes('2'), 0, false);
    b.flush();
    b.push('a', bytes('3'), 0, false);
    b.flush();
    expect(batches.map((x) => [x.coalesced, x.messages.map((m) => [text(m.payload), m.coalesced])])).toEqual([
      [1, [['2', 1]]],
      [0, [['3', 0]]],
    ]);
  });
});

describe('MessageBatcher flow control', () => {
  /** Pushes `count` messages spread over `topics` topics, payload = running number; returns the count per topic. */
  function flood(b: MessageBatcher, count: number, topics: number, from = 0): Map<string, number> {
    const perTopic = new Map<string, number>();
    for (let i = from; i < from + count; i++) {
      const topic = `flood/${i % topics}`;
      b.push(topic, bytes(`${i}`), 0, false);
      perTopic.set(topic, (perTopic.get(topic) ?? 0) + 1);
    }
    return perTopic;
  }

  const represented = (list: MessageBatch[]): number => list.reduce((sum, x) => sum + x.messages.reduce((s, m) => s + 1 + m.coalesced, 0), 0);

  it('numbers the batches 0, 1, 2... and marks none as behind while the renderer acknowledges', () => {
    const b = batcher({ maxUnacknowledged: 2 });
    for (let i = 0; i < 5; i++) {
      b.push('a', bytes(`${i}`), 0, false);
      scheduler.advance(33);
      expect(b.ack(i)).toBe('accepted');
    }
    expect(batches.map((x) => [x.seq, x.rendererBehind, x.coalesced])).toEqual([
      [0, false, 0],
      [1, false, 0],
      [2, false, 0],
      [3, false, 0],
      [4, false, 0],
    ]);
    expect(b.unacknowledged).toBe(0);
  });

  it('sends nothing while the window is full, coalesces per topic meanwhile, and sends at once when an ack frees the window', () => {
    const b = batcher({ maxUnacknowledged: 2, maxPendingMessages: 20_000 });
    flood(b, 10, 10);
    scheduler.advance(33);
    flood(b, 10, 10, 10);
    scheduler.advance(33);
    expect(batches.map((x) => x.seq)).toEqual([0, 1]);
    expect(b.unacknowledged).toBe(2);

    // The renderer is behind: 3,000 messages over 7 topics arrive and nothing is sent.
    const perTopic = flood(b, 3_000, 7, 20);
    scheduler.advance(5_000);
    expect(batches).toHaveLength(2);
    expect(b.holdingBack).toBe(true);
    expect(b.pendingMessages).toBe(7);
    // No flush timer spins while holding back; only the acknowledgement timeout waits.
    expect(scheduler.timers.size).toBe(1);

    expect(b.ack(0)).toBe('accepted');
    expect(batches).toHaveLength(3);
    const held = batches[2]!;
    expect(held.seq).toBe(2);
    expect(held.rendererBehind).toBe(true);
    expect(held.messages).toHaveLength(7);
    expect(held.coalesced).toBe(3_000 - 7);
    // Exact per topic, and the newest value of each topic is the one kept.
    for (const m of held.messages) {
      expect(1 + m.coalesced, m.topic).toBe(perTopic.get(m.topic));
      const newest = Math.max(...Array.from({ length: 3_000 }, (_, k) => 20 + k).filter((i) => `flood/${i % 7}` === m.topic));
      expect(text(m.payload), m.topic).toBe(`${newest}`);
    }
    expect(represented(batches)).toBe(3_020);
    expect(b.holdingBack).toBe(false);
    expect(scheduler.timers.size).toBe(0);
  });

  it('keeps memory bounded by the number of topics however long the renderer stays behind', () => {
    const b = batcher({ maxUnacknowledged: 1, ackTimeoutMs: 60_000 });
    b.push('first', bytes('x'), 0, false);
    b.flush();
    let pushed = 1;
    for (let round = 0; round < 20; round++) {
      flood(b, 5_000, 50, pushed);
      pushed += 5_000;
      scheduler.advance(100);
      expect(b.pendingMessages).toBeLessThanOrEqual(50);
    }
    expect(batches).toHaveLength(1);
    b.ack(0);
    expect(batches).toHaveLength(2);
    expect(batches[1]!.messages).toHaveLength(50);
    expect(represented(batches)).toBe(pushed);
    expect(batches.reduce((sum, x) => sum + x.coalesced, 0)).toBe(pushed - 51);
  });

  it('folds messages that were pending before the window filled, so the held batch has one per topic', () => {
    const b = batcher({ maxUnacknowledged: 1 });
    b.push('x', bytes('0'), 0, false);
    b.flush();
    b.push('a', bytes('a1'), 0, false);
    b.push('b', bytes('b1'), 0, false);
    b.push('a', bytes('a2'), 0, false);
    scheduler.advance(33); // window full: held back and folded
    b.push('a', bytes('a3'), 0, false);
    b.ack(0);
    const held = batches[1]!;
    expect(held.messages.map((m) => [m.topic, text(m.payload), m.coalesced])).toEqual([
      ['a', 'a3', 2],
      ['b', 'b1', 0],
    ]);
    expect(held.coalesced).toBe(2);
    expect(held.rendererBehind).toBe(true);
  });

  it('acknowledgements are cumulative; repeated ones are harmless and one for a batch never sent changes nothing', () => {
    const b = batcher({ maxUnacknowledged: 3 });
    for (let i = 0; i < 3; i++) {
      b.push('a', bytes(`${i}`), 0, false);
      b.flush();
    }
    expect(b.unacknowledged).toBe(3);
    expect(b.ack(7)).toBe('never-sent');
    expect(b.ack(3)).toBe('never-sent');
    expect(b.unacknowledged).toBe(3);
    expect(b.ack(1)).toBe('accepted'); // acknowledges 0 and 1
    expect(b.unacknowledged).toBe(1);
    expect(b.ack(0)).toBe('already-acknowledged');
    expect(b.ack(1)).toBe('already-acknowledged');
    expect(b.unacknowledged).toBe(1);
  });

  it('after catching up, the next batch is sent on the timer again, not behind and not coalesced', () => {
    const b = batcher({ maxUnacknowledged: 1 });
    b.push('a', bytes('1'), 0, false);
    b.flush();
    b.push('a', bytes('2'), 0, false);
    b.push('a', bytes('3'), 0, false);
    scheduler.advance(33);
    b.ack(0);
    expect(batches[1]!.rendererBehind).toBe(true);
    b.ack(1);
    b.push('a', bytes('4'), 0, false);
    b.push('a', bytes('5'), 0, false);
    expect(batches).toHaveLength(2);
    scheduler.advance(33);
    expect(batches[2]!).toMatchObject({ seq: 2, rendererBehind: false, coalesced: 0 });
    expect(batches[2]!.messages.map((m) => text(m.payload))).toEqual(['4', '5']);
  });

  it('resetFlowControl forgets what was in flight (a reloaded renderer) and sends the held batch at once', () => {
    const b = batcher({ maxUnacknowledged: 2 });
    for (let i = 0; i < 2; i++) {
      b.push('a', bytes(`${i}`), 0, false);
      b.flush();
    }
    b.push('a', bytes('held'), 0, false);
    scheduler.advance(33);
    expect(batches).toHaveLength(2);
    b.resetFlowControl();
    expect(batches).toHaveLength(3);
    expect(batches[2]!).toMatchObject({ seq: 2, rendererBehind: true });
    expect(b.unacknowledged).toBe(1);
    // The window is open again: the next batch goes out on its timer.
    b.push('a', bytes('next'), 0, false);
    scheduler.advance(33);
    expect(batches[3]!).toMatchObject({ seq: 3, rendererBehind: false });
    // Acknowledgements of batches from before the reset are simply old news.
    expect(b.ack(0)).toBe('already-acknowledged');
  });

  it('a renderer that never acknowledges stalls the connection only until the acknowledgement timeout', () => {
    const b = batcher({ maxUnacknowledged: 1, ackTimeoutMs: 10_000 });
    b.push('a', bytes('1'), 0, false);
    b.flush();
    b.push('a', bytes('2'), 0, false);
    scheduler.advance(33);
    scheduler.advance(9_000);
    b.push('a', bytes('3'), 0, false);
    expect(batches).toHaveLength(1);
    scheduler.advance(1_000);
    expect(batches).toHaveLength(2);
    expect(batches[1]!).toMatchObject({ seq: 1, rendererBehind: true, coalesced: 1 });
    expect(text(batches[1]!.messages[0]!.payload)).toBe('3');
    expect(DEFAULT_BATCHER_OPTIONS.ackTimeoutMs).toBe(10_000);
    expect(DEFAULT_BATCHER_OPTIONS.maxUnacknowledged).toBe(3);
  });

  it('drain() sends what is pending even with the window full, and leaves no timer running', () => {
    const b = batcher({ maxUnacknowledged: 1 });
    b.push('a', bytes('1'), 0, false);
    b.flush();
    b.push('a', bytes('2'), 0, false);
    scheduler.advance(33);
    expect(scheduler.timers.size).toBe(1);
    b.drain();
    expect(batches.map((x) => [x.seq, x.rendererBehind])).toEqual([
      [0, false],
      [1, true],
    ]);
    expect(scheduler.timers.size).toBe(0);
  });
});

describe('MessageBatcher batch size', () => {
  const payload = (size: number, fill: number): Uint8Array => new Uint8Array(size).fill(fill);
  const batchBytes = (batch: MessageBatch): number => batch.messages.reduce((sum, m) => sum + m.payload.byteLength, 0);

  it('uses 8 MiB by default, well under the 64 MiB a browser-mode frame may carry', () => {
    expect(DEFAULT_BATCHER_OPTIONS.maxBatchBytes).toBe(8 * 1_048_576);
  });

  it('sends at once when the pending payloads reach the limit, without waiting for the timer', () => {
    const b = batcher({ maxBatchBytes: 1_000 });
    for (let i = 0; i < 4; i++) b.push(`big/${i}`, payload(250, i), 0, false);
    expect(batches.map((x) => x.messages.length)).toEqual([4]);
    expect(scheduler.timers.size).toBe(0);
  });

  it('splits what is pending into batches of at most the limit, in order, with every message once', () => {
    // Payloads far above the limit in all: 70 messages of 100 KB with a 1 MB cap, as 70 × 1 MiB would be against 64 MiB.
    const b = batcher({ maxBatchBytes: 1_000_000, maxUnacknowledged: 100 });
    const sent: string[] = [];
    // Hold the flushes back so everything is pending at once, as under load.
    b.push('t/0', payload(100_000, 0), 0, false);
    for (let i = 1; i < 70; i++) {
      sent.push(`t/${i}`);
      b.push(`t/${i}`, payload(100_000, i), 0, false);
    }
    scheduler.advance(1_000);
    expect(batches.length).toBeGreaterThanOrEqual(7);
    for (const batch of batches) expect(batchBytes(batch)).toBeLessThanOrEqual(1_000_000);
    expect(batches.flatMap((x) => x.messages.map((m) => m.topic))).toEqual(['t/0', ...sent]);
    expect(batches.map((x) => x.seq)).toEqual(batches.map((_, i) => i));
  });

  it('sends one message alone when it is larger than the limit', () => {
    const b = batcher({ maxBatchBytes: 100 });
    b.push('huge', payload(500, 1), 0, false);
    expect(only(batches).messages[0]!.payload.byteLength).toBe(500);
  });

  it('the rest of a split batch waits for room in the window, coalesced per topic and marked behind', () => {
    const b = batcher({ maxBatchBytes: 1_000, maxUnacknowledged: 1, maxPendingMessages: 5 });
    for (let i = 0; i < 8; i++) b.push(`t/${i % 4}`, payload(400, i), 0, false);
    scheduler.advance(100);
    // Only the first batch is out; the rest is held, one message per topic.
    expect(batches).toHaveLength(1);
    expect(b.pendingMessages).toBeLessThanOrEqual(4);
    b.ack(0);
    scheduler.advance(100);
    b.ack(1);
    scheduler.advance(100);
    b.ack(2);
    scheduler.advance(100);
    const represented = batches.reduce((sum, x) => sum + x.messages.reduce((s, m) => s + 1 + m.coalesced, 0), 0);
    expect(represented).toBe(8);
    expect(batches.slice(1).every((x) => x.rendererBehind)).toBe(true);
    for (const batch of batches) expect(batchBytes(batch)).toBeLessThanOrEqual(1_000);
  });

  it('drain() sends everything pending as batches within the limit and leaves no timer', () => {
    const b = batcher({ maxBatchBytes: 1_000, maxUnacknowledged: 1 });
    b.push('first', payload(10, 0), 0, false);
    b.flush();
    for (let i = 0; i < 5; i++) b.push(`t/${i}`, payload(600, i), 0, false);
    b.drain();
    expect(batches.slice(1).map((x) => x.messages.length)).toEqual([1, 1, 1, 1, 1]);
    expect(scheduler.timers.size).toBe(0);
  });
});
