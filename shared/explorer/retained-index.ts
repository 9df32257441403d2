/**
 * The retained values of a topic tree, sorted by topic and kept sorted as they come and
 * go, for a list view of thousands of them. Pure: the caller says which nodes may have
 * changed (`note`) and asks for a snapshot when it renders (`snapshot`).
 *
 * A snapshot is two immutable arrays in the same order: `topics` is a new array only
 * when the set of retained topics changed, `entries` also when a value changed. Topics
 * that arrived since the last snapshot are sorted among themselves and merged in
 * (O(n + k log k)); only values changing costs a copy and a binary search per change,
 * never a sort. So a view can filter `topics` only when that array changes.
 */
import type { ReceivedMessage } from '../mqtt/mqtt-message';
import type { TopicNode } from './topic-tree';

/** One retained value as a list shows it; immutable. */
export interface RetainedEntry {
  readonly topic: string;
  readonly message: ReceivedMessage;
}

export interface RetainedSnapshot {
  /** Every topic with a known retained value, in code point order. */
  readonly topics: readonly string[];
  /** The value of `topics[i]` at `entries[i]`. */
  readonly entries: readonly RetainedEntry[];
}

export const NO_RETAINED: RetainedSnapshot = { topics: [], entries: [] };

const byTopic = (a: RetainedEntry, b: RetainedEntry): number => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0);

export class RetainedIndex {
  /** What the last snapshot holds for each node in it. */
  readonly #shown = new Map<TopicNode, RetainedEntry>();
  /** Nodes whose retained value differs from the last snapshot's. */
  readonly #pending = new Set<TopicNode>();
  #snapshot: RetainedSnapshot = NO_RETAINED;

  /** Tells the index that `node`'s retained value may have changed; cheap when it did not. */
  note(node: TopicNode): void {
    const shown = this.#shown.get(node);
    if (shown === undefined ? node.retainedMessage === null : shown.message === node.retainedMessage) {
      this.#pending.delete(node);
      return;
    }
    this.#pending.add(node);
  }

  /** The retained values as of now; the same object when nothing changed since the last call. */
  snapshot(): RetainedSnapshot {
    if (this.#pending.size === 0) return this.#snapshot;
    const added: RetainedEntry[] = [];
    const removed = new Set<string>();
    const replaced = new Map<string, RetainedEntry>();
    for (const node of this.#pending) {
      const message = node.retainedMessage;
      const shown = this.#shown.get(node);
      if (message === null) {
        this.#shown.delete(node);
        removed.add(node.topic);
        continue;
      }
      const entry: RetainedEntry = { topic: node.topic, message };
      this.#shown.set(node, entry);
      if (shown === undefined) added.push(entry);
      else replaced.set(node.topic, entry);
    }
    this.#pending.clear();
    const { topics, entries } = this.#snapshot;
    if (added.length === 0 && removed.size === 0) {
      // Only values changed: same order, same topics array.
      const next = entries.slice();
      for (const [topic, entry] of replaced) next[indexOf(topics, topic)] = entry;
      this.#snapshot = { topics, entries: next };
      return this.#snapshot;
    }
    added.sort(byTopic);
    const merged: RetainedEntry[] = [];
    let a = 0;
    for (const old of entries) {
      if (removed.has(old.topic)) continue;
      while (a < added.length && added[a]!.topic < old.topic) merged.push(added[a++]!);
      merged.push(replaced.get(old.topic) ?? old);
    }
    while (a < added.length) merged.push(added[a++]!);
    this.#snapshot = { topics: merged.map((e) => e.topic), entries: merged };
    return this.#snapshot;
  }
}

/** Binary search for a topic known to be in the sorted list. */
function indexOf(topics: readonly string[], topic: string): number {
  let low = 0;
  let high = topics.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (topics[mid]! < topic) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Indexes into `topics` of those containing `text` (case-insensitive); all of them for blank text. */
export function matchingTopics(topics: readonly string[], text: string): readonly number[] {
  const needle = text.trim().toLowerCase();
  const found: number[] = [];
  for (let i = 0; i < topics.length; i++) if (needle === '' || topics[i]!.toLowerCase().includes(needle)) found.push(i);
  return found;
}
