/**
 * Plays recorded messages back through a publish function: paced by their receive-time
 * differences divided by the speed (or as fast as the broker takes them), with topics
 * rewritten and retain kept or stripped, pausable and stoppable, reporting progress at
 * most every 250 ms and at once on every change of state.
 *
 * Timing: each message is due at an absolute time on the injected clock (dueAt: start +
 * time paused + offset / speed), never after a chain of relative waits, so timer
 * lateness never accumulates. Flow: at most `maxInFlight` QoS 1/2 messages await their
 * acknowledgement, and at most MAX_PENDING_WRITES messages of any QoS await their write
 * (a full socket), so nothing is read from the file ahead of what the broker takes.
 */
import type { MessageProperties, QoS } from '../../../shared/mqtt/mqtt-message';
import type { RecordedMessage } from '../../../shared/recording/recording-reader';
import { dueAt, rewriteTopic, type ReplayEnd, type ReplayOptions, type ReplayStatus } from '../../../shared/recording/replay';
import type { Scheduler } from '../connection/scheduler';

/** A message as it goes out. */
export interface ReplayedMessage {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  properties: MessageProperties | undefined;
}

/**
 * Sends one message; `done` runs once it is written (QoS 0) or acknowledged (1, 2), with
 * a problem in words when it failed. Returns false without sending when the connection is down.
 */
export type ReplayPublish = (message: ReplayedMessage, done: (problem: string | null) => void) => boolean;

/** Messages of any QoS whose write (or acknowledgement) is pending before reading on waits. */
export const MAX_PENDING_WRITES = 256;
/** QoS 1/2 messages in flight at most, unless the broker's Receive Maximum is lower. */
export const DEFAULT_MAX_IN_FLIGHT = 64;
export const PROGRESS_INTERVAL_MS = 250;

export interface ReplayerDeps {
  fileName: string;
  /** The recording's messages, pulled a batch at a time. */
  batches: AsyncIterable<RecordedMessage[]>;
  /** From the preview: how many messages and the first and last receive times. */
  total: number;
  firstAt: number;
  lastAt: number;
  options: ReplayOptions;
  maxInFlight: number;
  /** True on MQTT 5 connections: properties go out as recorded (topic alias and subscription identifiers never do). */
  sendProperties: boolean;
  publish: ReplayPublish;
  /** The clock and timers; `now` may be fractional (performance.now). */
  scheduler: Scheduler;
  onStatus: (status: ReplayStatus) => void;
  /** Lateness of each paced publish against its due time, in ms (tests and the benchmark). */
  onLateness?: (lateMs: number) => void;
}

/** Properties that may go out in a client's PUBLISH: the recorded ones minus alias and subscription identifiers. */
export function outgoingProperties(properties: MessageProperties | undefined): MessageProperties | undefined {
  if (!properties) return undefined;
  const out: MessageProperties = { ...properties };
  delete out.topicAlias;
  delete out.subscriptionIdentifier;
  return Object.keys(out).length > 0 ? out : undefined;
}

export class Replayer {
  readonly #deps: ReplayerDeps;
  #state: ReplayStatus['state'] = 'running';
  #sent = 0;
  #failed = 0;
  #positionMs = 0;
  #stopRequest: { end: ReplayEnd; problem: string | null } | null = null;
  #firstProblem: string | null = null;
  #startedAt = 0;
  #pausedMs = 0;
  #pausedAt = 0;
  #pendingAll = 0;
  #pendingAcked = 0;
  /** Resolves the loop's current wait (a slot, the due time, resume); any change wakes it to look again. */
  #wake: (() => void) | null = null;
  #timer: unknown = null;
  #progressTimer: unknown = null;
  #lastStatus: ReplayStatus | null = null;
  #final: ReplayStatus | null = null;
  readonly #finished: Promise<ReplayStatus>;
  #resolveFinished: (status: ReplayStatus) => void = () => {};

  constructor(deps: ReplayerDeps) {
    this.#deps = deps;
    this.#finished = new Promise((resolve) => (this.#resolveFinished = resolve));
  }

  /** Starts playing; the returned promise settles with the final status. */
  start(): Promise<ReplayStatus> {
    this.#startedAt = this.#deps.scheduler.now();
    this.#emit();
    this.#progressTimer = this.#deps.scheduler.setTimeout(() => this.#tick(), PROGRESS_INTERVAL_MS);
    void this.#run();
    return this.#finished;
  }

  get status(): ReplayStatus {
    return this.#final ?? this.#snapshot();
  }

