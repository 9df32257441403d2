/**
 * The busiest topics table of one explorer: what it ranks (topics, or subtrees at a
 * level), how it is sorted, and the rows as of the last refresh. Rows are ranked once a
 * second while the table is shown (`watch`) and when the user changes what is ranked,
 * never per batch: ranking is a pass over the last 10 s of traffic.
 */
import type { BusiestResult, TrafficScope, TrafficSortKey } from '../../../shared/explorer/topic-traffic';
import type { ExplorerState } from '../explorer/explorer-state.svelte';

/** Rows shown at most. */
export const BUSIEST_ROWS = 50;
/** How often the shown table is refreshed, in ms. */
const REFRESH_MS = 1000;

/** A subtree level (1: top-level) or every level. */
export type SubtreeLevel = number | 'all';

const NO_ROWS: BusiestResult = { rows: [], deepestLevel: 0, windowSeconds: 10 };

/** One per explorer, so the user's choices stay while other views are shown. */
const statesByExplorer = new WeakMap<ExplorerState, BusiestTopicsState>();

export class BusiestTopicsState {
  readonly #explorer: ExplorerState;
  #sortBy = $state<TrafficSortKey>('messagesPerSec');
  #descending = $state(true);
  #subtrees = $state(false);
  #level = $state<SubtreeLevel>(1);
  #result = $state.raw<BusiestResult>(NO_ROWS);

  constructor(explorer: ExplorerState) {
    this.#explorer = explorer;
  }

  /** The table's state for `explorer`, made on first use. */
  static of(explorer: ExplorerState): BusiestTopicsState {
    let state = statesByExplorer.get(explorer);
    if (!state) {
      state = new BusiestTopicsState(explorer);
      statesByExplorer.set(explorer, state);
    }
    return state;
  }

  get result(): BusiestResult {
    return this.#result;
  }

  get sortBy(): TrafficSortKey {
    return this.#sortBy;
  }

  get descending(): boolean {
    return this.#descending;
  }

  /** Whether subtrees are ranked rather than single topics. */
  get subtrees(): boolean {
    return this.#subtrees;
  }

  get level(): SubtreeLevel {
    return this.#level;
  }

  /** Subtree levels worth choosing: those above the deepest topics (at least level 1). */
  get levels(): number[] {
    return Array.from({ length: Math.max(1, this.#result.deepestLevel - 1) }, (_, i) => i + 1);
  }

  /** Sorts by a column; the same column again reverses the order. Figures start largest first, names A to Z. */
  sort(key: TrafficSortKey): void {
    if (key === this.#sortBy) this.#descending = !this.#descending;
    else {
      this.#sortBy = key;
      this.#descending = key !== 'topic';
    }
    this.refresh();
  }

  showSubtrees(subtrees: boolean): void {
    this.#subtrees = subtrees;
    this.refresh();
  }

  setLevel(level: SubtreeLevel): void {
    this.#level = level;
    this.refresh();
  }

  /** Ranks again from the traffic as it is now. */
  refresh(): void {
    const scope: TrafficScope = this.#subtrees ? { kind: 'subtrees', level: this.#level } : { kind: 'topics' };
    this.#result = this.#explorer.busiest({ scope, sortBy: this.#sortBy, descending: this.#descending, limit: BUSIEST_ROWS });
  }

  /** Refreshes now and every second until the returned function is called: while the table is shown. */
  watch(): () => void {
    this.refresh();
    const timer = setInterval(() => this.refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }

  /** Shows the row's topic in the topic tree (the explorer switches to its Topics view). */
  reveal(topic: string): void {
    this.#explorer.reveal(topic);
  }
}
