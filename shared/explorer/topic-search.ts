/**
 * The "Filter topics" search over a topic tree, kept incrementally: a new search
 * scans the tree once, and afterwards only newly created nodes are tested. Each node
 * knows how many matches lie below it, so the view can show matches with their
 * ancestors expanded without scanning again.
 *
 * The scan can run in steps (`scanStep`), so a view can spread it over frames on a
 * large tree and drop it for a newer search at any point; matches found so far are
 * valid meanwhile, and nodes created during the scan are covered by `addCreated`.
 *
 * With "Search values" a topic also matches when its latest payload's text contains the
 * filter text (case-insensitive). Only UTF-8 text is searched, and only the first
 * `VALUE_SEARCH_BYTES` of each payload; a topic's value changes, so `noteUpdated`
 * re-tests topics as messages arrive, adding and removing value matches.
 */
import { hasWildcard, topicFilterProblem, topicMatchesFilter } from '../mqtt/mqtt-topic';
import type { TopicNode, TopicTree } from './topic-tree';

export type TopicPredicate = (topic: string) => boolean;

/** Bytes of a payload's head searched for the filter text. */
export const VALUE_SEARCH_BYTES = 64 * 1024;
/** A node's payload costs one unit of scan work per this many bytes, besides the node's own unit. */
const VALUE_BYTES_PER_UNIT = 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface TopicSearchOptions {
  /** Also match topics whose latest payload contains the text ("Search values"). */
  values?: boolean;
}

/** Whether the head of `payload` is UTF-8 text containing `needle` (already lower-case). */
export function payloadContains(payload: Uint8Array, needle: string): boolean {
  const head = payload.byteLength > VALUE_SEARCH_BYTES ? payload.subarray(0, VALUE_SEARCH_BYTES) : payload;
  let text: string;
  try {
    // A head cut from a longer payload is decoded as a stream (its own decoder, as that
    // keeps state), so a character cut at the end is held back rather than an error.
    text = head === payload ? utf8.decode(head) : new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return false;
  }
  return text.toLowerCase().includes(needle);
}

/** Substring match (case-insensitive), or MQTT filter match when the text has `+` or `#`. */
export function topicPredicate(text: string): TopicPredicate {
  if (hasWildcard(text) && topicFilterProblem(text) === null) {
    return (topic) => topicMatchesFilter(text, topic);
  }
  const needle = text.toLowerCase();
  return (topic) => topic.toLowerCase().includes(needle);
}

export class TopicSearch {
  readonly text: string;
  readonly #predicate: TopicPredicate;
  /** The lower-cased text payloads must contain; null when values are not searched. */
  readonly #valueNeedle: string | null;
  /** Matching nodes. */
  readonly matches = new Set<TopicNode>();
  /** For every node with matches strictly below it: how many. */
  readonly #below = new Map<TopicNode, number>();
  /** Nodes still to visit; null before the scan starts. */
  #stack: TopicNode[] | null = null;

  constructor(text: string, options: TopicSearchOptions = {}) {
    this.text = text;
    this.#predicate = topicPredicate(text);
    this.#valueNeedle = options.values ? text.toLowerCase() : null;
  }

  /** Whether payloads are searched too. */
  get searchesValues(): boolean {
    return this.#valueNeedle !== null;
  }

  /** Tests every node of the tree at once; for a large tree, prefer `scanStep` over several frames. */
  scan(tree: TopicTree): void {
    while (!this.scanStep(tree, Infinity));
  }

  /**
   * Does up to `maxWork` more units of scanning, one per node (plus one per KiB of
   * payload read when values are searched); returns true once the whole tree is scanned.
   */
  scanStep(tree: TopicTree, maxWork: number): boolean {
    const stack = (this.#stack ??= [...tree.root.sortedChildren()]);
    for (let work = 0; work < maxWork && stack.length > 0; work++) {
      const node = stack.pop()!;
      this.#test(node);
      if (this.#valueNeedle !== null && node.last) work += Math.floor(Math.min(node.last.payload.byteLength, VALUE_SEARCH_BYTES) / VALUE_BYTES_PER_UNIT);
      if (node.children) for (const child of node.children.values()) stack.push(child);
    }
    return stack.length === 0;
  }

  /** Whether `scan`/`scanStep` has visited the whole tree. */
  get scanned(): boolean {
    return this.#stack !== null && this.#stack.length === 0;
  }

  /** Tests nodes the tree just created. */
  addCreated(nodes: readonly TopicNode[]): void {
    for (const node of nodes) this.#test(node);
  }

  /**
   * Re-tests topics that just received a message: with values searched, a new value can
   * make a topic match or stop matching. Nothing to do when only topics are searched.
   */
  noteUpdated(nodes: readonly TopicNode[]): void {
    if (this.#valueNeedle === null) return;
    for (const node of nodes) {
      if (this.#matchesNode(node)) this.#add(node);
      else this.#remove(node);
    }
  }

  #test(node: TopicNode): void {
    // A node created during a stepped scan can be reached twice: by `addCreated` and by the scan.
    if (!this.matches.has(node) && this.#matchesNode(node)) this.#add(node);
  }

  #matchesNode(node: TopicNode): boolean {
    if (this.#predicate(node.topic)) return true;
    return this.#valueNeedle !== null && node.last !== null && payloadContains(node.last.payload, this.#valueNeedle);
  }

  #add(node: TopicNode): void {
    if (this.matches.has(node)) return;
    this.matches.add(node);
    for (let p = node.parent; p; p = p.parent) this.#below.set(p, (this.#below.get(p) ?? 0) + 1);
  }

  #remove(node: TopicNode): void {
    if (!this.matches.delete(node)) return;
    for (let p = node.parent; p; p = p.parent) {
      const count = (this.#below.get(p) ?? 1) - 1;
      if (count === 0) this.#below.delete(p);
      else this.#below.set(p, count);
    }
  }

  /** Whether the node matches or has a match below it, i.e. is shown while searching. */
  isShown(node: TopicNode): boolean {
    return this.matches.has(node) || this.#below.has(node);
  }

  hasMatchesBelow(node: TopicNode): boolean {
    return this.#below.has(node);
  }
}
