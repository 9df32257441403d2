/**
 * One connection as the window sees it: the form being edited, the status union and
 * the protocol log from the core, and the connect and disconnect actions.
 */
import type { AppError } from '../../../shared/app-error';
import { randomClientId } from '../../../shared/client-id';
import { connectionConfigSchema } from '../../../shared/connection-config';
import type { ConnectionLogEntry, ConnectionStatus } from '../../../shared/connection-status';
import type { TopicscopeApi } from '../../../shared/ipc-contract';
import { defaultFormFields, formToConfig, type ConnectionFormFields } from '../lib/connection-form';

const MAX_LOG_ENTRIES = 500;

export class ConnectionState {
  readonly #api: TopicscopeApi;
  /** The form is edited field by field, so it is deep state. */
  form: ConnectionFormFields = $state(defaultFormFields(randomClientId()));
  #connectionId = $state<string | null>(null);
  #status = $state.raw<ConnectionStatus>({ state: 'disconnected' });
  #log = $state.raw<ConnectionLogEntry[]>([]);
  /** An error that never reached the core (invalid form) or came back without a status. */
  #formError = $state<AppError | null>(null);
  #busy = $state(false);
  #target = $state('');
  readonly #unsubscribe: (() => void)[] = [];

  constructor(api: TopicscopeApi) {
    this.#api = api;
    this.#unsubscribe.push(
      api.on('connection:status', ({ connectionId, status }) => {
        if (connectionId === this.#connectionId) this.#status = status;
      }),
      api.on('connection:log', ({ connectionId, entry }) => {
        if (connectionId !== this.#connectionId) return;
        const next = this.#log.length >= MAX_LOG_ENTRIES ? this.#log.slice(1) : this.#log.slice();
        next.push(entry);
        this.#log = next;
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

  newClientId(): void {
    this.form.clientId = randomClientId();
  }

  /** Validates the form, then opens a connection; `onOpened` gets the new ID first. */
  async connect(onOpening: (connectionId: string) => void): Promise<void> {
    if (this.#busy || this.isOpen) return;
    const config = formToConfig($state.snapshot(this.form));
    const parsed = connectionConfigSchema.safeParse(config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.');
      this.#formError = { code: 'INVALID_INPUT', message: field ? `${field}: ${issue?.message}` : (issue?.message ?? 'Invalid settings.') };
      return;
    }
    const connectionId = `c${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    this.#formError = null;
    this.#busy = true;
    this.#log = [];
    this.#connectionId = connectionId;
    this.#status = { state: 'connecting' };
    this.#target = `${parsed.data.protocol}://${parsed.data.host}:${parsed.data.port}`;
    onOpening(connectionId);
    const result = await this.#api['connection:open']({ connectionId, config });
    this.#busy = false;
    // Events may have changed the status while awaiting; TypeScript cannot see that.
    const current = this.#status as ConnectionStatus;
    if (!result.ok && current.state !== 'disconnected') {
      this.#status = { state: 'disconnected', error: result.error };
    }
  }

  async disconnect(): Promise<void> {
    const connectionId = this.#connectionId;
    if (!connectionId) return;
    await this.#api['connection:close']({ connectionId });
    this.#status = { state: 'disconnected' };
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
  }
}
