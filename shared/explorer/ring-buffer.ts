/**
 * A first-in-first-out ring: O(1) to append at the end and to remove from the front,
 * whatever the length. The topic tree keeps one per topic for its history and one for
 * its global eviction order.
 *
 * The capacity starts small and doubles when full, so a topic that only ever saw a few
 * messages costs a few slots, not its full history limit; the owner bounds the length.
 */
export class RingBuffer<T> {
  #items: (T | undefined)[];
  /** Always a power of two, so an index wraps with a mask instead of a division. */
  #mask: number;
  #head = 0;
  #length = 0;

  constructor(initialCapacity = 2) {
    let capacity = 2;
    while (capacity < initialCapacity) capacity *= 2;
    this.#items = new Array<T | undefined>(capacity).fill(undefined);
    this.#mask = capacity - 1;
  }

  get length(): number {
    return this.#length;
  }

  /** Slots allocated right now (for tests checking that memory stays bounded). */
  get capacity(): number {
    return this.#mask + 1;
  }

  push(item: T): void {
    if (this.#length > this.#mask) this.#grow();
    this.#items[(this.#head + this.#length) & this.#mask] = item;
    this.#length++;
  }

  /** Removes and returns the oldest item (undefined when empty). */
  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const item = this.#items[this.#head];
    // Cleared so a dropped message or topic can be garbage collected.
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#length--;
    return item;
  }

  /** The item `index` places from the oldest (0) towards the newest (length - 1). */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.#length) return undefined;
    return this.#items[(this.#head + index) & this.#mask];
  }

  /** Keeps only the items `keep` accepts, in order, in place; `keep` sees them oldest first. */
  retain(keep: (item: T) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.#length; i++) {
      const item = this.#items[(this.#head + i) & this.#mask] as T;
      if (keep(item)) this.#items[(this.#head + kept++) & this.#mask] = item;
    }
    for (let i = kept; i < this.#length; i++) this.#items[(this.#head + i) & this.#mask] = undefined;
    this.#length = kept;
  }

  /** The items, oldest first, as a new array. */
  toArray(): T[] {
    const out = new Array<T>(this.#length);
    for (let i = 0; i < this.#length; i++) out[i] = this.#items[(this.#head + i) & this.#mask] as T;
    return out;
  }

  #grow(): void {
    const items = new Array<T | undefined>((this.#mask + 1) * 2).fill(undefined);
    for (let i = 0; i < this.#length; i++) items[i] = this.#items[(this.#head + i) & this.#mask];
    this.#items = items;
    this.#mask = items.length - 1;
    this.#head = 0;
  }
}

/**
 * The same first-in-first-out ring for small non-negative integers, in an Int32Array:
 * the topic tree's global eviction order holds node numbers (`TopicNode.index`) rather
 * than node references, so the garbage collector has nothing to scan in it and storing
 * an entry costs no write barrier (it holds one entry per history entry: millions).
 */
export class IndexRing {
  #items: Int32Array;
  #mask: number;
  #head = 0;
  #length = 0;

  constructor(initialCapacity = 2) {
    let capacity = 2;
    while (capacity < initialCapacity) capacity *= 2;
    this.#items = new Int32Array(capacity);
    this.#mask = capacity - 1;
  }

  get length(): number {
    return this.#length;
  }

  get capacity(): number {
    return this.#mask + 1;
  }

  push(item: number): void {
    if (this.#length > this.#mask) this.#grow();
    this.#items[(this.#head + this.#length) & this.#mask] = item;
    this.#length++;
  }

  /** Removes and returns the oldest item (-1 when empty). */
  shift(): number {
    if (this.#length === 0) return -1;
    const item = this.#items[this.#head]!;
    this.#head = (this.#head + 1) & this.#mask;
    this.#length--;
    return item;
  }

  /** The item `index` places from the oldest (-1 outside the contents). */
  at(index: number): number {
    if (index < 0 || index >= this.#length) return -1;
    return this.#items[(this.#head + index) & this.#mask]!;
  }

  /** Keeps only the items `keep` accepts, in order, in place; `keep` sees them oldest first. */
  retain(keep: (item: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.#length; i++) {
      const item = this.#items[(this.#head + i) & this.#mask]!;
      if (keep(item)) this.#items[(this.#head + kept++) & this.#mask] = item;
    }
    this.#length = kept;
  }

  toArray(): number[] {
    const out = new Array<number>(this.#length);
    for (let i = 0; i < this.#length; i++) out[i] = this.#items[(this.#head + i) & this.#mask]!;
    return out;
  }

  #grow(): void {
    const items = new Int32Array((this.#mask + 1) * 2);
    const tail = this.#items.subarray(this.#head);
    items.set(tail);
    items.set(this.#items.subarray(0, this.#head), tail.length);
    this.#items = items;
    this.#mask = items.length - 1;
    this.#head = 0;
  }
}
