/**
 * The topic tree: a pure model of every topic seen on one connection. It owns no
 * timers, DOM or IPC; the caller feeds it batches and decides when to render.
 *
 * Cost per message is proportional to the topic's depth, never to the tree's size:
 * the path is walked in place, counts are kept incrementally, and what changed is
 * collected for the caller instead of being found by scanning.
 */
import type { ReceivedMessage } from './mqtt-message';

export interface TopicTreeLimits {
  /** Messages of history kept per topic (the latest is always kept). Default 50. */
  historyPerTopic: number;
  /** Payload bytes of history kept per topic. Default 512 KiB. */
  historyBytesPerTopic: number;
  /** Payload bytes of history kept over all topics; the oldest goes first. Default 128 MiB. */
  totalHistoryBytes: number;
}

export const DEFAULT_TREE_LIMITS: TopicTreeLimits = {
  historyPerTopic: 50,
  historyBytesPerTopic: 512 * 1024,
  totalHistoryBytes: 128 * 1024 * 1024,
};

export class TopicNode {
  readonly segment: string;
  readonly parent: TopicNode | null;
  /** The full topic (for the root: ""). */
  readonly topic: string;
  /** 0 for the root, 1 for top-level topics. */
  readonly depth: number;
  children: Map<string, TopicNode> | null = null;
  /** Messages received on exactly this topic (coalesced ones included). */
  ownCount = 0;
  /** Messages received on this topic and every topic below it. */
  subtreeCount = 0;
  /** Topics below this node (and itself) that have received at least one message. */
  topicCount = 0;
  /** The latest message on exactly this topic; kept whatever the history limits. */
  last: ReceivedMessage | null = null;
  /** Older and current messages, oldest first, bounded by the tree's limits. */
  history: ReceivedMessage[] = [];
  historyBytes = 0;
  /** Sequence number of `history[0]`, for the global eviction queue. */
  historyFirstSeq = 0;
  #sortedChildren: TopicNode[] | null = null;

  constructor(segment: string, parent: TopicNode | null) {
    this.segment = segment;
    this.parent = parent;
    this.depth = parent ? parent.depth + 1 : 0;
    this.topic = !parent ? '' : parent.parent ? `${parent.topic}/${segment}` : segment;
  }

  /**
   * The value the broker holds retained for this topic, as far as this connection
   * knows: from a message delivered with the retain flag, or from our own retained
   * publish the broker acknowledged (brokers forward those to live subscribers with
   * the flag cleared, so the echo alone would not tell).
   */
  retainedMessage: ReceivedMessage | null = null;

  /** Whether its latest message arrived with the retain flag (and was not cleared since). */
  get retained(): boolean {
    return this.last !== null && this.last.retain && this.last.payload.byteLength > 0;
  }

  get hasChildren(): boolean {
    return this.children !== null && this.children.size > 0;
  }

  /** Children in display order (by segment, code point order), cached until one is added. */
  sortedChildren(): TopicNode[] {
    if (!this.children) return [];
    this.#sortedChildren ??= [...this.children.values()].sort((a, b) => (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0));
    return this.#sortedChildren;
  }

  child(segment: string): TopicNode | undefined {
    return this.children?.get(segment);
  }

  /** Internal: adds a child and invalidates the display order. */
  addChild(node: TopicNode): void {
    (this.children ??= new Map()).set(node.segment, node);
    this.#sortedChildren = null;
  }
}

export interface IngestResult {
  /** Nodes created by this batch (intermediate levels included), in creation order. */
  created: TopicNode[];
  /** Nodes whose own latest message changed in this batch. */
  updated: Set<TopicNode>;
}

export interface TreeStats {
  /** Messages received (coalesced ones included): always exact. */
  messages: number;
  /** Topics that have received at least one message. */
  topics: number;
  /** Messages the core folded into newer ones before they reached the tree. */
  coalesced: number;
  /** Payloads the core cut to its size limit. */
  truncated: number;
  /** History entries dropped to respect the limits (latest values are never dropped). */
  historyDropped: number;
  /** Payload bytes held in history right now. */
  historyBytes: number;
}

