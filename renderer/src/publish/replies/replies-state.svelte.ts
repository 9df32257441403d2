/**
 * Request/response (MQTT 5) for one tab's publish form: whether a message with a
 * response topic waits for replies, the response topic the core generates, and the
 * replies it reports (`replies:batch`), newest first, each with its latency. The core
 * subscribes, correlates and unsubscribes (electron/core/publish/request-replies.ts);
 * this class keeps what the "Replies" list shows.
 */
import type { CommandResult, EventPayloads, TopicscopeApi } from '../../../../shared/ipc/ipc-contract';
import { decodeUtf8, hexBytes, payloadPreview } from '../../../../shared/inspect/payload-format';
import type { ComposedMessage } from '../../../../shared/publish/compose-message';
import type { ConnectionState } from '../../connection/connection-state.svelte';

/** Most replies the list keeps; older ones are let go (and counted). */
export const MAX_SHOWN_REPLIES = 500;

/** One reply as the list shows it. */
export interface ShownReply {
  /** Unique within the list, for keyed rows. */
  key: number;
  topic: string;
  payloadPreview: string;
  payloadSize: number;
  /** The correlation data as text when it is printable UTF-8, else hex; null when the reply carried none. */
  correlation: string | null;
  /** From publishing the request to the reply; null when no request of this tab's matches. */
  latencyMs: number | null;
  requestTopic: string | null;
  receivedAt: number;
}

/** Where the core listens for replies after the last request. */
export interface RepliesWaiting {
  responseTopic: string;
  /** The user's subscription that covers it; null when the app subscribed for it. */
  coveredBy: string | null;
}

export class RepliesState {
  readonly #api: TopicscopeApi;
  readonly #connection: ConnectionState;
  /** The "Wait for replies" checkbox: a message with a response topic makes the core listen there. */
  waitForReplies = $state(true);
  #replies = $state.raw<ShownReply[]>([]);
  /** Replies the core or this list did not keep (more than 100 in 50 ms, or beyond MAX_SHOWN_REPLIES). */
  #notShown = $state(0);
  #waiting = $state.raw<RepliesWaiting | null>(null);
  #problem = $state<string | null>(null);
  #nextKey = 0;

  constructor(api: TopicscopeApi, connection: ConnectionState) {
    this.#api = api;
    this.#connection = connection;
    api.on('replies:batch', (batch) => {
      if (batch.connectionId === this.#connection.connectionId) this.#add(batch);
    });
  }

  /** Newest first. */
  get replies(): ShownReply[] {
    return this.#replies;
  }
  get notShown(): number {
    return this.#notShown;
  }
  get waiting(): RepliesWaiting | null {
    return this.#waiting;
  }
  /** Why the last generate or clear failed; null otherwise. */
  get problem(): string | null {
    return this.#problem;
  }

  /** Whether this message goes out as a request the core waits on: a response topic and correlation data, and the box checked. */
  awaits(message: ComposedMessage): boolean {
    return this.waitForReplies && message.properties?.responseTopic !== undefined && message.properties.correlationData !== undefined;
  }

  /** The publish went out: the list says where the core listens now. */
  noteSent(result: CommandResult<'message:publish'>): void {
    if (result.ok && result.value.replies) this.#waiting = result.value.replies;
  }

  /** A fresh response topic from the core (under the broker's Response Information when it gave one); null when it failed. */
  async newResponseTopic(): Promise<string | null> {
    const connectionId = this.#connection.connectionId;
    this.#problem = null;
    if (!connectionId) return null;
    const result = await this.#api['replies:response-topic']({ connectionId });
    if (!result.ok) {
      this.#problem = result.error.message;
      return null;
    }
    return result.value.topic;
  }

  /** Empties the list; the core forgets the requests and leaves the response topics it subscribed to. */
  async clear(): Promise<void> {
    this.#replies = [];
    this.#notShown = 0;
    this.#waiting = null;
    this.#problem = null;
    const connectionId = this.#connection.connectionId;
    if (!connectionId) return;
    const result = await this.#api['replies:clear']({ connectionId });
    if (!result.ok) this.#problem = result.error.message;
  }

  #add(batch: EventPayloads['replies:batch']): void {
    const added = batch.replies.map((reply) => ({
      key: this.#nextKey++,
      topic: reply.topic,
      payloadPreview: payloadPreview(reply.payload, 120),
      payloadSize: reply.payloadSize,
      correlation: reply.correlationData ? correlationText(reply.correlationData) : null,
      latencyMs: reply.latencyMs,
      requestTopic: reply.requestTopic,
      receivedAt: reply.receivedAt,
    }));
    const all = [...added.reverse(), ...this.#replies];
    this.#notShown += batch.dropped + Math.max(0, all.length - MAX_SHOWN_REPLIES);
    this.#replies = all.slice(0, MAX_SHOWN_REPLIES);
  }
}

/** Correlation data as typed when it is printable UTF-8 (a UUID, an ID), else as hex. */
export function correlationText(bytes: Uint8Array): string {
  const text = decodeUtf8(bytes);
  // eslint-disable-next-line no-control-regex -- a control character means the bytes are not text to show.
  if (text !== null && text !== '' && !/[\u0000-\u001f\u007f-\u009f]/.test(text)) return text;
  return hexBytes(bytes);
}

/** A latency as the list shows it: tenths below 10 ms, whole milliseconds above. */
export function latencyText(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms).toLocaleString('en-US')} ms`;
}
