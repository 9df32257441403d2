/**
 * One series' points as columns (uPlot's layout): times in ms since the epoch and values,
 * oldest first, at most `capacity` of them. Past that the oldest point is dropped for each
 * new one (drop-oldest, counted in `dropped` so the chart can say so).
 *
 * The columns live in arrays twice the capacity: appending writes after the last point,
 * and only when the arrays' end is reached are the kept points moved back to the start,
 * once per `capacity` appends. So an append is O(1) amortized, and `times`/`values` are
 * views (subarrays) of the kept points, handed to uPlot without copying. A view stays
 * right until the points are moved back and overwritten: whoever keeps one for longer
 * (a paused chart) takes `copy()`. Pure.
 */

/** The most points a series keeps. */
export const MAX_POINTS_PER_SERIES = 100_000;

export interface SeriesColumns {
  /** Ms since the epoch, oldest first, never decreasing. */
  readonly times: Float64Array;
  readonly values: Float64Array;
}

export class SeriesBuffer {
  readonly capacity: number;
  #times: Float64Array;
  #values: Float64Array;
  #start = 0;
  #end = 0;
  #dropped = 0;

  constructor(capacity = MAX_POINTS_PER_SERIES) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('A series keeps at least one point.');
    this.capacity = capacity;
    this.#times = new Float64Array(capacity * 2);
    this.#values = new Float64Array(capacity * 2);
  }

  get length(): number {
    return this.#end - this.#start;
  }

  /** Points dropped (oldest first) to stay within the capacity. */
  get dropped(): number {
    return this.#dropped;
  }

  /** The time of the newest point; -Infinity when there is none. */
  get lastTime(): number {
    return this.length === 0 ? -Infinity : (this.#times[this.#end - 1] ?? -Infinity);
  }

  append(time: number, value: number): void {
    if (this.#end === this.#times.length) {
      this.#times.copyWithin(0, this.#start, this.#end);
      this.#values.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
    }
    this.#times[this.#end] = time;
    this.#values[this.#end] = value;
    this.#end += 1;
    if (this.#end - this.#start > this.capacity) {
      this.#start += 1;
      this.#dropped += 1;
    }
  }

  /** Views of the kept points, without copying (see the module comment for how long they hold). */
  columns(): SeriesColumns {
    return { times: this.#times.subarray(this.#start, this.#end), values: this.#values.subarray(this.#start, this.#end) };
  }

  /** A copy of the kept points, unaffected by later appends. */
  copy(): SeriesColumns {
    return { times: this.#times.slice(this.#start, this.#end), values: this.#values.slice(this.#start, this.#end) };
  }

  clear(): void {
    this.#start = 0;
    this.#end = 0;
  }
}
