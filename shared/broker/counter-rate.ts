/**
 * A per-second rate from a counter the broker publishes now and then (messages received,
 * bytes sent, …). Pure: each sample brings its own time, so tests need no clock.
 *
 * The first sample only sets a baseline (a total since the broker started says nothing
 * about now). A counter that goes down means the broker restarted and counts from zero
 * again: that sample becomes the new baseline, and the rate is unknown until the next,
 * never negative.
 */
export class CounterRate {
  #value: number | null = null;
  #at = 0;
  #rate: number | null = null;

  /** Per second, between the last two samples; null before two samples since the last (re)start. */
  get rate(): number | null {
    return this.#rate;
  }

  /** The counter's latest value, or null before any. */
  get value(): number | null {
    return this.#value;
  }

  /** Notes that the counter read `value` at `at` (ms); returns the rate as of now. */
  note(value: number, at: number): number | null {
    const previous = this.#value;
    const elapsedMs = at - this.#at;
    this.#value = value;
    if (previous === null || value < previous) {
      this.#at = at;
      this.#rate = null;
      return null;
    }
    // Two samples in the same millisecond say nothing new about time: keep the older baseline.
    if (elapsedMs <= 0) {
      this.#value = previous;
      return this.#rate;
    }
    this.#at = at;
    this.#rate = ((value - previous) * 1000) / elapsedMs;
    return this.#rate;
  }

  /** Forgets everything: the broker restarted (its uptime went back). */
  reset(): void {
    this.#value = null;
    this.#rate = null;
    this.#at = 0;
  }
}
