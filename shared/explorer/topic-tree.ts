/**
 * The topic tree: a pure model of every topic seen on one connection. It owns no
 * timers, DOM or IPC; the caller feeds it batches and decides when to render.
 *
 * Cost per message is proportional to the topic's depth, never to the tree's size,
 * and allocates no object once the topic exists: a known topic is found with one lookup
 * of the whole topic string, counts are added walking up the parent links, the message
 * is copied into the tree's MessageStore (its history is a list through the store), and
 * what changed is collected for the caller instead of being found by scanning. The
 * message objects a batch brings are not kept, so they die young.
 */
import type { ReceivedMessage } from '../mqtt/mqtt-message';
import { HELD_AS_RETAINED, HELD_IN_HISTORY, MessageStore } from './message-store';
import { IndexRing } from './ring-buffer';

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
  /**
   * The levels right below, in the order they appeared; null until the first. An array,
   * not a map by segment: the tree finds any node by its full topic already, and a map
   * per parent cost about 30 bytes more per node (and a hash per new topic).
   */
  children: TopicNode[] | null = null;
  /** Messages received on exactly this topic (coalesced ones included). */
  ownCount = 0;
  /** Messages received on this topic and every topic below it. */
  subtreeCount = 0;
  /**
   * Payload bytes (as on the wire, before any cut) received on exactly this topic; a
   * coalesced message counts at the size of the one that replaced it.
   */
  ownBytes = 0;
  /** Payload bytes received on this topic and every topic below it (as `ownBytes`). */
  subtreeBytes = 0;
  /** Topics below this node (and itself) that have received at least one message. */
  topicCount = 0;
  /**
   * Internal to TopicTree: the store entry of the value the broker holds retained for
   * this topic (-1: none). See `retainedMessage`.
   */
  retainedEntry = -1;
  /** Payload bytes held in this topic's history. */
  historyBytes = 0;
  /**
   * Internal to TopicTree: the history's oldest and newest store entries (-1: none), the
   * entries between linked in the store (`MessageStore.newer`). No array per topic: a
   * million topics' rings cost 80-100 MB and an allocation each time one grew.
   */
  historyOldest = -1;
  historyNewest = -1;
  /** Messages in the history. */
  historyLength = 0;
  /**
   * Internal to TopicTree, the topic's standing in the eviction queue, one field for two
   * states that never hold at once (one number less on each of a million nodes): n > 0,
   * n queue entries of this topic whose message already left the history (stale); -1,
   * its oldest history entry has no queue entry (it was the latest when its turn came);
   * 0, neither.
   */
  evictionDebt = 0;
  /** The `stamp` of the ingest call that last reported this node as updated (0: none yet). */
  ingestStamp = 0;
  /** Numbers the tree's nodes in creation order (the root is 0): `TopicTree.nodeAt(index)`. */
  index = 0;
  // Internal to TopicTraffic (topic-traffic.ts), the tree's observer: fields here rather
  // than a map of its own, so following every updated topic costs no lookup.
  /** The slot of the tracker's bucket this topic last went into (-1: none). */
  trafficSlot = -1;
  /** Window sums while the tracker ranks, valid when `trafficSumStamp` is its current ranking's. */
  trafficSumStamp = 0;
  trafficSumCount = 0;
  trafficSumBytes = 0;
  /** Internal to TopicTree: whether the latest message's retain flag was cleared since (see `markRetainedCleared`). */
  lastUnretained = false;
  #sortedChildren: TopicNode[] | null = null;
  readonly #store: MessageStore;

  constructor(segment: string, parent: TopicNode | null, topic: string, store: MessageStore) {
    this.segment = segment;
    this.parent = parent;
    this.depth = parent ? parent.depth + 1 : 0;
    this.topic = topic;
    this.#store = store;
  }

  /**
   * The latest message on exactly this topic; kept whatever the history limits. The same
   * object until the topic's next message (views compare by identity).
   */
  get last(): ReceivedMessage | null {
    const entry = this.historyNewest;
    if (entry < 0) return null;
    return this.lastUnretained ? this.#store.unretained(entry, this.topic) : this.#store.message(entry, this.topic);
  }

  /** A new copy of `last` that the tree does not remember: for reading many topics once (exports). */
  copyOfLast(): ReceivedMessage | null {
    const entry = this.historyNewest;
    if (entry < 0) return null;
    const message = this.#store.copy(entry, this.topic);
    if (this.lastUnretained) message.retain = false;
    return message;
  }

  /** The latest payload's bytes as kept, without a copy: to read at once, not to keep. */
  get lastPayload(): Uint8Array | null {
    const entry = this.historyNewest;
    return entry < 0 ? null : this.#store.payloadView(entry);
  }

  /**
   * The value the broker holds retained for this topic, as far as this connection
   * knows: from a message delivered with the retain flag, or from our own retained
   * publish the broker acknowledged (brokers forward those to live subscribers with
   * the flag cleared, so the echo alone would not tell).
   */
  get retainedMessage(): ReceivedMessage | null {
    return this.retainedEntry < 0 ? null : this.#store.message(this.retainedEntry, this.topic);
  }

  /** Older and current messages, oldest first, bounded by the tree's limits (a new array each call). */
  get history(): ReceivedMessage[] {
    const out = new Array<ReceivedMessage>(this.historyLength);
    let entry = this.historyOldest;
    for (let i = 0; i < out.length; i++, entry = this.#store.newer(entry)) out[i] = this.#store.message(entry, this.topic);
    return out;
  }

  /** Whether its latest message arrived with the retain flag (and was not cleared since). */
  get retained(): boolean {
    // The latest message is always the history's newest: the history never drops it.
    const entry = this.historyNewest;
    return entry >= 0 && !this.lastUnretained && this.#store.isRetain(entry) && this.#store.storedBytes(entry) > 0;
  }

  get hasChildren(): boolean {
    return this.children !== null && this.children.length > 0;
  }

  /** Children in display order (by segment, code point order), cached until one is added. */
  sortedChildren(): TopicNode[] {
    if (!this.children) return [];
    this.#sortedChildren ??= this.children.slice().sort((a, b) => (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0));
    return this.#sortedChildren;
  }

  /** The child level named `segment` (a scan of the children: for the views, not per message; the tree finds topics with `find`). */
  child(segment: string): TopicNode | undefined {
    return this.children?.find((child) => child.segment === segment);
  }

  /** Internal: adds a child and invalidates the display order. */
  addChild(node: TopicNode): void {
    (this.children ??= []).push(node);
    this.#sortedChildren = null;
  }
}

