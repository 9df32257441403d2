/**
 * Writes one connection's received messages to a recording file (format:
 * shared/recording/recording-format.ts), streaming, with bounded memory.
 *
 * It is fed from MqttSession's message tap, before the batcher: the batcher coalesces
 * per topic and cuts payloads for the renderer, a recording must have every message
 * whole. Lines are gathered and handed to the file (through gzip when asked) once per
 * event-loop turn. What waits to be written — gathered lines plus what the stream
 * still buffers — is capped at `queueCapBytes`: while the disk is that far behind,
 * matching messages are counted as missed (never silently): the status says how many,
 * a gap line marks the place in the file, and the trailer gives the total.
 *
 * Stops at the size limit (JSON Lines bytes, counted before compression, trailer
 * included: the file never passes it, and its last line is whole), at the time limit,
 * or when told; stopping writes the trailer and ends the streams (gzip finished), and
 * resolves once the file is closed.
 */
import { isUtf8 } from 'node:buffer';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { constants as zlibConstants, createGzip } from 'node:zlib';
import type { MessageProperties, QoS } from '../../../shared/mqtt/mqtt-message';
import { topicMatchesFilter } from '../../../shared/mqtt/mqtt-topic';
import { MAX_RECORDING_LINE_BYTES, type RecordingEnd, type RecordingStopReason } from '../../../shared/recording/recording-format';
import { endLine, headerLine, messageLineText, type PayloadCodec } from '../../../shared/recording/recording-writer';
import type { RecordingStatus } from '../../../shared/recording/recording-status';
import { systemScheduler, type Scheduler } from '../connection/scheduler';

export interface RecorderOptions {
  path: string;
  fileName: string;
  /** Desktop: the path to show the user. */
  savedTo: string | null;
  /** Browser mode: the name the page downloads the file by. */
  downloadName: string | null;
  /** Topic filters to record; empty: everything received. */
  filters: string[];
  gzip: boolean;
  /** Stop before the JSON Lines would pass this many bytes; null: no limit. */
  maxBytes: number | null;
  /** Stop after this many ms; null: no limit. */
  maxDurationMs: number | null;
  /** Bytes waiting to be written above which messages are missed. Default 32 MiB. */
  queueCapBytes?: number;
  /** Milliseconds between status reports while recording. Default 250 (4 a second). */
  statusIntervalMs?: number;
  /** 'wx' refuses an existing file (browser mode names its own); 'w' replaces it (the user chose it in a save dialog). */
  flags: 'w' | 'wx';
  scheduler?: Scheduler;
  onStatus: (status: RecordingStatus) => void;
}

export const DEFAULT_QUEUE_CAP_BYTES = 32 * 1024 * 1024;
/** Gathered lines are handed to the stream at once past this many bytes, not only at the end of the turn. */
const WRITE_CHUNK_BYTES = 256 * 1024;
/** Room kept under the size limit for the trailer line, which is always shorter. */
const TRAILER_RESERVE_BYTES = 256;

/** Node's fast UTF-8 check and base64, taking the session's Buffers as they are. */
const bufferCodec: PayloadCodec<Buffer> = {
  utf8Text: (payload) => (isUtf8(payload) ? payload.toString('utf8') : null),
  base64: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
};

/** One message as a line of the file, "\n" included (built in shared/recording/recording-writer.ts, which Export uses too). */
export function messageLine(receivedAt: number, topic: string, payload: Buffer, qos: QoS, retain: boolean, properties: MessageProperties | undefined): string {
  return messageLineText({ receivedAt, topic, payload, qos, retain, properties }, bufferCodec);
}

