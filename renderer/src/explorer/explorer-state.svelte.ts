/**
 * The explorer for one connection, and its one read model. The topic tree model
 * (shared/explorer) is pure and not reactive; message batches go into it as they
 * come, and once per animation frame in which something changed this class publishes
 * an immutable snapshot, `view`: the visible rows (light, all of them) with the values
 * of those in the tree's viewport, the counts, the selected topic's value and history,
 * the retained values, the search's progress. Components read only
 * `view` and call methods; none of them reads the model or counts versions. A user's
 * own action (select, expand, filter) publishes at once, so the next key press sees it.
 *
 * Flow control: each batch is acknowledged once it is in the model and a frame has
 * run after it, so a renderer whose main thread is busy acknowledges late and the core
 * coalesces instead of piling batches up here.
 *
 * Pause freezes what the view shows (rows, details, retained values), not the counts.
 */
import { tick } from 'svelte';
import type { CommandResult, TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import type { MessageBatch, QoS, ReceivedMessage } from '../../../shared/mqtt/mqtt-message';
import { NO_RETAINED, RetainedIndex, type RetainedSnapshot } from '../../../shared/explorer/retained-index';
import { TopicSearch } from '../../../shared/explorer/topic-search';
import { slotRuns, TopicTraffic, type BusiestQuery, type BusiestResult } from '../../../shared/explorer/topic-traffic';
import { TopicTree, type TopicNode, type TopicTreeLimits, type TreeStats } from '../../../shared/explorer/topic-tree';
import { captureRows, RowBuilder, visibleRows, type ShownRow, type TreeRow } from '../../../shared/explorer/tree-rows';
import { FrameClock, type RequestFrame } from '../common/frame-clock';
import { RetainedClearing } from './retained-clearing.svelte';
import { ClearByFilter } from '../retained/clear-by-filter.svelte';
import { BrokerState } from '../broker/broker-state.svelte';
import { ShownMessage } from '../inspect/shown-message.svelte';
import { DiffPick } from '../inspect/diff/diff-pick.svelte';
import { topicSuggestions } from '../../../shared/explorer/topic-suggestions';
import { ChartState } from '../inspect/chart/chart-state.svelte';
import type { ChartDecoding } from '../../../shared/inspect/chart/decoded-readers';
import { TopicExport } from '../export/topic-export.svelte';

/** How long a row stays highlighted after it updates, in ms. */
export const FLASH_MS = 600;

/** Nodes a filter tests between checks of the clock. */
const SCAN_CHUNK = 500;
/** Milliseconds of filtering per slice of main-thread time, so typing stays responsive. */
const SCAN_SLICE_MS = 8;
/**
 * Milliseconds of filtering in the task of the key that changed the filter: less than a
 * slice, as that task also lists the rows and Svelte draws them before the key's frame.
 * A few ms find more matches than the tree's viewport shows; the scan goes on after it.
 */
const KEY_SCAN_MS = 4;
/**
 * Milliseconds a frame (or a key typed into the filter) spends listing a filter's rows;
 * a longer listing goes on in slices. Listing costs 0.2-0.5 µs a row once the code is
 * warm, but 5 µs or more on a filter's first key (the code not yet optimised, each
 * level's children sorted for the first time): 20,000 rows listed at once, as a count
 * of matches used to allow, held that key for 30-50 ms.
 */
const LIST_AT_ONCE_MS = 4;
/** Rows listed between checks of the clock; a frame lists at least these, more than any viewport holds. */
const ROWS_CHUNK = 250;

/** The selected topic as the details show it; immutable. */
export interface SelectedTopic {
  /** A handle for comparing with rows; read the values from this object. */
  readonly node: TopicNode;
  readonly topic: string;
  /** The latest message on exactly this topic; null for a level above others. */
  readonly last: ReceivedMessage | null;
  /** The kept history, newest first. */
  readonly history: readonly ReceivedMessage[];
  /** Messages on exactly this topic (coalesced ones included). */
  readonly ownCount: number;
}

/** A running or finished filter. */
export interface SearchView {
  readonly matches: number;
  /** Whether payload text is searched too ("Search values"). */
  readonly values: boolean;
  /** False while the filter is still scanning the tree (matches keep appearing). */
  readonly complete: boolean;
}

/** The rows in the tree's viewport, with their values. */
export interface ShownRows {
  /** Index in `rows` of the first one. */
  readonly first: number;
  readonly rows: readonly ShownRow[];
}

/** What the explorer shows, as of the last frame; never changed once published. */
export interface ExplorerView {
  /** Every visible row, in display order (for the scroll height and the keyboard). */
  readonly rows: readonly TreeRow[];
  /** The rows in the viewport the tree asked for (`setViewport`), with what they display. */
  readonly shown: ShownRows;
  /** Counts; these keep counting while the view is paused. */
  readonly stats: Readonly<TreeStats>;
  readonly selected: SelectedTopic | null;
  readonly retained: RetainedSnapshot;
  /** Null when no filter is set. */
  readonly search: SearchView | null;
  /** When this view was made, on the same clock as the rows' `changedAt` (for the flash). */
  readonly at: number;
}

/** The connection an explorer belongs to; null for the empty explorer of a tab that never connected. */
export interface ExplorerLink {
  api: TopicscopeApi;
  connectionId: string;
}

export interface ExplorerStateDeps {
  /** Schedules a callback for the next animation frame (tests pass a fake). */
  requestFrame?: RequestFrame;
  /** Runs a callback soon, after pending input; used to continue a long filter scan. */
  defer?: (callback: () => void) => void;
  /** A monotonic clock in ms. */
  now?: () => number;
  /** The wall clock in ms since the epoch, for how long `$SYS` has been awaited. */
  wallClock?: () => number;
  /** The history limits to start with (the user's settings); the tree's defaults otherwise. */
  limits?: Partial<TopicTreeLimits>;
  /** How the tab decodes payloads, for charting decoded values; only number text and JSON paths are charted without it. */
  chartDecoding?: ChartDecoding;
  /**
   * The messages come from a recording opened offline, read much faster than they were
   * received: the busiest topics count in the recording's own time (its messages'
   * receive times), so "the last 10 s" are the recording's last 10 s, not the loading's.
   */
  recordedTime?: boolean;
}

/** What a frame (or an action) has to bring up to date in the view. */
interface Stale {
  /** Rows, details and retained values. */
  shown: boolean;
  stats: boolean;
}

export class ExplorerState {
  /** The model; for tests and the state itself, never read by components. */
  readonly tree: TopicTree;
  /** What floods the broker: the tree's ingest observer; ranked only when asked (`busiest`). */
  /** Null in a recording's explorer until its first batch says when the recording starts. */
  #traffic: TopicTraffic | null;
  readonly #recordedTime: boolean;
  /** A recording's time so far: its latest message's receive time (never going back). */
  #recordedAt = -Infinity;
  /** A topic chosen elsewhere (the busiest topics) that the tree should show and scroll to. */
  #revealRequest = $state.raw<TopicNode | null>(null);
  readonly #link: ExplorerLink | null;
  #view = $state.raw<ExplorerView>({ rows: [], shown: { first: 0, rows: [] }, stats: new TopicTree().stats, selected: null, retained: NO_RETAINED, search: null, at: 0 });
  /** The rows the tree has in its viewport (end exclusive, may pass the last row). */
  #viewport = { first: 0, end: 0 };
  #filterText = $state('');
  /** "Search values": the filter also matches payload text. */
  #searchValues = $state(false);
  #paused = $state(false);
  /** The message count when the view was paused, to tell how many arrived since. */
  #messagesAtPause = $state(0);
  #selected: TopicNode | null = null;
  #search: TopicSearch | null = null;
  #searchComplete = true;
  /** A large filter's rows being listed in slices (shown once complete); null when none is. */
  #rowBuild: RowBuilder | null = null;
  /** The rows may have changed (nodes created, matches found) since they were last listed. */
  #rowsChanged = true;
  /**
   * The view's rows are a whole listing of the current filter: not the previous filter's
   * rows, nor the top of a list still being listed. A whole list stays shown until its
   * next listing is whole too, so a flood's new topics never cut it short.
   */
  #rowsWhole = true;
  readonly #expanded = new Set<TopicNode>();
  readonly #collapsedWhileSearching = new Set<TopicNode>();
  readonly #retained = new RetainedIndex();
  /**
   * When each recent ingest call ran, by its stamp: a node changed when the call that
   * last updated it ran (TopicNode.ingestStamp). Only calls within FLASH_MS are kept, so
   * the flash costs a few entries instead of one per updated topic.
   */
  readonly #ingestedAt = new Map<number, number>();
  /** Highest batch applied but not yet acknowledged (-1: none). */
  #unacknowledgedSeq = -1;
  #modelChanged = false;
  /** Something the user asked for (a filter's progress, a cleared value) waits for the next frame, even while paused. */
  #asked = false;
  readonly #frame: FrameClock;
  readonly #defer: (callback: () => void) => void;
  readonly #now: () => number;
  /** The question before a retained value is cleared, and the broker's answer. */
  readonly clearing = new RetainedClearing((topic) => this.clearRetained(topic));
  /** The message of the selected topic the Value tab shows; reset when another topic is selected. */
  readonly shownMessage = new ShownMessage();
  /** The two messages the Diff tab compares; reset when another topic is selected. */
  readonly diffPick = new DiffPick();
  /** The Broker view: what `$SYS` says, published on the same frames (paused or not: it is not the tree). */
  readonly broker: BrokerState;
  /** The tab's chart: fed from the same batches, drawn on the same frames (paused or not: it has its own pause). */
  readonly chart: ChartState;
  /** The "Clear retained messages" dialog: find by filter, then clear, on this connection. */
  readonly clearByFilter: ClearByFilter;
  /** The Export dialog: the selected topic's history or its subtree's last values, as a file. */
  readonly topicExport: TopicExport;

  constructor(link: ExplorerLink | null = null, deps: ExplorerStateDeps = {}) {
    this.#link = link;
    this.tree = new TopicTree(deps.limits);
    this.#frame = new FrameClock(() => this.#onFrame(), deps.requestFrame);
    this.#defer = deps.defer ?? ((callback) => setTimeout(callback, 0));
    this.#now = deps.now ?? (() => performance.now());
    this.broker = new BrokerState(deps.wallClock);
    this.chart = new ChartState({
      historyOf: (topic) => this.tree.find(topic)?.history.reverse() ?? [],
      api: link?.api ?? null,
      ...(deps.chartDecoding && { decoding: deps.chartDecoding }),
      ...(deps.requestFrame && { requestFrame: deps.requestFrame }),
    });
    this.#recordedTime = deps.recordedTime ?? false;
    this.#traffic = this.#recordedTime ? null : new TopicTraffic(this.tree, this.#now());
    this.topicExport = new TopicExport(link?.api ?? null);
    this.clearByFilter = new ClearByFilter(link, {
      knownRetained: (topic) => (this.tree.find(topic)?.retainedMessage ?? null) !== null,
      cleared: (topics) => this.#noteRetainedCleared(topics),
    });
  }

  /** The read model: replaced (never changed) at most once per frame, and on the user's own actions. */
  get view(): ExplorerView {
    return this.#view;
  }

  get filterText(): string {
    return this.#filterText;
  }

  get searchValues(): boolean {
    return this.#searchValues;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Messages that arrived since the view was paused (0 when it is not), as of the last frame. */
  get newSincePause(): number {
    return this.#paused ? Math.max(0, this.#view.stats.messages - this.#messagesAtPause) : 0;
  }

  ingest(batch: MessageBatch): void {
    this.tree.noteBatch(batch.coalesced, batch.truncated, batch.rendererBehind);
    const now = this.#now();
    // A recording's batch can span minutes of its time: ingested slot by slot, so the
    // busiest topics count each message in the slot it was received in.
    for (const messages of this.#recordedTime ? slotRuns(batch.messages) : [batch.messages]) this.#ingestMessages(messages, now);
    this.#unacknowledgedSeq = Math.max(this.#unacknowledgedSeq, batch.seq);
    this.#modelChanged = true;
    // A frame runs even while paused: the counts and the acknowledgement need it.
    this.#frame.request();
  }

  #onFrame(): void {
    const shown = (this.#modelChanged && !this.#paused) || this.#asked;
    const stats = this.#modelChanged;
    this.#modelChanged = false;
    this.#asked = false;
    if (shown || stats) this.#publish({ shown, stats });
    this.broker.publish();
    this.chart.publish();
    const seq = this.#unacknowledgedSeq;
    if (seq < 0 || !this.#link) return;
    this.#unacknowledgedSeq = -1;
    const { api, connectionId } = this.#link;
    // After Svelte applied the frame's changes to the DOM, not before.
    void tick().then(() => api['messages:ack']({ connectionId, seq }));
  }

  /** Replaces the view with one made from the model as it is now. */
  #publish(stale: Stale): void {
    const before = this.#view;
    const rows = stale.shown ? this.#frameRows(before.rows) : before.rows;
    this.#view = {
      rows,
      shown: stale.shown ? this.#shownRows(rows, before.shown) : before.shown,
      stats: stale.stats ? this.tree.stats : before.stats,
      selected: stale.shown ? captureSelected(this.#selected, before.selected) : before.selected,
      retained: stale.shown ? this.#retained.snapshot() : before.retained,
      search: this.#searchView(),
      at: this.#now(),
    };
  }

  #searchView(): SearchView | null {
    const search = this.#search;
    // Complete once the scan is done and its rows are listed.
    return search ? { matches: search.matchCount, values: search.searchesValues, complete: this.#searchComplete && this.#rowBuild === null } : null;
  }

  /** The visible rows now, listed at once (a user's own action: expand, reveal). */
  #rows(): readonly TreeRow[] {
    // Whatever a sliced listing was doing is older than this.
    this.#rowBuild = null;
    this.#rowsWhole = true;
    return visibleRows(this.tree, this.#expanded, this.#search, this.#collapsedWhileSearching);
  }

  /**
   * The rows a frame shows. A filter's rows are listed at once for up to LIST_AT_ONCE_MS;
   * a longer list (a filter matching most of a million topics) goes on in slices between
   * frames and input, so a key typed into the filter never waits behind it. Until the
   * list is whole the frame shows what it listed so far, the top of the list as it will
   * be (matches appear as they are found, the pane saying "searching…"), or keeps the
   * previous whole list of the same filter. The rest is listed once the scan is done
   * (until then each frame lists the top again, with the matches found meanwhile), and
   * again when nodes or matches changed since.
   */
  #frameRows(current: readonly TreeRow[]): readonly TreeRow[] {
    const search = this.#search;
    if (search === null) return this.#rows();
    if (this.#rowBuild !== null) return current;
    // Rows change with nodes and matches only (the user's own actions list them at once):
    // a whole list, or the top of one listed during the scan, is still right.
    if (!this.#rowsChanged) return current;
    this.#rowsChanged = false;
    const build = new RowBuilder(this.tree, this.#expanded, search, this.#collapsedWhileSearching);
    if (this.#stepFor(LIST_AT_ONCE_MS, () => build.step(ROWS_CHUNK))) {
      this.#rowsWhole = true;
      return build.rows;
    }
    if (this.#searchComplete) {
      this.#rowBuild = build;
      this.#defer(() => this.#rowSlice(build));
    }
    // A copy: the builder goes on adding to its own array.
    return this.#rowsWhole ? current : build.rows.slice();
  }

  #rowSlice(build: RowBuilder): void {
    // Replaced by rows listed at once, or by another listing: drop it.
    if (this.#rowBuild !== build) return;
    if (!this.#stepFor(SCAN_SLICE_MS, () => build.step(ROWS_CHUNK))) {
      this.#defer(() => this.#rowSlice(build));
      return;
    }
    this.#rowBuild = null;
    this.#rowsWhole = true;
    const rows = build.rows;
    this.#view = { ...this.#view, rows, shown: this.#shownRows(rows, this.#view.shown), search: this.#searchView() };
    // Nodes or matches that came meanwhile: the next frame lists again (a paused view waits for resume).
    if (this.#rowsChanged && !this.#paused) this.#askFrame();
  }

  #shownRows(rows: readonly TreeRow[], before: ShownRows): ShownRows {
    const first = Math.min(this.#viewport.first, rows.length);
    const captured = captureRows(rows.slice(first, this.#viewport.end), before.rows, (node) => this.#ingestedAt.get(node.ingestStamp) ?? -Infinity);
    return first === before.first && captured === before.rows ? before : { first, rows: captured };
  }

  /** The tree shows rows `first` to `end` (exclusive): their values are captured from now on. */
  setViewport(first: number, end: number): void {
    if (first === this.#viewport.first && end === this.#viewport.end) return;
    this.#viewport = { first, end };
    this.#view = { ...this.#view, shown: this.#shownRows(this.#view.rows, this.#view.shown) };
  }

  select(node: TopicNode | null): void {
    this.#forgetPicksUnless(node);
    this.#selected = node;
    this.#view = { ...this.#view, selected: captureSelected(node, null) };
  }

  /** Picked messages belong to their topic: selecting another shows its latest again. */
  #forgetPicksUnless(node: TopicNode | null): void {
    if (node === this.#selected) return;
    this.shownMessage.backToLatest();
    this.diffPick.reset();
  }

  /** The last message on exactly `topic`, as it is now; null for a topic never seen or a level above others. */
  lastMessageOf(topic: string): ReceivedMessage | null {
    return this.tree.find(topic)?.last ?? null;
  }

  /** Known topics one level below what is typed, for completing a topic name. */
  suggestTopics(typed: string): string[] {
    return topicSuggestions(this.tree, typed);
  }

  /** The busiest topics or subtrees now; a pass over the last 10 s of traffic, so at most about once a second. */
  busiest(query: BusiestQuery): BusiestResult {
    if (!this.#traffic) return { rows: [], deepestLevel: this.tree.deepestLevel, windowSeconds: 1 };
    return this.#traffic.busiest(query, this.#recordedTime ? this.#recordedAt : this.#now());
  }

  #ingestMessages(messages: readonly ReceivedMessage[], now: number): void {
    this.#trafficFor(messages).startBatch(this.#recordedTime ? this.#recordedAt : now);
    const { created, updated, stamp } = this.tree.ingest(messages);
    if (created.length > 0 || this.#search?.searchesValues) this.#rowsChanged = true;
    this.broker.ingest(messages);
    this.chart.ingest(messages);
    this.#search?.addCreated(created);
    // With values searched, a new value can make a topic match (or stop matching).
    this.#search?.noteUpdated(updated);
    this.#ingestedAt.set(stamp, now);
    for (const [old, time] of this.#ingestedAt) {
      // In insertion order, oldest first: stop at the first one still recent.
      if (now - time <= FLASH_MS) break;
      this.#ingestedAt.delete(old);
    }
    for (const node of updated) this.#retained.note(node);
  }

  /** The tracker, made at a recording's first batch (which says when it starts); a recording's time moves on with each batch. */
  #trafficFor(messages: readonly ReceivedMessage[]): TopicTraffic {
    if (this.#recordedTime) {
      const first = messages[0]?.receivedAt ?? 0;
      this.#traffic ??= new TopicTraffic(this.tree, first);
      this.#recordedAt = Math.max(this.#recordedAt, first, messages.at(-1)?.receivedAt ?? first);
    }
    // A live explorer made its tracker when it was made.
    return (this.#traffic ??= new TopicTraffic(this.tree, this.#now()));
  }

  /** The topic the tree should scroll to and show (the explorer switches to its Topics view); null once it did. */
  get revealRequest(): TopicNode | null {
    return this.#revealRequest;
  }

  /**
   * Shows `topic` in the tree: opens the levels above it, selects it, and asks the tree
   * to scroll to it. A filter that hides it is cleared. False for a topic not seen.
   */
  reveal(topic: string): boolean {
    const node = this.tree.find(topic);
    if (!node) return false;
    this.#forgetPicksUnless(node);
    for (let level = node.parent; level && level.depth > 0; level = level.parent) {
      this.#expanded.add(level);
      this.#collapsedWhileSearching.delete(level);
    }
    this.#selected = node;
    let rows = this.#rows();
    if (this.#search && !rows.some((row) => row.node === node)) {
      this.#filterText = '';
      this.#search = null;
      this.#searchComplete = true;
      rows = this.#rows();
    }
    this.#view = { ...this.#view, rows, shown: this.#shownRows(rows, this.#view.shown), selected: captureSelected(node, null), search: this.#search ? this.#view.search : null };
    this.#revealRequest = node;
    return true;
  }

  /** The tree scrolled to the revealed topic. */
  revealDone(): void {
    this.#revealRequest = null;
  }

  toggle(node: TopicNode, open = !this.#expanded.has(node)): void {
    if (open) {
      this.#expanded.add(node);
      this.#collapsedWhileSearching.delete(node);
    } else {
      this.#expanded.delete(node);
      if (this.#search) this.#collapsedWhileSearching.add(node);
    }
    const rows = this.#rows();
    // A sliced listing dropped for these rows no longer holds "searching…" up.
    this.#view = { ...this.#view, rows, shown: this.#shownRows(rows, this.#view.shown), search: this.#searchView() };
  }

  /**
   * Starts filtering by `text`. On a large tree the scan runs in slices between input
   * events, matches appearing as they are found; a newer filter replaces it at once.
   * A scan that does not end within the key's own task shows its rows from the next
   * frame on: the key's frame shows what was typed and "searching…" without waiting for
   * a new set of rows to be listed and drawn (on a filter's first key, 30-60 ms of code
   * not yet optimised), and a key typed fast after it waits for none of that either.
   */
  setFilter(text: string): void {
    this.#filterText = text;
    this.#collapsedWhileSearching.clear();
    // A listing of the previous filter's rows is of no use any more, nor are its rows.
    this.#rowBuild = null;
    this.#rowsWhole = false;
    const trimmed = text.trim();
    if (trimmed === '') {
      this.#search = null;
      this.#searchComplete = true;
    } else {
      const search = new TopicSearch(trimmed, { values: this.#searchValues });
      this.#search = search;
      this.#searchComplete = false;
      this.#scan(search, KEY_SCAN_MS);
    }
    const complete = this.#searchComplete;
    // Still scanning: the rows are listed on the frame after the next slice (which marks
    // them changed and asks for it), not on this key's frame, even when a batch of
    // messages asks for that one.
    this.#rowsChanged = complete;
    this.#publish({ shown: complete, stats: false });
  }

  /** Turns "Search values" on or off; a filter that is set searches again. */
  setSearchValues(on: boolean): void {
    if (on === this.#searchValues) return;
    this.#searchValues = on;
    this.setFilter(this.#filterText);
  }

  #scanSlice(search: TopicSearch): void {
    // A newer filter (or none) replaced this one: drop it.
    if (this.#search !== search) return;
    this.#rowsChanged = true;
    this.#scan(search, SCAN_SLICE_MS);
    // Show what was found so far, at most once per frame however many slices ran.
    this.#askFrame();
  }

  /** Scans for about `sliceMs`, and again in a slice after this task unless the scan is complete. */
  #scan(search: TopicSearch, sliceMs: number): void {
    if (this.#stepFor(sliceMs, () => search.scanStep(this.tree, SCAN_CHUNK))) this.#searchComplete = true;
    else this.#defer(() => this.#scanSlice(search));
  }

  /** Runs `step` until it says it is done or `ms` have passed, at least once however late the slice starts; returns whether it is done. */
  #stepFor(ms: number, step: () => boolean): boolean {
    const deadline = this.#now() + ms;
    let done = step();
    while (!done && this.#now() < deadline) done = step();
    return done;
  }

  /**
   * The user changed how much history to keep: the tree trims what it holds now, and
   * the next frame shows it (also while paused, since the user asked for it).
   */
  setHistoryLimits(limits: Partial<TopicTreeLimits>): void {
    const current = this.tree.limits;
    // Saving another setting (the theme) must not cost a pass over every topic.
    if ((Object.keys(limits) as (keyof TopicTreeLimits)[]).every((name) => limits[name] === current[name])) return;
    this.tree.setLimits(limits);
    this.#modelChanged = true;
    this.#askFrame();
  }

  setPaused(paused: boolean): void {
    if (paused && !this.#paused) this.#messagesAtPause = this.tree.stats.messages;
    this.#paused = paused;
    if (!paused) this.#askFrame();
  }

  /** Records our own publish the broker accepted; only a retained one changes what we know. */
  noteOwnPublish(topic: string, payload: string | Uint8Array, qos: QoS, retain: boolean): void {
    if (!retain) return;
    const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
    this.tree.noteOwnRetainedPublish({ topic, payload: bytes, payloadSize: bytes.byteLength, qos, retain, receivedAt: Date.now(), coalesced: 0 });
    this.#noteRetained(topic);
  }

  /**
   * Clears a topic's retained value on the broker: an empty retained message (spec
   * 3.3.1.3), at QoS 1 so the broker confirms it. Once it did, the value is forgotten here.
   */
  async clearRetained(topic: string): Promise<CommandResult<'message:publish'>> {
    if (!this.#link) return { ok: false, error: { code: 'NOT_CONNECTED', message: 'Not connected.' } };
    const { api, connectionId } = this.#link;
    const result = await api['message:publish']({ connectionId, topic, payload: '', qos: 1, retain: true });
    if (result.ok) this.#noteRetainedCleared([topic]);
    return result;
  }

  /** The broker cleared these retained values (one topic, or a clear by filter): the tree and the retained list forget them. */
  #noteRetainedCleared(topics: readonly string[]): void {
    for (const topic of topics) {
      this.tree.markRetainedCleared(topic);
      this.#noteRetained(topic);
    }
  }

  #noteRetained(topic: string): void {
    const node = this.tree.find(topic);
    if (node) this.#retained.note(node);
    // The user did this: shown on the next frame even while paused.
    this.#askFrame();
  }

  #askFrame(): void {
    this.#asked = true;
    this.#frame.request();
  }
}

/** The details of `node` now; the previous capture when nothing it shows changed. */
function captureSelected(node: TopicNode | null, previous: SelectedTopic | null): SelectedTopic | null {
  if (!node) return null;
  if (previous?.node === node && previous.last === node.last && previous.ownCount === node.ownCount && previous.history.length === node.historyLength) {
    return previous;
  }
  return { node, topic: node.topic, last: node.last, history: node.history.reverse(), ownCount: node.ownCount };
}
