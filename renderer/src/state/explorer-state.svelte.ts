/**
 * The explorer for one connection: the topic tree model, fed by message batches and
 * re-rendered at most once per animation frame, plus expansion, selection, search
 * and pause. The model itself is not reactive; `version` tells the view to re-read.
 */
import type { MessageBatch, QoS } from '../../../shared/mqtt-message';
import { TopicSearch, visibleRows, type TreeRow } from '../../../shared/topic-search';
import { TopicTree, type TopicNode } from '../../../shared/topic-tree';
import { FrameClock } from './frame-clock';

/** How long a row stays highlighted after it updates, in ms. */
export const FLASH_MS = 600;

export class ExplorerState {
  readonly tree = new TopicTree();
  /** Bumped once per frame in which the model changed. */
  #version = $state(0);
  #expanded = new Set<TopicNode>();
  #collapsedWhileSearching = new Set<TopicNode>();
  #expandedVersion = $state(0);
  #selected = $state.raw<TopicNode | null>(null);
  #search = $state.raw<TopicSearch | null>(null);
  #filterText = $state('');
  #paused = $state(false);
  /** When each node last changed, for the flash; only recent entries matter. */
  readonly updatedAt = new Map<TopicNode, number>();
  readonly #frame = new FrameClock(() => this.#version++);

  ingest(batch: MessageBatch): void {
    this.tree.noteBatch(batch.coalesced, batch.truncated);
    const { created, updated } = this.tree.ingest(batch.messages);
    this.#search?.addCreated(created);
    const now = performance.now();
    for (const node of updated) this.updatedAt.set(node, now);
    if (this.updatedAt.size > 50_000) this.#forgetOldFlashes(now);
    if (!this.#paused) this.#frame.request();
  }

  #forgetOldFlashes(now: number): void {
    for (const [node, time] of this.updatedAt) if (now - time > FLASH_MS) this.updatedAt.delete(node);
  }

  /** Records our own publish the broker accepted; only a retained one changes what we know. */
  noteOwnPublish(topic: string, payload: string, qos: QoS, retain: boolean): void {
    if (!retain) return;
    const bytes = new TextEncoder().encode(payload);
    this.tree.noteOwnRetainedPublish({ topic, payload: bytes, payloadSize: bytes.byteLength, qos, retain, receivedAt: Date.now(), coalesced: 0 });
    this.#version++;
  }

  /** Forgets a retained value the user cleared on the broker. */
  noteRetainedCleared(topic: string): void {
    this.tree.markRetainedCleared(topic);
    this.#version++;
  }

  get version(): number {
    return this.#version;
  }

  /** The visible rows; recomputed when the model, expansion or search changes. */
  readonly rows: TreeRow[] = $derived.by(() => {
    void this.#version;
    void this.#expandedVersion;
    return visibleRows(this.tree, this.#expanded, this.#search, this.#collapsedWhileSearching);
  });

  get selected(): TopicNode | null {
    return this.#selected;
  }

  select(node: TopicNode | null): void {
    this.#selected = node;
  }

  toggle(node: TopicNode, open = !this.#expanded.has(node)): void {
    if (open) {
      this.#expanded.add(node);
      this.#collapsedWhileSearching.delete(node);
    } else {
      this.#expanded.delete(node);
      if (this.#search) this.#collapsedWhileSearching.add(node);
    }
    this.#expandedVersion++;
  }

  get filterText(): string {
    return this.#filterText;
  }

  setFilter(text: string): void {
    this.#filterText = text;
    this.#collapsedWhileSearching.clear();
    const trimmed = text.trim();
    if (trimmed === '') {
      this.#search = null;
      return;
    }
    const search = new TopicSearch(trimmed);
    search.scan(this.tree);
    this.#search = search;
  }

  get searching(): boolean {
    return this.#search !== null;
  }

  get matchCount(): number {
    void this.#version;
    return this.#search?.matches.size ?? 0;
  }

  get paused(): boolean {
    return this.#paused;
  }

  setPaused(paused: boolean): void {
    this.#paused = paused;
    if (!paused) this.#frame.request();
  }
}
