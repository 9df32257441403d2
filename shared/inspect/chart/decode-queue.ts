/**
 * A series' messages on their way to becoming points, kept in the order they arrived
 * although some are decoded in the core and answered later. A message readable at once
 * while nothing waits becomes a point at once (the hot path for number and JSON topics:
 * no queue, no promise). Otherwise it waits behind the ones before it, and whenever no
 * request is under way the next stretch of waiting messages goes to the decoder as one
 * request (at most one per series at a time, within `payload:decode`'s limits; sent at
 * the end of the task, so a back-fill or a batch goes whole); when it answers, the
 * stretch becomes points in order, and the next one is sent.
 *
 * Bounded: a flood the decoder cannot keep up with does not grow the queue. Past
 * `waiting` messages the older half of them is dropped (the newest are what a live chart
 * should show) and counted, except those the reader calls essential (a Sparkplug birth,
 * which names the metrics of the messages after it). Pure: the reader does the decoding,
 * the caller is told through callbacks.
 */
import { MAX_DECODE_BATCH_BYTES, MAX_DECODE_PAYLOADS } from '../../ipc/ipc-contract';
import type { ReceivedMessage } from '../../mqtt/mqtt-message';
import type { DecodeResult } from '../decode/decoded-payload';
import { NEEDS_DECODING, type SeriesReader } from './series-reader';

export interface DecodeQueueLimits {
  /** Messages waiting per series before the older half is dropped. Default 10,000 (the most history a topic keeps, so a back-fill fits). */
  waiting: number;
  /** Payloads per decode request. Default 1,000 (`payload:decode`'s limit). */
  batchPayloads: number;
  /** Payload bytes per decode request (a single larger payload goes alone). Default 32 MiB (`payload:decode`'s limit). */
  batchBytes: number;
}

export const DEFAULT_DECODE_QUEUE_LIMITS: DecodeQueueLimits = { waiting: 10_000, batchPayloads: MAX_DECODE_PAYLOADS, batchBytes: MAX_DECODE_BATCH_BYTES };

interface Waiting {
  readonly message: ReceivedMessage;
  /** Known already (read at once) or to be decoded. */
  readonly value: number | null | typeof NEEDS_DECODING;
}

export interface DecodeQueueEvents {
  /** A message's value (null: it has none), in arrival order. */
  apply(message: ReceivedMessage, value: number | null): void;
  /** Values were applied after a decode answered (outside any `take`): the chart has news. */
  settled(): void;
}

export class DecodeQueue {
  readonly #reader: SeriesReader;
  readonly #events: DecodeQueueEvents;
  readonly #limits: DecodeQueueLimits;
  #waiting: Waiting[] = [];
  #inFlight = 0;
  /** A send is queued for the end of the task. */
  #scheduled = false;
  #dropped = 0;
  #closed = false;

  constructor(reader: SeriesReader, events: DecodeQueueEvents, limits: Partial<DecodeQueueLimits> = {}) {
    this.#reader = reader;
    this.#events = events;
    this.#limits = { ...DEFAULT_DECODE_QUEUE_LIMITS, ...limits };
  }

  /** Messages waiting or being decoded: not points yet. */
  get pending(): number {
    return this.#waiting.length + this.#inFlight;
  }

  /** Messages dropped unread because too many waited for the decoder. */
  get dropped(): number {
    return this.#dropped;
  }

  take(message: ReceivedMessage): void {
    if (this.#closed) return;
    const value = this.#reader.read(message);
    if (value !== NEEDS_DECODING && this.#inFlight === 0 && this.#waiting.length === 0) {
      this.#events.apply(message, value);
      return;
    }
    this.#waiting.push({ message, value });
    if (this.#waiting.length > this.#limits.waiting) this.#dropOlderHalf();
    if (this.#inFlight === 0 && !this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => {
        this.#scheduled = false;
        if (!this.#closed && this.#inFlight === 0) this.#next();
      });
    }
  }

  /** The series is gone: answers still under way are ignored, nothing more is sent. */
  close(): void {
    this.#closed = true;
    this.#waiting = [];
  }

  /** Keeps the essential messages and the newer half of the others, in order (once per half a queue: O(1) a message). */
  #dropOlderHalf(): void {
    const ordinary = this.#waiting.filter((w) => !this.#reader.essential?.(w.message)).length;
    let toDrop = Math.max(0, ordinary - Math.floor(this.#limits.waiting / 2));
    this.#dropped += toDrop;
    this.#waiting = this.#waiting.filter((w) => toDrop <= 0 || this.#reader.essential?.(w.message) === true || --toDrop < 0);
    // A flood of essential messages alone is bounded too: the oldest of them go.
    const over = this.#waiting.length - this.#limits.waiting;
    if (over > 0) {
      this.#dropped += over;
      this.#waiting.splice(0, over);
    }
  }

  /** Applies what is known at the head, then sends the next stretch that needs decoding. */
  #next(): void {
    let known = 0;
    while (known < this.#waiting.length && this.#waiting[known]!.value !== NEEDS_DECODING) known++;
    const ready = this.#waiting.splice(0, known);
    for (const { message, value } of ready) this.#events.apply(message, value as number | null);
    if (this.#waiting.length === 0) return;
    const stretch = this.#stretch();
    const toDecode = stretch.filter((w) => w.value === NEEDS_DECODING).map((w) => w.message);
    this.#inFlight = stretch.length;
    void this.#decode(toDecode).then((results) => {
      this.#inFlight = 0;
      if (this.#closed) return;
      let next = 0;
      for (const { message, value } of stretch) {
        if (value !== NEEDS_DECODING) this.#events.apply(message, value);
        else {
          const decoded = results[next++];
          this.#events.apply(message, decoded ? this.#reader.valueOf(message, decoded) : null);
        }
      }
      this.#next();
      this.#events.settled();
    });
  }

  /** The waiting messages of the next request, taken off the queue: within the limits, always at least one. */
  #stretch(): Waiting[] {
    let count = 0;
    let payloads = 0;
    let bytes = 0;
    for (const w of this.#waiting) {
      if (w.value === NEEDS_DECODING) {
        const size = w.message.payload.byteLength;
        if (payloads > 0 && (payloads === this.#limits.batchPayloads || bytes + size > this.#limits.batchBytes)) break;
        payloads++;
        bytes += size;
      }
      count++;
    }
    return this.#waiting.splice(0, count);
  }

  /** The reader's answers; a transport failure reads as "no value" for each (counted as skipped, not retried). */
  async #decode(messages: readonly ReceivedMessage[]): Promise<readonly (DecodeResult | undefined)[]> {
    try {
      return await this.#reader.decode(messages);
    } catch {
      return [];
    }
  }
}
