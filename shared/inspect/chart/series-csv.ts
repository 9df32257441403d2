/**
 * A series as CSV (RFC 4180): a header `time_iso,time_ms,value`, then one row per point,
 * oldest first, lines ending in CRLF. Times are UTC ISO 8601 with milliseconds and ms
 * since the epoch; values are JavaScript's shortest round-trip text. Pure.
 */
import type { SeriesColumns } from './series-buffer';

/**
 * The largest CSV the app saves, in bytes (16 MiB): 100,000 points take about 6 MiB, and
 * in browser mode the text crosses the WebSocket twice.
 */
export const MAX_CSV_BYTES = 16 * 1024 * 1024;

/** What `csvFileName` makes, and all the save command accepts: no folders, no other extension. */
export const CSV_FILE_NAME = /^[A-Za-z0-9_-]{1,100}\.csv$/;

/** A field as RFC 4180 writes it: quoted (quotes doubled) when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function seriesCsv(columns: SeriesColumns): string {
  const lines = ['time_iso,time_ms,value'];
  const { times, values } = columns;
  for (let i = 0; i < times.length; i++) {
    const time = times[i] ?? 0;
    lines.push([new Date(time).toISOString(), String(time), String(values[i])].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name for the series' CSV: the label's letters and digits, other runs as "-". */
export function csvFileName(label: string): string {
  const stem = label.replace(/[^A-Za-z0-9_]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100);
  return `${stem || 'series'}.csv`;
}