export class Recorder {
  readonly #options: RecorderOptions;
  readonly #scheduler: Scheduler;
  readonly #queueCap: number;
  readonly #file: WriteStream;
  /** Where lines go: gzip (piped to the file) or the file itself. */
  readonly #head: Writable;
  readonly #closed: Promise<void>;
  #status: RecordingStatus;
  #pending: string[] = [];
  /** Bytes of the pending lines (exact unless `#pendingUncounted`). */
  #pendingBytes = 0;
  /** Some pending line's size is its UTF-16 length only: the chunk is counted exactly when written. */
  #pendingUncounted = false;
  #flushScheduled = false;
  /** Messages missed since the last line written: written as a gap line before the next one. */
  #gap: { missed: number; from: number; to: number } | null = null;
  #statusTimer: unknown = null;
  #limitTimer: unknown = null;
  #statusChanged = false;
  #stopping: Promise<RecordingStatus> | null = null;

  private constructor(options: RecorderOptions, file: WriteStream) {
    this.#options = options;
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#queueCap = options.queueCapBytes ?? DEFAULT_QUEUE_CAP_BYTES;
    this.#file = file;
    // Level 1: several times faster than the default 6 and still ~10x smaller than JSON
    // Lines; at the default, deflate fell behind a 500,000-message flood on a busy machine.
    const gzip = options.gzip ? createGzip({ level: zlibConstants.Z_BEST_SPEED }) : null;
    if (gzip) gzip.pipe(file);
    this.#head = gzip ?? file;
    this.#closed = new Promise((resolve) => file.once('close', () => resolve()));
    for (const stream of gzip ? [gzip, file] : [file]) stream.on('error', (error: Error) => this.#failed(error));
    this.#status = {
      state: 'recording',
      startedAt: this.#scheduler.now(),
      messages: 0,
      bytesWritten: 0,
      fileBytes: 0,
      missed: 0,
      filters: options.filters,
      gzip: options.gzip,
      fileName: options.fileName,
      savedTo: options.savedTo,
      downloadName: options.downloadName,
      stoppedBecause: null,
      problem: null,
    };
  }

  /** Creates the file and writes the header; fails (as data) when the file cannot be created. */
  static async start(options: RecorderOptions): Promise<{ ok: true; recorder: Recorder } | { ok: false; problem: string }> {
    const file = createWriteStream(options.path, { flags: options.flags, mode: 0o600 });
    try {
      await once(file, 'open');
    } catch (error) {
      return { ok: false, problem: (error as Error).message };
    }
    const recorder = new Recorder(options, file);
    recorder.#begin();
    return { ok: true, recorder };
  }

  get status(): RecordingStatus {
    // What waits for the end of this turn counts as written (exact once it is).
    return { ...this.#status, bytesWritten: this.#status.bytesWritten + this.#pendingBytes, fileBytes: this.#file.bytesWritten };
  }

  get recording(): boolean {
    return this.#status.state === 'recording';
  }

  #begin(): void {
    this.#queue(headerLine(this.#status.startedAt, this.#options.filters));
    const { maxDurationMs } = this.#options;
    if (maxDurationMs !== null) this.#limitTimer = this.#scheduler.setTimeout(() => void this.stop('time-limit'), maxDurationMs);
    this.#emit();
    this.#scheduleStatus();
  }

