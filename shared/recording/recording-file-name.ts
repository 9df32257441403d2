/**
 * Recording file names: suggested in the desktop save dialog, and in browser mode the
 * only names the download route serves (RECORDING_DOWNLOAD_NAME admits no "/", "\" or
 * "..", so a name can never leave the recordings folder).
 */

/** Browser mode's generated names: date and time (UTC), 8 random hex digits, the extension. */
export const RECORDING_DOWNLOAD_NAME = /^recording-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-[0-9a-f]{8}\.jsonl(?:\.gz)?$/;

/** `recording-2026-11-29T03-32-12Z[-<unique>].jsonl[.gz]`: sorts by time, safe on every file system. */
export function recordingFileName(startedAt: number, gzip: boolean, unique?: string): string {
  const stamp = new Date(startedAt).toISOString().slice(0, 19).replaceAll(':', '-');
  return `recording-${stamp}Z${unique ? `-${unique}` : ''}.jsonl${gzip ? '.gz' : ''}`;
}
