/**
 * Collects incoming messages and hands them over in one batch per flush interval, so
 * the renderer gets a few dozen events per second instead of one per message, and
 * keeps the renderer from being buried when it cannot keep up (flow control).
 *
 * The flow-control protocol, both sides (defaults in DEFAULT_BATCHER_OPTIONS):
 *
 * - Batches and the window. Messages are flushed `flushIntervalMs` (33 ms) after the
 *   first pending one, as one `messages:batch` with `seq` 0, 1, 2... per connection. At
 *   most `maxUnacknowledged` (3) batches are in flight; while the window is full nothing
 *   is sent, and what arrives meanwhile is coalesced per topic (the newest message wins
 *   and carries how many it replaced), so memory is bounded by the topics, not the
 *   messages. The held-back batch goes out as soon as an acknowledgement frees the
 *   window, marked `rendererBehind`. A batch that grows past `maxPendingMessages`
 *   coalesces the same way even with the renderer keeping up. Counts stay exact:
 *   nothing is dropped or cut without being counted in the batch.
 * - Acknowledgement: the renderer's obligations. It listens for `messages:batch` before
 *   it attaches; it sends `messages:ack { connectionId, seq }` once a batch is applied
 *   (in its model, and a frame painted, so a busy renderer acknowledges late and gets
 *   coalesced batches instead of a queue); one ack covers every earlier `seq`, so it may
 *   acknowledge only the newest of several; it keeps acknowledging while its view is
 *   paused; it never acknowledges a `seq` it has not received (refused). In this app
 *   that is renderer/src/explorer/explorer-state.svelte.ts (`ingest`, then the frame).
 * - Reset on attach. A renderer that (re)loads calls `connection:attach` once at start;
 *   the registry then calls `resetFlowControl()` on every session: batches in flight
 *   to the page that went away count as acknowledged, and a held-back batch goes out at
 *   once. If nobody attaches, `ackTimeoutMs` (10 s) of holding back does the same.
 * - Size cap. A batch carries at most `maxBatchBytes` (8 MiB) of payload, or one message
 *   if that alone is larger; pending payloads that reach it are flushed at once, and the
 *   rest goes out as the next batches, each waiting for room in the window. A batch
 *   must fit in one browser-mode frame (the wire codec's MAX_FRAME_BYTES, 64 MiB), and
 *   one huge structured clone would stall both of Electron's processes.
 * - Browser mode. Several pages may watch one connection; each acknowledges what it
 *   applies, so the fastest page drives this window (a laggard's acks are older and
 *   change nothing), and a page attaching resets it for all of them. The host keeps a
 *   PageOutbox per page (electron/web/page-outbox.ts): above 8 MiB in the socket's send
 *   buffer a page's batches are coalesced per topic into a backlog, sent in 8 MiB
 *   pieces once the buffer drains under 2 MiB; a page queued past 64 MiB, or behind for
 *   20 s, is closed (code 4008) with the reason.
 */
import type { MessageBatch, MessageProperties, QoS, ReceivedMessage } from '../../../shared/mqtt/mqtt-message';
import type { Scheduler } from './scheduler';

export interface MessageBatcherOptions {
  /** Milliseconds between the first pending message and the flush. Default 33 (≤ 30 flushes/s). */
  flushIntervalMs: number;
  /** Pending messages above which further ones coalesce per topic. Default 20,000. */
  maxPendingMessages: number;
  /** Payload bytes kept per message; longer payloads are cut and counted. Default 1 MiB. */
  maxPayloadBytes: number;
  /** Batches sent but not yet acknowledged before the batcher holds back. Default 3. */
  maxUnacknowledged: number;
  /** Milliseconds without an acknowledgement, while holding back, after which in-flight batches count as lost. Default 10,000. */
  ackTimeoutMs: number;
  /** Payload bytes per batch; more pending is sent as further batches. Default 8 MiB (a batch must fit in a 64 MiB browser-mode frame). */
  maxBatchBytes: number;
}

export const DEFAULT_BATCHER_OPTIONS: MessageBatcherOptions = {
  flushIntervalMs: 33,
  maxPendingMessages: 20_000,
  maxPayloadBytes: 1_048_576,
  maxUnacknowledged: 3,
  ackTimeoutMs: 10_000,
  maxBatchBytes: 8 * 1_048_576,
};

