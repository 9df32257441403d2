/**
 * One clock for the window's ages ("3 s ago"): it ticks once a second while a view
 * that shows ages is mounted and the page is visible, and not at all otherwise. Rows
 * derive their text from `now`, so fifty rows cost one timer, not fifty.
 */
/** How often ages move on, in ms: they are shown in whole seconds. */
export const AGE_TICK_MS = 1_000;

/** Whether the page is shown, and a way to hear when that changes. */
export interface PageVisibility {
  readonly hidden: boolean;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

/** The parts of the page the clock needs; tests pass fakes. */
export interface TickerDeps {
  setInterval?: (callback: () => void, ms: number) => unknown;
  clearInterval?: (timer: unknown) => void;
  /** Null where there is no document (then it ticks whenever started). */
  visibility?: PageVisibility | null;
}

/**
 * Calls `onTick` every AGE_TICK_MS between `start` and `stop`, except while the page is
 * hidden; when it is shown again, at once and then on. Plain, so it is tested without Svelte.
 */
export class Ticker {
  readonly #onTick: () => void;
  readonly #setInterval: (callback: () => void, ms: number) => unknown;
  readonly #clearInterval: (timer: unknown) => void;
  readonly #visibility: PageVisibility | null;
  #timer: unknown = null;
  #started = false;

  constructor(onTick: () => void, deps: TickerDeps = {}) {
    this.#onTick = onTick;
    this.#setInterval = deps.setInterval ?? ((callback, ms) => setInterval(callback, ms));
    this.#clearInterval = deps.clearInterval ?? ((timer) => clearInterval(timer as ReturnType<typeof setInterval>));
    // Through globalThis: this module is also typechecked without the DOM library.
    this.#visibility = deps.visibility === undefined ? ((globalThis as { document?: PageVisibility }).document ?? null) : deps.visibility;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#visibility?.addEventListener('visibilitychange', this.#onVisibility);
    this.#run();
  }

  stop(): void {
    this.#started = false;
    this.#visibility?.removeEventListener('visibilitychange', this.#onVisibility);
    this.#halt();
  }

  readonly #onVisibility = (): void => {
    if (this.#visibility?.hidden) {
      this.#halt();
      return;
    }
    // Shown again: what was shown is stale, so tick now, then on.
    this.#onTick();
    this.#run();
  };

  #run(): void {
    if (this.#timer === null && !this.#visibility?.hidden) this.#timer = this.#setInterval(this.#onTick, AGE_TICK_MS);
  }

  #halt(): void {
    if (this.#timer !== null) this.#clearInterval(this.#timer);
    this.#timer = null;
  }
}

/**
 * The time for ages, as of the last tick. A view that shows ages holds the clock while
 * it is mounted (`$effect(() => ageClock.hold())`); the clock ticks while anyone holds it.
 * Holding is explicit rather than inferred from reads, so a row re-rendering never
 * subscribes or unsubscribes anything: reading `now` is a plain state read.
 */
export class AgeClock {
  #now = $state(0);
  readonly #clock: () => number;
  readonly #ticker: Ticker;
  #holders = 0;

  constructor(deps: TickerDeps & { now?: () => number } = {}) {
    this.#clock = deps.now ?? (() => Date.now());
    this.#now = this.#clock();
    this.#ticker = new Ticker(() => (this.#now = this.#clock()), deps);
  }

  /** Milliseconds since the epoch, as of the last tick. */
  get now(): number {
    return this.#now;
  }

  /** Keeps the clock ticking until the returned release is called. */
  hold(): () => void {
    if (this.#holders++ === 0) {
      this.#now = this.#clock();
      this.#ticker.start();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.#holders === 0) this.#ticker.stop();
    };
  }
}

/** The window's clock for ages. */
export const ageClock = new AgeClock();
