/**
 * Recordings opened offline: each is read from its file, streaming, and sent to its
 * read-only tab as ordinary message batches (file order, recorded receive times), so
 * the tree, details, charts and diff show it without a broker.
 *
 * Unlike a live connection's batcher, loading never coalesces: a recording is opened
 * to be read whole, and a file can wait where a broker cannot. So the tab's
 * acknowledgements pace the reading: at most `maxUnacknowledged` batches are in flight,
 * and the next chunk of the file is read only when one is acknowledged. Memory holds one
 * read chunk and those batches, however long the recording. A tab that acknowledges
 * nothing for `ackTimeoutMs` has gone (reloaded or closed without saying): the load
 * stops and closes the file.
 */
import { basename } from 'node:path';
import { fail, ok, type Result } from '../../../shared/ipc/app-error';
import type { MessageBatch, ReceivedMessage } from '../../../shared/mqtt/mqtt-message';
import type { RecordedMessage } from '../../../shared/recording/recording-reader';
import { RECORDING_VIEW_ACK_TIMEOUT_MS, type RecordingViewStatus } from '../../../shared/recording/recording-view';
import type { Scheduler } from '../connection/scheduler';
import { batchRun, DEFAULT_BATCHER_OPTIONS } from '../connection/message-batcher';
import { chosenRecordingPath, type RecordingSource, type RecordingSources } from './recording-sources';
import { openRecordingStream, whatWasLeftOut, type RecordingStream } from './recording-file';

export interface RecordingViewLimits {
  /** Messages per batch: the live batcher's flush holds about this many at the app's end-to-end rate. */
  maxBatchMessages: number;
  /** Payload bytes per batch, as the live batcher (a batch must fit in one browser-mode frame). */
  maxBatchBytes: number;
  /** Payload bytes kept per message, as a live connection keeps them. */
  maxPayloadBytes: number;
  maxUnacknowledged: number;
  ackTimeoutMs: number;
  /** Least time between two progress events while loading. */
  statusIntervalMs: number;
}

export const DEFAULT_VIEW_LIMITS: RecordingViewLimits = {
  maxBatchMessages: 2_000,
  maxBatchBytes: DEFAULT_BATCHER_OPTIONS.maxBatchBytes,
  maxPayloadBytes: DEFAULT_BATCHER_OPTIONS.maxPayloadBytes,
  maxUnacknowledged: DEFAULT_BATCHER_OPTIONS.maxUnacknowledged,
  ackTimeoutMs: RECORDING_VIEW_ACK_TIMEOUT_MS,
  statusIntervalMs: 250,
};

export interface RecordingViewsDeps {
  scheduler: Scheduler;
  sources: () => RecordingSources | undefined;
  /** Sends a batch to the window, as a live connection's batches go. */
  deliver: (batch: MessageBatch) => void;
  emitStatus: (connectionId: string, recording: RecordingViewStatus) => void;
  limits?: Partial<RecordingViewLimits>;
}

/** One recording loading into its tab. */
class RecordingView {
  readonly #connectionId: string;
  readonly #stream: RecordingStream;
  readonly #deps: RecordingViewsDeps;
  readonly #limits: RecordingViewLimits;
  #status: RecordingViewStatus;
  #nextSeq = 0;
  #acknowledged = -1;
  /** Resolves the wait for room in the window (an acknowledgement, a stop or the timeout). */
  #wake: (() => void) | null = null;
  #ackTimer: unknown = null;
  #lastStatusAt = -Infinity;

  constructor(connectionId: string, fileName: string, stream: RecordingStream, deps: RecordingViewsDeps, limits: RecordingViewLimits) {
    this.#connectionId = connectionId;
    this.#stream = stream;
    this.#deps = deps;
    this.#limits = limits;
    this.#status = { fileName, gzip: stream.gzip, state: 'loading', messages: 0, firstAt: null, lastAt: null, truncatedPayloads: 0, skipped: null, problem: null };
  }

  get status(): RecordingViewStatus {
    return this.#status;
  }

