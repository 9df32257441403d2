/**
 * One connection as a tab sees it: the form being edited, the profile it came from,
 * the status union and the protocol log from the core, and the connect, disconnect
 * and re-attach actions. Once open, the form folds into a header; "Edit connection"
 * unfolds it, and applying changed settings reconnects with them (see connection-edit.ts).
 */
import type { AppError } from '../../../shared/ipc/app-error';
import { randomClientId } from '../../../shared/mqtt/client-id';
import { connectionConfigSchema } from '../../../shared/connection/connection-config';
import { proxyVia } from '../../../shared/connection/proxy-config';
import type { ConnectionLogEntry, ConnectionStatus } from '../../../shared/connection/connection-status';
import { noteSubscriptionAnswer, subscriptionResults, type SubackAnswer, type SubscriptionResult } from '../../../shared/connection/subscription-results';
import type { OpenConnection, TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import type { QoS } from '../../../shared/mqtt/mqtt-message';
import type { ConnectionConfig, ConnectionConfigInput, MqttVersion } from '../../../shared/connection/connection-config';
import { revertedForm, settingsChanged, type EditBase } from './connection-edit';
import { defaultFormFields, formToConfig, type ConnectionFormFields } from './connection-form';
import { subscriptionEditing, type SubscriptionEditing } from './subscription-editing';
import { WHOLE_TREE_REPLACEMENT, wholeTreeFallback } from '../../../shared/connection/whole-tree-fallback';
import { fallbackMqttVersion } from '../../../shared/connection/protocol-fallback';

const MAX_LOG_ENTRIES = 500;

/** How a subscription change went: `applied` when the form changed; `message` to show, if any. */
export interface SubscriptionChange {
  applied: boolean;
  message: string | null;
}

export interface ConnectionSetup {
  form?: ConnectionFormFields;
  profileId?: string | null;
  randomClientId?: boolean;
}

/** What the open connection was opened with, for its header: never the live form being edited. */
export interface OpenedSettings {
  /** "mqtts://host:port". */
  target: string;
  mqttVersion: MqttVersion;
  clientId: string;
  /** "via SOCKS5 proxy.corp:1080" when it goes through a proxy, else null. */
  via: string | null;
}

function newConnectionId(): string {
  return `c${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export class ConnectionState {
  readonly #api: TopicscopeApi;
  /** The form is edited field by field, so it is deep state. */
  form: ConnectionFormFields = $state(defaultFormFields(randomClientId()));
  /** The saved profile this form edits; null for an unsaved connection. */
  profileId = $state<string | null>(null);
  /** A fresh client ID on every connect, so two tabs on one broker never evict each other. */
  randomClientId = $state(true);
  #connectionId = $state<string | null>(null);
  #status = $state.raw<ConnectionStatus>({ state: 'disconnected' });
  #log = $state.raw<ConnectionLogEntry[]>([]);
  /** The broker's last SUBACK per filter on this connection, kept apart from the log, which drops old lines. */
  #subackAnswers = $state.raw<ReadonlyMap<string, SubackAnswer>>(new Map());
  /** An error that never reached the core (invalid form) or came back without a status. */
  #formError = $state<AppError | null>(null);
  #busy = $state(false);
  #opened = $state.raw<OpenedSettings | null>(null);
  /** Set while the user edits an open connection's settings: what they were before. */
  #editBase = $state.raw<EditBase | null>(null);
  readonly #unsubscribe: (() => void)[] = [];
  /**
   * The connection being closed to reconnect with edited settings: its last events
   * ("disconnected") are not shown, or the form would flash up between the two.
   */
  #replacing: string | null = null;

  constructor(api: TopicscopeApi, setup: ConnectionSetup = {}) {
    this.#api = api;
    if (setup.form) this.form = setup.form;
    this.profileId = setup.profileId ?? null;
    this.randomClientId = setup.randomClientId ?? true;
    this.#unsubscribe.push(
      api.on('connection:status', ({ connectionId, status }) => {
        if (connectionId === this.#connectionId && connectionId !== this.#replacing) this.#status = status;
      }),
      api.on('connection:log', ({ connectionId, entry }) => {
        if (connectionId === this.#connectionId && connectionId !== this.#replacing) this.note(entry);
      }),
    );
  }

  get connectionId(): string | null {
    return this.#connectionId;
  }
  get status(): ConnectionStatus {
    return this.#status;
  }
  get log(): readonly ConnectionLogEntry[] {
    return this.#log;
  }
  /** The form's subscriptions with what the broker answered to each on this connection (pending until it did). */
  get subscriptionResults(): SubscriptionResult[] {
    return subscriptionResults(this.form.subscriptions, this.#subackAnswers);
  }
  get formError(): AppError | null {
    return this.#formError;
  }
  get busy(): boolean {
    return this.#busy;
  }
  /** "mqtts://host:port" of the current connection, for the status line. */
  get target(): string {
    return this.#opened?.target ?? '';
  }
  /** The settings the current connection was opened with; null before the first connect. */
  get opened(): OpenedSettings | null {
    return this.#opened;
  }
  get isOpen(): boolean {
    return this.#connectionId !== null && this.#status.state !== 'disconnected';
  }
  /** The user unfolded the form of an open connection to change its settings. */
  get editing(): boolean {
    return this.isOpen && this.#editBase !== null;
  }
  /** The form is shown while nothing is open, and while editing; otherwise the header stands for it. */
  get formShown(): boolean {
    return !this.isOpen || this.editing;
  }
  /** Applying the form now would reconnect with other settings. */
  get hasEdits(): boolean {
    const base = this.#editBase;
    return base !== null && settingsChanged(base, $state.snapshot(this.form), this.randomClientId);
  }

  /** Unfolds the form of the open connection, remembering the settings to go back to. */
  startEditing(): void {
    if (!this.isOpen || this.#editBase) return;
    this.#formError = null;
    this.#editBase = { form: $state.snapshot(this.form), randomClientId: this.randomClientId };
  }

  /** Folds the form back, its settings as they were (subscriptions stay: they applied live). */
  cancelEditing(): void {
    const base = this.#editBase;
    if (!base) return;
    this.loadForm(revertedForm(base, $state.snapshot(this.form)));
    this.randomClientId = base.randomClientId;
    this.#formError = null;
    this.#editBase = null;
  }

  /**
   * Closes the open connection and opens one with the form's settings (the user confirmed).
   * Nothing is closed when the new settings are invalid: the form stays open with the error.
   */
  async reconnect(onOpening: (connectionId: string) => void): Promise<boolean> {
    if (this.#busy || this.#parseForm() === null) return false;
    const previous = this.#connectionId;
    if (previous) {
      this.#busy = true;
      this.#replacing = previous;
      await this.#api['connection:close']({ connectionId: previous });
      this.#replacing = null;
      this.#busy = false;
      // Closed for good: nothing for connect() to close again.
      this.#connectionId = null;
      this.#status = { state: 'disconnected' };
    }
    return this.connect(onOpening);
  }

  /** Whether the subscription list can be edited now, and whether an edit reaches the broker at once. */
  get subscriptionEditing(): SubscriptionEditing {
    return subscriptionEditing(this.#status);
  }

  /**
   * Adds (or replaces) a subscription in the form; while connected it is subscribed on
   * the broker first, and the form changes only if the broker granted it.
   */
  async addSubscription(filter: string, qos: QoS): Promise<SubscriptionChange> {
    const editing = this.subscriptionEditing;
    if (!editing.editable) return { applied: false, message: null };
    const connectionId = this.#connectionId;
    let message: string | null = null;
    if (connectionId && editing.live) {
      const result = await this.#api['subscription:add']({ connectionId, filter, qos });
      if (!result.ok) return { applied: false, message: result.error.message };
      message = `Subscribed to "${filter}", granted QoS ${result.value.grantedQos}.`;
    }
    this.form.subscriptions = [...this.form.subscriptions.filter((s) => s.filter !== filter), { filter, qos }];
    return { applied: true, message };
  }

  /**
   * The broker refused `#` or `+/#` (EMQX's default ACL): subscribes to `+` and `+/+/#`
   * instead, live, and once both are granted leaves the refused filters out of the form,
   * which unsubscribes nothing the broker had granted. Applied only when the broker
   * accepted the whole replacement.
   */
  async subscribeWholeTreeInstead(): Promise<SubscriptionChange> {
    const fallback = wholeTreeFallback(this.subscriptionResults);
    if (!fallback || this.#status.state !== 'connected') return { applied: false, message: null };
    for (const filter of WHOLE_TREE_REPLACEMENT) {
      const added = await this.addSubscription(filter, fallback.qos);
      if (!added.applied) return added;
    }
    for (const filter of fallback.refused) await this.removeSubscription(filter);
    return { applied: true, message: `Subscribed to ${WHOLE_TREE_REPLACEMENT.map((f) => `"${f}"`).join(' and ')} instead of ${fallback.refused.map((f) => `"${f}"`).join(' and ')}.` };
  }

  /**
   * The broker refused the MQTT version: the version to offer instead, or null when the
   * last attempt failed for another reason.
   */
  get versionFallback(): MqttVersion | null {
    const status = this.#status;
    const opened = this.#opened;
    if (status.state !== 'disconnected' || status.error?.code !== 'PROTOCOL_VERSION_REFUSED' || !opened) return null;
    return fallbackMqttVersion(opened.mqttVersion);
  }

  /** Removes a subscription from the form; while connected it is unsubscribed on the broker first. */
  async removeSubscription(filter: string): Promise<SubscriptionChange> {
    const editing = this.subscriptionEditing;
    if (!editing.editable) return { applied: false, message: null };
    const connectionId = this.#connectionId;
    let message: string | null = null;
    if (connectionId && editing.live) {
      const result = await this.#api['subscription:remove']({ connectionId, filter });
      if (!result.ok) return { applied: false, message: result.error.message };
      message = `Unsubscribed from "${filter}".`;
    }
    this.form.subscriptions = this.form.subscriptions.filter((s) => s.filter !== filter);
    return { applied: true, message };
  }

  /**
   * Asks main for a TLS file with its own dialog (desktop app only). The chosen path,
   * null when the user cancelled, or the error to show.
   */
  async pickFile(purpose: 'ca' | 'cert' | 'key'): Promise<{ path: string | null } | { error: string }> {
    const result = await this.#api['file:pick']({ purpose });
    return result.ok ? { path: result.value.path } : { error: result.error.message };
  }

  /** Adds a line to the log (the core's entries, and what the window itself did). */
  note(entry: ConnectionLogEntry): void {
    const next = this.#log.length >= MAX_LOG_ENTRIES ? this.#log.slice(1) : this.#log.slice();
    next.push(entry);
    this.#log = next;
    this.#subackAnswers = noteSubscriptionAnswer(this.#subackAnswers, entry);
  }

  /**
   * Loads other settings into the form in place: components hold on to `form`, so the
   * object stays the same.
   */
  loadForm(fields: ConnectionFormFields): void {
    Object.assign(this.form, fields);
  }

  newClientId(): void {
    this.form.clientId = randomClientId();
  }

  /**
   * Validates the form, then opens a connection; `onOpening` gets the new ID first.
   * True once the broker accepted it; false when the form is invalid or the attempt failed.
   */
  async connect(onOpening: (connectionId: string) => void): Promise<boolean> {
    if (this.#busy || this.isOpen) return false;
    if (this.randomClientId) this.newClientId();
    const parsed = this.#parseForm();
    if (parsed === null) return false;
    const { config, valid } = parsed;
    // A connection that gave up after an error is still known to the core: forget it,
    // or it would come back as a tab after a reload.
    const previous = this.#connectionId;
    if (previous) void this.#api['connection:close']({ connectionId: previous });
    const connectionId = newConnectionId();
    this.#formError = null;
    this.#editBase = null;
    this.#busy = true;
    this.#log = [];
    this.#subackAnswers = new Map();
    this.#connectionId = connectionId;
    this.#status = { state: 'connecting' };
    this.#opened = { target: `${valid.protocol}://${valid.host}:${valid.port}`, mqttVersion: valid.mqttVersion, clientId: valid.clientId, via: valid.proxy ? proxyVia(valid.proxy) : null };
    onOpening(connectionId);
    const profileId = this.profileId;
    const result = await this.#api['connection:open']({ connectionId, config, ...(profileId ? { profileId } : {}) });
    this.#busy = false;
    // Events may have changed the status while awaiting; TypeScript cannot see that.
    const current = this.#status as ConnectionStatus;
    if (!result.ok && current.state !== 'disconnected') {
      this.#status = { state: 'disconnected', error: result.error };
    }
    return result.ok;
  }

  /** The form as the contract's config, or null with the reason in `formError`. */
  #parseForm(): { config: ConnectionConfigInput; valid: ConnectionConfig } | null {
    const config = formToConfig($state.snapshot(this.form));
    const parsed = connectionConfigSchema.safeParse(config);
    if (parsed.success) return { config, valid: parsed.data };
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.');
    this.#formError = { code: 'INVALID_INPUT', message: field ? `${field}: ${issue?.message}` : (issue?.message ?? 'Invalid settings.') };
    return null;
  }

  /** Shows a connection the core already has open (after a reload); the log starts empty. */
  adopt(open: OpenConnection): void {
    this.#connectionId = open.connectionId;
    this.#status = open.status;
    this.#opened = {
      target: `${open.config.protocol}://${open.config.host}:${open.config.port}`,
      mqttVersion: open.config.mqttVersion,
      clientId: open.config.clientId,
      via: open.config.proxy ? proxyVia(open.config.proxy) : null,
    };
    this.#log = [];
    // The tab subscribes again after a reload: the answers come back as new SUBACKs.
    this.#subackAnswers = new Map();
  }

  async disconnect(): Promise<void> {
    const connectionId = this.#connectionId;
    if (!connectionId) return;
    this.#editBase = null;
    await this.#api['connection:close']({ connectionId });
    this.#status = { state: 'disconnected' };
  }

  /** Closes whatever the core still holds for this tab, and stops listening. */
  async close(): Promise<void> {
    this.dispose();
    const connectionId = this.#connectionId;
    if (connectionId) await this.#api['connection:close']({ connectionId });
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
  }
}