/**
 * How many messages from `start` make one batch of at most `maxBytes` of payload (at
 * least one, however large), and their bytes. Also how browser mode cuts a backlog.
 */
export function batchRun(messages: readonly ReceivedMessage[], start: number, maxBytes: number): { count: number; bytes: number } {
  let bytes = 0;
  let end = start;
  for (; end < messages.length; end++) {
    const size = messages[end]!.payload.byteLength;
    if (end > start && bytes + size > maxBytes) break;
    bytes += size;
  }
  return { count: end - start, bytes };
}

/** What `ack` made of an acknowledgement. */
export type AckOutcome = 'accepted' | 'already-acknowledged' | 'never-sent';

export class MessageBatcher {
  readonly #connectionId: string;
  readonly #deliver: (batch: MessageBatch) => void;
  readonly #scheduler: Scheduler;
  readonly #options: MessageBatcherOptions;
  #pending: ReceivedMessage[] = [];
  /** Payload bytes of the pending messages. */
  #pendingBytes = 0;
  /** Latest pending index per topic; built only once the batch starts coalescing. */
  #indexByTopic: Map<string, number> | null = null;
  #coalesced = 0;
  #truncated = 0;
  #flushTimer: unknown = null;
  /** Sequence number of the next batch sent. */
  #nextSeq = 0;
  /** Highest sequence number acknowledged (-1: none yet). */
  #acknowledged = -1;
  /** True while a flush found the window full; the pending batch is then coalesced and marked. */
  #holdingBack = false;
  #ackTimer: unknown = null;

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

  /** Batches sent and not yet acknowledged. */
  get unacknowledged(): number {
    return this.#nextSeq - 1 - this.#acknowledged;
  }

  /** Whether the batcher is holding messages back because the renderer is behind. */
  get holdingBack(): boolean {
    return this.#holdingBack;
  }

  /** Messages waiting to be sent (coalesced ones count once): bounded by the topics while holding back. */
  get pendingMessages(): number {
    return this.#pending.length;
  }

  push(topic: string, payload: Uint8Array, qos: QoS, retain: boolean, properties?: MessageProperties): void {
    const size = payload.byteLength;
    const kept = Math.min(size, this.#options.maxPayloadBytes);
    // Always copy: mqtt.js payloads are views into the socket's read buffer, which IPC
    // would clone whole and the model would keep alive. The copy is made from a plain
    // Uint8Array view of the bytes: `set` (or `subarray`) on the Node Buffer mqtt.js
    // hands over takes a slower path, about 4 times the time for a 64-byte payload.
    const copy = new Uint8Array(kept);
    copy.set(new Uint8Array(payload.buffer, payload.byteOffset, kept));
    if (kept < size) this.#truncated++;
    const message: ReceivedMessage = {
      topic,
      payload: copy,
      payloadSize: size,
      qos,
      retain,
      receivedAt: this.#scheduler.now(),
      coalesced: 0,
    };
    if (properties) message.properties = properties;
    this.#add(message);
    if (this.#pendingBytes >= this.#options.maxBatchBytes && !this.#holdingBack) {
      this.flush();
      return;
    }
    // While holding back, the next send waits for an acknowledgement, not for a timer.
    if (this.#flushTimer === null && !this.#holdingBack) {
      this.#flushTimer = this.#scheduler.setTimeout(() => this.flush(), this.#options.flushIntervalMs);
    }
  }

  #add(message: ReceivedMessage): void {
    this.#pendingBytes += message.payload.byteLength;
    if (this.#indexByTopic === null && this.#pending.length >= this.#options.maxPendingMessages) this.#indexPending();
    if (this.#indexByTopic !== null) {
      const index = this.#indexByTopic.get(message.topic);
      if (index !== undefined) {
        const replaced = this.#pending[index]!;
        message.coalesced = replaced.coalesced + 1;
        this.#coalesced++;
        this.#pendingBytes -= replaced.payload.byteLength;
        this.#pending[index] = message;
        return;
      }
      this.#indexByTopic.set(message.topic, this.#pending.length);
    }
    this.#pending.push(message);
  }

  /** From now on, a message on a pending topic replaces the newest one there; what is pending stays. */
  #indexPending(): void {
    const index = new Map<string, number>();
    const pending = this.#pending;
    for (let i = 0; i < pending.length; i++) index.set(pending[i]!.topic, i);
    this.#indexByTopic = index;
  }

