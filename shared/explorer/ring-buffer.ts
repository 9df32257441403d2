/**
 * A first-in-first-out ring of small non-negative integers in an Int32Array: O(1) to
 * append at the end and to remove from the front, whatever the length. The topic tree's
 * global eviction order holds node numbers (`TopicNode.index`) in one rather than node
 * references, so the garbage collector has nothing to scan in it and storing an entry
 * costs no write barrier (it holds one entry per history entry: millions).
 *
 * The capacity starts small and doubles when full; the owner bounds the length.
 */
export class IndexRing {
  #items: Int32Array;
  /** Always a power of two minus one, so an index wraps with a mask instead of a division. */
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
