/**
 * What floods the broker: the busiest topics and subtrees of one connection, by
 * messages and payload bytes per second over the last 10 s and since connecting.
 * Pure, like the tree it reads: no timers; the caller passes the time (ms, any
 * monotonic clock) and decides when to ask.
 *
 * It counts nothing itself. The tree already counts every message and byte per topic
 * and per subtree (TopicNode.ownCount/ownBytes, subtreeCount/subtreeBytes). As the
 * tree's ingest observer, the tracker is told of each topic a batch updates, once per
 * batch, before its counts grow; the first time in a two-second slot, it notes the topic
 * and its counts then in that slot's bucket. A topic's traffic over the window is its count
 * now minus the count noted in its oldest bucket inside the window: no per-message
 * work, no topic string hashed again, and per batch and topic one field compared on a
 * node the tree has at hand (a second pass over the updated topics after ingest
 * measured 10-15% of the model's rate; this, 6-8%: see bench/README.md). Subtrees are summed
 * only when `busiest` is asked, which the view does at most once a second while shown.
 *
 * Why two-second slots: the entries are most of the tracker's cost, and a topic that
 * publishes every second needs half as many; the window then reaches back between 8
 * and 10 s (four whole slots and the current one), and rates divide by exactly that.
 *
 * Memory: one bucket entry (a reference and two numbers) per topic and slot with
 * traffic in the last 10 s, the arrays kept at their largest, and four numbers on each
 * node.
 */
import type { IngestObserver, TopicNode, TopicTree } from './topic-tree';
import type { ReceivedMessage } from '../mqtt/mqtt-message';

/** Length of the sliding window, in seconds. */
export const WINDOW_SECONDS = 10;
/** One bucket's span. */
const SLOT_MS = 2_000;
/** Buckets in the window, the current (partial) one included. */
const SLOTS = (WINDOW_SECONDS * 1_000) / SLOT_MS;

/** One row of the busiest table: a topic, or a subtree (the node and everything below it). */
export interface TrafficRow {
  readonly topic: string;
  /** Whether the row stands for a subtree with topics below it (`topic/#`) rather than one topic. */
  readonly subtree: boolean;
  /** Messages per second over the window (coalesced ones included). */
  readonly messagesPerSec: number;
  /** Payload bytes per second over the window. */
  readonly bytesPerSec: number;
  /** Messages since connecting. */
  readonly messages: number;
  /** Payload bytes since connecting. */
  readonly bytes: number;
}

export type TrafficSortKey = 'topic' | 'messagesPerSec' | 'bytesPerSec' | 'messages' | 'bytes';

/** Topics, subtrees at one level (1: top-level), or subtrees at every level. */
export type TrafficScope = { readonly kind: 'topics' } | { readonly kind: 'subtrees'; readonly level: number | 'all' };

export interface BusiestQuery {
  scope: TrafficScope;
  /**
   * The order of the rows. A number picks the busiest `limit` rows by it; `topic`
   * keeps the busiest by messages per second and orders them by name.
   */
  sortBy: TrafficSortKey;
  /** Largest first (names: Z to A). */
  descending: boolean;
  /** Rows at most. */
  limit: number;
}

export interface BusiestResult {
  readonly rows: readonly TrafficRow[];
  /** The deepest level any topic so far sits at (1: top-level), for choosing a subtree level. */
  readonly deepestLevel: number;
  /** Seconds the rates are averaged over: the window, or less just after connecting. */
  readonly windowSeconds: number;
}

/**
 * The topics that received something in one slot, each with its counts before it
 * did. Its arrays are reused from one slot to the next (only `length` restarts), so
 * following a busy broker allocates nothing once they have grown.
 */
class Bucket {
  slot = -1;
  length = 0;
  /**
   * Per entry i: the topic's `TopicNode.index`. Numbers, not references: storing a
   * reference to an old node costs a GC write barrier on every entry (measured: the
   * tracker took 3-9% of ingest with 100,000 topics holding references, see bench/README.md).
   */
  nodes = new Int32Array(128);
  /** Per entry i: messages before at 2i, bytes before at 2i + 1. */
  before = new Float64Array(256);

  reset(slot: number): void {
    this.slot = slot;
    this.length = 0;
  }

  /** Makes room for one more entry; apart from the hot path, which runs it once per doubling. */
  grow(): void {
    const nodes = new Int32Array(this.nodes.length * 2);
    nodes.set(this.nodes);
    this.nodes = nodes;
    const before = new Float64Array(this.before.length * 2);
    before.set(this.before);
    this.before = before;
  }
}

export class TopicTraffic implements IngestObserver {
  readonly #tree: TopicTree;
  readonly #startedAt: number;
  /** The last SLOTS slots' buckets, the one for slot s at s % SLOTS. */
  readonly #buckets = Array.from({ length: SLOTS }, () => new Bucket());
  /** The bucket of the batch being ingested. */
  #bucket: Bucket;
  /** Numbers the rankings, so window sums left on the nodes by an earlier one read as 0. */
  #sumStamp = 0;