  get #loading(): boolean {
    return this.#status.state === 'loading';
  }

  get #inFlight(): number {
    return this.#nextSeq - 1 - this.#acknowledged;
  }

  /** Reads the file to its end (or until stopped), sending it batch by batch. */
  async load(): Promise<void> {
    let pending: ReceivedMessage[] = [];
    let pendingBytes = 0;
    try {
      for await (const chunk of this.#stream.batches) {
        for (const recorded of chunk) {
          const message = this.#received(recorded);
          pending.push(message);
          pendingBytes += message.payload.byteLength;
          if (pending.length < this.#limits.maxBatchMessages && pendingBytes < this.#limits.maxBatchBytes) continue;
          await this.#send(pending);
          pending = [];
          pendingBytes = 0;
          // Leaving the loop closes the file.
          if (!this.#loading) return;
        }
      }
      if (pending.length > 0) await this.#send(pending);
      await this.#roomFor(0);
      if (!this.#loading) return;
      const { skipped } = whatWasLeftOut(this.#stream);
      this.#end('done', null, skipped);
    } catch (error) {
      if (this.#loading) this.#end('failed', `the file could not be read (${(error as Error).message})`);
    }
  }

  /** The message as a live connection hands it over: no line number, the payload cut as the batcher cuts it. */
  #received(recorded: RecordedMessage): ReceivedMessage {
    const { topic, payload, payloadSize, qos, retain, receivedAt, properties } = recorded;
    const kept = payload.byteLength > this.#limits.maxPayloadBytes ? payload.slice(0, this.#limits.maxPayloadBytes) : payload;
    if (kept !== payload) this.#status = { ...this.#status, truncatedPayloads: this.#status.truncatedPayloads + 1 };
    const message: ReceivedMessage = { topic, payload: kept, payloadSize, qos, retain, receivedAt, coalesced: 0 };
    if (properties) message.properties = properties;
    return message;
  }

  /** Sends `messages` in batches of at most `maxBatchBytes`, each once the window has room. */
  async #send(messages: ReceivedMessage[]): Promise<void> {
    for (let start = 0; start < messages.length; ) {
      await this.#roomFor(this.#limits.maxUnacknowledged - 1);
      if (!this.#loading) return;
      const { count } = batchRun(messages, start, this.#limits.maxBatchBytes);
      const batch = messages.slice(start, start + count);
      start += count;
      this.#status = { ...this.#status, messages: this.#status.messages + batch.length, firstAt: this.#status.firstAt ?? batch[0]!.receivedAt, lastAt: batch[batch.length - 1]!.receivedAt };
      const truncated = batch.reduce((n, m) => n + (m.payload.byteLength < m.payloadSize ? 1 : 0), 0);
      this.#deps.deliver({ connectionId: this.#connectionId, messages: batch, coalesced: 0, truncated, seq: this.#nextSeq++, rendererBehind: false });
      this.#reportNowAndThen();
    }
  }

  /** Waits until at most `inFlight` batches await acknowledgement, the load stops, or the tab is taken for gone. */
  async #roomFor(inFlight: number): Promise<void> {
    while (this.#loading && this.#inFlight > inFlight) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#ackTimer = this.#deps.scheduler.setTimeout(() => {
          this.#ackTimer = null;
          const waited = this.#limits.ackTimeoutMs >= 120_000 ? `${Math.round(this.#limits.ackTimeoutMs / 60_000)} min` : `${Math.round(this.#limits.ackTimeoutMs / 1000)} s`;
          this.#end('stopped', `the window read nothing for ${waited} (it was reloaded or closed); open the recording again`);
        }, this.#limits.ackTimeoutMs);
      });
    }
  }

  #wakeUp(): void {
    if (this.#ackTimer !== null) this.#deps.scheduler.clearTimeout(this.#ackTimer);
    this.#ackTimer = null;
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  ack(seq: number): Result<Record<string, never>> {
    if (seq >= this.#nextSeq) {
      return fail({ code: 'INVALID_INPUT', message: `Message batch ${seq} of recording "${this.#connectionId}" has not been sent: acknowledge only batches received.` });
    }
    if (seq > this.#acknowledged) {
      this.#acknowledged = seq;
      this.#wakeUp();
    }
    return ok({});
  }

  /** Stops loading; what was sent stays in the tab. */
  stop(problem: string): boolean {
    if (!this.#loading) return false;
    this.#end('stopped', problem);
    return true;
  }

  #end(state: Exclude<RecordingViewStatus['state'], 'loading'>, problem: string | null, skipped: string | null = null): void {
    this.#status = { ...this.#status, state, problem, skipped };
    this.#deps.emitStatus(this.#connectionId, this.#status);
    this.#wakeUp();
  }

  #reportNowAndThen(): void {
    const now = this.#deps.scheduler.now();
    if (now - this.#lastStatusAt < this.#limits.statusIntervalMs) return;
    this.#lastStatusAt = now;
    this.#deps.emitStatus(this.#connectionId, this.#status);
  }
}

export class RecordingViews {
  readonly #deps: RecordingViewsDeps;
  readonly #limits: RecordingViewLimits;
  /** The recordings still loading, by the ID their tab chose; a loaded one needs nothing more from the core. */
  readonly #loading = new Map<string, RecordingView>();

  constructor(deps: RecordingViewsDeps) {
    this.#deps = deps;
    this.#limits = { ...DEFAULT_VIEW_LIMITS, ...deps.limits };
  }

  /** True while `connectionId` names a recording that is loading. */
  has(connectionId: string): boolean {
    return this.#loading.has(connectionId);
  }

  async open(connectionId: string, source: RecordingSource): Promise<Result<{ recording: RecordingViewStatus | null }>> {
    if (this.#loading.has(connectionId)) return fail({ code: 'INVALID_INPUT', message: `Recording "${connectionId}" is already loading: close its tab first.` });
    const chosen = await chosenRecordingPath(this.#deps.sources(), source, 'open');
    if (!chosen.ok) return chosen;
    const path = chosen.value;
    if (path === null) return ok({ recording: null });
    let stream: RecordingStream;
    try {
      stream = await openRecordingStream(path);
    } catch (error) {
      return fail({ code: 'FILE_UNREADABLE', message: `The recording could not be read: ${(error as Error).message}` });
    }
    const view = new RecordingView(connectionId, basename(path), stream, this.#deps, this.#limits);
    this.#loading.set(connectionId, view);
    void view.load().finally(() => {
      if (this.#loading.get(connectionId) === view) this.#loading.delete(connectionId);
    });
    return ok({ recording: view.status });
  }

  /** Null when `connectionId` names no loading recording. */
  ack(connectionId: string, seq: number): Result<Record<string, never>> | null {
    return this.#loading.get(connectionId)?.ack(seq) ?? null;
  }

  close(connectionId: string): { stopped: boolean } {
    const view = this.#loading.get(connectionId);
    this.#loading.delete(connectionId);
    return { stopped: view?.stop('its tab was closed') ?? false };
  }

  stopAll(): void {
    for (const id of [...this.#loading.keys()]) this.close(id);
  }
}
