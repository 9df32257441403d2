/**
 * One connection as a tab sees it: the form being edited, the profile it came from,
 * the status union and the protocol log from the core, and the connect, disconnect
 * and re-attach actions.
 */
import type { AppError } from '../../../shared/ipc/app-error';
import { randomClientId } from '../../../shared/mqtt/client-id';
import { connectionConfigSchema } from '../../../shared/connection/connection-config';
import type { ConnectionLogEntry, ConnectionStatus } from '../../../shared/connection/connection-status';
import { noteSubscriptionAnswer, subscriptionResults, type SubackAnswer, type SubscriptionResult } from '../../../shared/connection/subscription-results';
import type { OpenConnection, TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import type { QoS } from '../../../shared/mqtt/mqtt-message';
import { defaultFormFields, formToConfig, type ConnectionFormFields } from './connection-form';
import { subscriptionEditing, type SubscriptionEditing } from './subscription-editing';

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
  #target = $state('');
  readonly #unsubscribe: (() => void)[] = [];

  constructor(api: TopicscopeApi, setup: ConnectionSetup = {}) {
    this.#api = api;
    if (setup.form) this.form = setup.form;
    this.profileId = setup.profileId ?? null;
    this.randomClientId = setup.randomClientId ?? true;
    this.#unsubscribe.push(
      api.on('connection:status', ({ connectionId, status }) => {
        if (connectionId === this.#connectionId) this.#status = status;
      }),
      api.on('connection:log', ({ connectionId, entry }) => {
        if (connectionId === this.#connectionId) this.note(entry);
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
    return this.#target;
  }
  get isOpen(): boolean {
    return this.#connectionId !== null && this.#status.state !== 'disconnected';
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
    const config = formToConfig($state.snapshot(this.form));
    const parsed = connectionConfigSchema.safeParse(config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.');
      this.#formError = { code: 'INVALID_INPUT', message: field ? `${field}: ${issue?.message}` : (issue?.message ?? 'Invalid settings.') };
      return false;
    }
    // A connection that gave up after an error is still known to the core: forget it,
    // or it would come back as a tab after a reload.
    const previous = this.#connectionId;
    if (previous) void this.#api['connection:close']({ connectionId: previous });
    const connectionId = newConnectionId();
    this.#formError = null;
    this.#busy = true;
    this.#log = [];
    this.#subackAnswers = new Map();
    this.#connectionId = connectionId;
    this.#status = { state: 'connecting' };
    this.#target = `${parsed.data.protocol}://${parsed.data.host}:${parsed.data.port}`;
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

  /** Shows a connection the core already has open (after a reload); the log starts empty. */
  adopt(open: OpenConnection): void {
    this.#connectionId = open.connectionId;
    this.#status = open.status;
    this.#target = `${open.config.protocol}://${open.config.host}:${open.config.port}`;
    this.#log = [];
    // The tab subscribes again after a reload: the answers come back as new SUBACKs.
    this.#subackAnswers = new Map();
  }

  async disconnect(): Promise<void> {
    const connectionId = this.#connectionId;
    if (!connectionId) return;
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