  /**
   * Follows `tree` from now on (as its ingest observer). `startedAt`: when the
   * connection started receiving; rates are not averaged over time before it.
   */
  constructor(tree: TopicTree, startedAt: number) {
    this.#tree = tree;
    this.#startedAt = startedAt;
    this.#bucket = this.#buckets[0]!;
    this.startBatch(startedAt);
    tree.observe(this);
  }

  /** Call before each `tree.ingest`: the time its messages arrived. */
  startBatch(now: number): void {
    const slot = Math.floor(now / SLOT_MS);
    if (slot === this.#bucket.slot) return;
    this.#bucket = this.#buckets[slot % SLOTS]!;
    if (this.#bucket.slot !== slot) this.#bucket.reset(slot);
  }

  /** IngestObserver: the slot of the batch being ingested. */
  get slot(): number {
    return this.#bucket.slot;
  }

  /**
   * IngestObserver: notes the topic's counts before its first traffic in this slot (the
   * tree checked that it is the first). Written flat, without a call into the bucket:
   * this runs for every topic in every slot and its cost is budgeted (bench/README.md).
   */
  willUpdate(node: TopicNode): void {
    const bucket = this.#bucket;
    node.trafficSlot = bucket.slot;
    const i = bucket.length++;
    if (i >= bucket.nodes.length) bucket.grow();
    bucket.nodes[i] = node.index;
    const before = bucket.before;
    before[2 * i] = node.ownCount;
    before[2 * i + 1] = node.ownBytes;
  }

  /** The busiest topics or subtrees as of `now`. Costs a pass over the window, and over the tree when sorting by totals. */
  busiest(query: BusiestQuery, now: number): BusiestResult {
    const windowSeconds = this.#windowSeconds(now);
    const stamp = ++this.#sumStamp;
    const summed = this.#sumWindow(query.scope, now, stamp);
    const rankBy = query.sortBy === 'topic' ? 'messagesPerSec' : query.sortBy;
    const candidates = rankBy === 'messagesPerSec' || rankBy === 'bytesPerSec' ? summed : this.#allOf(query.scope);
    const subtrees = query.scope.kind === 'subtrees';
    const top = new TopRows(query.limit, rankValue(rankBy, subtrees, stamp));
    for (const node of candidates) top.offer(node);
    const rows = top.nodes().map((node) => toRow(node, subtrees, stamp, windowSeconds));
    rows.sort(compareRows(query.sortBy, query.descending));
    return { rows, deepestLevel: this.#tree.deepestLevel, windowSeconds };
  }

  /** The window's span in seconds: from the oldest bucket's start (or the start) to now, at least 1 s. */
  #windowSeconds(now: number): number {
    const oldestStart = (Math.floor(now / SLOT_MS) - SLOTS + 1) * SLOT_MS;
    return Math.max(1, (now - Math.max(oldestStart, this.#startedAt)) / 1_000);
  }

  /**
   * Leaves each topic's (or, for subtrees, each subtree's) messages and bytes in the
   * window on its node, marked with `stamp`; returns the nodes that have some.
   */
  #sumWindow(scope: TrafficScope, now: number, stamp: number): TopicNode[] {
    const oldestSlot = Math.floor(now / SLOT_MS) - SLOTS + 1;
    const buckets = this.#buckets.filter((bucket) => bucket.slot >= oldestSlot).sort((a, b) => a.slot - b.slot);
    const topics: TopicNode[] = [];
    // Oldest bucket first: a topic's first entry holds its counts when the window began for it.
    for (const { nodes, before, length } of buckets) {
      for (let i = 0; i < length; i++) {
        const node = this.#tree.nodeAt(nodes[i]!);
        if (node.trafficSumStamp === stamp) continue;
        node.trafficSumStamp = stamp;
        node.trafficSumCount = node.ownCount - before[2 * i]!;
        node.trafficSumBytes = node.ownBytes - before[2 * i + 1]!;
        topics.push(node);
      }
    }
    return scope.kind === 'topics' ? topics : sumSubtrees(topics, stamp).filter((node) => inScope(node, scope));
  }

  /** Every topic (or subtree) in scope that ever received something, for ranking by totals. */
  #allOf(scope: TrafficScope): TopicNode[] {
    const found: TopicNode[] = [];
    const stack: TopicNode[] = [...this.#tree.root.sortedChildren()];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.subtreeCount === 0) continue;
      if (scope.kind === 'topics' ? node.ownCount > 0 : inScope(node, scope)) found.push(node);
      // A level's subtrees are all at that depth: nothing below them is in scope.
      if (scope.kind === 'subtrees' && scope.level !== 'all' && node.depth >= scope.level) continue;
      if (node.children) for (const child of node.children.values()) stack.push(child);
    }
    return found;
  }
}

/**
 * Turns the window sums of topics into those of subtrees: deepest level first, each
 * node adds its sum to its parent's, so each node is visited once. Returns every node
 * (topic or level above, the root left out) with traffic in the window.
 */
function sumSubtrees(topics: readonly TopicNode[], stamp: number): TopicNode[] {
  const byDepth: TopicNode[][] = [];
  for (const node of topics) (byDepth[node.depth] ??= []).push(node);
  const all: TopicNode[] = [];
  for (let depth = byDepth.length - 1; depth >= 1; depth--) {
    const level = byDepth[depth];
    if (!level) continue;
    for (const node of level) {
      all.push(node);
      const parent = node.parent!;
      if (parent.depth === 0) continue;
      if (parent.trafficSumStamp === stamp) {
        // Summed already: a topic of its own, or by a sibling; either way it is listed.
        parent.trafficSumCount += node.trafficSumCount;
        parent.trafficSumBytes += node.trafficSumBytes;
      } else {
        parent.trafficSumStamp = stamp;
        parent.trafficSumCount = node.trafficSumCount;
        parent.trafficSumBytes = node.trafficSumBytes;
        (byDepth[depth - 1] ??= []).push(parent);
      }
    }
  }
  return all;
}

/**
 * Subtrees at a level are every node at that depth (a topic there is a subtree of
 * one), so a level's rows add up to all traffic below it; "all levels" takes the
 * nodes that have topics below them (single topics are what the topics view is for).
 */
function inScope(node: TopicNode, scope: TrafficScope & { kind: 'subtrees' }): boolean {
  return scope.level === 'all' ? node.hasChildren : node.depth === scope.level;
}

function toRow(node: TopicNode, subtree: boolean, stamp: number, windowSeconds: number): TrafficRow {
  const inWindow = node.trafficSumStamp === stamp;
  return {
    topic: node.topic,
    subtree: subtree && node.hasChildren,
    messagesPerSec: inWindow ? node.trafficSumCount / windowSeconds : 0,
    bytesPerSec: inWindow ? node.trafficSumBytes / windowSeconds : 0,
    messages: subtree ? node.subtreeCount : node.ownCount,
    bytes: subtree ? node.subtreeBytes : node.ownBytes,
  };
}

/** The figure a ranking compares nodes by (window sums: as left by the ranking `stamp`). */
function rankValue(rankBy: Exclude<TrafficSortKey, 'topic'>, subtrees: boolean, stamp: number): (node: TopicNode) => number {
  switch (rankBy) {
    case 'messagesPerSec':
      return (node) => (node.trafficSumStamp === stamp ? node.trafficSumCount : 0);
    case 'bytesPerSec':
      return (node) => (node.trafficSumStamp === stamp ? node.trafficSumBytes : 0);
    case 'messages':
      return subtrees ? (node) => node.subtreeCount : (node) => node.ownCount;
    case 'bytes':
      return subtrees ? (node) => node.subtreeBytes : (node) => node.ownBytes;
  }
}

function compareRows(sortBy: TrafficSortKey, descending: boolean): (a: TrafficRow, b: TrafficRow) => number {
  const sign = descending ? -1 : 1;
  const byTopic = (a: TrafficRow, b: TrafficRow): number => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0);
  if (sortBy === 'topic') return (a, b) => sign * byTopic(a, b);
  // Ties by name, A to Z either way, so rows with equal figures keep still between refreshes.
  return (a, b) => sign * (a[sortBy] - b[sortBy]) || byTopic(a, b);
}

/**
 * The `limit` largest nodes by one figure, kept sorted as they are offered: most
 * nodes fall below the smallest kept one and cost one comparison, so ranking a
 * 100,000-topic tree needs no sort of all of it.
 */
class TopRows {
  readonly #kept: { node: TopicNode; value: number }[] = [];
  readonly #limit: number;
  readonly #value: (node: TopicNode) => number;

  constructor(limit: number, value: (node: TopicNode) => number) {
    this.#limit = limit;
    this.#value = value;
  }

  offer(node: TopicNode): void {
    const kept = this.#kept;
    if (this.#limit <= 0) return;
    const value = this.#value(node);
    if (kept.length === this.#limit && value <= kept[kept.length - 1]!.value) return;
    let i = kept.length;
    while (i > 0 && kept[i - 1]!.value < value) i--;
    kept.splice(i, 0, { node, value });
    if (kept.length > this.#limit) kept.pop();
  }

  nodes(): TopicNode[] {
    return this.#kept.map((entry) => entry.node);
  }
}

/**
 * Messages cut where their receive time enters another slot, for a recording opened
 * offline: its batches span much more than a slot of its own time, and the tracker
 * notes a topic once per slot, so each run is ingested as a batch of its own. Live
 * batches need no cutting (they span 33 ms of arrival).
 */
export function slotRuns(messages: readonly ReceivedMessage[]): (readonly ReceivedMessage[])[] {
  const runs: (readonly ReceivedMessage[])[] = [];
  let start = 0;
  for (let i = 1; i <= messages.length; i++) {
    if (i < messages.length && Math.floor(messages[i]!.receivedAt / SLOT_MS) === Math.floor(messages[start]!.receivedAt / SLOT_MS)) continue;
    runs.push(messages.slice(start, i));
    start = i;
  }
  return runs;
}
