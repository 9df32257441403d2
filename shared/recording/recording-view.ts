/**
 * A recording opened offline, as both sides of the contract see it: the core reads the
 * file and sends its messages to a read-only tab as ordinary message batches, paced by
 * the tab's acknowledgements; this is the progress it reports on the way.
 */
import { formatClock, formatDay } from '../inspect/time-text';

export type RecordingViewState = 'loading' | 'done' | 'stopped' | 'failed';

export interface RecordingViewStatus {
  /** The file's name, without a folder. */
  fileName: string;
  gzip: boolean;
  state: RecordingViewState;
  /** Messages sent to the tab so far (all of them once `done`). */
  messages: number;
  /** Receive times of the first and last message read (ms since the epoch); null before any. */
  firstAt: number | null;
  lastAt: number | null;
  /** Payloads longer than the window keeps (1 MiB), cut as a live connection cuts them. */
  truncatedPayloads: number;
  /** What the reader left out or found cut short, in words; null when it kept every line. */
  skipped: string | null;
  /** Why it stopped or failed; null while loading and when done. */
  problem: string | null;
}

/**
 * Milliseconds a loading recording waits for the tab to acknowledge before it gives up:
 * the tab went away (reloaded or closed). Long, because a minimized desktop window runs
 * no animation frames, so its tab acknowledges nothing until it is shown again; waiting
 * costs one open file and three batches.
 */
export const RECORDING_VIEW_ACK_TIMEOUT_MS = 10 * 60_000;

/**
 * When a recording's messages were received: "2026-11-29 14:03:07.250 to 14:05:00.000",
 * the day repeated only when it changes (a recording is usually read days later, so
 * the day is always given).
 */
export function recordingSpanText(firstAt: number, lastAt: number, zone: 'local' | 'utc'): string {
  const firstDay = formatDay(firstAt, zone);
  const lastDay = formatDay(lastAt, zone);
  return `${firstDay} ${formatClock(firstAt, zone)} to ${lastDay === firstDay ? '' : `${lastDay} `}${formatClock(lastAt, zone)}`;
}

/** The header line of an opened recording: what it holds, and how far loading got. */
export function recordingViewSummary(status: RecordingViewStatus, zone: 'local' | 'utc'): string {
  const count = `${status.messages.toLocaleString('en-US')} message${status.messages === 1 ? '' : 's'}`;
  const span = status.firstAt !== null && status.lastAt !== null ? `, ${recordingSpanText(status.firstAt, status.lastAt, zone)}` : '';
  switch (status.state) {
    case 'loading':
      return `Loading: ${count} so far${span}`;
    case 'done':
      return `${count}${span}`;
    case 'stopped':
      return `Stopped after ${count}${span}${status.problem ? `: ${status.problem}` : ''}`;
    case 'failed':
      return `Could not be read to the end (${count} shown${span})${status.problem ? `: ${status.problem}` : ''}`;
  }
}
