/**
 * How the user chooses a recording to read (for a replay, or to open offline): through
 * the host, never by a path from the window. The desktop app asks main's open dialog;
 * browser mode lists its recordings folder and looks up a listed name there.
 */
import { fail, ok, type Result } from '../../../shared/ipc/app-error';
import type { ParsedCommandArgs } from '../../../shared/ipc/ipc-contract';
import type { RecordingListing } from '../../../shared/recording/replay';

/** How the host lets the user choose a recording; each part absent where it has none. */
export interface RecordingSources {
  /** Desktop: main's open dialog, titled for what the file is chosen for; the chosen path, or null when cancelled. */
  pick?: (purpose: RecordingPurpose) => Promise<string | null>;
  /** Browser mode: the recordings folder's files by generated name. */
  list?: () => Promise<RecordingListing[]>;
  /** Browser mode: the path of a listed name, null when there is no such recording. */
  pathOf?: (name: string) => Promise<string | null>;
}

/** What a recording is chosen for: to replay into a connection, or to open offline. */
export type RecordingPurpose = 'replay' | 'open';

export type RecordingSource = ParsedCommandArgs<'recording:open'>['source'];

/** The path the user chose; null when they cancelled the dialog. */
export async function chosenRecordingPath(sources: RecordingSources | undefined, source: RecordingSource, purpose: RecordingPurpose): Promise<Result<string | null>> {
  if (source.kind === 'dialog') {
    if (!sources?.pick) return fail({ code: 'UNSUPPORTED', message: 'There is no file dialog here: choose one of the listed recordings.' });
    return ok(await sources.pick(purpose));
  }
  if (!sources?.pathOf) return fail({ code: 'UNSUPPORTED', message: 'There is no recordings folder here: choose the file with the dialog.' });
  const path = await sources.pathOf(source.name);
  return path === null ? fail({ code: 'FILE_MISSING', message: `There is no recording "${source.name}" any more.` }) : ok(path);
}
