/**
 * The publish history of one connection: the drafts sent from the form, newest first,
 * with when and how it went, so one click puts a message back in the form. Pure: the
 * list's bounds and its search; the tab's PublishHistory holds it.
 */
import type { MessageDraft } from './message-draft';

/** Entries kept: the last 100 sent. */
export const MAX_HISTORY_ENTRIES = 100;
/**
 * Payload text kept across all entries, in characters (8 Mi): past it the oldest go
 * first, so a few large payloads never hold a hundred copies in memory. The newest entry
 * is always kept, whatever its size: the form holds the same text anyway.
 */
export const MAX_HISTORY_PAYLOAD_CHARS = 8 * 1024 * 1024;

export interface HistoryEntry {
  /** Unique within the tab, for keyed lists. */
  id: number;
  /** The draft as it was sent (variables unexpanded, as typed). */
  draft: MessageDraft;
  /** The name of the file sent as the payload instead of the draft's text; null when none. */
  file: string | null;
  /** Milliseconds since the epoch. */
  time: number;
  /** Whether the broker took it (or, at QoS 0, it was sent). */
  ok: boolean;
  /** What the form said about it. */
  outcome: string;
}

/** `entries` (newest first) with `entry` in front, trimmed to the count and payload bounds. */
export function withEntry(entries: readonly HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  const kept = [entry];
  let chars = entry.draft.payload.length;
  for (const older of entries) {
    if (kept.length >= MAX_HISTORY_ENTRIES) break;
    chars += older.draft.payload.length;
    if (chars > MAX_HISTORY_PAYLOAD_CHARS) break;
    kept.push(older);
  }
  return kept;
}

/** The entries whose topic or payload text holds `query`, ignoring case; all when it is blank. */
export function searchHistory(entries: readonly HistoryEntry[], query: string): readonly HistoryEntry[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return entries;
  return entries.filter((e) => e.draft.topic.toLowerCase().includes(needle) || e.draft.payload.toLowerCase().includes(needle));
}
