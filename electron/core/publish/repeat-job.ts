/**
 * One repeat: the draft published every `periodMs`, `times` times or until stopped,
 * each message made afresh with composeMessage (its own {{counter}}, instant, UUID and
 * random numbers).
 *
 * Why in the core and not in the window: a page's timers are throttled to once a
 * second when its tab is hidden (Chromium's background throttling, which browser mode
 * cannot turn off), and one IPC round trip per message is most of the cost at a 1 ms
 * period. Here the draft crosses once, the scheduler paces, and the window hears
 * about it at most four times a second.
 *
 * Pacing: tick i is due at start + i × period (no drift). A tick sends one message
 * unless `window` are still waiting for their answer (PUBACK/PUBCOMP at QoS 1/2, the
 * socket taking it at QoS 0): then it is skipped and counted, so a broker slower than
 * the period is paced by its own answers instead of being flooded, and stays within
 * its Receive Maximum. Skipped ticks do not count towards `times`: `times` messages are
 * sent. A wake-up that finds several ticks due (the timer fired late) catches up those
 * at most 100 ms old and counts older ones as skipped, so a stalled process does not
 * release a burst afterwards.
 */
import { randomUUID } from 'node:crypto';
import type { Result } from '../../../shared/ipc/app-error';
import type { QoS } from '../../../shared/mqtt/mqtt-message';
import { composeMessage, type ComposedMessage } from '../../../shared/publish/compose-message';
import type { MessageDraft } from '../../../shared/publish/message-draft';
import type { RepeatEnd, RepeatProgress, RepeatRetained } from '../../../shared/publish/repeat-progress';
import type { Scheduler } from '../connection/scheduler';

/** Progress reports at most this often (ms): four a second reads as live, and costs the window nothing. */
export const REPEAT_PROGRESS_INTERVAL_MS = 250;
/** Ticks more than this late (ms) when the timer finally fires are skipped rather than caught up. */
export const CATCH_UP_MS = 100;

export interface RepeatPlan {
  draft: MessageDraft;
  /** A file's bytes sent as the payload, as they are. */
  file: Uint8Array | null;
  mqtt5: boolean;
  clientId: string;
  /** The {{counter}} of the first message; each message sent takes the next. */
  counterStart: number;
  periodMs: number;
  /** null: until stopped. */
  times: number | null;
  /** At most this many messages wait for their answer at once. */
  window: number;
}

export interface RepeatDeps {
  scheduler: Scheduler;
  /** Sends one message on the connection; resolves with the broker's answer (QoS 0: once written). */
  publish: (message: ComposedMessage) => Promise<Result<{ acknowledged: boolean }>>;
  /** Throttled progress, and always a last one when the repeat ends. */
  report: (progress: RepeatProgress) => void;
  /** Called once, after the last report. */
  onEnded?: () => void;
  uuid?: () => string;
  random?: () => number;
}

export class RepeatJob {
  readonly #plan: RepeatPlan;
  readonly #deps: RepeatDeps;
  readonly #uuid: () => string;
  readonly #random: () => number;
  #startedAt = 0;
  /** Ticks accounted for (sent or skipped), from tick 0. */
  #ticks = 0;
  #sent = 0;
  #acknowledged = 0;
  #waiting = 0;
  #peakWaiting = 0;
  #failed = 0;
  #skippedFull = 0;
  #skippedLate = 0;
  #state: RepeatProgress['state'] = 'running';
  /** How it will end once the last answers are in (or how it ended). */
  #ending: RepeatEnd | null = null;
  #problem: string | null = null;
  /** Retained messages taken since the last report, by topic, the latest last. */
  #retained = new Map<string, RepeatRetained>();
  #tickTimer: unknown = null;
  #reportTimer: unknown = null;
  #lastReportAt = -Infinity;

  constructor(plan: RepeatPlan, deps: RepeatDeps) {
    this.#plan = plan;
    this.#deps = deps;
    this.#uuid = deps.uuid ?? randomUUID;
    this.#random = deps.random ?? Math.random;
  }

  get ended(): boolean {
    return this.#state === 'ended';
  }

  /** Sends the first message now, then paces the rest. */
  start(): void {
    this.#startedAt = this.#deps.scheduler.now();
    this.#tick();
  }

