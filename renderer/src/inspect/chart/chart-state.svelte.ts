/**
 * The chart of one connection's tab: its series (shared/inspect/chart), fed by the
 * explorer's ingest path, and one read model, `view`, published at most once per frame
 * in which a charted topic had news. Pause freezes the drawing, not the collecting: the
 * view keeps a copy of the points as they were, the series go on filling, and resuming
 * shows everything they took meanwhile. Points of payloads decoded in the core arrive
 * after their batch: they are drawn on the next frame after the decoder answers.
 */
import type { TopicscopeApi } from '../../../../shared/ipc/ipc-contract';
import type { ReceivedMessage } from '../../../../shared/mqtt/mqtt-message';
import { alignSeries, type AlignedColumns } from '../../../../shared/inspect/chart/align-series';
import { ChartModel, type AddSeriesProblem } from '../../../../shared/inspect/chart/chart-model';
import { birthTopicOf, decodedReadersFor, metricNameInBirth, pickedSource, type ChartDecoding } from '../../../../shared/inspect/chart/decoded-readers';
import type { ChartSource, JsonPathStep } from '../../../../shared/inspect/chart/chart-source';
import { csvFileName, seriesCsv } from '../../../../shared/inspect/chart/series-csv';
import type { DecodeResult } from '../../../../shared/inspect/decode/decoded-payload';
import { FrameClock, type RequestFrame } from '../../common/frame-clock';
import { saveExport, type DownloadText, type SaveReport } from '../../export/save-export';
import { EXPORT_MEDIA_TYPES } from '../../../../shared/export/export-file';

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
  /** Messages not charted because more arrived than the decoder could keep up with. */
  readonly notDecoded: number;
  /** Messages being decoded: points to come. */
  readonly pending: number;
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
  /** How the tab decodes payloads; without it only number text and JSON paths are charted (no decoders, no Sparkplug metrics). */
  decoding?: ChartDecoding;
  /** Schedules a drawing of points decoded late (the next animation frame by default). */
  requestFrame?: RequestFrame;
}

export class ChartState {
  readonly #model: ChartModel;
  readonly #deps: ChartStateDeps;
  readonly #colours = new Map<string, string>();
  #view = $state.raw<ChartView>(EMPTY);
  #paused = $state(false);
  /** Why the last number picked could not be charted, for the user; null when it was. */
  #problem = $state<string | null>(null);
  #changed = false;
  readonly #lateFrame: FrameClock;

  constructor(deps: ChartStateDeps) {
    this.#deps = deps;
    this.#lateFrame = new FrameClock(() => this.publish(), deps.requestFrame);
    const onLatePoints = (): void => {
      this.#changed = true;
      this.#lateFrame.request();
    };
    this.#model = new ChartModel({ onLatePoints, ...(deps.decoding && { readerFor: decodedReadersFor(deps.decoding) }) });
  }

  /** Why the last number picked in the viewer could not be charted; null when it was. */
  get problem(): string | null {
    return this.#problem;
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

  /**
   * Charts the number picked at `path` in the viewer's `decoded` value of a message on
   * `topic`: a Sparkplug metric by its name (a metric sent by alias only is named by its
   * birth), any other number by its path. Resolves once charted, or with why not (also in `problem`).
   */
  async addPicked(topic: string, path: readonly JsonPathStep[], decoded: DecodeResult | undefined): Promise<string | null> {
    this.#problem = null;
    const picked = pickedSource(topic, path, decoded);
    let source: ChartSource;
    if ('source' in picked) source = picked.source;
    else {
      const name = await this.#nameOfAlias(picked.topic, picked.alias);
      if (typeof name !== 'string') return (this.#problem = name.problem);
      source = { topic, metric: name };
    }
    const problem = this.addSeries(source);
    if (problem === 'unsupported') this.#problem = 'This value cannot be charted: the tab has no decoder for it.';
    return problem === 'unsupported' ? this.#problem : null;
  }

  /** The name the last birth of a Sparkplug data topic gave `alias`. */
  async #nameOfAlias(topic: string, alias: number): Promise<string | { problem: string }> {
    const birthTopic = birthTopicOf(topic);
    const birth = birthTopic ? this.#deps.historyOf(birthTopic)[0] : undefined;
    const unnamed = `Metric alias ${alias} cannot be charted: no birth message kept${birthTopic ? ` on ${birthTopic}` : ''} gives its name.`;
    if (!birth || !this.#deps.decoding) return { problem: unnamed };
    return (await metricNameInBirth(this.#deps.decoding, birth, alias)) ?? { problem: unnamed };
  }

  /** Charts `source` from its kept history on; a problem instead when it cannot. Shown at once. */
  addSeries(source: ChartSource): AddSeriesProblem | null {
    const added = this.#model.add(source, this.#deps.historyOf);
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
   * app's save dialog, or downloaded by the page. Null when the user cancelled the dialog.
   */
  async exportCsv(key: string, download: DownloadText): Promise<SaveReport | null> {
    const series = this.#model.series.find((s) => s.key === key);
    if (!series) return { ok: false, text: 'That series is no longer charted.' };
    if (!this.#deps.api) return { ok: false, text: 'Not connected.' };
    return saveExport(this.#deps.api, { fileName: csvFileName(series.label), text: seriesCsv(series.columns()), mediaType: EXPORT_MEDIA_TYPES.csv }, download);
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
      notDecoded: s.notDecoded,
      pending: s.pending,
    }));
    return { series, data: alignSeries(columns), points: series.reduce((sum, s) => sum + s.points, 0) };
  }
}