export class TopicTree {
  readonly root = new TopicNode('', null);
  readonly limits: TopicTreeLimits;
  /** Topics with a known retained value (see TopicNode.retainedMessage). */
  readonly retained = new Set<TopicNode>();
  #stats: TreeStats = { messages: 0, topics: 0, coalesced: 0, truncated: 0, historyDropped: 0, historyBytes: 0 };
  /** Global eviction order: parallel rings of node and sequence number, no object per message. */
  #queueNodes: (TopicNode | undefined)[] = [];
  #queueSeqs: number[] = [];
  #queueHead = 0;
  #nextSeq = 0;
  #historyEntries = 0;
  /** Nodes created outside `ingest` (own retained publishes), reported by the next ingest. */
  #pendingCreated: TopicNode[] = [];

  constructor(limits: Partial<TopicTreeLimits> = {}) {
    this.limits = { ...DEFAULT_TREE_LIMITS, ...limits };
  }

  /** A snapshot: a fresh object each call, so views comparing by identity see changes. */
  get stats(): Readonly<TreeStats> {
    return { ...this.#stats };
  }

  /** Adds the core's coalescing and truncation counts from a batch header. */
  noteBatch(coalesced: number, truncated: number): void {
    this.#stats.coalesced += coalesced;
    this.#stats.truncated += truncated;
  }

  ingest(messages: readonly ReceivedMessage[]): IngestResult {
    const created = this.#pendingCreated;
    this.#pendingCreated = [];
    const updated = new Set<TopicNode>();
    for (const message of messages) {
      const node = this.#walk(message.topic, 1 + message.coalesced, created);
      this.#record(node, message);
      updated.add(node);
    }
    this.#enforceBudget();
    return { created, updated };
  }

  /** The node for an exact topic, if it exists. */
  find(topic: string): TopicNode | undefined {
    let node: TopicNode | undefined = this.root;
    let start = 0;
    for (;;) {
      const end = topic.indexOf('/', start);
      node = node.child(end === -1 ? topic.slice(start) : topic.slice(start, end));
      if (!node || end === -1) return node;
      start = end + 1;
    }
  }

  /** Forgets the retained value of a topic once the user cleared it on the broker. */
  markRetainedCleared(topic: string): void {
    const node = this.find(topic);
    if (!node) return;
    node.retainedMessage = null;
    this.retained.delete(node);
    if (node.last?.retain) node.last = { ...node.last, retain: false };
  }

  /**
   * Records a retained publish of our own that the broker accepted: the broker now
   * holds it, whatever flag the echo arrives with. An empty payload clears.
   */
  noteOwnRetainedPublish(message: ReceivedMessage): void {
    if (message.payload.byteLength === 0) {
      this.markRetainedCleared(message.topic);
      return;
    }
    const node = this.#walk(message.topic, 0, this.#pendingCreated);
    node.retainedMessage = message;
    this.retained.add(node);
  }

  /** Walks (creating as needed) to the topic's node, adding `weight` to every count on the way. */
  #walk(topic: string, weight: number, created: TopicNode[]): TopicNode {
    let node = this.root;
    node.subtreeCount += weight;
    let start = 0;
    for (;;) {
      const end = topic.indexOf('/', start);
      const segment = end === -1 ? topic.slice(start) : topic.slice(start, end);
      let next = node.child(segment);
      if (!next) {
        next = new TopicNode(segment, node);
        node.addChild(next);
        created.push(next);
      }
      next.subtreeCount += weight;
      node = next;
      if (end === -1) return node;
      start = end + 1;
    }
  }

