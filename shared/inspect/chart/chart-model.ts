/**
 * The series of one chart, fed by the explorer's message batches. The hot path is a Set
 * lookup per message, and only while some series exists (`ingest` returns at once
 * otherwise); a message on a charted topic feeds every series of that topic. Pure: the
 * caller says when to draw.
 */
import type { ReceivedMessage } from '../../mqtt/mqtt-message';
import { ChartSeries } from './chart-series';
import { sourceKey, type ChartSource } from './chart-source';
import { MAX_POINTS_PER_SERIES } from './series-buffer';
import { payloadExtractorFor, type ExtractorFactory } from './value-extractor';

/** Why a source could not be added. */
export type AddSeriesProblem = 'already-charted' | 'unsupported';

export interface ChartModelOptions {
  /** Makes each series' extractor; the payload cases by default (no Sparkplug metrics). */
  extractorFor?: ExtractorFactory;
  /** Points kept per series (100,000 by default). */
  capacity?: number;
}

export class ChartModel {
  readonly #extractorFor: ExtractorFactory;
  readonly #capacity: number;
  #series: ChartSeries[] = [];
  readonly #byTopic = new Map<string, ChartSeries[]>();

  constructor(options: ChartModelOptions = {}) {
    this.#extractorFor = options.extractorFor ?? payloadExtractorFor;
    this.#capacity = options.capacity ?? MAX_POINTS_PER_SERIES;
  }

  /** In the order they were added. */
  get series(): readonly ChartSeries[] {
    return this.#series;
  }

  has(source: ChartSource): boolean {
    const key = sourceKey(source);
    return this.#series.some((s) => s.key === key);
  }

  /** Adds a series back-filled from the topic's kept history (newest first); a problem instead when it cannot. */
  add(source: ChartSource, historyNewestFirst: readonly ReceivedMessage[]): ChartSeries | AddSeriesProblem {
    if (this.has(source)) return 'already-charted';
    const extractor = this.#extractorFor(source);
    if (!extractor) return 'unsupported';
    const series = new ChartSeries(source, extractor, this.#capacity);
    series.backfill(historyNewestFirst);
    this.#series = [...this.#series, series];
    const same = this.#byTopic.get(source.topic);
    if (same) same.push(series);
    else this.#byTopic.set(source.topic, [series]);
    return series;
  }

  remove(key: string): boolean {
    const series = this.#series.find((s) => s.key === key);
    if (!series) return false;
    this.#series = this.#series.filter((s) => s !== series);
    const rest = (this.#byTopic.get(series.source.topic) ?? []).filter((s) => s !== series);
    if (rest.length > 0) this.#byTopic.set(series.source.topic, rest);
    else this.#byTopic.delete(series.source.topic);
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
