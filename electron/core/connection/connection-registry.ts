/**
 * The connection core as the renderer sees it: the open sessions by ID and the
 * handlers for every connection command. Electron-free, so the browser-mode host and
 * the tests run exactly this code.
 */
import { fail, ok } from '../../../shared/ipc/app-error';
import { isSafeExternalUrl } from '../security/external-url';
import type { AppError, Result } from '../../../shared/ipc/app-error';
import type { ConnectionConfig } from '../../../shared/connection/connection-config';
import { configWithoutSecrets, SECRET_KINDS, SECRET_LABEL, secretMisfit, secretNeeded, type SecretKind } from '../../../shared/profiles/connection-profile';
import type { ConnectionEventName, EventPayloads, OpenConnection } from '../../../shared/ipc/ipc-contract';
import type { CommandHandlers } from '../ipc/command-dispatch';
import { MqttSession, type SessionDeps } from './mqtt-session';
import { unknownProfile, type ProfileStore } from '../profiles/profile-store';
import type { SettingsStore } from '../settings/settings-store';
import { systemScheduler } from './scheduler';
import { PayloadDecoder } from '../decode/payload-decoder';
import { RetainedJobs } from '../retained/retained-jobs';
import { readPayloadFile } from '../publish/payload-file';
import { RequestReplies } from '../publish/request-replies';
import { RepeatJobs } from '../publish/repeat-jobs';
import { RecordingJobs, type RecordingTarget } from '../recording/recording-jobs';
import type { PublishHistoryStore } from '../publish/publish-history-store';
import { ReplayJobs } from '../recording/replay-jobs';
import { addUploadedRecording, type RecordingSources } from '../recording/recording-sources';
import { RecordingViews } from '../recording/recording-views';

export interface CoreHost {
  /** Delivers a connection's event to the renderer(s). */
  emit<E extends ConnectionEventName>(event: E, payload: EventPayloads[E]): void;
  /** Opens the OS file dialog; absent where there is none (browser mode). */
  pickFile?: (purpose: 'ca' | 'cert' | 'key') => Promise<string | null>;
  /** Opens the OS file dialog for a file to publish as the payload (any type); absent where there is none (browser mode). */
  pickPayloadFile?: () => Promise<string | null>;
  /**
   * Asks the user where to save a file (suggesting `fileName`, whose extension, .json,
   * .jsonl or .csv, picks the dialog's file type), writes `text` there and returns the path, or null when cancelled; absent where there is no dialog (browser mode).
   */
  saveFile?: (fileName: string, text: string) => Promise<string | null>;
  /**
   * Where a new recording is written: the desktop app asks with a save dialog (suggesting
   * `fileName`) and returns the path, or null when cancelled; browser mode returns a new
   * file in its recordings folder and the name the page downloads it by. Absent: no recording.
   */
  recordingTarget?: (fileName: string, gzip: boolean) => Promise<RecordingTarget | null>;
  /** How the user chooses a recording to replay (desktop: open dialog; browser mode: its recordings folder). Absent: no replay. */
  recordingSources?: RecordingSources;
  /** Hands a checked http(s) URL to the system browser; absent where there is none (browser mode). */
  openExternal?: (url: string) => Promise<void>;
  mode: 'electron' | 'browser';
  versions: Record<string, string>;
}

/** What `connection:attach` reports about an open session besides its status. */
interface OpenedFrom {
  /** The config as opened, secrets removed. */
  config: ConnectionConfig;
  profileId: string | null;
}

export class ConnectionRegistry {
  readonly #sessions = new Map<string, MqttSession>();
  readonly #openedFrom = new Map<string, OpenedFrom>();
  readonly #host: CoreHost;
  readonly #sessionDeps: SessionDeps;
  /** Null where profiles are not kept (core tests without a store). */
  #profiles: ProfileStore | null;
  /** Null until the shell attaches them (and in core tests without settings). */
  #settings: SettingsStore | null = null;
  /** Null until the shell attaches it (and in core tests without one): histories then live in the window only. */
  #publishHistory: PublishHistoryStore | null = null;
  /** Keeps the parsed `.proto` files between calls. */
  readonly #decoder = new PayloadDecoder();
  /** Finding and clearing retained messages, each on a helper connection of its own. */
  readonly #retained: RetainedJobs;
  /** Requests published with `awaitReplies`, and their replies. */
  readonly #replies: RequestReplies;
  /** Repeated publishes, one per connection, on the user's own connection. */
  readonly #repeats: RepeatJobs;
  /** At most one recording per connection, tapped before the batcher. */
  readonly #recordings: RecordingJobs;
  /** At most one replay per connection. */
  readonly #replays: ReplayJobs;
  /** Recordings opened offline, while they load into their read-only tabs. */
  readonly #views: RecordingViews;

