/**
 * Backpressure from the browser-mode host to one page (one WebSocket). The connection
 * core's batcher bounds what it holds for "the renderer", but in browser mode several
 * pages can watch the same connection, and a page that stops reading (a frozen tab, a
 * tab paused in the debugger) would otherwise make the host queue every batch for it,
 * without bound, in the socket's send buffer.
 *
 * So each page gets an outbox. While the socket's `bufferedAmount` is under
 * `softBytes`, batches go straight out. Above it, batches are not sent: they are folded
 * into a per-connection backlog for this page, one message per topic (the newest wins
 * and carries how many it replaced, as the batcher does), so the backlog is bounded by
 * the number of topics, not of messages. Once the socket drains under `lowBytes`, the
 * backlog goes out per connection marked `rendererBehind`, with exact counts, so the
 * footer shows what was merged: nothing is dropped silently. A large backlog goes out
 * in pieces of at most `batchBytes` of payload, as the batcher's own batches do, so
 * every frame stays far under the codec's MAX_FRAME_BYTES; the pieces share the
 * backlog's sequence number and the counts ride on the first.
 *
 * A page that stays behind for `stallMs` without draining, or whose queue (send
 * buffer plus backlog) passes `hardBytes`, has stopped reading: `check()`/`batch()`
 * report it and the host closes the socket with the reason.
 *
 * Which page drives the batcher: every page acknowledges the batches it applies, and
 * an acknowledgement covers its sequence number and all earlier ones, so the fastest
 * page's acknowledgements drive the core's flow control. A laggard's acknowledgements
 * are older and change nothing, and it cannot slow the others down: it is coalesced
 * here instead. A backlog batch keeps the sequence number of the newest batch folded
 * into it, so the laggard's acknowledgement of it is one the core recognises.
 *
 * No timers: the host calls `check()` on its own interval, with the clock injected.
 */
import type { MessageBatch, ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { batchRun, DEFAULT_BATCHER_OPTIONS } from '../core/connection/message-batcher';

export interface PageOutboxLimits {
  /** Socket send-buffer bytes above which batches are held back and coalesced. Default 8 MiB. */
  softBytes: number;
  /** Send-buffer bytes under which a held-back backlog is sent. Default 2 MiB. */
  lowBytes: number;
  /** Send buffer plus backlog bytes past which the page counts as stopped reading. Default 64 MiB. */
  hardBytes: number;
  /** Milliseconds behind without draining under `lowBytes` after which the page counts as stopped reading. Default 20,000. */
  stallMs: number;
  /** Payload bytes per backlog batch sent. Default 8 MiB, the batcher's own `maxBatchBytes`. */
  batchBytes: number;
}

export const DEFAULT_OUTBOX_LIMITS: PageOutboxLimits = {
  softBytes: 8 * 1024 * 1024,
  lowBytes: 2 * 1024 * 1024,
  hardBytes: 64 * 1024 * 1024,
  stallMs: 20_000,
  batchBytes: DEFAULT_BATCHER_OPTIONS.maxBatchBytes,
};

export interface PageSocket {
  /** Bytes queued on the socket and not yet handed to the OS. */
  readonly bufferedAmount: number;
  sendBatch(batch: MessageBatch): void;
}

/** A page that stopped reading: how much was queued for it when that was noticed. */
export interface Stalled {
  queuedBytes: number;
}

interface Backlog {
  byTopic: Map<string, ReceivedMessage>;
  coalesced: number;
  truncated: number;
  /** The newest batch folded in. */
  seq: number;
}

/** Rough memory a held message costs: payload, topic (UTF-16) and the object itself. */
function heldBytes(message: ReceivedMessage): number {
  return message.payload.byteLength + message.topic.length * 2 + 200;
}

export class PageOutbox {
  readonly #socket: PageSocket;
  readonly #now: () => number;
  readonly #limits: PageOutboxLimits;
  readonly #backlogs = new Map<string, Backlog>();
  #backlogBytes = 0;
  /** When the page first fell behind (null: not behind). */
  #behindSince: number | null = null;

  constructor(socket: PageSocket, now: () => number, limits: Partial<PageOutboxLimits> = {}) {
    this.#socket = socket;
    this.#now = now;
    this.#limits = { ...DEFAULT_OUTBOX_LIMITS, ...limits };
  }

  /** Whether batches are being held back for this page. */
  get behind(): boolean {
    return this.#behindSince !== null;
  }

  /** What is queued for this page: the socket's send buffer plus the held-back backlog. */
  get queuedBytes(): number {
    return this.#socket.bufferedAmount + this.#backlogBytes;
  }

  /** Sends the batch, or folds it into the backlog while the page is behind. */
  batch(batch: MessageBatch): Stalled | null {
    if (this.#behindSince === null && this.#socket.bufferedAmount < this.#limits.softBytes) {
      this.#socket.sendBatch(batch);
      return null;
    }
    this.#behindSince ??= this.#now();
    this.#fold(batch);
    return this.check();
  }

  /** Sends the backlog once the socket drained; reports a page that stopped reading. */
  check(): Stalled | null {
    if (this.#behindSince === null) return null;
    if (this.#socket.bufferedAmount <= this.#limits.lowBytes) {
      this.#sendBacklog();
      return null;
    }
    const queuedBytes = this.queuedBytes;
    if (queuedBytes > this.#limits.hardBytes || this.#now() - this.#behindSince >= this.#limits.stallMs) return { queuedBytes };
    return null;
  }

  #fold(batch: MessageBatch): void {
    let backlog = this.#backlogs.get(batch.connectionId);
    if (!backlog) {
      backlog = { byTopic: new Map(), coalesced: 0, truncated: 0, seq: batch.seq };
      this.#backlogs.set(batch.connectionId, backlog);
    }
    backlog.coalesced += batch.coalesced;
    backlog.truncated += batch.truncated;
    backlog.seq = Math.max(backlog.seq, batch.seq);
    for (const message of batch.messages) {
      const replaced = backlog.byTopic.get(message.topic);
      let kept = message;
      if (replaced) {
        // Batches are shared by every page: copy rather than change the message.
        kept = { ...message, coalesced: message.coalesced + replaced.coalesced + 1 };
        backlog.coalesced++;
        this.#backlogBytes -= heldBytes(replaced);
      }
      backlog.byTopic.set(message.topic, kept);
      this.#backlogBytes += heldBytes(kept);
    }
  }

  #sendBacklog(): void {
    const backlogs = [...this.#backlogs];
    this.#backlogs.clear();
    this.#backlogBytes = 0;
    this.#behindSince = null;
    for (const [connectionId, backlog] of backlogs) {
      let first = true;
      for (const messages of this.#pieces([...backlog.byTopic.values()])) {
        this.#socket.sendBatch({
          connectionId,
          messages,
          coalesced: first ? backlog.coalesced : 0,
          truncated: first ? backlog.truncated : 0,
          seq: backlog.seq,
          rendererBehind: true,
        });
        first = false;
      }
    }
  }

  /** Cuts messages into runs of at most `batchBytes` of payload (at least one message each). */
  *#pieces(messages: ReceivedMessage[]): Generator<ReceivedMessage[]> {
    for (let start = 0; start < messages.length; ) {
      const { count } = batchRun(messages, start, this.#limits.batchBytes);
      yield messages.slice(start, start + count);
      start += count;
    }
  }
}
