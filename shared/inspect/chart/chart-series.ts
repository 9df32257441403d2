/**
 * One series of a chart: its source, how a message becomes its value, and its points.
 * Messages without a value (not a number, not JSON, no such path) are skipped and counted,
 * so the user can tell "no messages" from "messages I cannot plot". Pure.
 */
import type { ReceivedMessage } from '../../mqtt/mqtt-message';
import { sourceKey, sourceLabel, type ChartSource } from './chart-source';
import { SeriesBuffer, MAX_POINTS_PER_SERIES, type SeriesColumns } from './series-buffer';
import type { ValueExtractor } from './value-extractor';

export class ChartSeries {
  readonly source: ChartSource;
  readonly key: string;
  readonly label: string;
  readonly #extractor: ValueExtractor;
  readonly #points: SeriesBuffer;
  #skipped = 0;
  #merged = 0;

  constructor(source: ChartSource, extractor: ValueExtractor, capacity = MAX_POINTS_PER_SERIES) {
    this.source = source;
    this.key = sourceKey(source);
    this.label = sourceLabel(source);
    this.#extractor = extractor;
    this.#points = new SeriesBuffer(capacity);
  }

  get length(): number {
    return this.#points.length;
  }

  /** Oldest points dropped to stay within the capacity. */
  get dropped(): number {
    return this.#points.dropped;
  }

  /** Messages on the topic that carried no value for this series. */
  get skipped(): number {
    return this.#skipped;
  }

  /** Messages on the topic the core merged into later ones (renderer behind): values the series never saw. */
  get merged(): number {
    return this.#merged;
  }

  /** Adds the message's value as the newest point; false when it had none (counted as skipped). */
  take(message: ReceivedMessage): boolean {
    this.#merged += message.coalesced;
    const value = Number.isFinite(message.receivedAt) ? this.#extractor.extract(message) : null;
    if (value === null) {
      this.#skipped += 1;
      return false;
    }
    // uPlot wants times in order: a wall clock stepped back does not reorder the points.
    this.#points.append(Math.max(message.receivedAt, this.#points.lastTime), value);
    return true;
  }

  /**
   * Starts the series from the topic's kept history (newest first, as the topic tree
   * gives it): the points go in oldest first, before any live one.
   */
  backfill(historyNewestFirst: readonly ReceivedMessage[]): void {
    for (let i = historyNewestFirst.length - 1; i >= 0; i--) {
      const message = historyNewestFirst[i];
      if (message) this.take(message);
    }
  }

  /** Views of the points (valid until more are added; see SeriesBuffer). */
  columns(): SeriesColumns {
    return this.#points.columns();
  }

  /** A copy of the points, for a chart that keeps showing them while more arrive. */
  copy(): SeriesColumns {
    return this.#points.copy();
  }
}