  /** One received message, from the session's tap. */
  offer(topic: string, payload: Buffer, qos: QoS, retain: boolean, properties: MessageProperties | undefined): void {
    if (this.#status.state !== 'recording') return;
    const { filters } = this.#options;
    if (filters.length > 0 && !filters.some((filter) => topicMatchesFilter(filter, topic))) return;
    const receivedAt = this.#scheduler.now();
    const line = messageLine(receivedAt, topic, payload, qos, retain, properties);
    const { maxBytes } = this.#options;
    // A UTF-16 unit is 1 to 3 UTF-8 bytes: the exact count (a scan of the line) only where
    // it decides something; otherwise the chunk is counted exactly when it is written.
    const exact = maxBytes !== null || line.length * 3 > MAX_RECORDING_LINE_BYTES ? Buffer.byteLength(line) : null;
    if (exact !== null && exact > MAX_RECORDING_LINE_BYTES) {
      this.#miss(receivedAt);
      return;
    }
    if (exact !== null && maxBytes !== null && this.#status.bytesWritten + this.#pendingBytes + exact + TRAILER_RESERVE_BYTES > maxBytes) {
      void this.stop('size-limit');
      return;
    }
    if (this.#pendingBytes + this.#head.writableLength + (exact ?? line.length) > this.#queueCap) {
      this.#miss(receivedAt);
      return;
    }
    if (this.#gap) {
      this.#queue(`${JSON.stringify({ gap: this.#gap })}\n`);
      this.#gap = null;
    }
    this.#queue(line, exact);
    this.#status.messages++;
    this.#statusChanged = true;
  }

  #miss(receivedAt: number): void {
    this.#status.missed++;
    this.#statusChanged = true;
    if (this.#gap) {
      this.#gap.missed++;
      this.#gap.to = receivedAt;
    } else {
      this.#gap = { missed: 1, from: receivedAt, to: receivedAt };
    }
  }

  /** `bytes`: the line's exact UTF-8 size when known; else it is counted with its chunk. */
  #queue(line: string, bytes: number | null = Buffer.byteLength(line)): void {
    this.#pending.push(line);
    if (bytes === null) this.#pendingUncounted = true;
    // Until the chunk is written, an uncounted line weighs its UTF-16 length (its ASCII size).
    this.#pendingBytes += bytes ?? line.length;
    if (this.#pendingBytes >= WRITE_CHUNK_BYTES) this.#flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.#flush());
    }
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#pending.length === 0 || this.#head.destroyed) return;
    const chunk = this.#pending.join('');
    this.#status.bytesWritten += this.#pendingUncounted ? Buffer.byteLength(chunk) : this.#pendingBytes;
    this.#head.write(chunk);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#pendingUncounted = false;
  }

  /** Flushes, writes the trailer, ends the streams and resolves with the final status once the file is closed. */
  stop(reason: RecordingStopReason): Promise<RecordingStatus> {
    this.#stopping ??= this.#stop(reason);
    return this.#stopping;
  }

  async #stop(reason: RecordingStopReason): Promise<RecordingStatus> {
    if (this.#status.state === 'recording') {
      this.#status.state = 'stopping';
      this.#status.stoppedBecause = reason;
      this.#clearTimers();
      this.#emit();
      if (this.#gap) this.#queue(`${JSON.stringify({ gap: this.#gap })}\n`);
      this.#gap = null;
      const end: RecordingEnd = { endedAt: this.#scheduler.now(), messages: this.#status.messages, missed: this.#status.missed, reason };
      this.#queue(endLine(end));
      this.#flush();
      this.#head.end();
    }
    await this.#closed;
    this.#status.state = 'stopped';
    this.#emit();
    return this.status;
  }

  #failed(error: Error): void {
    if (this.#status.problem !== null) return;
    this.#status.problem = `Writing the recording failed: ${error.message}`;
    if (this.#status.state === 'recording') this.#status.stoppedBecause = 'write-failed';
    this.#status.state = 'stopping';
    this.#clearTimers();
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#head.destroy();
    this.#file.destroy();
    void this.stop('write-failed');
  }

  #clearTimers(): void {
    if (this.#statusTimer !== null) this.#scheduler.clearTimeout(this.#statusTimer);
    if (this.#limitTimer !== null) this.#scheduler.clearTimeout(this.#limitTimer);
    this.#statusTimer = null;
    this.#limitTimer = null;
  }

  #scheduleStatus(): void {
    this.#statusTimer = this.#scheduler.setTimeout(() => {
      if (this.#status.state !== 'recording') return;
      if (this.#statusChanged) this.#emit();
      this.#scheduleStatus();
    }, this.#options.statusIntervalMs ?? 250);
  }

  #emit(): void {
    this.#statusChanged = false;
    this.#options.onStatus(this.status);
  }
}
