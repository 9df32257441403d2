/**
 * The messages a topic tree keeps (each topic's history, its latest value among them, and
 * retained values), stored in columns rather than as objects: a message's fields in typed
 * arrays under an entry number, its payload bytes copied into large shared slabs.
 *
 * Why: at a million topics every kept message outlives a round of a million others.
 * Kept as the objects a batch brings (the message, its topic string, its payload
 * array), each was copied by the scavenger, promoted and collected old: 53% of ingest
 * time was the garbage collector. Now a batch's objects die young, and the store is a
 * few dozen large arrays the collector never has to trace.
 *
 * A message object is built only when a view asks for one (`message`), and the same
 * object is returned while the entry lives, so views can still compare messages by
 * identity; its payload is a copy, so nothing a view keeps sees a slab's bytes reused.
 */
import type { MessageProperties, QoS, ReceivedMessage } from '../mqtt/mqtt-message';

/** Holds an entry has: it is freed when it has neither. */
export const HELD_IN_HISTORY = 1 << 3;
export const HELD_AS_RETAINED = 1 << 4;
const HOLDS = HELD_IN_HISTORY | HELD_AS_RETAINED;
const QOS_BITS = 0b11;
const RETAIN_BIT = 1 << 2;

/**
 * Payloads up to this size go into slabs; larger ones (rare, and large enough that one
 * object each costs little beside them) are kept as the array the message brought.
 */
const SLAB_PAYLOAD_MAX = 16 * 1024;
const FIRST_SLAB_BYTES = 64 * 1024;
const MAX_SLAB_BYTES = 1024 * 1024;
const FIRST_CAPACITY = 1024;
/**
 * Released full-size slabs kept for reuse, at most. Fresh memory is costly: the first
 * write to each of its pages faults into the kernel (4-20 µs a 4 KiB page on these
 * virtual machines, 1-5 ms a MiB), while a flood at steady state releases a slab and
 * needs a new one every 16,000 messages of 64 bytes.
 */
const SPARE_SLABS = 4;
/**
 * Entries per chunk of the columns, as a power of two. The columns grow a chunk at a
 * time and never move: grown by doubling, a store of a million topics' history copied
 * 50 MB into fresh memory in one ingest call (a frozen window for a second here), and a
 * 100,000-topic flood 6.5 MB (150 ms). Only the first chunk grows by doubling, so a
 * small tree stays small.
 */
const CHUNK_BITS = 16;
const CHUNK_ENTRIES = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_ENTRIES - 1;
const EMPTY = new Uint8Array(0);

/** The fields of a run of entries, a column each. */
class ColumnChunk {
  readonly receivedAt: Float64Array;
  /** The next newer entry of the same topic's history (-1: none): a topic's history is a list through the store. */
  readonly newer: Int32Array;
  /** qos (bits 0-1), retain (bit 2), holds (bits 3-4); 0: a free entry. */
  readonly flags: Uint8Array;
  /** The slab holding the payload, or -1 (empty, or kept whole in `#large`). */
  readonly slab: Int32Array;
  readonly offset: Uint32Array;
  readonly length: Uint32Array;

  constructor(entries: number, from?: ColumnChunk) {
    this.receivedAt = new Float64Array(entries);
    this.newer = new Int32Array(entries);
    this.flags = new Uint8Array(entries);
    this.slab = new Int32Array(entries);
    this.offset = new Uint32Array(entries);
    this.length = new Uint32Array(entries);
    if (from) {
      this.receivedAt.set(from.receivedAt);
      this.newer.set(from.newer);
      this.flags.set(from.flags);
      this.slab.set(from.slab);
      this.offset.set(from.offset);
      this.length.set(from.length);
    }
  }
}

