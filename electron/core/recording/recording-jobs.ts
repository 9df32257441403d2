/**
 * The recordings running, at most one per connection: starts one on a session's
 * message tap in the file the host chooses, stops it by hand, at its limits, or when
 * its connection closes, and reports its status as `recording:status` events.
 */
import { fail, ok, type Result } from '../../../shared/ipc/app-error';
import type { ParsedCommandArgs } from '../../../shared/ipc/ipc-contract';
import { recordingFileName } from '../../../shared/recording/recording-file-name';
import type { RecordingStopReason } from '../../../shared/recording/recording-format';
import type { RecordingStatus } from '../../../shared/recording/recording-status';
import type { MessageProperties, QoS } from '../../../shared/mqtt/mqtt-message';
import type { Scheduler } from '../connection/scheduler';
import { Recorder } from './recorder';

/** Where a new recording goes: a path, and in browser mode the name it is downloaded by. */
export interface RecordingTarget {
  path: string;
  downloadName: string | null;
}

export interface RecordingJobsDeps {
  scheduler: Scheduler;
  /** The host's way to choose the file (save dialog, or the recordings folder: null when the user cancelled); undefined: recording unsupported. */
  target: () => ((suggestedName: string, gzip: boolean) => Promise<RecordingTarget | null>) | undefined;
  emitStatus: (connectionId: string, recording: RecordingStatus) => void;
  /** Bytes waiting to be written above which messages are missed (tests make it small). */
  queueCapBytes?: number;
}

export class RecordingJobs {
  readonly #deps: RecordingJobsDeps;
  /** `taking`: whether it still takes messages (false once it is stopping). */
  readonly #running = new Map<string, { recorder: Recorder; taking: boolean }>();
  /** Connections asking the host for a file right now: a second Record must not open a second dialog. */
  readonly #starting = new Set<string>();

  constructor(deps: RecordingJobsDeps) {
    this.#deps = deps;
  }

  async start(args: ParsedCommandArgs<'recording:start'>): Promise<Result<{ recording: RecordingStatus | null }>> {
    const { connectionId } = args;
    if (this.#running.has(connectionId) || this.#starting.has(connectionId)) {
      return fail({ code: 'INVALID_INPUT', message: 'This connection is already being recorded: stop that recording first (one at a time per connection).' });
    }
    const chooseTarget = this.#deps.target();
    if (!chooseTarget) return fail({ code: 'UNSUPPORTED', message: 'Recording is not available here.' });
    this.#starting.add(connectionId);
    try {
      const target = await chooseTarget(recordingFileName(this.#deps.scheduler.now(), args.gzip), args.gzip);
      if (!target) return ok({ recording: null });
      const fileName = target.path.split(/[\\/]/).pop() ?? target.path;
      const started = await Recorder.start({
        path: target.path,
        fileName,
        savedTo: target.downloadName === null ? target.path : null,
        downloadName: target.downloadName,
        filters: args.filters,
        gzip: args.gzip,
        maxBytes: args.maxBytes,
        maxDurationMs: args.maxDurationMs,
        flags: target.downloadName === null ? 'w' : 'wx',
        scheduler: this.#deps.scheduler,
        ...(this.#deps.queueCapBytes !== undefined ? { queueCapBytes: this.#deps.queueCapBytes } : {}),
        onStatus: (status) => this.#onStatus(connectionId, status),
      });
      if (!started.ok) return fail({ code: 'FILE_WRITE_FAILED', message: `The recording file could not be created: ${started.problem}` });
      const { recorder } = started;
      this.#running.set(connectionId, { recorder, taking: true });
      return ok({ recording: recorder.status });
    } finally {
      this.#starting.delete(connectionId);
    }
  }

  /** A message the connection received, whole, before the batcher may coalesce it: its recording, if any, writes it. */
  received(connectionId: string, topic: string, payload: Buffer, qos: QoS, retain: boolean, properties: MessageProperties | undefined): void {
    const job = this.#running.get(connectionId);
    if (job?.taking) job.recorder.offer(topic, payload, qos, retain, properties);
  }

  /** Stops the connection's recording; resolves with its final status once the file is closed. */
  async stop(connectionId: string, reason: RecordingStopReason): Promise<Result<{ recording: RecordingStatus }>> {
    const job = this.#running.get(connectionId);
    if (!job) return fail({ code: 'INVALID_INPUT', message: 'This connection is not being recorded.' });
    return ok({ recording: await job.recorder.stop(reason) });
  }

  /** The connection closed: its recording, if any, stops and its file is closed. */
  async connectionClosed(connectionId: string): Promise<void> {
    if (this.#running.has(connectionId)) await this.stop(connectionId, 'connection-closed');
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#running.keys()].map((id) => this.connectionClosed(id)));
  }

  #onStatus(connectionId: string, status: RecordingStatus): void {
    // However it stopped (by hand, a limit, a failure), the tap goes at once and, once
    // the file is closed, the connection is free for the next recording.
    const job = this.#running.get(connectionId);
    if (job && status.state !== 'recording') {
      job.taking = false;
      if (status.state === 'stopped') this.#running.delete(connectionId);
    }
    this.#deps.emitStatus(connectionId, status);
  }
}
