import { describe, expect, it } from 'vitest';
import { IndexRing } from '../../shared/explorer/ring-buffer';
import { seededRandom } from '../support/seeded-random';

describe('IndexRing', () => {
  it('is first in, first out across wrap-around and growth', () => {
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
    expect(ring.at(ring.length - 1)).toBe(reference.at(-1));
  });

  it('grows only when full, in powers of two, starting small', () => {
    const ring = new IndexRing();
    expect(ring.capacity).toBe(2);
    ring.push(1);
    ring.push(2);
    expect(ring.capacity).toBe(2);
    ring.push(3);
    expect(ring.capacity).toBe(4);
    // Removing and adding at the same rate never grows it.
    for (let i = 0; i < 1_000; i++) {
      ring.shift();
      ring.push(100 + i);
    }
    expect(ring.capacity).toBe(4);
    expect(ring.toArray()).toEqual([1097, 1098, 1099]);
  });

  it('answers -1 outside its contents, and shift on an empty ring', () => {
    const ring = new IndexRing(8);
    expect(ring.capacity).toBe(8);
    expect(ring.shift()).toBe(-1);
    ring.push(1);
    expect(ring.at(-1)).toBe(-1);
    expect(ring.at(1)).toBe(-1);
    expect(ring.at(0)).toBe(1);
  });

  it('retain keeps the accepted items in order, in place, across the end of its storage', () => {
    const ring = new IndexRing(4);
    // Move the head first, so the contents wrap around the end of the storage.
    for (let i = 0; i < 3; i++) {
      ring.push(0);
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