  constructor(host: CoreHost, sessionDeps: SessionDeps = {}, profiles: ProfileStore | null = null) {
    this.#host = host;
    this.#sessionDeps = sessionDeps;
    this.#profiles = profiles;
    this.#retained = new RetainedJobs({
      scheduler: sessionDeps.scheduler ?? systemScheduler,
      ...(sessionDeps.createClient ? { createClient: sessionDeps.createClient } : {}),
      emitProgress: (payload) => this.#host.emit('retained:clear-progress', payload),
    });
    this.#replies = new RequestReplies({ scheduler: sessionDeps.scheduler ?? systemScheduler, emit: (payload) => this.#host.emit('replies:batch', payload) });
    this.#repeats = new RepeatJobs({
      scheduler: sessionDeps.scheduler ?? systemScheduler,
      emitProgress: (payload) => this.#host.emit('publish:repeat-progress', payload),
    });
    this.#recordings = new RecordingJobs({
      scheduler: sessionDeps.scheduler ?? systemScheduler,
      target: () => this.#host.recordingTarget,
      emitStatus: (connectionId, recording) => this.#host.emit('recording:status', { connectionId, recording }),
    });
    this.#replays = new ReplayJobs({
      // Sub-millisecond clock for pacing; tests inject theirs.
      scheduler: sessionDeps.scheduler ?? { ...systemScheduler, now: () => performance.now() },
      sources: () => this.#host.recordingSources,
      emitStatus: (connectionId, replay) => this.#host.emit('replay:status', { connectionId, replay }),
    });
    this.#views = new RecordingViews({
      scheduler: sessionDeps.scheduler ?? systemScheduler,
      sources: () => this.#host.recordingSources,
      deliver: (batch) => this.#host.emit('messages:batch', batch),
      emitStatus: (connectionId, recording) => this.#host.emit('recording:view-status', { connectionId, recording }),
    });
  }

  /** Attaches the profile store once it can be opened (Electron's safeStorage needs the app ready). */
  useProfiles(profiles: ProfileStore): void {
    this.#profiles = profiles;
  }

  /** Attaches the publish history kept per profile (publish-history.json in the config folder). */
  usePublishHistory(history: PublishHistoryStore): void {
    this.#publishHistory = history;
  }

  /** Attaches the user's settings (electron-store in the desktop app, settings.json in browser mode). */
  useSettings(settings: SettingsStore): void {
    this.#settings = settings;
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

  /** A helper connects only while the user's connection is up: its settings are known to work. */
  #connectedSession(connectionId: string): Result<MqttSession> {
    const session = this.#session(connectionId);
    if (session.ok && session.value.status.state !== 'connected') {
      return fail({ code: 'NOT_CONNECTED', message: 'Not connected: connect first, or wait for the reconnect.' });
    }
    return session;
  }

  readonly handlers: CommandHandlers = {
    'connection:open': async ({ connectionId, config: given, profileId }) => {
      if (this.#sessions.has(connectionId) || this.#views.has(connectionId)) {
        return fail({ code: 'INVALID_INPUT', message: `Connection "${connectionId}" is already open: disconnect it first.` });
      }
      const filled = profileId === undefined ? ok(given) : this.#withSavedSecrets(given, profileId);
      if (!filled.ok) return filled;
      const config = filled.value;
      const session = new MqttSession(
        connectionId,
        config,
        {
          status: (status) => {
            // A connection that ended for good (not one reconnecting) ends its recording.
            if (status.state === 'disconnected') void this.#recordings.connectionClosed(connectionId);
            // A replay stops at once when the connection drops, even if it reconnects.
            if (status.state !== 'connected' && status.state !== 'connecting') void this.#replays.connectionLost(connectionId, false);
            this.#host.emit('connection:status', { connectionId, status });
            this.#repeats.connectionChanged(connectionId, status);
          },
          log: (entry) => this.#host.emit('connection:log', { connectionId, entry }),
          messages: (batch) => this.#host.emit('messages:batch', batch),
          received: (topic, payload, qos, retain, properties) => {
            this.#recordings.received(connectionId, topic, payload, qos, retain, properties);
            this.#replies.received(connectionId, topic, payload, retain, properties);
          },
        },
        this.#sessionDeps,
      );
      this.#sessions.set(connectionId, session);
      this.#openedFrom.set(connectionId, { config: configWithoutSecrets(config), profileId: profileId ?? null });
      const result = await session.open();
      // Only a connection that opened counts as a use: a typo'd host must not become the default.
      if (result.ok && profileId !== undefined) this.#markProfileUsed(connectionId, profileId);
      // A failed first attempt leaves nothing behind, so the same ID can retry.
      if (!result.ok && this.#sessions.get(connectionId) === session) {
        this.#sessions.delete(connectionId);
        this.#openedFrom.delete(connectionId);
      }
      return result;
    },
    'connection:attach': async () => {
      // A renderer that attaches has just (re)loaded: whatever batches were in flight to
      // the page it replaces will never be acknowledged. Forget them first, so the
      // held-back messages go out now rather than after the ack timeout.
      for (const session of this.#sessions.values()) session.resetFlowControl();
      return ok({ connections: this.#openConnections() });
    },
    'connection:close': async ({ connectionId }) => {
      const session = this.#session(connectionId);
      if (!session.ok) return session;
      this.#retained.stop(connectionId);
      this.#replies.forget(connectionId);
      // Before the session waits for what is in flight, or the repeat keeps adding to it.
      this.#repeats.stop(connectionId);
      this.#sessions.delete(connectionId);
      this.#openedFrom.delete(connectionId);
      await this.#recordings.connectionClosed(connectionId);
      await this.#replays.connectionLost(connectionId, true);
      await session.value.close();
      return ok({});
    },
    'subscription:add': async ({ connectionId, filter, qos }) => {
      const session = this.#session(connectionId);
      if (session.ok) this.#replies.adopt(connectionId, filter);
      return session.ok ? session.value.subscribe(filter, qos) : session;
    },
    'subscription:remove': async ({ connectionId, filter }) => {
      const session = this.#session(connectionId);
      return session.ok ? session.value.unsubscribe(filter) : session;
    },
    'message:publish': async ({ connectionId, topic, payload, qos, retain, properties, awaitReplies }) => {
      const session = this.#session(connectionId);
      if (!session.ok) return session;
      // The schema checked that a request waiting for replies has both properties; on MQTT 3.1.1 the session refuses them.
      if (awaitReplies && session.value.config.mqttVersion === '5' && properties?.responseTopic !== undefined && properties.correlationData !== undefined) {
        const request = { responseTopic: properties.responseTopic, correlationData: properties.correlationData };
        return this.#replies.publish(connectionId, session.value, { topic, payload, qos, retain, properties: { ...properties, ...request } });
      }
      return session.value.publish(topic, payload, qos, retain, properties);
    },
    'replies:response-topic': async ({ connectionId }) => {
      const session = this.#connectedSession(connectionId);
      return session.ok ? ok(this.#replies.responseTopic(session.value)) : session;
    },
    'replies:clear': async ({ connectionId }) => {
      const session = this.#session(connectionId);
      return session.ok ? ok(await this.#replies.clear(connectionId)) : session;
    },
    'publish:pick-file': async () => {
      if (!this.#host.pickPayloadFile) {
        return fail({ code: 'UNSUPPORTED', message: 'Browser mode has no file dialog: the page reads the file you choose.' });
      }
      const path = await this.#host.pickPayloadFile();
      if (path === null) return ok({ file: null });
      const read = await readPayloadFile(path);
      return read.ok ? ok({ file: read.value }) : read;
    },
    'publish:repeat-start': async (args) => {
      const session = this.#connectedSession(args.connectionId);
      return session.ok ? this.#repeats.start(args.connectionId, session.value, args) : session;
    },
    'publish:repeat-stop': async ({ connectionId }) => {
      const session = this.#session(connectionId);
      return session.ok ? ok({ stopped: this.#repeats.stop(connectionId) }) : session;
    },
    'retained:find': async ({ connectionId, filter }) => {
      const session = this.#connectedSession(connectionId);
      return session.ok ? this.#retained.find(connectionId, session.value.config, filter) : session;
    },
    'retained:clear': async ({ connectionId, filter, topics }) => {
      const session = this.#connectedSession(connectionId);
      return session.ok ? this.#retained.clear(connectionId, session.value.config, filter, topics) : session;
    },
    'retained:stop': async ({ connectionId }) => {
      const session = this.#session(connectionId);
      return session.ok ? ok({ stopped: this.#retained.stop(connectionId) }) : session;
    },
    'recording:start': async (args) => {
      const session = this.#connectedSession(args.connectionId);
      return session.ok ? this.#recordings.start(args) : session;
    },
    'recording:stop': async ({ connectionId }) => this.#recordings.stop(connectionId, 'user'),
    'replay:list': async () => this.#replays.list(),
    'replay:choose': async (args) => {
      const session = this.#session(args.connectionId);
      return session.ok ? this.#replays.choose(session.value, args) : session;
    },
    'replay:start': async (args) => {
      const session = this.#connectedSession(args.connectionId);
      return session.ok ? this.#replays.start(session.value, args) : session;
    },
    'replay:pause': async ({ connectionId }) => this.#replays.pause(connectionId),
    'replay:resume': async ({ connectionId }) => this.#replays.resume(connectionId),
    'replay:stop': async ({ connectionId }) => this.#replays.stop(connectionId),
    'recording:open': async ({ connectionId, source }) => {
      if (this.#sessions.has(connectionId)) return fail({ code: 'INVALID_INPUT', message: `"${connectionId}" is an open connection: a recording opens in a tab of its own.` });
      return this.#views.open(connectionId, source);
    },
    'recording:close': async ({ connectionId }) => ok(this.#views.close(connectionId)),
    'recording:upload': async ({ bytes }) => addUploadedRecording(this.#host.recordingSources, bytes),
    'file:pick': async ({ purpose }) => {
      if (!this.#host.pickFile) {
        return fail({ code: 'UNSUPPORTED', message: 'Browser mode has no file dialog: type the path of the file instead.' });
      }
      return ok({ path: await this.#host.pickFile(purpose) });
    },
    'app:info': async () => ok({ mode: this.#host.mode, versions: this.#host.versions }),
    'profile:list': async () => this.#withProfiles((store) => ok(store.list())),
    'profile:save': async (args) => this.#withProfiles((store) => store.save(args)),
    'profile:duplicate': async ({ id, name }) => this.#withProfiles((store) => store.duplicate(id, name)),
    'profile:delete': async ({ id }) => {
      const deleted = this.#withProfiles((store) => store.delete(id));
      // What was sent with a deleted profile goes with it; a failure here leaves a record nobody reads.
      if (deleted.ok) this.#publishHistory?.clear(id);
      return deleted;
    },
    'profile:export': async ({ ids, includeSecrets }) => {
      const exported = this.#withProfiles((store) => store.export(ids, includeSecrets));
      if (!exported.ok) return exported;
      const { fileName, json, count } = exported.value;
      // With a save dialog, main writes the file: exported secrets never reach the window.
      if (!this.#host.saveFile) return ok({ fileName, count, savedTo: null, json });
      const savedTo = await this.#host.saveFile(fileName, json);
      return ok({ fileName, count, savedTo, json: null });
    },
    'profile:import': async (args) => this.#withProfiles((store) => store.import(args)),
    'export:save': async ({ fileName, text }) => {
      if (!this.#host.saveFile) return ok({ fileName, savedTo: null, download: true });
      return ok({ fileName, savedTo: await this.#host.saveFile(fileName, text), download: false });
    },
    'messages:ack': async ({ connectionId, seq }) => {
      const session = this.#session(connectionId);
      return session.ok ? session.value.acknowledgeBatch(seq) : (this.#views.ack(connectionId, seq) ?? session);
    },
    'publish-history:list': async ({ profileId }) => this.#withPublishHistory((store) => ok({ entries: store.list(profileId) })),
    'publish-history:add': async ({ profileId, entry }) => this.#withPublishHistory((store) => store.add(profileId, entry)),
    'publish-history:clear': async ({ profileId }) => this.#withPublishHistory((store) => store.clear(profileId)),
    'settings:get': async () => this.#withSettings((store) => ok(store.get())),
    'settings:set': async ({ settings }) => this.#withSettings((store) => store.set(settings)),
    'payload:decode': async ({ decoder, protoFiles, payloads }) => ok({ results: this.#decoder.decode(decoder, protoFiles, payloads) }),
    'app:open-external': async ({ url }) => {
      if (!isSafeExternalUrl(url)) {
        return fail({ code: 'INVALID_INPUT', message: 'Only http and https links without a user name or password can be opened.' });
      }
      if (!this.#host.openExternal) return ok({ opened: false });
      await this.#host.openExternal(url);
      return ok({ opened: true });
    },
  };

  #withProfiles<T>(run: (store: ProfileStore) => Result<T>): Result<T> {
    if (!this.#profiles) return fail({ code: 'UNSUPPORTED', message: 'Saved profiles are not available here: enter the connection settings directly.' });
    return run(this.#profiles);
  }

  #withPublishHistory<T>(run: (store: PublishHistoryStore) => Result<T>): Result<T> {
    if (!this.#publishHistory) return fail({ code: 'UNSUPPORTED', message: 'The publish history is kept in this window only here.' });
    return run(this.#publishHistory);
  }

  #withSettings<T>(run: (store: SettingsStore) => Result<T>): Result<T> {
    if (!this.#settings) return fail({ code: 'UNSUPPORTED', message: 'Settings cannot be kept here; the defaults apply.' });
    return run(this.#settings);
  }

  /**
   * Secrets the config leaves out come from the saved profile; the renderer never had
   * them. Only those it needs are decrypted, and only for what they were saved for: a
   * tab whose host was edited without saving gets no saved password, and nothing is sent.
   */
  #withSavedSecrets(config: ConnectionConfig, profileId: string): Result<ConnectionConfig> {
    if (!this.#profiles) return fail({ code: 'UNSUPPORTED', message: 'Saved profiles are not available here: connect without a profile.' });
    const profile = this.#profiles.get(profileId);
    if (!profile) return fail(unknownProfile(profileId));
    const supplied: Record<SecretKind, boolean> = {
      password: config.password !== undefined,
      keyPassphrase: config.tls.keyPassphrase !== undefined,
      proxyPassword: config.proxy?.password !== undefined,
    };
    const wanted = SECRET_KINDS.filter((kind) => !supplied[kind] && profile.savedSecrets[kind] && secretNeeded(kind, config));
    for (const kind of wanted) {
      const misfit = secretMisfit(kind, profile.name, profile.config, config);
      if (misfit) {
        return fail({ code: 'INVALID_INPUT', message: `${misfit}: type the ${SECRET_LABEL[kind]}, or save the profile first. Nothing was sent.` });
      }
    }
    const saved = this.#profiles.secretsOf(profileId, wanted);
    if (!saved.ok) return saved;
    const password = config.password ?? saved.value.password;
    const keyPassphrase = config.tls.keyPassphrase ?? saved.value.keyPassphrase;
    const proxyPassword = config.proxy?.password ?? saved.value.proxyPassword;
    return ok({
      ...config,
      ...(password !== undefined ? { password } : {}),
      tls: { ...config.tls, ...(keyPassphrase !== undefined ? { keyPassphrase } : {}) },
      ...(config.proxy ? { proxy: { ...config.proxy, ...(proxyPassword !== undefined ? { password: proxyPassword } : {}) } } : {}),
    });
  }

  /** A failure to remember the last used profile must not stop the connection; it is logged. */
  #markProfileUsed(connectionId: string, profileId: string): void {
    const marked = this.#profiles?.markUsed(profileId);
    if (marked && !marked.ok) {
      this.#host.emit('connection:log', { connectionId, entry: { time: (this.#sessionDeps.scheduler ?? systemScheduler).now(), kind: 'info', text: `This profile could not be remembered as last used: ${marked.error.message}` } });
    }
  }

  /** The open connections as a renderer shows them: no secrets, current status. */
  #openConnections(): OpenConnection[] {
    const connections: OpenConnection[] = [];
    for (const [connectionId, session] of this.#sessions) {
      const from = this.#openedFrom.get(connectionId);
      if (from) connections.push({ connectionId, profileId: from.profileId, config: from.config, status: session.status });
    }
    return connections;
  }

  /** Disconnects every session cleanly (window closed, host stopping). */
  async closeAll(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    for (const id of this.#sessions.keys()) {
      this.#retained.stop(id);
      this.#replies.forget(id);
      this.#repeats.stop(id);
    }
    await this.#recordings.stopAll();
    await this.#replays.stopAll();
    this.#views.stopAll();
    this.#sessions.clear();
    this.#openedFrom.clear();
    await Promise.all(sessions.map((s) => s.close()));
  }
}
