/**
 * The connection core as the renderer sees it: the open sessions by ID and the
 * handlers for every connection command. Electron-free, so the browser-mode host and
 * the tests run exactly this code.
 */
import { fail, ok } from '../../shared/app-error';
import type { AppError, Result } from '../../shared/app-error';
import type { EventName, EventPayloads } from '../../shared/ipc-contract';
import type { CommandHandlers } from './command-dispatch';
import { MqttSession, type SessionDeps } from './mqtt-session';

export interface CoreHost {
  /** Delivers an event to the renderer(s). */
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
  /** Opens the OS file dialog; absent where there is none (browser mode). */
  pickFile?: (purpose: 'ca' | 'cert' | 'key') => Promise<string | null>;
  mode: 'electron' | 'browser';
  versions: Record<string, string>;
}

export class ConnectionRegistry {
  readonly #sessions = new Map<string, MqttSession>();
  readonly #host: CoreHost;
  readonly #sessionDeps: SessionDeps;

  constructor(host: CoreHost, sessionDeps: SessionDeps = {}) {
    this.#host = host;
    this.#sessionDeps = sessionDeps;
  }

  get size(): number {
    return this.#sessions.size;
  }

  #session(connectionId: string): Result<MqttSession> {
    const session = this.#sessions.get(connectionId);
    if (!session) {
      const error: AppError = { code: 'UNKNOWN_CONNECTION', message: `No open connection "${connectionId}": connect first.` };
      return fail(error);
    }
    return ok(session);
  }

  readonly handlers: CommandHandlers = {
    'connection:open': async ({ connectionId, config }) => {
      if (this.#sessions.has(connectionId)) {
        return fail({ code: 'INVALID_INPUT', message: `Connection "${connectionId}" is already open: disconnect it first.` });
      }
      const session = new MqttSession(
        connectionId,
        config,
        {
          status: (status) => this.#host.emit('connection:status', { connectionId, status }),
          log: (entry) => this.#host.emit('connection:log', { connectionId, entry }),
          messages: (batch) => this.#host.emit('messages:batch', batch),
        },
        this.#sessionDeps,
      );
      this.#sessions.set(connectionId, session);
      const result = await session.open();
      // A failed first attempt leaves nothing behind, so the same ID can retry.
      if (!result.ok && this.#sessions.get(connectionId) === session) this.#sessions.delete(connectionId);
      return result;
    },
    'connection:close': async ({ connectionId }) => {
      const session = this.#session(connectionId);
      if (!session.ok) return session;
      this.#sessions.delete(connectionId);
      await session.value.close();
      return ok({});
    },
    'subscription:add': async ({ connectionId, filter, qos }) => {
      const session = this.#session(connectionId);
      return session.ok ? session.value.subscribe(filter, qos) : session;
    },
    'subscription:remove': async ({ connectionId, filter }) => {
      const session = this.#session(connectionId);
      return session.ok ? session.value.unsubscribe(filter) : session;
    },
    'message:publish': async ({ connectionId, topic, payload, qos, retain }) => {
      const session = this.#session(connectionId);
      return session.ok ? session.value.publish(topic, payload, qos, retain) : session;
    },
    'file:pick': async ({ purpose }) => {
      if (!this.#host.pickFile) {
        return fail({ code: 'UNSUPPORTED', message: 'Browser mode has no file dialog: type the path of the file instead.' });
      }
      return ok({ path: await this.#host.pickFile(purpose) });
    },
    'app:info': async () => ok({ mode: this.#host.mode, versions: this.#host.versions }),
    // Interim until the profile store, flow control and the desktop gateway land.
    'connection:list': async () => ok({ connections: [] }),
    'messages:ack': async ({ connectionId, seq }) => {
      const session = this.#session(connectionId);
      return session.ok ? session.value.acknowledgeBatch(seq) : session;
    },
    'profile:list': async () => this.#unbuilt(),
    'profile:save': async () => this.#unbuilt(),
    'profile:duplicate': async () => this.#unbuilt(),
    'profile:delete': async () => this.#unbuilt(),
    'profile:export': async () => this.#unbuilt(),
    'profile:import': async () => this.#unbuilt(),
    'app:open-external': async () => this.#unbuilt(),
  };

  #unbuilt(): Result<never> {
    return fail({ code: 'UNSUPPORTED', message: 'Not available in this build.' });
  }

  /** Disconnects every session cleanly (window closed, host stopping). */
  async closeAll(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(sessions.map((s) => s.close()));
  }
}
