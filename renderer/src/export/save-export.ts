/**
 * Saving text the page made (a chart's CSV, an export) through the one narrow command,
 * `export:save`: the desktop app asks where with its dialog and writes the file; browser
 * mode has no dialog, so the page downloads the text itself.
 */
import type { TopicscopeApi } from '../../../shared/ipc/ipc-contract';

/** What became of a save, in words for a status line. */
export interface SaveReport {
  ok: boolean;
  text: string;
}

/** A page's download of text as a file (common/download.ts; tests pass their own). */
export type DownloadText = (fileName: string, text: string, mediaType: string) => void;

/** Null when the user cancelled the save dialog. */
export async function saveExport(
  api: TopicscopeApi,
  file: { fileName: string; text: string; mediaType: string },
  download: DownloadText,
): Promise<SaveReport | null> {
  const result = await api['export:save']({ fileName: file.fileName, text: file.text });
  if (!result.ok) return { ok: false, text: result.error.message };
  const { fileName, savedTo } = result.value;
  if (result.value.download) {
    download(fileName, file.text, file.mediaType);
    return { ok: true, text: `Downloaded ${fileName}.` };
  }
  return savedTo === null ? null : { ok: true, text: `Saved ${savedTo}.` };
}