  #record(node: TopicNode, message: ReceivedMessage): void {
    const weight = 1 + message.coalesced;
    if (node.ownCount === 0) {
      this.#stats.topics++;
      for (let n: TopicNode | null = node; n; n = n.parent) n.topicCount++;
    }
    node.ownCount += weight;
    this.#stats.messages += weight;
    node.last = message;
    // An empty retained message is how a retained value is cleared (spec 3.3.1.3).
    if (message.retain && message.payload.byteLength > 0) {
      node.retainedMessage = message;
      this.retained.add(node);
    } else if (message.payload.byteLength === 0) {
      node.retainedMessage = null;
      this.retained.delete(node);
    }
    this.#pushHistory(node, message);
  }

  #pushHistory(node: TopicNode, message: ReceivedMessage): void {
    const bytes = message.payload.byteLength;
    if (node.history.length === 0) node.historyFirstSeq = this.#nextSeq;
    node.history.push(message);
    this.#historyEntries++;
    node.historyBytes += bytes;
    this.#stats.historyBytes += bytes;
    this.#queueNodes.push(node);
    this.#queueSeqs.push(this.#nextSeq++);
    // Per-topic limits: drop this topic's oldest, but never its latest.
    while (node.history.length > 1 && (node.history.length > this.limits.historyPerTopic || node.historyBytes > this.limits.historyBytesPerTopic)) {
      this.#dropOldest(node);
    }
  }

  #dropOldest(node: TopicNode): void {
    const dropped = node.history.shift()!;
    this.#historyEntries--;
    node.historyFirstSeq++;
    node.historyBytes -= dropped.payload.byteLength;
    this.#stats.historyBytes -= dropped.payload.byteLength;
    this.#stats.historyDropped++;
  }

  /** Global budget: drop the oldest history entries across all topics. */
  #enforceBudget(): void {
    while (this.#stats.historyBytes > this.limits.totalHistoryBytes && this.#queueHead < this.#queueNodes.length) {
      const node = this.#queueNodes[this.#queueHead]!;
      const seq = this.#queueSeqs[this.#queueHead]!;
      this.#queueNodes[this.#queueHead] = undefined;
      this.#queueHead++;
      // Stale when the topic already dropped that entry under its own limits; the
      // latest entry stays so the topic keeps its current value in the history.
      // A topic's first entry may have lost its queue place while it was the only one;
      // a later entry's turn then drops the topic's oldest, so the budget still holds.
      if (seq >= node.historyFirstSeq && node.history.length > 1) this.#dropOldest(node);
    }
    this.#compactQueue();
  }

  #compactQueue(): void {
    // An entry is dead once its message left the history; a topic's only entry is
    // its latest value, which the budget never drops. Skip both at the front.
    while (this.#queueHead < this.#queueNodes.length) {
      const node = this.#queueNodes[this.#queueHead]!;
      if (this.#queueSeqs[this.#queueHead]! >= node.historyFirstSeq && node.history.length > 1) break;
      this.#queueNodes[this.#queueHead] = undefined;
      this.#queueHead++;
    }
    // Dead entries can also pile up behind a live one; rebuilding when they outnumber
    // the live entries keeps the queue proportional to the history (amortized O(1)).
    const length = this.#queueNodes.length - this.#queueHead;
    if (length > 2 * this.#historyEntries + 1024) {
      const nodes: TopicNode[] = [];
      const seqs: number[] = [];
      for (let i = this.#queueHead; i < this.#queueNodes.length; i++) {
        const node = this.#queueNodes[i]!;
        const seq = this.#queueSeqs[i]!;
        if (seq >= node.historyFirstSeq) {
          nodes.push(node);
          seqs.push(seq);
        }
      }
      this.#queueNodes = nodes;
      this.#queueSeqs = seqs;
      this.#queueHead = 0;
    }
  }

  /** Length of the eviction queue, exposed so tests can check it stays bounded. */
  get evictionQueueLength(): number {
    return this.#queueNodes.length - this.#queueHead;
  }
}
