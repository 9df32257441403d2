/**
 * The series of one chart, fed by the explorer's message batches. The hot path is a Map
 * lookup per message, and only while some series exists (`ingest` returns at once
 * otherwise); a message on a charted topic feeds every series of that topic (and of a
 * topic a series reads besides its own: a Sparkplug birth). Pure: the caller says when to
 * draw, and is told when points arrive later (decoded in the core).
 */
import type { ReceivedMessage } from '../../mqtt/mqtt-message';
import { ChartSeries } from './chart-series';
import { sourceKey, type ChartSource } from './chart-source';
import type { DecodeQueueLimits } from './decode-queue';
import { MAX_POINTS_PER_SERIES } from './series-buffer';
import { readerOf, type ReaderFactory } from './series-reader';
import { payloadExtractorFor } from './value-extractor';

/** Why a source could not be added. */
export type AddSeriesProblem = 'already-charted' | 'unsupported';

/** The payload cases read at once (number text, JSON path), no decoder, no Sparkplug metrics. */
const payloadReaderFor: ReaderFactory = (source) => {
  const extractor = payloadExtractorFor(source);
  return extractor ? readerOf(extractor) : null;
};

export interface ChartModelOptions {
  /** Makes each series' reader; the payload cases read at once by default (no decoders, no Sparkplug metrics). */
  readerFor?: ReaderFactory;
  /** Points kept per series (100,000 by default). */
  capacity?: number;
  /** Called when some series took points after `ingest` returned (its decoder answered). */
  onLatePoints?: () => void;
  /** Bounds of each series' queue of messages waiting for the decoder. */
  queue?: Partial<DecodeQueueLimits>;
}

export class ChartModel {
  readonly #readerFor: ReaderFactory;
  readonly #options: ChartModelOptions;
  #series: ChartSeries[] = [];
  readonly #byTopic = new Map<string, ChartSeries[]>();

  constructor(options: ChartModelOptions = {}) {
    this.#readerFor = options.readerFor ?? payloadReaderFor;
    this.#options = options;
  }

  /** In the order they were added. */
  get series(): readonly ChartSeries[] {
    return this.#series;
  }

  has(source: ChartSource): boolean {
    const key = sourceKey(source);
    return this.#series.some((s) => s.key === key);
  }

  /** Adds a series back-filled from its topics' kept histories (`historyOf`: newest first); a problem instead when it cannot. */
  add(source: ChartSource, historyOf: (topic: string) => readonly ReceivedMessage[]): ChartSeries | AddSeriesProblem {
    if (this.has(source)) return 'already-charted';
    const reader = this.#readerFor(source);
    if (!reader) return 'unsupported';
    const { capacity = MAX_POINTS_PER_SERIES, onLatePoints, queue } = this.#options;
    const series = new ChartSeries(source, reader, { capacity, ...(onLatePoints && { onLatePoints }), ...(queue && { queue }) });
    series.backfill(series.topics.map(historyOf));
    this.#series = [...this.#series, series];
    for (const topic of series.topics) {
      const same = this.#byTopic.get(topic);
      if (same) same.push(series);
      else this.#byTopic.set(topic, [series]);
    }
    return series;
  }

  remove(key: string): boolean {
    const series = this.#series.find((s) => s.key === key);
    if (!series) return false;
    series.close();
    this.#series = this.#series.filter((s) => s !== series);
    for (const topic of series.topics) {
      const rest = (this.#byTopic.get(topic) ?? []).filter((s) => s !== series);
      if (rest.length > 0) this.#byTopic.set(topic, rest);
      else this.#byTopic.delete(topic);
    }
    return true;
  }

  /** Feeds a batch; true when some series took a point or skipped a message (the chart has news). */
  ingest(messages: readonly ReceivedMessage[]): boolean {
    if (this.#byTopic.size === 0) return false;
    let changed = false;
    for (const message of messages) {
      const charted = this.#byTopic.get(message.topic);
      if (!charted) continue;
      for (const series of charted) series.take(message);
      changed = true;
    }
    return changed;
  }
}
