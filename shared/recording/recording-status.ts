/** A recording as the renderer sees it: the `recording:status` event and the recording commands' answers. */
import type { RecordingStopReason } from './recording-format';

export interface RecordingStatus {
  /** 'stopping': flushing and closing the file; 'stopped': the file is complete (or failed: see `problem`). */
  state: 'recording' | 'stopping' | 'stopped';
  /** Milliseconds since the epoch. */
  startedAt: number;
  /** Message lines written. */
  messages: number;
  /** JSON Lines bytes written, before any compression; what the size limit counts. */
  bytesWritten: number;
  /** Bytes in the file on disk so far (smaller than `bytesWritten` with gzip). */
  fileBytes: number;
  /** Messages received and matching but left out: the disk fell behind the write queue's cap, or a line would be too long. */
  missed: number;
  /** The filters recorded; empty: everything received. */
  filters: string[];
  gzip: boolean;
  /** The file's name, without a folder. */
  fileName: string;
  /** Desktop: the full path the user chose. Null in browser mode. */
  savedTo: string | null;
  /** Browser mode: the name the page downloads the file by (GET /recordings/<name>). Null on the desktop. */
  downloadName: string | null;
  /** Why it stopped; null while recording. */
  stoppedBecause: RecordingStopReason | null;
  /** What went wrong when writing failed, in words for the user; null otherwise. */
  problem: string | null;
}
