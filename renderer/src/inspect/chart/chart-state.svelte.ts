/**
 * The chart of one connection's tab: its series (shared/inspect/chart), fed by the
 * explorer's ingest path, and one read model, `view`, published at most once per frame
 * in which a charted topic had news. Pause freezes the drawing, not the collecting: the
 * view keeps a copy of the points as they were, the series go on filling, and resuming
 * shows everything they took meanwhile.
 */
import type { CommandResult, TopicscopeApi } from '../../../../shared/ipc/ipc-contract';
import type { ReceivedMessage } from '../../../../shared/mqtt/mqtt-message';
import { alignSeries, type AlignedColumns } from '../../../../shared/inspect/chart/align-series';
import { ChartModel, type AddSeriesProblem } from '../../../../shared/inspect/chart/chart-model';
import type { ChartSource } from '../../../../shared/inspect/chart/chart-source';
import { csvFileName, seriesCsv } from '../../../../shared/inspect/chart/series-csv';
import type { ExtractorFactory } from '../../../../shared/inspect/chart/value-extractor';

/** Series colours, told apart in light and dark themes; a series keeps its colour while charted. */
export const SERIES_COLOURS = ['#2f7ed8', '#e4572e', '#2ca02c', '#9467bd', '#d4a017', '#17becf', '#e377c2', '#8c564b'] as const;

export interface ChartSeriesView {
  readonly key: string;
  readonly label: string;
  readonly source: ChartSource;
  readonly colour: string;
  /** Points drawn. */
  readonly points: number;
  /** Oldest points dropped so far to keep 100,000. */
  readonly dropped: number;
  /** Messages on the topic that carried no value for this series. */
  readonly skipped: number;
  /** Messages on the topic the core merged away while the window was behind: points never seen. */
  readonly merged: number;
}

export interface ChartView {
  readonly series: readonly ChartSeriesView[];
  /** What uPlot draws: times (ms) first, then each series' values on them. */
  readonly data: AlignedColumns;
  /** Points drawn over all series. */
  readonly points: number;
}

const EMPTY: ChartView = { series: [], data: [new Float64Array(0)], points: 0 };

export interface ChartStateDeps {
  /** The topic's kept history, newest first, for back-filling a new series. */
  historyOf: (topic: string) => readonly ReceivedMessage[];
  /** Saves CSV; null for the empty explorer of a tab that never connected. */
  api: TopicscopeApi | null;
  /** Makes the extractors (the payload cases by default; the integration adds Sparkplug metrics). */
  extractorFor?: ExtractorFactory;
}

export class ChartState {
  readonly #model: ChartModel;
  readonly #deps: ChartStateDeps;
  readonly #colours = new Map<string, string>();
  #view = $state.raw<ChartView>(EMPTY);
  #paused = $state(false);
  #changed = false;

  constructor(deps: ChartStateDeps) {
    this.#deps = deps;
    this.#model = new ChartModel(deps.extractorFor ? { extractorFor: deps.extractorFor } : {});
  }

  /** The read model as of the last frame with news (or the pause). */
  get view(): ChartView {
    return this.#view;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Whether `source` has a series already. */
  has(source: ChartSource): boolean {
    return this.#model.has(source);
  }

  /** Takes a batch; costs one Map lookup per message while a series exists, nothing otherwise. */
  ingest(messages: readonly ReceivedMessage[]): void {
    if (this.#model.ingest(messages)) this.#changed = true;
  }

  /** Called once per frame: draws what the series took since the last, unless paused. */
  publish(): void {
    if (!this.#changed || this.#paused) return;
    this.#changed = false;
    this.#view = this.#capture();
  }

  /** Charts `source` from its kept history on; a problem instead when it cannot. Shown at once. */
  addSeries(source: ChartSource): AddSeriesProblem | null {
    const added = this.#model.add(source, this.#deps.historyOf(source.topic));
    if (typeof added === 'string') return added;
    const used = new Set(this.#colours.values());
    this.#colours.set(added.key, SERIES_COLOURS.find((colour) => !used.has(colour)) ?? SERIES_COLOURS[this.#colours.size % SERIES_COLOURS.length] ?? 'gray');
    this.#view = this.#capture();
    return null;
  }

  removeSeries(key: string): void {
    if (!this.#model.remove(key)) return;
    this.#colours.delete(key);
    this.#view = this.#capture();
  }

  setPaused(paused: boolean): void {
    if (paused === this.#paused) return;
    this.#paused = paused;
    // Paused: a copy the series' later points cannot change. Resumed: everything since.
    this.#changed = false;
    this.#view = this.#capture();
  }

  /**
   * Saves a series' points (all it keeps, also while paused) as CSV: through the desktop
   * app's save dialog, or handed back as text for the page to download.
   */
  async exportCsv(key: string): Promise<CommandResult<'chart:export-csv'>> {
    const series = this.#model.series.find((s) => s.key === key);
    if (!series) return { ok: false, error: { code: 'INVALID_INPUT', message: 'That series is no longer charted.' } };
    if (!this.#deps.api) return { ok: false, error: { code: 'NOT_CONNECTED', message: 'Not connected.' } };
    return this.#deps.api['chart:export-csv']({ fileName: csvFileName(series.label), csv: seriesCsv(series.columns()) });
  }

  #capture(): ChartView {
    const all = this.#model.series;
    const columns = all.map((s) => (this.#paused ? s.copy() : s.columns()));
    const series = all.map((s, i) => ({
      key: s.key,
      label: s.label,
      source: s.source,
      colour: this.#colours.get(s.key) ?? 'gray',
      points: columns[i]?.times.length ?? 0,
      dropped: s.dropped,
      skipped: s.skipped,
      merged: s.merged,
    }));
    return { series, data: alignSeries(columns), points: series.reduce((sum, s) => sum + s.points, 0) };
  }
}
