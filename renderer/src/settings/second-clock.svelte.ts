/**
 * One wall clock for the window that ticks once a second, and only while something on
 * screen reads it: relative times ("3 s ago") read `now` inside a component, which
 * starts the ticking; when no component reads it any more (every time shown as a clock
 * time again), the interval stops. Svelte's createSubscriber does that bookkeeping, so
 * however many times are shown there is one timer at most.
 */
import { createSubscriber } from 'svelte/reactivity';

const TICK_MS = 1_000;

export class SecondClock {
  readonly #now: () => number;
  readonly #subscribe: () => void;

  /** `now`: the wall clock in ms since the epoch (tests pass a fake); `every` and `stop` schedule the tick. */
  constructor(now: () => number = Date.now, every: (tick: () => void, ms: number) => () => void = intervalOf) {
    this.#now = now;
    this.#subscribe = createSubscriber((update) => every(update, TICK_MS));
  }

  /** The time now; read in a component or effect, it is read again each second. */
  get now(): number {
    this.#subscribe();
    return this.#now();
  }
}

function intervalOf(tick: () => void, ms: number): () => void {
  const id = setInterval(tick, ms);
  return () => clearInterval(id);
}
