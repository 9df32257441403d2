/**
 * One series of a chart: its source, how a message becomes its value, and its points.
 * Messages without a value (not a number, not decodable, no such path or metric) are
 * skipped and counted, so the user can tell "no messages" from "messages I cannot plot";
 * messages dropped while the decoder was busy are counted apart. Messages decoded in the
 * core become points in the order they arrived all the same (decode-queue.ts). Pure.
 *
 * A point's time is when the message arrived (`receivedAt`), also for a Sparkplug metric
 * that carries its own timestamp: every series on the chart then shares one clock (an
 * edge node's clock may be off, and metric timestamps need not increase), and the points
 * of a series stay in arrival order, which uPlot needs.
 */
import type { ReceivedMessage } from '../../mqtt/mqtt-message';
import { sourceKey, sourceLabel, type ChartSource } from './chart-source';
import { DecodeQueue, type DecodeQueueLimits } from './decode-queue';
import { SeriesBuffer, MAX_POINTS_PER_SERIES, type SeriesColumns } from './series-buffer';
import type { SeriesReader } from './series-reader';

export interface ChartSeriesOptions {
  /** Points kept (100,000 by default). */
  capacity?: number;
  /** Called when points arrive later than the message that brought them (a decode answered). */
  onLatePoints?: () => void;
  /** Bounds of the queue of messages waiting for the decoder. */
  queue?: Partial<DecodeQueueLimits>;
}

export class ChartSeries {
  readonly source: ChartSource;
  readonly key: string;
  readonly label: string;
  /** Topics whose messages feed the series: those its reader needs (a birth topic), then its own. */
  readonly topics: readonly string[];
  readonly #queue: DecodeQueue;
  readonly #points: SeriesBuffer;
  #skipped = 0;
  #merged = 0;

  constructor(source: ChartSource, reader: SeriesReader, options: ChartSeriesOptions = {}) {
    this.source = source;
    this.key = sourceKey(source);
    this.label = sourceLabel(source);
    this.topics = [...(reader.alsoTopics ?? []).filter((topic) => topic !== source.topic), source.topic];
    this.#points = new SeriesBuffer(options.capacity ?? MAX_POINTS_PER_SERIES);
    const late = options.onLatePoints ?? (() => {});
    this.#queue = new DecodeQueue(reader, { apply: (message, value) => this.#apply(message, value), settled: late }, options.queue);
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

  /** Messages not charted because too many waited for the decoder (a flood it could not keep up with). */
  get notDecoded(): number {
    return this.#queue.dropped;
  }

  /** Messages waiting for the decoder: points to come. */
  get pending(): number {
    return this.#queue.pending;
  }

  /**
   * Takes the message's value as the newest point: at once when it can be read at once,
   * else once decoded, after the points of the messages taken before it.
   */
  take(message: ReceivedMessage): void {
    if (message.topic === this.source.topic) this.#merged += message.coalesced;
    if (!Number.isFinite(message.receivedAt)) this.#skipped += 1;
    else this.#queue.take(message);
  }

  #apply(message: ReceivedMessage, value: number | null): void {
    if (value === null) {
      // A birth read only for its aliases has nothing to say about the series' own messages.
      if (message.topic === this.source.topic) this.#skipped += 1;
      return;
    }
    // uPlot wants times in order: a wall clock stepped back does not reorder the points.
    this.#points.append(Math.max(message.receivedAt, this.#points.lastTime), value);
  }

  /**
   * Starts the series from the kept histories of its `topics`, in that order (each newest
   * first, as the topic tree gives them), merged by arrival: the points go in oldest first, before any live one.
   */
  backfill(historiesNewestFirst: readonly (readonly ReceivedMessage[])[]): void {
    const oldestFirst = historiesNewestFirst.flatMap((history) => history.toReversed());
    // Stable: of a birth and data in the same millisecond, the birth (its topic listed first) goes first.
    if (historiesNewestFirst.length > 1) oldestFirst.sort((a, b) => a.receivedAt - b.receivedAt);
    for (const message of oldestFirst) this.take(message);
  }

  /** The series is no longer charted: decodes under way are forgotten. */
  close(): void {
    this.#queue.close();
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
