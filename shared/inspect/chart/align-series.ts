/**
 * Several series on one time axis, as uPlot wants them: one column of times (the union
 * of every series' times) and, per series, a value for each of those times, `undefined`
 * where the series has no point then. uPlot draws a line across `undefined` (unlike
 * `null`, a real gap), so each series stays one line. A single series is passed through
 * without copying. Pure.
 *
 * Cost: one k-way merge of the sorted time columns, O(total points × series); measured
 * in bench/README.md ("chart" scenario) at 2 × 100,000 points.
 */
import type { SeriesColumns } from './series-buffer';

/** uPlot's AlignedData, without depending on uPlot here: times first. */
export type AlignedColumns = [times: Float64Array, ...values: (Float64Array | (number | undefined)[])[]];

export function alignSeries(series: readonly SeriesColumns[]): AlignedColumns {
  const first = series[0];
  if (!first) return [new Float64Array(0)];
  if (series.length === 1) return [first.times, first.values];
  const total = series.reduce((sum, s) => sum + s.times.length, 0);
  const times = new Float64Array(total);
  const values = series.map(() => new Array<number | undefined>(total));
  const next = series.map(() => 0);
  let length = 0;
  for (;;) {
    let earliest = Infinity;
    for (let s = 0; s < series.length; s++) {
      const at = series[s]?.times[next[s] ?? 0];
      if (at !== undefined && at < earliest) earliest = at;
    }
    if (earliest === Infinity) break;
    times[length] = earliest;
    for (let s = 0; s < series.length; s++) {
      const column = series[s];
      const index = next[s] ?? 0;
      const row = values[s];
      if (!column || !row) continue;
      if (column.times[index] === earliest) {
        row[length] = column.values[index];
        next[s] = index + 1;
      }
    }
    length += 1;
  }
  // Points at the same time in several series share one row, so fewer rows than points may remain.
  for (const row of values) row.length = length;
  return [times.subarray(0, length), ...values];
}
