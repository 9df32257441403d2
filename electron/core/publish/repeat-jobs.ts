/**
 * The repeats of one core, one per connection (a tab has one connection, and one form
 * to show a repeat's count). A repeat publishes on the user's own connection, stops
 * when that connection is no longer connected, and reports as `publish:repeat-progress`.
 */
import { fail, ok, type Result } from '../../../shared/ipc/app-error';
import type { ConnectionStatus } from '../../../shared/connection/connection-status';
import type { CommandValues, EventPayloads, ParsedCommandArgs } from '../../../shared/ipc/ipc-contract';
import { composeMessage, type ComposedMessage } from '../../../shared/publish/compose-message';
import type { Scheduler } from '../connection/scheduler';
import { RepeatJob } from './repeat-job';

/**
 * Messages waiting for their answer at once, at most (16), lowered to the broker's
 * Receive Maximum: enough that round trips overlap at a 1 ms period, and leaves room
 * under Mosquitto's 20 for the user's own publishes meanwhile.
 */
export const DEFAULT_REPEAT_WINDOW = 16;

/** What a repeat needs of the connection (MqttSession has it). */
export interface RepeatTarget {
  readonly status: ConnectionStatus;
  readonly config: { readonly mqttVersion: string };
  /** The broker's Receive Maximum from its CONNACK (65,535 when it sent none). */
  readonly receiveMaximum: number;
  publish(topic: string, payload: Uint8Array, qos: ComposedMessage['qos'], retain: boolean, properties?: ComposedMessage['properties']): Promise<Result<{ acknowledged: boolean }>>;
}

export interface RepeatJobsOptions {
  scheduler: Scheduler;
  emitProgress: (payload: EventPayloads['publish:repeat-progress']) => void;
  window?: number;
  uuid?: () => string;
  random?: () => number;
}

export class RepeatJobs {
  readonly #options: RepeatJobsOptions;
  readonly #running = new Map<string, RepeatJob>();

  constructor(options: RepeatJobsOptions) {
    this.#options = options;
  }

  /** Starts a repeat on a connected target; the first message goes at once. Nothing is sent when the draft makes no message. */
  start(connectionId: string, target: RepeatTarget, args: ParsedCommandArgs<'publish:repeat-start'>): Result<CommandValues['publish:repeat-start']> {
    if (target.status.state !== 'connected') return fail({ code: 'NOT_CONNECTED', message: 'Not connected: connect first, or wait for the reconnect.' });
    if (this.#running.has(connectionId)) {
      return fail({ code: 'BUSY', message: 'A repeat is already running on this connection: stop it first.' });
    }
    const { draft, file, clientId, counterStart, periodMs, times } = args;
    const mqtt5 = target.config.mqttVersion === '5';
    // The first message, made here only to check: a draft that makes none is refused before anything is sent.
    const first = composeMessage(draft, { context: { now: this.#options.scheduler.now(), uuid: '00000000-0000-4000-8000-000000000000', counter: counterStart, clientId, random: Math.random }, mqtt5, file });
    if (!first.message) {
      const problem = first.topicProblem ?? first.payloadProblem ?? first.propertiesProblem ?? 'The message could not be made.';
      return fail({ code: 'INVALID_INPUT', message: `${problem} Nothing was sent.` });
    }
    const window = Math.max(1, Math.min(this.#options.window ?? DEFAULT_REPEAT_WINDOW, target.receiveMaximum));
    const job = new RepeatJob(
      { draft, file, mqtt5, clientId, counterStart, periodMs, times, window },
      {
        scheduler: this.#options.scheduler,
        publish: (m) => target.publish(m.topic, m.payload, m.qos, m.retain, m.properties),
        report: (progress) => this.#options.emitProgress({ connectionId, ...progress }),
        onEnded: () => {
          if (this.#running.get(connectionId) === job) this.#running.delete(connectionId);
        },
        ...(this.#options.uuid ? { uuid: this.#options.uuid } : {}),
        ...(this.#options.random ? { random: this.#options.random } : {}),
      },
    );
    this.#running.set(connectionId, job);
    job.start();
    return ok({ window });
  }

  /** Stops the connection's repeat; false when none runs. */
  stop(connectionId: string): boolean {
    return this.#running.get(connectionId)?.stop() ?? false;
  }

  /** The connection's status changed: a repeat ends once it is no longer connected. */
  connectionChanged(connectionId: string, status: ConnectionStatus): void {
    if (status.state === 'connected') return;
    const job = this.#running.get(connectionId);
    if (!job) return;
    const error = status.state === 'reconnecting' ? status.lastError : status.state === 'disconnected' ? status.error : undefined;
    job.connectionLost(error ? `The connection was lost: ${error.message}` : 'The connection was closed.');
  }

  /** Whether a repeat runs (or finishes) on the connection. */
  has(connectionId: string): boolean {
    return this.#running.has(connectionId);
  }
}
