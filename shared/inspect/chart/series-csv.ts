/**
 * A series as CSV (RFC 4180): a header `time_iso,time_ms,value`, then one row per point,
 * oldest first, lines ending in CRLF. Times are UTC ISO 8601 with milliseconds and ms
 * since the epoch; values are JavaScript's shortest round-trip text. Pure.
 */
import { csvField } from '../../export/message-csv';
import type { SeriesColumns } from './series-buffer';

export function seriesCsv(columns: SeriesColumns): string {
  const lines = ['time_iso,time_ms,value'];
  const { times, values } = columns;
  for (let i = 0; i < times.length; i++) {
    const time = times[i] ?? 0;
    lines.push([new Date(time).toISOString(), String(time), String(values[i])].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name for the series' CSV (one `export:save` accepts): the label's letters and digits, other runs as "-". */
export function csvFileName(label: string): string {
  const stem = label.replace(/[^A-Za-z0-9_]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100);
  return `${stem || 'series'}.csv`;
}
