/**
 * Collects incoming messages and hands them over in one batch per flush interval, so
 * the renderer gets a few dozen events per second instead of one per message. When a
 * batch grows past `maxPendingMessages` it coalesces per topic: the newest message
 * wins and carries how many it replaced, so counts stay exact. Nothing is dropped or
 * cut without being counted in the batch.
 */
import type { MessageBatch, MessageProperties, QoS, ReceivedMessage } from '../../shared/mqtt-message';
import type { Scheduler } from './scheduler';

export interface MessageBatcherOptions {
  /** Milliseconds between the first pending message and the flush. Default 33 (≤ 30 flushes/s). */
  flushIntervalMs: number;
  /** Pending messages above which further ones coalesce per topic. Default 20,000. */
  maxPendingMessages: number;
  /** Payload bytes kept per message; longer payloads are cut and counted. Default 1 MiB. */
  maxPayloadBytes: number;
}

export const DEFAULT_BATCHER_OPTIONS: MessageBatcherOptions = {
  flushIntervalMs: 33,
  maxPendingMessages: 20_000,
  maxPayloadBytes: 1_048_576,
};

export class MessageBatcher {
  readonly #connectionId: string;
  readonly #deliver: (batch: MessageBatch) => void;
  readonly #scheduler: Scheduler;
  readonly #options: MessageBatcherOptions;
  #pending: ReceivedMessage[] = [];
  /** Latest pending index per topic; built only once the batch starts coalescing. */
  #indexByTopic: Map<string, number> | null = null;
  #coalesced = 0;
  #truncated = 0;
  #timer: unknown = null;

  constructor(
    connectionId: string,
    deliver: (batch: MessageBatch) => void,
    scheduler: Scheduler,
    options: Partial<MessageBatcherOptions> = {},
  ) {
    this.#connectionId = connectionId;
    this.#deliver = deliver;
    this.#scheduler = scheduler;
    this.#options = { ...DEFAULT_BATCHER_OPTIONS, ...options };
  }

  push(topic: string, payload: Uint8Array, qos: QoS, retain: boolean, properties?: MessageProperties): void {
    const kept = Math.min(payload.byteLength, this.#options.maxPayloadBytes);
    // Always copy: mqtt.js payloads can be views into a larger buffer, and IPC would
    // clone that whole buffer for each message.
    const copy = new Uint8Array(kept);
    copy.set(payload.subarray(0, kept));
    if (kept < payload.byteLength) this.#truncated++;
    const message: ReceivedMessage = {
      topic,
      payload: copy,
      payloadSize: payload.byteLength,
      qos,
      retain,
      receivedAt: this.#scheduler.now(),
      coalesced: 0,
    };
    if (properties) message.properties = properties;
    this.#add(message);
    if (this.#timer === null) {
      this.#timer = this.#scheduler.setTimeout(() => this.flush(), this.#options.flushIntervalMs);
    }
  }

  #add(message: ReceivedMessage): void {
    if (this.#indexByTopic === null && this.#pending.length >= this.#options.maxPendingMessages) {
      this.#indexByTopic = new Map();
      this.#pending.forEach((m, i) => this.#indexByTopic!.set(m.topic, i));
    }
    if (this.#indexByTopic !== null) {
      const index = this.#indexByTopic.get(message.topic);
      if (index !== undefined) {
        const replaced = this.#pending[index]!;
        message.coalesced = replaced.coalesced + 1;
        this.#coalesced++;
        this.#pending[index] = message;
        return;
      }
      this.#indexByTopic.set(message.topic, this.#pending.length);
    }
    this.#pending.push(message);
  }

  /** Delivers what is pending now (also called on close, so nothing is left behind). */
  flush(): void {
    if (this.#timer !== null) {
      this.#scheduler.clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#pending.length === 0) return;
    const batch: MessageBatch = {
      connectionId: this.#connectionId,
      messages: this.#pending,
      coalesced: this.#coalesced,
      truncated: this.#truncated,
      seq: 0,
      rendererBehind: false,
    };
    this.#pending = [];
    this.#indexByTopic = null;
    this.#coalesced = 0;
    this.#truncated = 0;
    this.#deliver(batch);
  }
}
