import { describe, expect, it } from 'vitest';
import { IndexRing, RingBuffer } from '../../shared/explorer/ring-buffer';
import { seededRandom } from '../support/seeded-random';

describe('RingBuffer', () => {
  it('is first in, first out across wrap-around and growth', () => {
    const ring = new RingBuffer<number>();
    const reference: number[] = [];
    const random = seededRandom(99);
    let next = 0;
    for (let step = 0; step < 5_000; step++) {
      if (random() < 0.6) {
        ring.push(next);
        reference.push(next++);
      } else {
        expect(ring.shift()).toBe(reference.shift());
      }
      expect(ring.length).toBe(reference.length);
    }
    expect(ring.toArray()).toEqual(reference);
    expect(ring.at(0)).toBe(reference[0]);
    expect(ring.at(ring.length - 1)).toBe(reference.at(-1));
  });

  it('grows only when full, in powers of two, starting small', () => {
    const ring = new RingBuffer<string>();
    expect(ring.capacity).toBe(2);
    ring.push('a');
    ring.push('b');
    expect(ring.capacity).toBe(2);
    ring.push('c');
    expect(ring.capacity).toBe(4);
    // Removing and adding at the same rate never grows it.
    for (let i = 0; i < 1_000; i++) {
      ring.shift();
      ring.push(`x${i}`);
    }
    expect(ring.capacity).toBe(4);
    expect(ring.toArray()).toEqual(['x997', 'x998', 'x999']);
  });

  it('answers undefined outside its contents, and shift on an empty ring', () => {
    const ring = new RingBuffer<number>(8);
    expect(ring.capacity).toBe(8);
    expect(ring.shift()).toBeUndefined();
    ring.push(1);
    expect(ring.at(-1)).toBeUndefined();
    expect(ring.at(1)).toBeUndefined();
    expect(ring.at(0)).toBe(1);
  });

  it('retain keeps the accepted items in order, in place', () => {
    const ring = new RingBuffer<number>(4);
    // Move the head first, so the contents wrap around the end of the storage.
    for (let i = 0; i < 3; i++) {
      ring.push(-1);
      ring.shift();
    }
    for (let i = 0; i < 10; i++) ring.push(i);
    const seen: number[] = [];
    ring.retain((n) => (seen.push(n), n % 3 === 0));
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(ring.toArray()).toEqual([0, 3, 6, 9]);
    ring.push(10);
    expect(ring.shift()).toBe(0);
    expect(ring.toArray()).toEqual([3, 6, 9, 10]);
  });
});

describe('IndexRing', () => {
  it('is first in, first out across wrap-around and growth, and retain keeps order', () => {
    const ring = new IndexRing();
    const reference: number[] = [];
    const random = seededRandom(7);
    let next = 0;
    for (let step = 0; step < 5_000; step++) {
      if (random() < 0.6) {
        ring.push(next);
        reference.push(next++);
      } else {
        expect(ring.shift()).toBe(reference.length > 0 ? reference.shift() : -1);
      }
      expect(ring.length).toBe(reference.length);
    }
    expect(ring.toArray()).toEqual(reference);
    expect(ring.at(0)).toBe(reference[0]);
    expect(ring.at(ring.length)).toBe(-1);
    ring.retain((n) => n % 2 === 0);
    expect(ring.toArray()).toEqual(reference.filter((n) => n % 2 === 0));
    ring.push(next);
    expect(ring.toArray().at(-1)).toBe(next);
  });
});