  /** Folds what is already pending per topic too, so a held-back batch holds one message per topic. */
  #foldPending(): void {
    const pending = this.#pending;
    const index = new Map<string, number>();
    this.#pending = [];
    this.#indexByTopic = index;
    for (const message of pending) {
      const at = index.get(message.topic);
      if (at === undefined) {
        index.set(message.topic, this.#pending.length);
        this.#pending.push(message);
        continue;
      }
      const replaced = this.#pending[at]!;
      message.coalesced += replaced.coalesced + 1;
      this.#coalesced++;
      this.#pendingBytes -= replaced.payload.byteLength;
      this.#pending[at] = message;
    }
  }

  /** Sends what is pending now unless the window is full; then it holds back until an acknowledgement. */
  flush(): void {
    this.#clearFlushTimer();
    if (this.#pending.length === 0) return;
    if (this.unacknowledged >= this.#options.maxUnacknowledged) {
      if (!this.#holdingBack) {
        this.#holdingBack = true;
        this.#foldPending();
      }
      this.#ackTimer ??= this.#scheduler.setTimeout(() => {
        this.#ackTimer = null;
        this.resetFlowControl();
      }, this.#options.ackTimeoutMs);
      return;
    }
    this.#send();
  }

  /**
   * Sends what is pending whatever the window, and stops every timer: the connection
   * is closing, and nothing may stay behind or keep the process alive.
   */
  drain(): void {
    this.#clearFlushTimer();
    this.#clearAckTimer();
    while (this.#pending.length > 0) this.#send();
    this.#clearFlushTimer();
  }

  /**
   * The renderer applied batch `seq` and every earlier one. Sends a held-back batch at
   * once when this frees the window.
   */
  ack(seq: number): AckOutcome {
    if (seq >= this.#nextSeq) return 'never-sent';
    if (seq <= this.#acknowledged) return 'already-acknowledged';
    this.#acknowledged = seq;
    if (this.#holdingBack) this.#resumeIfRoom();
    return 'accepted';
  }

  /**
   * Forgets every batch in flight, as if acknowledged: for a renderer that reloaded
   * (it will never acknowledge them), on `connection:attach`. Sends a held-back batch at once.
   */
  resetFlowControl(): void {
    this.#acknowledged = this.#nextSeq - 1;
    this.#resumeIfRoom();
  }

  #resumeIfRoom(): void {
    if (this.unacknowledged >= this.#options.maxUnacknowledged) return;
    this.#clearAckTimer();
    if (this.#holdingBack) this.flush();
  }

  #send(): void {
    const { messages, bytes } = this.#takeBatch();
    const batch: MessageBatch = {
      connectionId: this.#connectionId,
      messages,
      coalesced: this.#coalesced,
      truncated: this.#truncated,
      seq: this.#nextSeq++,
      rendererBehind: this.#holdingBack,
    };
    this.#pendingBytes -= bytes;
    this.#coalesced = 0;
    this.#truncated = 0;
    if (this.#pending.length === 0) {
      this.#indexByTopic = null;
      this.#holdingBack = false;
    } else {
      // The rest goes out as the next batch, marked behind if this one was. Each
      // topic is still pending at most once, so the index is rebuilt, not dropped.
      if (this.#indexByTopic !== null) this.#indexPending();
      if (!this.#holdingBack) this.#flushTimer ??= this.#scheduler.setTimeout(() => this.flush(), 0);
    }
    this.#deliver(batch);
  }

  /** Removes the oldest pending messages that fit in one batch (at least one). */
  #takeBatch(): { messages: ReceivedMessage[]; bytes: number } {
    if (this.#pendingBytes <= this.#options.maxBatchBytes) {
      const messages = this.#pending;
      this.#pending = [];
      return { messages, bytes: this.#pendingBytes };
    }
    const { count, bytes } = batchRun(this.#pending, 0, this.#options.maxBatchBytes);
    return { messages: this.#pending.splice(0, count), bytes };
  }

  #clearFlushTimer(): void {
    if (this.#flushTimer !== null) this.#scheduler.clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
  }

  #clearAckTimer(): void {
    if (this.#ackTimer !== null) this.#scheduler.clearTimeout(this.#ackTimer);
    this.#ackTimer = null;
  }
}
