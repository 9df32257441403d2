/**
 * The publish history of one connection: the drafts sent from the form, newest first,
 * with when and how it went, so one click puts a message back in the form. A tab
 * connected from a profile keeps it on disk under that profile (not exported: it is a
 * record, not a setting); one without a profile keeps it while the tab is open.
 * Pure: the entries' schema, the list's bounds and its search.
 */
import { z } from 'zod';
import { messageDraftSchema, type MessageDraft } from './message-draft';

/** Entries kept: the last 100 sent. */
export const MAX_HISTORY_ENTRIES = 100;
/**
 * Payload text kept across the entries of a tab, in characters (8 Mi): past it the
 * oldest go first, so a few large payloads never hold a hundred copies in memory. The
 * newest entry is always kept, whatever its size: the form holds the same text anyway.
 */
export const MAX_HISTORY_PAYLOAD_CHARS = 8 * 1024 * 1024;
/**
 * Payload text kept on disk per profile, in characters (512 Ki), and the profiles whose
 * history is kept (the 32 used last): the history file stays under about 20 MiB, small
 * enough to rewrite whole on each publish. A message with a longer payload stays in the
 * window's history only.
 */
export const MAX_STORED_HISTORY_PAYLOAD_CHARS = 512 * 1024;
export const MAX_HISTORY_PROFILES = 32;

/** One message sent, as the history file keeps it. */
export const storedHistoryEntrySchema = z.object({
  /** The draft as it was sent (variables unexpanded, as typed). */
  draft: messageDraftSchema,
  /** The name of the file sent as the payload instead of the draft's text; null when none. */
  file: z.string().max(1_000).nullable(),
  /** Milliseconds since the epoch. */
  time: z.number().int().min(0),
  /** Whether the broker took it (or, at QoS 0, it was sent). */
  ok: z.boolean(),
  /** What the form said about it. */
  outcome: z.string().max(2_000),
});
export type StoredHistoryEntry = z.output<typeof storedHistoryEntrySchema>;

export interface HistoryEntry extends StoredHistoryEntry {
  /** Unique within the tab, for keyed lists. */
  id: number;
  draft: MessageDraft;
}

/** `entries` (newest first) with `entry` in front, trimmed to 100 and to `maxChars` of payload text. */
export function withEntry<T extends { draft: { payload: string } }>(entries: readonly T[], entry: T, maxChars = MAX_HISTORY_PAYLOAD_CHARS): T[] {
  const kept = [entry];
  let chars = entry.draft.payload.length;
  for (const older of entries) {
    if (kept.length >= MAX_HISTORY_ENTRIES) break;
    chars += older.draft.payload.length;
    if (chars > maxChars) break;
    kept.push(older);
  }
  return kept;
}

/** The entries whose topic or payload text holds `query`, ignoring case; all when it is blank. */
export function searchHistory<T extends { draft: MessageDraft }>(entries: readonly T[], query: string): readonly T[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return entries;
  return entries.filter((e) => e.draft.topic.toLowerCase().includes(needle) || e.draft.payload.toLowerCase().includes(needle));
}