  pause(): boolean {
    if (this.#state !== 'running') return false;
    this.#state = 'paused';
    this.#pausedAt = this.#deps.scheduler.now();
    this.#wakeUp();
    this.#emit();
    return true;
  }

  resume(): boolean {
    if (this.#state !== 'paused') return false;
    this.#pausedMs += this.#deps.scheduler.now() - this.#pausedAt;
    this.#state = 'running';
    this.#wakeUp();
    this.#emit();
    return true;
  }

  /** Stops sending; resolves once what was in flight has settled. */
  stop(end: ReplayEnd = 'user', problem: string | null = null): Promise<ReplayStatus> {
    if (this.#state !== 'stopped') this.#stopRequest ??= { end, problem };
    this.#wakeUp();
    return this.#finished;
  }

  async #run(): Promise<void> {
    const { options, scheduler } = this.#deps;
    const paced = options.speed !== 'max';
    try {
      let first = true;
      outer: for await (const batch of this.#deps.batches) {
        for (const message of batch) {
          if (first) {
            // The clock starts with the first message read, not before opening the file:
            // otherwise the first messages would all be late by the time reading took.
            first = false;
            this.#startedAt = scheduler.now();
          }
          // Waits only when it must: the fast path stays synchronous.
          for (;;) {
            if (this.#stopRequest) break outer;
            if (this.#state === 'paused') {
              await this.#waitForWake();
              continue;
            }
            if (paced) {
              const due = dueAt(this.#startedAt, message.receivedAt - this.#deps.firstAt, options.speed as number, this.#pausedMs);
              if (due > scheduler.now()) {
                await this.#sleepUntil(due);
                continue;
              }
            }
            if (this.#pendingAll >= MAX_PENDING_WRITES || (message.qos > 0 && this.#pendingAcked >= this.#deps.maxInFlight)) {
              await this.#waitForWake();
              continue;
            }
            break;
          }
          if (paced) {
            const due = dueAt(this.#startedAt, message.receivedAt - this.#deps.firstAt, options.speed as number, this.#pausedMs);
            this.#deps.onLateness?.(scheduler.now() - due);
          }
          if (!this.#send(message)) break outer;
        }
      }
      // What is in flight settles before the replay reports its end.
      while (this.#pendingAll > 0) await this.#waitForWake();
      const request = this.#stopRequest;
      this.#finish(request?.end ?? 'done', request?.problem ?? (this.#failed > 0 ? this.#firstProblem : null));
    } catch (error) {
      while (this.#pendingAll > 0) await this.#waitForWake();
      this.#finish('failed', `The recording could not be read: ${(error as Error).message}`);
    }
  }

  #send(message: RecordedMessage): boolean {
    const { options, sendProperties } = this.#deps;
    const qos = message.qos;
    const outgoing: ReplayedMessage = {
      topic: rewriteTopic(message.topic, options.rewrite),
      payload: message.payload,
      qos,
      retain: options.retain === 'keep' && message.retain,
      properties: sendProperties ? outgoingProperties(message.properties) : undefined,
    };
    this.#pendingAll++;
    if (qos > 0) this.#pendingAcked++;
    const offset = message.receivedAt - this.#deps.firstAt;
    const accepted = this.#deps.publish(outgoing, (problem) => {
      this.#pendingAll--;
      if (qos > 0) this.#pendingAcked--;
      if (problem === null) this.#sent++;
      else {
        this.#failed++;
        this.#firstProblem ??= problem;
      }
      if (offset > this.#positionMs) this.#positionMs = offset;
      this.#wakeUp();
    });
    if (!accepted) {
      this.#pendingAll--;
      if (qos > 0) this.#pendingAcked--;
      this.#stopRequest ??= { end: 'connection-lost', problem: 'The connection is down: the replay stopped.' };
    }
    return accepted;
  }

  #waitForWake(): Promise<void> {
    return new Promise((resolve) => (this.#wake = resolve));
  }

  #sleepUntil(due: number): Promise<void> {
    const { scheduler } = this.#deps;
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = scheduler.setTimeout(() => {
        this.#timer = null;
        this.#wakeUp();
      }, Math.max(0, due - scheduler.now()));
    });
  }

  #wakeUp(): void {
    if (this.#timer !== null) {
      this.#deps.scheduler.clearTimeout(this.#timer);
      this.#timer = null;
    }
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #tick(): void {
    this.#progressTimer = null;
    if (this.#state === 'stopped') return;
    this.#emit();
    this.#progressTimer = this.#deps.scheduler.setTimeout(() => this.#tick(), PROGRESS_INTERVAL_MS);
  }

  #finish(end: ReplayEnd, problem: string | null): void {
    if (this.#progressTimer !== null) this.#deps.scheduler.clearTimeout(this.#progressTimer);
    this.#progressTimer = null;
    if (end === 'done') this.#positionMs = this.#deps.lastAt - this.#deps.firstAt;
    this.#state = 'stopped';
    const status = this.#snapshot(end, problem);
    this.#final = status;
    this.#deps.onStatus(status);
    this.#resolveFinished(status);
  }

  #emit(): void {
    const status = this.#snapshot();
    const last = this.#lastStatus;
    // Nothing changed since the last report: no event.
    if (last?.state === status.state && last.sent === status.sent && last.failed === status.failed) return;
    this.#lastStatus = status;
    this.#deps.onStatus(status);
  }

  #snapshot(end: ReplayEnd | null = null, problem: string | null = null): ReplayStatus {
    return {
      state: this.#state,
      fileName: this.#deps.fileName,
      sent: this.#sent,
      failed: this.#failed,
      total: this.#deps.total,
      positionMs: this.#positionMs,
      durationMs: this.#deps.lastAt - this.#deps.firstAt,
      speed: this.#deps.options.speed,
      stoppedBecause: end,
      problem,
    };
  }
}
