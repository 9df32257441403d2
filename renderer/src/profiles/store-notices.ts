/**
 * Which of the core's store notices (`ProfileList.notices`) to show. The core repeats
 * them on every `profile:list` of its run, so the ones the user dismissed are kept in
 * sessionStorage: a reload of the window does not bring them back, while a later start
 * that reports the same problem again does. Pure, tested in Node.
 */

export const NOTICES_SEEN_KEY = 'topicscope.noticesSeen';

/** Enough for every notice of one run; older ones fall off first. */
const MAX_REMEMBERED = 50;

/** The dismissed notices stored under NOTICES_SEEN_KEY; anything unreadable counts as none. */
export function parseSeenNotices(raw: string | null): string[] {
  if (raw === null) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}

/** The notices to show, once each, in the core's order. */
export function unseenNotices(notices: readonly string[], seen: readonly string[]): string[] {
  const hidden = new Set(seen);
  return [...new Set(notices)].filter((n) => !hidden.has(n));
}

/** What to store after the user dismissed `dismissed`. */
export function serializeSeenNotices(seen: readonly string[], dismissed: readonly string[]): string {
  const all = [...new Set([...seen, ...dismissed])];
  return JSON.stringify(all.slice(-MAX_REMEMBERED));
}
