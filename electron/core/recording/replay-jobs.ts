/**
 * The replays of the open connections, at most one each: the recording each connection
 * chose (through the host: a dialog or a listed name, never a path from the window),
 * its preview, and the Replayer playing it on the connection's session.
 */
import { fail, ok, type Result } from '../../../shared/ipc/app-error';
import type { ParsedCommandArgs } from '../../../shared/ipc/ipc-contract';
import { rewrittenTopicProblem, type RecordingListing, type ReplayPreview, type ReplayStatus } from '../../../shared/recording/replay';
import type { MqttSession } from '../connection/mqtt-session';
import type { Scheduler } from '../connection/scheduler';
import { openRecordingStream } from './recording-file';
import { previewRecording } from './replay-source';
import { DEFAULT_MAX_IN_FLIGHT, Replayer } from './replayer';
import { chosenRecordingPath, type RecordingSources } from './recording-sources';

export interface ReplayJobsDeps {
  /** The replay's clock: fractional milliseconds (performance.now) for timing within 5 ms. */
  scheduler: Scheduler;
  sources: () => RecordingSources | undefined;
  emitStatus: (connectionId: string, replay: ReplayStatus) => void;
}

interface Chosen {
  path: string;
  preview: ReplayPreview;
}

export class ReplayJobs {
  readonly #deps: ReplayJobsDeps;
  readonly #chosen = new Map<string, Chosen>();
  readonly #running = new Map<string, Replayer>();
  /** Connections checking topics before their replay starts: a second Start must not start a second one. */
  readonly #starting = new Set<string>();

  constructor(deps: ReplayJobsDeps) {
    this.#deps = deps;
  }

  async list(): Promise<Result<{ dialog: boolean; recordings: RecordingListing[] }>> {
    const sources = this.#deps.sources();
    return ok({ dialog: sources?.pick !== undefined, recordings: (await sources?.list?.()) ?? [] });
  }

  async choose(session: MqttSession, args: ParsedCommandArgs<'replay:choose'>): Promise<Result<{ preview: ReplayPreview | null }>> {
    const chosen = await chosenRecordingPath(this.#deps.sources(), args.source, 'replay');
    if (!chosen.ok) return chosen;
    const path = chosen.value;
    if (path === null) return ok({ preview: null });
    try {
      const preview = await previewRecording(path, session.config.mqttVersion !== '5');
      this.#chosen.set(args.connectionId, { path, preview });
      return ok({ preview });
    } catch (error) {
      return fail({ code: 'FILE_UNREADABLE', message: `The recording could not be read: ${(error as Error).message}` });
    }
  }

  async start(session: MqttSession, args: ParsedCommandArgs<'replay:start'>): Promise<Result<{ replay: ReplayStatus }>> {
    const { connectionId } = args;
    if (this.#running.has(connectionId) || this.#starting.has(connectionId)) return fail({ code: 'INVALID_INPUT', message: 'A replay is already running on this connection: stop it first (one at a time per connection).' });
    const chosen = this.#chosen.get(connectionId);
    if (!chosen) return fail({ code: 'INVALID_INPUT', message: 'Choose a recording first.' });
    const { preview } = chosen;
    if (preview.messages === 0 || preview.firstAt === null || preview.lastAt === null) return fail({ code: 'INVALID_INPUT', message: 'This recording holds no messages to replay.' });
    // Every topic is checked before anything is sent (a second streaming read: the preview keeps only a few).
    this.#starting.add(connectionId);
    const problem = await this.#firstTopicProblem(chosen.path, args).catch((error: unknown) => `The recording could not be read: ${(error as Error).message}.`)
      .finally(() => this.#starting.delete(connectionId));
    if (problem) return fail({ code: 'INVALID_INPUT', message: `${problem} Nothing was sent.` });
    let stream: Awaited<ReturnType<typeof openRecordingStream>>;
    try {
      stream = await openRecordingStream(chosen.path);
    } catch (error) {
      return fail({ code: 'FILE_UNREADABLE', message: `The recording could not be read: ${(error as Error).message}` });
    }
    const replayer = new Replayer({
      fileName: preview.fileName,
      batches: stream.batches,
      total: preview.messages,
      firstAt: preview.firstAt,
      lastAt: preview.lastAt,
      options: { speed: args.speed, rewrite: args.rewrite, retain: args.retain },
      maxInFlight: Math.min(DEFAULT_MAX_IN_FLIGHT, session.receiveMaximum),
      sendProperties: session.config.mqttVersion === '5',
      publish: (message, done) => session.publishReplayed(message.topic, message.payload, message.qos, message.retain, message.properties, done),
      scheduler: this.#deps.scheduler,
      onStatus: (status) => this.#deps.emitStatus(connectionId, status),
    });
    this.#running.set(connectionId, replayer);
    void replayer.start().then(() => {
      if (this.#running.get(connectionId) === replayer) this.#running.delete(connectionId);
    });
    return ok({ replay: replayer.status });
  }

  pause(connectionId: string): Result<{ replay: ReplayStatus }> {
    const replayer = this.#running.get(connectionId);
    if (!replayer) return fail({ code: 'INVALID_INPUT', message: 'No replay is running on this connection.' });
    replayer.pause();
    return ok({ replay: replayer.status });
  }

  resume(connectionId: string): Result<{ replay: ReplayStatus }> {
    const replayer = this.#running.get(connectionId);
    if (!replayer) return fail({ code: 'INVALID_INPUT', message: 'No replay is running on this connection.' });
    replayer.resume();
    return ok({ replay: replayer.status });
  }

  async stop(connectionId: string): Promise<Result<{ replay: ReplayStatus }>> {
    const replayer = this.#running.get(connectionId);
    if (!replayer) return fail({ code: 'INVALID_INPUT', message: 'No replay is running on this connection.' });
    return ok({ replay: await replayer.stop('user') });
  }

  /** The connection dropped or closed: its replay stops, saying so. */
  async connectionLost(connectionId: string, closed: boolean): Promise<void> {
    if (closed) this.#chosen.delete(connectionId);
    await this.#running.get(connectionId)?.stop('connection-lost', closed ? 'The connection was closed: the replay stopped.' : 'The connection was lost: the replay stopped.');
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#running.keys()].map((id) => this.connectionLost(id, true)));
  }

  async #firstTopicProblem(path: string, args: ParsedCommandArgs<'replay:start'>): Promise<string | null> {
    if (args.rewrite.kind === 'none') return null;
    const stream = await openRecordingStream(path);
    const checked = new Set<string>();
    for await (const batch of stream.batches) {
      for (const message of batch) {
        if (checked.has(message.topic)) continue;
        if (checked.size < 100_000) checked.add(message.topic);
        const problem = rewrittenTopicProblem(message.topic, args.rewrite);
        // Leaving the loop closes the file.
        if (problem) return problem;
      }
    }
    return null;
  }
}