export class MessageStore {
  #capacity = FIRST_CAPACITY;
  /** Entry e's fields are at `e & CHUNK_MASK` in chunk `e >>> CHUNK_BITS`. */
  readonly #chunks: ColumnChunk[] = [new ColumnChunk(FIRST_CAPACITY)];
  /** Entries never used yet start here; freed ones wait in `#free`. */
  #next = 0;
  #free = new Int32Array(FIRST_CAPACITY);
  #freeCount = 0;
  #live = 0;
  /** MQTT 5 properties, for the entries that have any. */
  readonly #properties = new Map<number, MessageProperties>();
  /**
   * The size on the wire of the entries whose payload the core cut, and the count of
   * the entries that stand for coalesced messages: both rare, so no column each.
   */
  readonly #payloadSizeIfCut = new Map<number, number>();
  readonly #coalescedIfAny = new Map<number, number>();
  /** Payloads above SLAB_PAYLOAD_MAX, kept as they came. */
  readonly #large = new Map<number, Uint8Array>();
  /** Message objects built for views, by entry: the same object while the entry lives. */
  readonly #objects = new Map<number, ReceivedMessage>();
  /** The same with the retain flag cleared (a latest value whose retained value the user cleared). */
  readonly #unretained = new Map<number, ReceivedMessage>();

  /** Slabs by number; null once released (its number is reused). */
  readonly #slabs: (Uint8Array | null)[] = [];
  /** Live payload bytes per slab. */
  readonly #slabLive: number[] = [];
  readonly #freeSlabs: number[] = [];
  readonly #spareSlabs: Uint8Array[] = [];
  #current = -1;
  #writeAt = 0;
  #nextSlabBytes = FIRST_SLAB_BYTES;
  /** Bytes of all slabs allocated, and of the payloads alive in them. */
  #slabBytes = 0;
  #slabLiveBytes = 0;

  /** Entries alive. */
  get size(): number {
    return this.#live;
  }

  /** Bytes the slabs take (for tests and the bench: what fragmentation costs). */
  get slabBytes(): number {
    return this.#slabBytes;
  }

  /** Stores a message with the given hold (HELD_IN_HISTORY, HELD_AS_RETAINED or both); returns its entry. */
  add(message: ReceivedMessage, holds: number): number {
    const entry = this.#freeCount > 0 ? this.#free[--this.#freeCount]! : this.#newEntry();
    this.#live++;
    const chunk = this.#chunks[entry >>> CHUNK_BITS]!;
    const at = entry & CHUNK_MASK;
    chunk.receivedAt[at] = message.receivedAt;
    chunk.newer[at] = -1;
    chunk.flags[at] = (message.qos & QOS_BITS) | (message.retain ? RETAIN_BIT : 0) | (holds & HOLDS);
    if (message.properties !== undefined) this.#properties.set(entry, message.properties);
    if (message.coalesced !== 0) this.#coalescedIfAny.set(entry, message.coalesced);
    const payload = message.payload;
    const length = payload.byteLength;
    if (message.payloadSize !== length) this.#payloadSizeIfCut.set(entry, message.payloadSize);
    chunk.length[at] = length;
    if (length === 0) {
      chunk.slab[at] = -1;
    } else if (length > SLAB_PAYLOAD_MAX) {
      chunk.slab[at] = -1;
      this.#large.set(entry, payload);
    } else {
      this.#place(chunk, at, payload, 0, length);
    }
    return entry;
  }

  /** Links `newer` after `entry` in a topic's history. */
  linkNewer(entry: number, newer: number): void {
    this.#chunks[entry >>> CHUNK_BITS]!.newer[entry & CHUNK_MASK] = newer;
  }

  /** The entry after `entry` in its topic's history (-1: it is the newest). */
  newer(entry: number): number {
    return this.#chunks[entry >>> CHUNK_BITS]!.newer[entry & CHUNK_MASK]!;
  }

