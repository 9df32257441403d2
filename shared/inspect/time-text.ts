/**
 * Times as the user reads them: a clock time (local or UTC, to the millisecond, since
 * messages arrive many per second) or an age ("3 s ago"). Pure; the caller passes `now`.
 */

/** How the settings say times are shown. */
export type TimeFormat = 'local' | 'utc' | 'relative';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** "14:03:07.250" in local time, or "14:03:07.250Z" in UTC. */
export function formatClock(ms: number, zone: 'local' | 'utc' = 'local'): string {
  const d = new Date(ms);
  if (zone === 'utc') return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** "2026-11-29" in local time, or in UTC. */
export function formatDay(ms: number, zone: 'local' | 'utc' = 'local'): string {
  const d = new Date(ms);
  if (zone === 'utc') return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * "now", "3 s ago", "4 min ago", "2 h ago", "5 d ago": whole units, rounded down, so an
 * age ticking once a second never goes backwards. A time ahead of `now` (another
 * machine's clock) reads as "now".
 */
export function formatAge(ms: number, now: number): string {
  const seconds = Math.floor((now - ms) / 1000);
  if (seconds < 1) return 'now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** A time in the user's chosen format. */
export function formatTimeAs(format: TimeFormat, ms: number, now: number): string {
  return format === 'relative' ? formatAge(ms, now) : formatClock(ms, format);
}
