/**
 * Several series on one time axis, as uPlot wants them: one column of times (the union
 * of every series' times) and, per series, a value for each of those times, `undefined`
 * where the series has no point then. uPlot draws a line across `undefined` (unlike
 * `null`, a real gap), so each series stays one line. A single series is passed through
 * without copying. Pure.
 *
 * Two passes over sorted columns: a k-way merge of the times into a typed array, then
 * each series walked against the union. Measured on 2 × 100,000 points: see
 * bench/README.md ("chart").
 */
import type { SeriesColumns } from './series-buffer';

/** uPlot's AlignedData, without depending on uPlot here: times first. */
export type AlignedColumns = [times: Float64Array, ...values: (Float64Array | (number | undefined)[])[]];

export function alignSeries(series: readonly SeriesColumns[]): AlignedColumns {
  const first = series[0];
  if (!first) return [new Float64Array(0)];
  if (series.length === 1) return [first.times, first.values];
  const times = unionOfTimes(series.map((s) => s.times));
  return [times, ...series.map((s) => valuesOn(times, s))];
}

/** Every time of every column once per point (a time two columns share is one row; one column's repeated time stays repeated). */
function unionOfTimes(columns: readonly Float64Array[]): Float64Array {
  const next = new Int32Array(columns.length);
  const union = new Float64Array(columns.reduce((sum, c) => sum + c.length, 0));
  let length = 0;
  for (;;) {
    let earliest = Infinity;
    for (let s = 0; s < columns.length; s++) {
      const column = columns[s] ?? union;
      const at = next[s] ?? 0;
      if (at < column.length && (column[at] ?? Infinity) < earliest) earliest = column[at] ?? Infinity;
    }
    if (earliest === Infinity) return union.subarray(0, length);
    union[length++] = earliest;
    for (let s = 0; s < columns.length; s++) {
      const at = next[s] ?? 0;
      if (columns[s]?.[at] === earliest) next[s] = at + 1;
    }
  }
}

function valuesOn(union: Float64Array, series: SeriesColumns): (number | undefined)[] {
  const { times, values } = series;
  // Holes, not stored `undefined`s: V8 then keeps the numbers unboxed (a holey double
  // array), and a hole reads as `undefined`, which uPlot draws across.
  const out = new Array<number | undefined>(union.length);
  let row = 0;
  for (let point = 0; point < times.length; point++) {
    const time = times[point];
    while (row < union.length && union[row] !== time) row++;
    out[row++] = values[point];
  }
  return out;
}
