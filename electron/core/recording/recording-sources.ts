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
  /** Browser mode: keeps an uploaded recording in the folder; the generated name it got. */
  add?: (bytes: Uint8Array, gzip: boolean) => Promise<string>;
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

/**
 * Keeps a recording the page uploaded, when it looks like one: gzip, or text whose first
 * character opens a JSON line. What its lines hold is checked when it is read, and a
 * damaged file opens with what it holds, saying what was skipped.
 */
export async function addUploadedRecording(sources: RecordingSources | undefined, bytes: Uint8Array): Promise<Result<{ name: string }>> {
  if (!sources?.add) return fail({ code: 'UNSUPPORTED', message: 'The desktop app opens recordings with its file dialog: choose "Open recording…".' });
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  // A byte order mark is allowed before the first line, as spreadsheets and editors write one.
  const text = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (!gzip && text[0] !== 0x7b) return fail({ code: 'INVALID_INPUT', message: 'This is not a Topicscope recording: it is neither JSON Lines (a "{" first) nor gzip. Nothing was kept.' });
  try {
    return ok({ name: await sources.add(bytes, gzip) });
  } catch (error) {
    return fail({ code: 'FILE_UNREADABLE', message: `The recording could not be kept in the recordings folder: ${(error as Error).message}` });
  }
}