  /** Removes a hold; the entry is freed when it has none left (its number is then reused). */
  release(entry: number, hold: number): void {
    const chunk = this.#chunks[entry >>> CHUNK_BITS]!;
    const at = entry & CHUNK_MASK;
    const flags = chunk.flags[at]! & ~hold;
    if ((flags & HOLDS) !== 0) {
      chunk.flags[at] = flags;
      return;
    }
    chunk.flags[at] = 0;
    this.#live--;
    const slab = chunk.slab[at]!;
    if (slab >= 0) this.#releaseBytes(slab, chunk.length[at]!);
    else if (this.#large.size !== 0) this.#large.delete(entry);
    if (this.#properties.size !== 0) this.#properties.delete(entry);
    if (this.#coalescedIfAny.size !== 0) this.#coalescedIfAny.delete(entry);
    if (this.#payloadSizeIfCut.size !== 0) this.#payloadSizeIfCut.delete(entry);
    if (this.#objects.size !== 0) this.#objects.delete(entry);
    if (this.#unretained.size !== 0) this.#unretained.delete(entry);
    if (this.#freeCount === this.#free.length) this.#free = grown(this.#free, this.#free.length * 2);
    this.#free[this.#freeCount++] = entry;
    if (this.#slabBytes > 2 * this.#slabLiveBytes + 4 * MAX_SLAB_BYTES) this.#compact();
  }

  /** The payload's bytes as stored (cut to the core's limit), without copying: read it, don't keep it. */
  payloadView(entry: number): Uint8Array {
    const chunk = this.#chunks[entry >>> CHUNK_BITS]!;
    const at = entry & CHUNK_MASK;
    const slab = chunk.slab[at]!;
    if (slab >= 0) {
      const offset = chunk.offset[at]!;
      return this.#slabs[slab]!.subarray(offset, offset + chunk.length[at]!);
    }
    return this.#large.get(entry) ?? EMPTY;
  }

  /** Whether the message arrived with the retain flag. */
  isRetain(entry: number): boolean {
    return (this.#chunks[entry >>> CHUNK_BITS]!.flags[entry & CHUNK_MASK]! & RETAIN_BIT) !== 0;
  }

  /** The stored payload's length in bytes. */
  storedBytes(entry: number): number {
    return this.#chunks[entry >>> CHUNK_BITS]!.length[entry & CHUNK_MASK]!;
  }

  /**
   * The entry as a message, built on first request and then the same object while the
   * entry lives (views compare by identity). `topic` is its node's: the store keeps none.
   */
  message(entry: number, topic: string): ReceivedMessage {
    let message = this.#objects.get(entry);
    if (message === undefined) {
      message = this.copy(entry, topic);
      this.#objects.set(entry, message);
    }
    return message;
  }

  /** As `message`, with the retain flag cleared: an object of its own, also the same while the entry lives. */
  unretained(entry: number, topic: string): ReceivedMessage {
    let message = this.#unretained.get(entry);
    if (message === undefined) {
      message = { ...this.message(entry, topic), retain: false };
      this.#unretained.set(entry, message);
    }
    return message;
  }

  /** A new message object each call, not remembered: for exports over many topics. */
  copy(entry: number, topic: string): ReceivedMessage {
    const chunk = this.#chunks[entry >>> CHUNK_BITS]!;
    const at = entry & CHUNK_MASK;
    const flags = chunk.flags[at]!;
    const message: ReceivedMessage = {
      topic,
      payload: this.payloadView(entry).slice(),
      payloadSize: this.#payloadSizeIfCut.get(entry) ?? chunk.length[at]!,
      qos: (flags & QOS_BITS) as QoS,
      retain: (flags & RETAIN_BIT) !== 0,
      receivedAt: chunk.receivedAt[at]!,
      coalesced: this.#coalescedIfAny.get(entry) ?? 0,
    };
    const properties = this.#properties.get(entry);
    if (properties !== undefined) message.properties = properties;
    return message;
  }

  #newEntry(): number {
    if (this.#next === this.#capacity) this.#grow();
    return this.#next++;
  }

  #grow(): void {
    if (this.#capacity < CHUNK_ENTRIES) {
      // The first chunk, still small: doubled, at most CHUNK_ENTRIES entries to copy.
      this.#capacity *= 2;
      this.#chunks[0] = new ColumnChunk(this.#capacity, this.#chunks[0]);
    } else {
      this.#chunks.push(new ColumnChunk(CHUNK_ENTRIES));
      this.#capacity += CHUNK_ENTRIES;
    }
  }

  /** Copies `length` bytes of `source` from `from` into the current slab (opening one when full) for the entry at `at` of `chunk`. */
  #place(chunk: ColumnChunk, at: number, source: Uint8Array, from: number, length: number): void {
    if (this.#current < 0 || this.#writeAt + length > this.#slabs[this.#current]!.length) this.#openSlab();
    const slab = this.#slabs[this.#current]!;
    const writeAt = this.#writeAt;
    // `set` is a memory copy: 15 ns for 64 bytes, against 70-100 ns for a loop.
    slab.set(from === 0 && length === source.length ? source : source.subarray(from, from + length), writeAt);
    this.#writeAt = writeAt + length;
    chunk.slab[at] = this.#current;
    chunk.offset[at] = writeAt;
    this.#slabLive[this.#current]! += length;
    this.#slabLiveBytes += length;
  }

  #openSlab(): void {
    const previous = this.#current;
    const bytes = this.#nextSlabBytes;
    this.#nextSlabBytes = Math.min(MAX_SLAB_BYTES, bytes * 2);
    const number = this.#freeSlabs.length > 0 ? this.#freeSlabs.pop()! : this.#slabs.length;
    // Reused bytes are never read before they are written: entries read only their own range.
    this.#slabs[number] = (bytes === MAX_SLAB_BYTES ? this.#spareSlabs.pop() : undefined) ?? new Uint8Array(bytes);
    this.#slabLive[number] = 0;
    this.#slabBytes += bytes;
    this.#current = number;
    this.#writeAt = 0;
    // A slab left behind whose payloads all went already is released at once.
    if (previous >= 0 && this.#slabLive[previous] === 0) this.#releaseSlab(previous);
  }

  #releaseBytes(slab: number, length: number): void {
    const live = (this.#slabLive[slab]! -= length);
    this.#slabLiveBytes -= length;
    if (live === 0 && slab !== this.#current) this.#releaseSlab(slab);
  }

  #releaseSlab(slab: number): void {
    const bytes = this.#slabs[slab]!;
    this.#slabBytes -= bytes.length;
    if (bytes.length === MAX_SLAB_BYTES && this.#spareSlabs.length < SPARE_SLABS) this.#spareSlabs.push(bytes);
    this.#slabs[slab] = null;
    this.#freeSlabs.push(slab);
  }

  /**
   * Moves the payloads out of slabs less than half full into the current ones and
   * releases those slabs. Slabs are written once and released whole, so a few old
   * values (a quiet topic's latest) can hold on to mostly dead slabs; this runs when the
   * slabs take more than twice the live bytes, so its cost (one pass over the entries)
   * is paid for by as many bytes freed as are live: amortized O(1) per message.
   */
  #compact(): void {
    const sparse = new Uint8Array(this.#slabs.length);
    for (let slab = 0; slab < this.#slabs.length; slab++) {
      const bytes = this.#slabs[slab];
      if (bytes && slab !== this.#current && this.#slabLive[slab]! * 2 < bytes.length) sparse[slab] = 1;
    }
    for (let entry = 0; entry < this.#next; entry++) {
      const chunk = this.#chunks[entry >>> CHUNK_BITS]!;
      const at = entry & CHUNK_MASK;
      const slab = chunk.slab[at]!;
      if (chunk.flags[at] === 0 || slab < 0 || sparse[slab] === 0) continue;
      // A sparse slab emptied here may be reused by number for the entries moved after it;
      // those were visited already, so `sparse` never sends one of them back.
      const length = chunk.length[at]!;
      this.#place(chunk, at, this.#slabs[slab]!, chunk.offset[at]!, length);
      this.#releaseBytes(slab, length);
    }
  }
}

function grown(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(capacity);
  next.set(array);
  return next;
}
