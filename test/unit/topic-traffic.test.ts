import { describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { TopicTraffic, type BusiestQuery, type TrafficRow } from '../../shared/explorer/topic-traffic';
import { TopicTree } from '../../shared/explorer/topic-tree';

function msg(topic: string, payloadBytes: number, coalesced = 0): ReceivedMessage {
  return { topic, payload: new Uint8Array(payloadBytes), payloadSize: payloadBytes, qos: 0, retain: false, receivedAt: 0, coalesced };
}

/** A tree and its tracker, fed as ExplorerState does, on a clock the test moves (ms). */
function setup(startedAt = 100_000): {
  tree: TopicTree;
  traffic: TopicTraffic;
  at: (ms: number) => void;
  ingest: (...messages: ReceivedMessage[]) => void;
  busiest: (query?: Partial<BusiestQuery>) => TrafficRow[];
  row: (topic: string, query?: Partial<BusiestQuery>) => TrafficRow | undefined;
} {
  const tree = new TopicTree();
  const traffic = new TopicTraffic(tree, startedAt);
  let now = startedAt;
  const busiest = (query: Partial<BusiestQuery> = {}): TrafficRow[] =>
    [...traffic.busiest({ scope: { kind: 'topics' }, sortBy: 'messagesPerSec', descending: true, limit: 50, ...query }, now).rows];
  return {
    tree,
    traffic,
    at: (ms) => (now = startedAt + ms),
    ingest: (...messages) => {
      traffic.startBatch(now);
      tree.ingest(messages);
    },
    busiest,
    row: (topic, query) => busiest(query).find((r) => r.topic === topic),
  };
}

const repeat = (count: number, topic: string, bytes: number): ReceivedMessage[] => Array.from({ length: count }, () => msg(topic, bytes));

describe('TopicTraffic', () => {
  it('ranks topics by messages per second over the last 10 s, busiest first', () => {
    const { at, ingest, busiest } = setup();
    for (let second = 0; second < 10; second++) {
      at(second * 1000 + 500);
      ingest(...repeat(50, 'flood/a', 10), ...repeat(5, 'calm/b', 10), msg('calm/c', 10));
    }
    at(10_000);
    const rows = busiest();
    expect(rows.map((r) => r.topic)).toEqual(['flood/a', 'calm/b', 'calm/c']);
    expect(rows.map((r) => r.messagesPerSec)).toEqual([50, 5, 1]);
    expect(rows[0]!.bytesPerSec).toBe(500);
  });

  it('slides: seconds older than the window stop counting, newer ones count', () => {
    const { at, ingest, row } = setup();
    at(500);
    ingest(...repeat(100, 'burst', 1));
    at(20_500);
    ingest(...repeat(27, 'burst', 1));
    // Here the window reaches back 9 s, to its oldest slot's start: only the 27 count.
    at(21_000);
    expect(row('burst')?.messagesPerSec).toBe(3);
    expect(row('burst')?.messages).toBe(127);
  });

  it('lets a topic that stops publishing decay to 0 within 10 s, and keeps its totals', () => {
    const { at, ingest, row } = setup();
    for (let ms = 0; ms <= 5_000; ms += 250) {
      at(ms);
      ingest(msg('sensors/stopping', 100));
    }
    at(5_000);
    const before = row('sensors/stopping', { sortBy: 'messages' })!;
    expect(before.messagesPerSec).toBeGreaterThan(3);
    at(12_000);
    const fading = row('sensors/stopping', { sortBy: 'messages' })!;
    expect(fading.messagesPerSec).toBeGreaterThan(0);
    expect(fading.messagesPerSec).toBeLessThan(before.messagesPerSec);
    at(5_000 + 10_000);
    const stopped = row('sensors/stopping', { sortBy: 'messages' })!;
    expect(stopped.messagesPerSec).toBe(0);
    expect(stopped.bytesPerSec).toBe(0);
    expect(stopped.messages).toBe(21);
    expect(stopped.bytes).toBe(2_100);
    // Ranked by rate, a silent topic is not among the busiest at all.
    expect(row('sensors/stopping')).toBeUndefined();
  });

  it('averages over the time since connecting while that is shorter than the window', () => {
    const { at, ingest, row } = setup();
    at(1_500);
    ingest(...repeat(30, 'early', 8));
    at(2_000);
    expect(row('early')?.messagesPerSec).toBe(15);
    expect(row('early')?.bytesPerSec).toBe(120);
  });

  it('counts a coalesced message for every message it stands for, at its size', () => {
    const { at, ingest, row } = setup();
    at(9_000);
    ingest(msg('merged', 10, 8));
    // The window reaches back to its oldest slot's start: 9 s before now, here.
    at(11_000);
    expect(row('merged')).toMatchObject({ messagesPerSec: 1, bytesPerSec: 10, messages: 9, bytes: 90 });
  });

  it('sums a subtree over its topics, at one level or at every level', () => {
    const { at, ingest, busiest } = setup();
    at(9_500);
    ingest(...repeat(40, 'home/kitchen/temp', 10), ...repeat(20, 'home/kitchen/hum', 10), ...repeat(30, 'home/hall/temp', 100), ...repeat(5, 'status', 1000));
    at(11_000);
    const level1 = busiest({ scope: { kind: 'subtrees', level: 1 } });
    // Rates over the 9 s from the window's oldest slot to now, back to counts.
    expect(level1.map((r) => [r.topic, Math.round(r.messagesPerSec * 9), Math.round(r.bytesPerSec * 9)])).toEqual([
      ['home', 90, 3_600],
      ['status', 5, 5_000],
    ]);
    const level2 = busiest({ scope: { kind: 'subtrees', level: 2 } });
    expect(level2.map((r) => [r.topic, r.messages])).toEqual([
      ['home/kitchen', 60],
      ['home/hall', 30],
    ]);
    const all = busiest({ scope: { kind: 'subtrees', level: 'all' } });
    expect(all.map((r) => r.topic)).toEqual(['home', 'home/kitchen', 'home/hall']);
    expect(all.every((r) => r.subtree)).toBe(true);
  });

  it('counts a topic that has topics below it in its own subtree', () => {
    const { at, ingest, busiest } = setup();
    at(1_000);
    ingest(...repeat(4, 'plant', 10), ...repeat(6, 'plant/line1', 10), ...repeat(2, 'plant/line1/motor', 10));
    const all = busiest({ scope: { kind: 'subtrees', level: 'all' } });
    expect(all.map((r) => [r.topic, r.messagesPerSec, r.bytesPerSec, r.messages])).toEqual([
      ['plant', 12, 120, 12],
      ['plant/line1', 8, 80, 8],
    ]);
    expect(busiest().map((r) => [r.topic, r.messagesPerSec])).toEqual([
      ['plant/line1', 6],
      ['plant', 4],
      ['plant/line1/motor', 2],
    ]);
  });

  it('sorts by each column, either way, and ranks totals over every topic seen', () => {
    const { at, ingest, busiest } = setup();
    at(500);
    ingest(...repeat(100, 'old/heavy', 1));
    at(15_000);
    ingest(...repeat(3, 'now/big', 5_000), ...repeat(10, 'now/small', 1));
    const topics = (query: Partial<BusiestQuery>): string[] => busiest(query).map((r) => r.topic);
    expect(topics({ sortBy: 'messagesPerSec' })).toEqual(['now/small', 'now/big']);
    expect(topics({ sortBy: 'bytesPerSec' })).toEqual(['now/big', 'now/small']);
    expect(topics({ sortBy: 'messages' })).toEqual(['old/heavy', 'now/small', 'now/big']);
    expect(topics({ sortBy: 'bytes' })).toEqual(['now/big', 'old/heavy', 'now/small']);
    expect(topics({ sortBy: 'bytes', descending: false })).toEqual(['now/small', 'old/heavy', 'now/big']);
    // By name: the busiest by rate, A to Z.
    expect(topics({ sortBy: 'topic', descending: false })).toEqual(['now/big', 'now/small']);
    expect(topics({ sortBy: 'topic' })).toEqual(['now/small', 'now/big']);
  });

  it('keeps only the busiest rows up to the limit', () => {
    const { at, ingest, busiest } = setup();
    at(1_000);
    for (let i = 1; i <= 30; i++) ingest(...repeat(i, `t/${i}`, 1));
    expect(busiest({ limit: 3 }).map((r) => r.topic)).toEqual(['t/30', 't/29', 't/28']);
    expect(busiest({ limit: 3, sortBy: 'messages', descending: false }).map((r) => r.topic)).toEqual(['t/28', 't/29', 't/30']);
  });

  it('reports the deepest level seen, for choosing a subtree level', () => {
    const { at, ingest, traffic } = setup();
    at(0);
    ingest(msg('a/b', 1), msg('c/d/e/f', 1));
    expect(traffic.busiest({ scope: { kind: 'topics' }, sortBy: 'messages', descending: true, limit: 5 }, 0).deepestLevel).toBe(4);
  });
});
