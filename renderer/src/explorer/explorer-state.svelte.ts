/**
 * The explorer for one connection: the topic tree model, fed by message batches and
 * re-rendered at most once per animation frame, plus expansion, selection, search
 * and pause. The model itself is not reactive; `version` tells the view to re-read.
 *
 * Flow control: each batch is acknowledged once it is in the model and a frame has
 * run after it, so a renderer whose main thread is busy acknowledges late and the core
 * coalesces instead of piling batches up here.
 */
import { tick } from 'svelte';
import type { MessageBatch, QoS } from '../../../shared/mqtt/mqtt-message';
import { TopicSearch, visibleRows, type TreeRow } from '../../../shared/explorer/topic-search';
import { TopicTree, type TopicNode } from '../../../shared/explorer/topic-tree';
import { FrameClock, type RequestFrame } from '../common/frame-clock';

/** How long a row stays highlighted after it updates, in ms. */
export const FLASH_MS = 600;

/** Nodes a filter tests between checks of the clock. */
const SCAN_CHUNK = 2_000;
/** Milliseconds of filtering per slice of main-thread time, so typing stays responsive. */
const SCAN_SLICE_MS = 8;

export interface ExplorerStateDeps {
  /** Schedules a callback for the next animation frame (tests pass a fake). */
  requestFrame?: RequestFrame;
  /** Runs a callback soon, after pending input; used to continue a long filter scan. */
  defer?: (callback: () => void) => void;
  /** A monotonic clock in ms. */
  now?: () => number;
}

export class ExplorerState {
  readonly tree = new TopicTree();
  /** Bumped once per frame in which the model changed and the view is not paused. */
  #version = $state(0);
  /** Bumped once per frame in which the model changed, paused or not: counts keep counting. */
  #countsVersion = $state(0);
  #expanded = new Set<TopicNode>();
  #collapsedWhileSearching = new Set<TopicNode>();
  #expandedVersion = $state(0);
  #selected = $state.raw<TopicNode | null>(null);
  #search = $state.raw<TopicSearch | null>(null);
  #filterText = $state('');
  #searchComplete = $state(true);
  #paused = $state(false);
  /** When each node last changed, for the flash; only recent entries matter. */
  readonly updatedAt = new Map<TopicNode, number>();
  readonly #acknowledge: ((seq: number) => void) | undefined;
  /** Highest batch applied but not yet acknowledged (-1: none). */
  #unacknowledgedSeq = -1;
  #modelChanged = false;
  /** A filter scan found more since the last frame; shown even while paused, as the user asked for it. */
  #searchProgressed = false;
  readonly #frame: FrameClock;
  readonly #defer: (callback: () => void) => void;
  readonly #now: () => number;

  constructor(acknowledge?: (seq: number) => void, deps: ExplorerStateDeps = {}) {
    this.#acknowledge = acknowledge;
    this.#frame = new FrameClock(() => this.#onFrame(), deps.requestFrame);
    this.#defer = deps.defer ?? ((callback) => setTimeout(callback, 0));
    this.#now = deps.now ?? (() => performance.now());
  }

  ingest(batch: MessageBatch): void {
    this.tree.noteBatch(batch.coalesced, batch.truncated, batch.rendererBehind);
    const { created, updated } = this.tree.ingest(batch.messages);
    this.#search?.addCreated(created);
    const now = this.#now();
    for (const node of updated) this.updatedAt.set(node, now);
    if (this.updatedAt.size > 50_000) this.#forgetOldFlashes(now);
    this.#unacknowledgedSeq = Math.max(this.#unacknowledgedSeq, batch.seq);
    this.#modelChanged = true;
    // A frame runs even while paused: the counts and the acknowledgement need it.
    this.#frame.request();
  }

  #onFrame(): void {
    if (this.#modelChanged) {
      this.#modelChanged = false;
      this.#countsVersion++;
      if (!this.#paused) this.#version++;
    }
    if (this.#searchProgressed) {
      this.#searchProgressed = false;
      this.#version++;
    }
    const seq = this.#unacknowledgedSeq;
    if (seq < 0 || !this.#acknowledge) return;
    this.#unacknowledgedSeq = -1;
    const acknowledge = this.#acknowledge;
    // After Svelte applied the frame's changes to the DOM, not before.
    void tick().then(() => acknowledge(seq));
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

  /** Changes when the view should re-read the model (not while paused). */
  get version(): number {
    return this.#version;
  }

  /** Changes whenever the counts changed, paused or not. */
  get countsVersion(): number {
    return this.#countsVersion;
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

  isExpanded(node: TopicNode): boolean {
    return this.#expanded.has(node);
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

  /**
   * Starts filtering by `text`. On a large tree the scan runs in slices between input
   * events, matches appearing as they are found; a newer filter replaces it at once.
   */
  setFilter(text: string): void {
    this.#filterText = text;
    this.#collapsedWhileSearching.clear();
    const trimmed = text.trim();
    if (trimmed === '') {
      this.#search = null;
      this.#searchComplete = true;
      return;
    }
    const search = new TopicSearch(trimmed);
    this.#search = search;
    this.#searchComplete = false;
    this.#scanSlice(search);
  }

  #scanSlice(search: TopicSearch): void {
    // A newer filter (or none) replaced this one: drop it.
    if (this.#search !== search) return;
    const deadline = this.#now() + SCAN_SLICE_MS;
    let done = false;
    while (!done && this.#now() < deadline) done = search.scanStep(this.tree, SCAN_CHUNK);
    // Show what was found so far, at most once per frame however many slices ran.
    this.#searchProgressed = true;
    this.#frame.request();
    if (done) this.#searchComplete = true;
    else this.#defer(() => this.#scanSlice(search));
  }

  get searching(): boolean {
    return this.#search !== null;
  }

  /** False while a filter is still scanning the tree (matches keep appearing). */
  get searchComplete(): boolean {
    return this.#searchComplete;
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
    if (!paused) {
      this.#modelChanged = true;
      this.#frame.request();
    }
  }
}