/**
 * Told of each topic an ingest call is about to update, once per call, before its
 * counts grow, while the node is at hand (the busiest topics' tracker).
 */
export interface IngestObserver {
  /**
   * The observer's current period (the tracker's time slot). The tree compares it with
   * `node.trafficSlot` itself and calls `willUpdate` only on a difference: most
   * updates fall in a period the topic was already noted in, and a compare on the node
   * at hand costs less than a call (the tracker's share of ingest time is budgeted).
   */
  readonly slot: number;
  /** Called only when `node.trafficSlot` differs from `slot`; the observer updates it. */
  willUpdate(node: TopicNode): void;
}

export interface IngestResult {
  /** Nodes created by this batch (intermediate levels included), in creation order. */
  created: TopicNode[];
  /** Nodes whose own latest message changed in this batch, each once, in order of first change. */
  updated: TopicNode[];
  /** This call's number (1, 2, ...), which every updated node now carries as `ingestStamp`. */
  stamp: number;
}

export interface TreeStats {
  /** Messages received (coalesced ones included): always exact. */
  messages: number;
  /** Topics that have received at least one message. */
  topics: number;
  /** Messages the core folded into newer ones before they reached the tree. */
  coalesced: number;
  /** The part of `coalesced` folded because the renderer was behind (see MessageBatch.rendererBehind). */
  coalescedBehind: number;
  /** Payloads the core cut to its size limit. */
  truncated: number;
  /** History entries dropped to respect the limits (latest values are never dropped). */
  historyDropped: number;
  /** Payload bytes held in history right now. */
  historyBytes: number;
}

