/**
 * Browser mode's recordings offered for replay: the regular files in the recordings
 * folder whose names the host generated (RECORDING_DOWNLOAD_NAME), newest first. A name
 * from the page is only ever looked up in that folder, never joined as a path unchecked.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RECORDING_DOWNLOAD_NAME } from '../../shared/recording/recording-file-name';
import type { RecordingListing } from '../../shared/recording/replay';
import type { RecordingSources } from '../core/recording/recording-sources';

/** At most this many recordings are listed (the newest). */
export const MAX_LISTED_RECORDINGS = 1_000;

export async function listRecordings(folder: string): Promise<RecordingListing[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const listed: RecordingListing[] = [];
  for (const name of names) {
    if (!RECORDING_DOWNLOAD_NAME.test(name)) continue;
    const stats = await lstat(join(folder, name)).catch(() => null);
    if (stats?.isFile()) listed.push({ name, bytes: stats.size, modifiedAt: stats.mtimeMs });
  }
  return listed.sort((a, b) => b.modifiedAt - a.modifiedAt || (a.name < b.name ? 1 : -1)).slice(0, MAX_LISTED_RECORDINGS);
}

/**
 * The one gate for a recording name from the page (replay or download): a name the host
 * generated, of a regular file in the folder (no symlink), with its path and size; null otherwise.
 */
export async function recordingFile(folder: string, name: string): Promise<{ path: string; size: number } | null> {
  if (!RECORDING_DOWNLOAD_NAME.test(name)) return null;
  const path = join(folder, name);
  const stats = await lstat(path).catch(() => null);
  return stats?.isFile() ? { path, size: stats.size } : null;
}

/** The path of a generated name in the folder when it is a regular file there; null otherwise. */
export async function recordingPath(folder: string, name: string): Promise<string | null> {
  return (await recordingFile(folder, name))?.path ?? null;
}

export function folderRecordingSources(folder: string): RecordingSources {
  return { list: () => listRecordings(folder), pathOf: (name) => recordingPath(folder, name) };
}
