import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from '../../electron/core/connection/reconnect-backoff';

const noJitter = { initialDelayMs: 1_000, maxDelayMs: 30_000, random: () => 0 };

describe('reconnectDelayMs', () => {
  it('waits the initial delay before attempt 1', () => {
    expect(reconnectDelayMs(1, noJitter)).toBe(1_000);
    expect(reconnectDelayMs(1, { ...noJitter, initialDelayMs: 250 })).toBe(250);
  });

  it('doubles with each attempt', () => {
    expect([1, 2, 3, 4, 5].map((n) => reconnectDelayMs(n, noJitter))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('is capped at the maximum delay', () => {
    expect(reconnectDelayMs(6, noJitter)).toBe(30_000); // 32,000 capped
    expect(reconnectDelayMs(7, noJitter)).toBe(30_000);
    expect(reconnectDelayMs(1_000, noJitter)).toBe(30_000);
    expect(reconnectDelayMs(Number.MAX_SAFE_INTEGER, noJitter)).toBe(30_000);
  });

  it('caps even attempt 1 when the initial delay exceeds the maximum', () => {
    expect(reconnectDelayMs(1, { initialDelayMs: 5_000, maxDelayMs: 2_000, random: () => 0 })).toBe(2_000);
  });

  it('treats attempt 0 or below like attempt 1', () => {
    expect(reconnectDelayMs(0, noJitter)).toBe(1_000);
    expect(reconnectDelayMs(-3, noJitter)).toBe(1_000);
  });

  it('takes off at most 20 % as jitter (random 0.999)', () => {
    const high = { ...noJitter, random: () => 0.999 };
    // 1,000 - 1,000 * 0.2 * 0.999 = 800.2 → 800
    expect(reconnectDelayMs(1, high)).toBe(800);
    expect(reconnectDelayMs(3, high)).toBe(Math.round(4_000 - 4_000 * 0.2 * 0.999));
    expect(reconnectDelayMs(100, high)).toBe(Math.round(30_000 - 30_000 * 0.2 * 0.999));
  });

  it('stays within [80 %, 100 %] of the un-jittered delay for any random value, never above the cap', () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const base = reconnectDelayMs(attempt, noJitter);
      for (const r of [0, 0.1, 0.5, 0.9, 0.999]) {
        const delay = reconnectDelayMs(attempt, { ...noJitter, random: () => r });
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
        expect(delay).toBeLessThanOrEqual(base);
        expect(delay).toBeLessThanOrEqual(30_000);
      }
    }
  });

  it('returns whole milliseconds', () => {
    expect(Number.isInteger(reconnectDelayMs(2, { ...noJitter, random: () => 0.123_456 }))).toBe(true);
  });

  it('uses Math.random when no random source is given, still within bounds', () => {
    for (let i = 0; i < 100; i++) {
      const delay = reconnectDelayMs(2, { initialDelayMs: 1_000, maxDelayMs: 30_000 });
      expect(delay).toBeGreaterThanOrEqual(1_600);
      expect(delay).toBeLessThanOrEqual(2_000);
    }
  });
});
