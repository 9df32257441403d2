import { describe, expect, it } from 'vitest';
import { CounterRate } from '../../shared/broker/counter-rate';

describe('CounterRate', () => {
  it('gives no rate from a first sample: a total since the broker started says nothing about now', () => {
    const rate = new CounterRate();
    expect(rate.note(1_000_000, 0)).toBeNull();
    expect(rate.rate).toBeNull();
  });

  it('gives the per-second change between two samples', () => {
    const rate = new CounterRate();
    rate.note(100, 0);
    expect(rate.note(150, 10_000)).toBe(5);
    expect(rate.note(150, 11_000)).toBe(0);
  });

  it('never goes negative when the counter goes down (broker restart): the new value is the baseline', () => {
    const rate = new CounterRate();
    rate.note(5_000, 0);
    rate.note(6_000, 1_000);
    expect(rate.note(20, 2_000)).toBeNull();
    expect(rate.rate).toBeNull();
    expect(rate.note(40, 3_000)).toBe(20);
  });

  it('ignores a second sample in the same millisecond instead of dividing by zero', () => {
    const rate = new CounterRate();
    rate.note(0, 1_000);
    rate.note(10, 2_000);
    expect(rate.note(50, 2_000)).toBe(10);
    expect(rate.note(20, 3_000)).toBe(10);
  });

  it('forgets everything on reset', () => {
    const rate = new CounterRate();
    rate.note(0, 0);
    rate.note(10, 1_000);
    rate.reset();
    expect(rate.rate).toBeNull();
    expect(rate.note(100, 2_000)).toBeNull();
  });
});