  /** Sends nothing more; ends once what is waiting is answered. False when it had ended already. */
  stop(): boolean {
    if (this.#state === 'ended') return false;
    this.#finish('stopped');
    return true;
  }

  /**
   * The connection dropped (or is no longer connected): ends at once. What was waiting
   * is left to mqtt.js, which may resend it after a reconnect, or not: the user is told.
   */
  connectionLost(reason: string): void {
    if (this.#state === 'ended') return;
    const waiting = this.#waiting;
    const unanswered = waiting > 0 ? ` ${waiting.toLocaleString('en-US')} ${waiting === 1 ? 'message was' : 'messages were'} waiting for the broker and may not have been delivered.` : '';
    // A stop already asked for (the user disconnecting) stays a stop.
    if (this.#ending !== 'stopped') {
      this.#ending = 'connection-lost';
      this.#problem = `${reason}${unanswered}`;
    }
    this.#end();
  }

  #tick(): void {
    this.#tickTimer = null;
    if (this.#state !== 'running') return;
    const { periodMs } = this.#plan;
    const now = this.#deps.scheduler.now();
    const lastDue = Math.floor((now - this.#startedAt) / periodMs);
    // Ticks due more than CATCH_UP_MS ago are skipped, except the latest, which is on time by definition.
    const firstFresh = Math.min(lastDue, Math.max(this.#ticks, Math.ceil((now - CATCH_UP_MS - this.#startedAt) / periodMs)));
    if (firstFresh > this.#ticks) {
      this.#skippedLate += firstFresh - this.#ticks;
      this.#ticks = firstFresh;
      this.#changed();
    }
    // A send may finish the repeat (its last message, or one that cannot be made): checked each time round.
    while (this.#ticks <= lastDue && this.#isRunning()) {
      this.#ticks += 1;
      if (this.#waiting >= this.#plan.window) {
        this.#skippedFull += 1;
        this.#changed();
      } else {
        this.#sendNext(now);
      }
    }
    if (this.#isRunning()) {
      const nextDueAt = this.#startedAt + this.#ticks * periodMs;
      this.#tickTimer = this.#deps.scheduler.setTimeout(() => this.#tick(), Math.max(0, nextDueAt - now));
    }
  }

  /** A method, not a comparison inline: TypeScript would keep the state narrowed across the sends that change it. */
  #isRunning(): boolean {
    return this.#state === 'running';
  }

  #sendNext(now: number): void {
    const { draft, file, mqtt5, clientId, counterStart, times } = this.#plan;
    const counter = counterStart + this.#sent;
    const made = composeMessage(draft, { context: { now, uuid: this.#uuid(), counter, clientId, random: this.#random }, mqtt5, file });
    const message = made.message;
    if (!message) {
      const problem = made.topicProblem ?? made.payloadProblem ?? made.propertiesProblem ?? 'it could not be made.';
      this.#problem = `Message ${(this.#sent + 1).toLocaleString('en-US')} was not sent: ${problem}`;
      this.#finish('failed');
      return;
    }
    this.#sent += 1;
    this.#waiting += 1;
    this.#peakWaiting = Math.max(this.#peakWaiting, this.#waiting);
    this.#changed();
    void this.#deps.publish(message).then((result) => this.#answered(message, result));
    if (times !== null && this.#sent >= times) this.#finish('done');
  }

  #answered(message: ComposedMessage, result: Result<{ acknowledged: boolean }>): void {
    if (this.#state === 'ended') return;
    this.#waiting -= 1;
    if (result.ok) {
      this.#acknowledged += 1;
      if (message.retain) this.#noteRetained(message.topic, message.payload, message.qos);
    } else {
      this.#failed += 1;
      if (this.#ending === null || this.#ending === 'done') {
        this.#problem = `Message to "${message.topic}" failed: ${result.error.message}`;
        this.#finish('failed');
      }
    }
    if (this.#state === 'finishing' && this.#waiting === 0) this.#end();
    else this.#changed();
  }

  #noteRetained(topic: string, payload: Uint8Array, qos: QoS): void {
    // Re-inserted so the map's order is the order the broker took them in.
    this.#retained.delete(topic);
    this.#retained.set(topic, { topic, payload, qos });
  }

  /** Nothing more is sent; ends now when nothing is waiting. */
  #finish(ending: RepeatEnd): void {
    if (this.#state !== 'running') {
      // A failure while finishing a stop or the last messages still says what failed.
      if (ending === 'failed' && this.#ending !== 'stopped') this.#ending = 'failed';
      return;
    }
    this.#state = 'finishing';
    this.#ending = ending;
    this.#clearTimer('tick');
    if (this.#waiting === 0) this.#end();
    else this.#changed();
  }

  #end(): void {
    this.#state = 'ended';
    this.#clearTimer('tick');
    this.#clearTimer('report');
    this.#report();
    this.#deps.onEnded?.();
  }

  /** Something to report: now if the last report is old enough, else once it is. */
  #changed(): void {
    if (this.#reportTimer !== null) return;
    const wait = Math.max(0, this.#lastReportAt + REPEAT_PROGRESS_INTERVAL_MS - this.#deps.scheduler.now());
    this.#reportTimer = this.#deps.scheduler.setTimeout(() => {
      this.#reportTimer = null;
      this.#report();
    }, wait);
  }

  #report(): void {
    this.#lastReportAt = this.#deps.scheduler.now();
    const retained = [...this.#retained.values()];
    this.#retained = new Map();
    this.#deps.report({
      sent: this.#sent,
      acknowledged: this.#acknowledged,
      waiting: this.#waiting,
      peakWaiting: this.#peakWaiting,
      window: this.#plan.window,
      failed: this.#failed,
      total: this.#plan.times,
      periodMs: this.#plan.periodMs,
      qos: this.#plan.draft.qos,
      skippedFull: this.#skippedFull,
      skippedLate: this.#skippedLate,
      nextCounter: this.#plan.counterStart + this.#sent,
      state: this.#state,
      ended: this.#state === 'ended' ? this.#ending : null,
      problem: this.#problem,
      retained,
    });
  }

  #clearTimer(which: 'tick' | 'report'): void {
    const handle = which === 'tick' ? this.#tickTimer : this.#reportTimer;
    if (handle !== null) this.#deps.scheduler.clearTimeout(handle);
    if (which === 'tick') this.#tickTimer = null;
    else this.#reportTimer = null;
  }
}
