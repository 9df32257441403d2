/**
 * The broker's figures over the session, for the charts: columns of numbers (uPlot's
 * data layout), bounded. Once full, the oldest half is thinned to every other point, so
 * a long session keeps its whole span at a coarser grain instead of forgetting its start,
 * and memory stays fixed. Pure.
 */

/** What one point holds besides its time; NaN where the value was not known yet. */
export interface ChartPoint {
  /** Seconds since the epoch (uPlot's time scale). */
  time: number;
  messagesReceived: number;
  messagesSent: number;
  bytesReceived: number;
  bytesSent: number;
  clientsConnected: number;
}

/** The columns in uPlot's order: time first. Each one `length` long, oldest first. */
export interface ChartColumns {
  readonly time: Float64Array;
  readonly messagesReceived: Float64Array;
  readonly messagesSent: Float64Array;
  readonly bytesReceived: Float64Array;
  readonly bytesSent: Float64Array;
  readonly clientsConnected: Float64Array;
  readonly length: number;
}

type Column = Exclude<keyof ChartColumns, 'length'>;
const COLUMNS: readonly Column[] = ['time', 'messagesReceived', 'messagesSent', 'bytesReceived', 'bytesSent', 'clientsConnected'];

/** One hour at one point a second before thinning starts. */
export const DEFAULT_CHART_CAPACITY = 3_600;

export class ChartSeries {
  readonly #capacity: number;
  readonly #columns: Record<Column, Float64Array>;
  #length = 0;

  constructor(capacity = DEFAULT_CHART_CAPACITY) {
    if (capacity < 4) throw new RangeError('A chart keeps at least 4 points.');
    this.#capacity = capacity;
    this.#columns = Object.fromEntries(COLUMNS.map((name) => [name, new Float64Array(capacity)])) as Record<Column, Float64Array>;
  }

  get length(): number {
    return this.#length;
  }

  push(point: ChartPoint): void {
    if (this.#length === this.#capacity) this.#thinOldestHalf();
    for (const name of COLUMNS) this.#columns[name][this.#length] = point[name];
    this.#length += 1;
  }

  /** A copy of the points so far, for a chart that keeps it (the series goes on changing). */
  columns(): ChartColumns {
    const copy = (name: Column): Float64Array => this.#columns[name].slice(0, this.#length);
    return {
      time: copy('time'),
      messagesReceived: copy('messagesReceived'),
      messagesSent: copy('messagesSent'),
      bytesReceived: copy('bytesReceived'),
      bytesSent: copy('bytesSent'),
      clientsConnected: copy('clientsConnected'),
      length: this.#length,
    };
  }

  /** Keeps every other point of the older half, moving the newer half down behind them. */
  #thinOldestHalf(): void {
    const half = Math.floor(this.#length / 2);
    for (const name of COLUMNS) {
      const column = this.#columns[name];
      let write = 0;
      for (let read = 0; read < half; read += 2) column[write++] = column[read] ?? 0;
      column.copyWithin(write, half, this.#length);
    }
    this.#length = Math.ceil(half / 2) + (this.#length - half);
  }
}

/** An empty set of columns, for a view before any point. */
export const NO_CHART: ChartColumns = new ChartSeries(4).columns();
