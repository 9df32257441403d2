import { describe, expect, it } from 'vitest';
import { formatAge, formatClock, formatTimeAs } from '../../shared/inspect/time-text';

const at = Date.UTC(2026, 10, 28, 14, 3, 7, 25);

describe('times as the user reads them', () => {
  it('shows UTC clock times to the millisecond, marked Z', () => {
    expect(formatClock(at, 'utc')).toBe('14:03:07.025Z');
  });

  it('shows local clock times in the machine’s zone', () => {
    const local = new Date(at);
    expect(formatClock(at)).toBe(`${String(local.getHours()).padStart(2, '0')}:03:07.025`);
  });

  it('reads ages in whole units that never go backwards as time passes', () => {
    expect(formatAge(at, at + 400)).toBe('now');
    expect(formatAge(at, at + 3_999)).toBe('3 s ago');
    expect(formatAge(at, at + 59_999)).toBe('59 s ago');
    expect(formatAge(at, at + 60_000)).toBe('1 min ago');
    expect(formatAge(at, at + 3 * 3_600_000)).toBe('3 h ago');
    expect(formatAge(at, at + 5 * 86_400_000)).toBe('5 d ago');
  });

  it('treats a time from a clock ahead of ours as now', () => {
    expect(formatAge(at + 5_000, at)).toBe('now');
  });

  it('follows the chosen format', () => {
    expect(formatTimeAs('relative', at, at + 12_000)).toBe('12 s ago');
    expect(formatTimeAs('utc', at, at + 12_000)).toBe('14:03:07.025Z');
  });
});
