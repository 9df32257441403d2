/** What the connection header says about a recording. */
import type { RecordingStatus } from '../../../shared/recording/recording-status';

/** Bytes as people read file sizes: "812 B", "45.2 kB", "3.4 MB", "1.2 GB" (powers of 1,000). */
export function formatBytes(bytes: number): string {
  if (bytes < 1_000) return `${bytes} B`;
  // Switch units where one decimal would round up to 1000.0 ("999,999 bytes" reads "1.0 MB").
  const [value, unit] = bytes < 999_950 ? [bytes / 1e3, 'kB'] : bytes < 999_950_000 ? [bytes / 1e6, 'MB'] : [bytes / 1e9, 'GB'];
  return `${value.toFixed(1)} ${unit}`;
}

const STOPPED_BECAUSE: Record<NonNullable<RecordingStatus['stoppedBecause']>, string> = {
  user: '',
  'size-limit': ' (size limit reached)',
  'time-limit': ' (time limit reached)',
  'connection-closed': ' (connection closed)',
  'write-failed': ' (writing failed)',
};

/** "Recording · 12,345 messages · 3.4 MB", then "Recorded …" once stopped; missed messages are always said. */
export function recordingSummary(status: RecordingStatus): string {
  const count = `${status.messages.toLocaleString('en-US')} message${status.messages === 1 ? '' : 's'}`;
  const missed = status.missed > 0 ? ` · ${status.missed.toLocaleString('en-US')} missed (the disk fell behind)` : '';
  const figures = `${count} · ${formatBytes(status.bytesWritten)}${missed}`;
  if (status.state === 'recording') return `Recording · ${figures}`;
  if (status.state === 'stopping') return `Stopping recording · ${figures}`;
  return `Recorded ${figures}${status.stoppedBecause ? STOPPED_BECAUSE[status.stoppedBecause] : ''}`;
}

/** Topic filters as typed in the options: one per line or comma-separated, blanks ignored. */
export function parseFilterList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((filter) => filter.trim())
    .filter((filter) => filter !== '');
}
