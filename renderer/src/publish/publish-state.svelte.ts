/**
 * Publishing from one tab: sends a message on the tab's current connection and tells
 * the explorer about a retained one the broker accepted. The draft itself stays in the
 * form; this holds what the form shows about the last attempt.
 */
import type { TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import type { QoS } from '../../../shared/mqtt/mqtt-message';
import type { ConnectionState } from '../connection/connection-state.svelte';
import type { ExplorerState } from '../explorer/explorer-state.svelte';

export interface PublishDraft {
  topic: string;
  /** The text to publish (UTF-8 on the wire). */
  payload: string;
  qos: QoS;
  retain: boolean;
}

/** What the form says about the last attempt. */
export interface PublishOutcome {
  ok: boolean;
  text: string;
}

export class PublishState {
  readonly #api: TopicscopeApi;
  readonly #connection: ConnectionState;
  readonly #explorer: () => ExplorerState;
  #sending = $state(false);
  #outcome = $state.raw<PublishOutcome | null>(null);
  #publishRequests = $state(0);

  constructor(api: TopicscopeApi, connection: ConnectionState, explorer: () => ExplorerState) {
    this.#api = api;
    this.#connection = connection;
    this.#explorer = explorer;
  }

  get sending(): boolean {
    return this.#sending;
  }
  get outcome(): PublishOutcome | null {
    return this.#outcome;
  }

  /** Grows by one each time the user asks to publish from the keyboard (Ctrl/Cmd+Enter); the form follows it. */
  get publishRequests(): number {
    return this.#publishRequests;
  }

  /** Asks the form, which holds the draft, to publish it as its Publish button would. */
  requestPublish(): void {
    this.#publishRequests += 1;
  }

  /** Forgets the last outcome (the user is editing again). */
  clearOutcome(): void {
    this.#outcome = null;
  }

  /** Publishes `draft` on the current connection; does nothing without one. The form checks the topic first. */
  async publish(draft: PublishDraft): Promise<void> {
    this.#outcome = null;
    const connectionId = this.#connection.connectionId;
    if (!connectionId) return;
    const { topic, payload, qos, retain } = draft;
    // The explorer of this connection, as it was when the message was sent.
    const explorer = this.#explorer();
    this.#sending = true;
    const result = await this.#api['message:publish']({ connectionId, topic, payload, qos, retain });
    this.#sending = false;
    if (result.ok) explorer.noteOwnPublish(topic, payload, qos, retain);
    this.#outcome = result.ok
      ? { ok: true, text: result.value.acknowledged ? `Published, acknowledged by the broker (QoS ${qos}).` : 'Sent (QoS 0 is not acknowledged).' }
      : { ok: false, text: result.error.message };
  }
}