export class TopicTree {
  readonly #store = new MessageStore();
  readonly root = new TopicNode('', null, '', this.#store);
  #limits: TopicTreeLimits;
  /** Topics with a known retained value (see TopicNode.retainedMessage). */
  readonly retained = new Set<TopicNode>();
  #stats: TreeStats = { messages: 0, topics: 0, coalesced: 0, coalescedBehind: 0, truncated: 0, historyDropped: 0, historyBytes: 0 };
  /** Every node but the root by its full topic: a known topic costs one lookup, no path split. */
  readonly #byTopic = new Map<string, TopicNode>();
  /**
   * Global eviction order: the topic (its `index`) of each history entry, oldest first. A topic's
   * entries appear in the same order as in its history, so the entries the topic
   * dropped under its own limits are always its first ones here (`evictionDebt`
   * counts them), and no entry needs a sequence number.
   */
  readonly #evictionQueue = new IndexRing(1024);
  #historyEntries = 0;
  #ingestCalls = 0;
  /** Nodes created outside `ingest` (own retained publishes), reported by the next ingest. */
  #pendingCreated: TopicNode[] = [];
  #observer: IngestObserver | null = null;
  #deepestLevel = 0;
  /** Every node by its `index`, so an observer can keep numbers rather than references (no GC write barrier on its hot path). */
  readonly #nodes: TopicNode[] = [this.root];

  constructor(limits: Partial<TopicTreeLimits> = {}) {
    this.#limits = { ...DEFAULT_TREE_LIMITS, ...limits };
  }

  get limits(): Readonly<TopicTreeLimits> {
    return this.#limits;
  }

  /**
   * Changes the limits (the user's settings) and applies them at once to the history
   * already kept: each topic drops its oldest entries past the new count and byte
   * limits, then the budget drops the oldest across topics. What stays is each topic's
   * newest messages, in order; latest values always stay; every drop counts in
   * `historyDropped`. Costs one pass over the topics, so it is for a settings change,
   * not for every batch.
   */
  setLimits(limits: Partial<TopicTreeLimits>): void {
    this.#limits = { ...this.#limits, ...limits };
    const { historyPerTopic, historyBytesPerTopic } = this.#limits;
    for (const node of this.#byTopic.values()) {
      while (node.historyLength > 1 && node.historyLength > historyPerTopic) this.#dropOwnOldest(node);
      while (node.historyLength > 1 && node.historyBytes > historyBytesPerTopic) this.#dropOwnOldest(node);
    }
    this.#enforceBudget();
  }

  /** Sets the one observer told of every topic an ingest call updates (null: none). */
  observe(observer: IngestObserver | null): void {
    this.#observer = observer;
  }

  /** A snapshot: a fresh object each call, so views comparing by identity see changes. */
  get stats(): Readonly<TreeStats> {
    return { ...this.#stats };
  }

  /** Adds the core's coalescing and truncation counts from a batch header. */
  noteBatch(coalesced: number, truncated: number, rendererBehind = false): void {
    this.#stats.coalesced += coalesced;
    if (rendererBehind) this.#stats.coalescedBehind += coalesced;
    this.#stats.truncated += truncated;
  }

  ingest(messages: readonly ReceivedMessage[]): IngestResult {
    const created = this.#pendingCreated;
    this.#pendingCreated = [];
    const updated: TopicNode[] = [];
    const stamp = ++this.#ingestCalls;
    const observer = this.#observer;
    // Read once per call: the observer changes its slot only between ingest calls.
    const observedSlot = observer ? observer.slot : 0;
    for (const message of messages) {
      const weight = 1 + message.coalesced;
      const bytes = message.payloadSize * weight;
      const node = this.#byTopic.get(message.topic) ?? this.#create(message.topic, created);
      if (node.ingestStamp !== stamp) {
        node.ingestStamp = stamp;
        updated.push(node);
        if (observer && node.trafficSlot !== observedSlot) observer.willUpdate(node);
      }
      for (let n: TopicNode | null = node; n; n = n.parent) {
        n.subtreeCount += weight;
        n.subtreeBytes += bytes;
      }
      node.ownBytes += bytes;
      this.#record(node, message, weight);
    }
    this.#enforceBudget();
    return { created, updated, stamp };
  }

  /** Nodes so far, the root included: indexes run from 0 to `nodeCount - 1`. */
  get nodeCount(): number {
    return this.#nodes.length;
  }

  /** The node numbered `index` (see `TopicNode.index`). */
  nodeAt(index: number): TopicNode {
    return this.#nodes[index]!;
  }

  /** The deepest level any topic so far sits at (1: top-level; 0 while empty). */
  get deepestLevel(): number {
    return this.#deepestLevel;
  }

  /** The node for an exact topic, if it exists. */
  find(topic: string): TopicNode | undefined {
    return this.#byTopic.get(topic);
  }

  /** Forgets the retained value of a topic once the user cleared it on the broker. */
  markRetainedCleared(topic: string): void {
    const node = this.find(topic);
    if (!node) return;
    this.#setRetained(node, -1);
    if (node.historyNewest >= 0 && this.#store.isRetain(node.historyNewest)) node.lastUnretained = true;
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
    const node = this.#byTopic.get(message.topic) ?? this.#create(message.topic, this.#pendingCreated);
    this.#setRetained(node, this.#store.add(message, HELD_AS_RETAINED));
  }

  /** Makes `entry` (already holding HELD_AS_RETAINED, or -1: none) the node's retained value, releasing the one before. */
  #setRetained(node: TopicNode, entry: number): void {
    const before = node.retainedEntry;
    if (before === entry) return;
    if (before >= 0) this.#store.release(before, HELD_AS_RETAINED);
    node.retainedEntry = entry;
    if (entry >= 0) this.retained.add(node);
    else this.retained.delete(node);
  }

  /** Creates the topic's node and any missing level above it; only new topics pay for splitting. */
  #create(topic: string, created: TopicNode[]): TopicNode {
    // Usually the parent level exists already (a new sensor next to known ones).
    const slash = topic.lastIndexOf('/');
    const parent = slash === -1 ? this.root : this.#byTopic.get(topic.slice(0, slash));
    if (parent) return this.#addNode(slash === -1 ? topic : topic.slice(slash + 1), parent, topic, created);
    let node = this.root;
    let start = 0;
    for (;;) {
      const end = topic.indexOf('/', start);
      const segment = end === -1 ? topic.slice(start) : topic.slice(start, end);
      const path = end === -1 ? topic : topic.slice(0, end);
      node = this.#byTopic.get(path) ?? this.#addNode(segment, node, path, created);
      if (end === -1) return node;
      start = end + 1;
    }
  }

  #addNode(segment: string, parent: TopicNode, topic: string, created: TopicNode[]): TopicNode {
    const node = new TopicNode(segment, parent, topic, this.#store);
    node.index = this.#nodes.length;
    this.#nodes.push(node);
    parent.addChild(node);
    if (node.depth > this.#deepestLevel) this.#deepestLevel = node.depth;
    this.#byTopic.set(topic, node);
    created.push(node);
    return node;
  }

  #record(node: TopicNode, message: ReceivedMessage, weight: number): void {
    if (node.ownCount === 0) {
      this.#stats.topics++;
      for (let n: TopicNode | null = node; n; n = n.parent) n.topicCount++;
    }
    node.ownCount += weight;
    this.#stats.messages += weight;
    node.lastUnretained = false;
    const bytes = message.payload.byteLength;
    // An empty retained message is how a retained value is cleared (spec 3.3.1.3).
    const retainedNow = bytes > 0 && message.retain;
    const entry = this.#store.add(message, retainedNow ? HELD_IN_HISTORY | HELD_AS_RETAINED : HELD_IN_HISTORY);
    if (retainedNow) this.#setRetained(node, entry);
    else if (bytes === 0 && node.retainedEntry >= 0) this.#setRetained(node, -1);
    this.#pushHistory(node, entry, bytes);
  }

  #pushHistory(node: TopicNode, entry: number, bytes: number): void {
    // Per-topic count limit: make room first, so the history never outgrows the limit.
    const limit = this.#limits.historyPerTopic;
    while (node.historyLength > 0 && node.historyLength >= limit) this.#dropOwnOldest(node);
    if (node.historyLength === 0) node.historyOldest = entry;
    else this.#store.linkNewer(node.historyNewest, entry);
    node.historyNewest = entry;
    node.historyLength++;
    this.#evictionQueue.push(node.index);
    this.#historyEntries++;
    node.historyBytes += bytes;
    this.#stats.historyBytes += bytes;
    // Per-topic byte limit: drop this topic's oldest, but never its latest.
    while (node.historyLength > 1 && node.historyBytes > this.#limits.historyBytesPerTopic) this.#dropOwnOldest(node);
  }

  /** Drops a topic's oldest entry under the topic's own limits; its queue entry (if any) turns stale. */
  #dropOwnOldest(node: TopicNode): void {
    if (node.evictionDebt < 0) node.evictionDebt = 0;
    else node.evictionDebt++;
    this.#dropOldest(node);
  }

