/**
 * A repeat: the form's draft published every `periodMs`, `times` times or until
 * stopped, by a job in the core (electron/core/publish/repeat-job.ts). Here are the
 * limits both sides check, the progress the job reports, and the words the form shows
 * for it. Pure.
 */
import type { QoS } from '../mqtt/mqtt-message';

/** The longest period, in ms (24 h): longer is not a repeat anyone waits for. */
export const MAX_REPEAT_PERIOD_MS = 86_400_000;
/** The most messages one repeat sends when given a count (100 million); leave the count empty for no end. */
export const MAX_REPEAT_TIMES = 100_000_000;

/** How a repeat ended. */
export type RepeatEnd =
  /** Every message was sent and answered. */
  | 'done'
  /** The user stopped it (Stop, or the connection was closed by the user). */
  | 'stopped'
  /** The connection dropped; what was waiting may not have been delivered. */
  | 'connection-lost'
  /** A message was refused by the broker or could not be made: `problem` says which and why. */
  | 'failed';

/** A retained message the broker took during a repeat: the explorer records it as a single publish does. */
export interface RepeatRetained {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
}

/** What `publish:repeat-progress` carries besides the connection: all of a repeat's state, so any event alone can be shown. */
export interface RepeatProgress {
  /** Messages made and handed to the connection. */
  sent: number;
  /** Of those, acknowledged by the broker (QoS 1 and 2) or written to the network (QoS 0). */
  acknowledged: number;
  /** Sent, not yet answered; never more than `window`. */
  waiting: number;
  /** The most that were waiting at once during this repeat. */
  peakWaiting: number;
  /** The bound on `waiting`: 16, or the broker's Receive Maximum when lower. */
  window: number;
  /** Messages the broker refused (or mqtt.js failed); those left waiting by a lost connection are not counted here (see `problem`). */
  failed: number;
  /** The count asked for; null repeats until stopped. */
  total: number | null;
  periodMs: number;
  qos: QoS;
  /** Ticks that sent nothing because `window` messages were still waiting: the broker (or the network) was slower than the period. */
  skippedFull: number;
  /** Ticks that sent nothing because the core was busy past them (over 100 ms late). */
  skippedLate: number;
  /** The {{counter}} of the next message: the form continues from it. */
  nextCounter: number;
  /** 'finishing': nothing more is sent, the last answers are awaited. */
  state: 'running' | 'finishing' | 'ended';
  /** Set once `state` is 'ended'. */
  ended: RepeatEnd | null;
  /** Why it failed or what a lost connection left unanswered; null otherwise. */
  problem: string | null;
  /** Retained messages the broker took since the previous event, the last one per topic, in order. */
  retained: RepeatRetained[];
}

/** A repeat field's number: null when empty (or 0 for the period: no repeat), or what is wrong with it. */
export type RepeatField = { ok: true; value: number | null } | { ok: false; problem: string };

/** "Repeat every (ms)": empty or 0 is no repeat; otherwise 1 to 86,400,000. */
export function parseRepeatPeriod(text: string): RepeatField {
  return wholeNumberField(text, 'Repeat every (ms)', MAX_REPEAT_PERIOD_MS, true);
}

/** "Times": empty repeats until stopped; otherwise 1 to 100,000,000. */
export function parseRepeatTimes(text: string): RepeatField {
  return wholeNumberField(text, 'Times', MAX_REPEAT_TIMES, false);
}

function wholeNumberField(text: string, label: string, max: number, zeroIsNone: boolean): RepeatField {
  const trimmed = text.trim().replace(/[_,\s]/g, '');
  if (trimmed === '') return { ok: true, value: null };
  if (!/^\d+$/.test(trimmed)) return { ok: false, problem: `${label} must be a whole number; "${text.trim()}" is not.` };
  const value = Number(trimmed);
  if (value === 0 && zeroIsNone) return { ok: true, value: null };
  if (value < 1 || value > max) return { ok: false, problem: `${label} must be from 1 to ${max.toLocaleString('en-US')}.` };
  return { ok: true, value };
}

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, one: string, many: string): string => `${count(n)} ${n === 1 ? one : many}`;

/** What Publish will do with these fields, for its description: "Publish sends a message every 100 ms, 500 times." */
export function repeatPlanText(periodMs: number, times: number | null): string {
  const howLong = times === null ? 'until you stop it' : times === 1 ? 'once' : `${count(times)} times`;
  return `Publish sends a message every ${count(periodMs)} ms, ${howLong}.`;
}

/** The live count: "Sent 120 of 500 · 3 waiting for the broker", then how it ended. */
export function repeatStatusText(p: RepeatProgress): string {
  const parts = [p.total === null ? `Sent ${count(p.sent)}` : `Sent ${count(p.sent)} of ${count(p.total)}`];
  if (p.waiting > 0) parts.push(p.qos === 0 ? `${count(p.waiting)} being written to the network` : `${count(p.waiting)} waiting for the broker`);
  if (p.failed > 0) parts.push(`${count(p.failed)} failed`);
  if (p.state === 'finishing' && p.waiting === 0) parts.push('finishing');
  if (p.ended) parts.push(ENDED_TEXT[p.ended]);
  return parts.join(' · ');
}

const ENDED_TEXT: Readonly<Record<RepeatEnd, string>> = {
  done: 'done',
  stopped: 'stopped',
  'connection-lost': 'stopped: the connection was lost',
  failed: 'stopped after a failure',
};

/** The ticks that sent nothing, and why; null when none did. */
export function repeatSkippedText(p: RepeatProgress): string | null {
  const lines: string[] = [];
  if (p.skippedFull > 0) {
    const slower = p.qos === 0 ? 'the network was slower than the period' : `the broker was slower than the period (${count(p.window)} waiting at most)`;
    lines.push(`${plural(p.skippedFull, 'tick', 'ticks')} skipped: ${slower}.`);
  }
  if (p.skippedLate > 0) lines.push(`${plural(p.skippedLate, 'tick', 'ticks')} skipped: the app was busy past them.`);
  return lines.length > 0 ? lines.join(' ') : null;
}
