/**
 * The "Filter topics" search over a topic tree, kept incrementally: a new search
 * scans the tree once, and afterwards only newly created nodes are tested. Each node
 * knows how many matches lie below it, so the view can show matches with their
 * ancestors expanded without scanning again.
 *
 * The scan can run in steps (`scanStep`), so a view can spread it over frames on a
 * large tree and drop it for a newer search at any point; matches found so far are
 * valid meanwhile, and nodes created during the scan are covered by `addCreated`.
 */
import { hasWildcard, topicFilterProblem, topicMatchesFilter } from '../mqtt/mqtt-topic';
import type { TopicNode, TopicTree } from './topic-tree';

export type TopicPredicate = (topic: string) => boolean;

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
  /** Matching nodes. */
  readonly matches = new Set<TopicNode>();
  /** For every node with matches strictly below it: how many. */
  readonly #below = new Map<TopicNode, number>();
  /** Nodes still to visit; null before the scan starts. */
  #stack: TopicNode[] | null = null;

  constructor(text: string) {
    this.text = text;
    this.#predicate = topicPredicate(text);
  }

  /** Tests every node of the tree at once; for a large tree, prefer `scanStep` over several frames. */
  scan(tree: TopicTree): void {
    while (!this.scanStep(tree, Infinity));
  }

  /** Tests up to `maxNodes` more nodes; returns true once the whole tree is scanned. */
  scanStep(tree: TopicTree, maxNodes: number): boolean {
    const stack = (this.#stack ??= [...tree.root.sortedChildren()]);
    for (let tested = 0; tested < maxNodes && stack.length > 0; tested++) {
      const node = stack.pop()!;
      this.#test(node);
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

  #test(node: TopicNode): void {
    // A node created during a stepped scan can be reached twice: by `addCreated` and by the scan.
    if (this.matches.has(node) || !this.#predicate(node.topic)) return;
    this.matches.add(node);
    for (let p = node.parent; p; p = p.parent) this.#below.set(p, (this.#below.get(p) ?? 0) + 1);
  }

  /** Whether the node matches or has a match below it, i.e. is shown while searching. */
  isShown(node: TopicNode): boolean {
    return this.matches.has(node) || this.#below.has(node);
  }

  hasMatchesBelow(node: TopicNode): boolean {
    return this.#below.has(node);
  }
}