  #dropOldest(node: TopicNode): void {
    const dropped = node.historyOldest;
    node.historyLength--;
    if (node.historyLength === 0) node.historyOldest = node.historyNewest = -1;
    else node.historyOldest = this.#store.newer(dropped);
    this.#historyEntries--;
    const bytes = this.#store.storedBytes(dropped);
    node.historyBytes -= bytes;
    this.#stats.historyBytes -= bytes;
    this.#stats.historyDropped++;
    // Still the retained value, it stays in the store until that is replaced.
    this.#store.release(dropped, HELD_IN_HISTORY);
  }

  /**
   * Takes the oldest queue entry and, when it is still in its topic's history and not
   * the topic's only (latest) entry, drops the topic's oldest history entry.
   * Returns whether something was dropped.
   */
  #evictFront(): boolean {
    const node = this.#nodes[this.#evictionQueue.shift()]!;
    if (node.evictionDebt > 0) {
      node.evictionDebt--;
      return false;
    }
    if (node.historyLength > 1) {
      // The entry dropped is the topic's oldest: this one, or an older one that lost
      // its queue place while it was the latest; either way one entry has no place now.
      this.#dropOldest(node);
      return true;
    }
    // The latest value stays; it leaves the queue, and a later entry's turn drops it.
    node.evictionDebt = -1;
    return false;
  }

  /** Whether the oldest queue entry is a history entry the budget could drop. */
  #frontEvictable(): boolean {
    const index = this.#evictionQueue.at(0);
    if (index === -1) return false;
    const node = this.#nodes[index]!;
    return node.evictionDebt <= 0 && node.historyLength > 1;
  }

  /** Global budget: drop the oldest history entries across all topics. */
  #enforceBudget(): void {
    const queue = this.#evictionQueue;
    while (this.#stats.historyBytes > this.#limits.totalHistoryBytes && queue.length > 0) this.#evictFront();
    // Stale entries and latest values at the front cost memory and would be skipped anyway.
    while (queue.length > 0 && !this.#frontEvictable()) this.#evictFront();
    // Stale entries can also pile up behind a live one; compacting when they outnumber
    // the history entries keeps the queue proportional to the history (amortized O(1)).
    if (queue.length > 2 * this.#historyEntries + 1024) {
      queue.retain((index) => {
        const node = this.#nodes[index]!;
        if (node.evictionDebt <= 0) return true;
        node.evictionDebt--;
        return false;
      });
    }
  }

  /** Length of the eviction queue, exposed so tests can check it stays bounded. */
  get evictionQueueLength(): number {
    return this.#evictionQueue.length;
  }
}
