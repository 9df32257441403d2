/**
 * Saved messages: publish-form drafts kept by name in a profile, grouped in collections,
 * exported and imported with it. Pure: the schema the profile store, the export and the
 * import check them with, and the list operations the form's saved-message panel uses.
 *
 * Caps keep one profile's export well under the import limit (MAX_IMPORT_BYTES, 32 MiB):
 * a profile's `.proto` files may take 20 MiB, its saved messages 4 MiB more as JSON.
 */
import { z } from 'zod';
import { utf8ByteLength } from '../inspect/payload-format';
import { messageDraftSchema, type MessageDraft } from './message-draft';

/** Most saved messages one profile keeps. */
export const MAX_SAVED_MESSAGES = 1_000;
/** Largest payload text of one saved message, in UTF-8 bytes (1 MiB). */
export const MAX_SAVED_PAYLOAD_BYTES = 1024 * 1024;
/** All of a profile's saved messages together, as JSON in UTF-8 bytes (4 MiB). */
export const MAX_SAVED_MESSAGES_BYTES = 4 * 1024 * 1024;
/** Longest name of a saved message or of a collection. */
export const MAX_SAVED_NAME_LENGTH = 100;

/** The group a saved message without a collection shows under. */
export const UNSORTED = 'Unsorted';

export interface SavedMessage {
  /** Unique within its collection, ignoring case. */
  name: string;
  /** '' for none (shown under "Unsorted"). */
  collection: string;
  draft: MessageDraft;
}

const savedNameSchema = z
  .string()
  .trim()
  .min(1, 'A saved message needs a name.')
  .max(MAX_SAVED_NAME_LENGTH, `A saved message's name is at most ${MAX_SAVED_NAME_LENGTH} characters.`);

export const savedMessageSchema = z.object({
  name: savedNameSchema,
  collection: z.string().trim().max(MAX_SAVED_NAME_LENGTH, `A collection's name is at most ${MAX_SAVED_NAME_LENGTH} characters.`).default(''),
  draft: messageDraftSchema.refine(
    (draft) => utf8ByteLength(draft.payload) <= MAX_SAVED_PAYLOAD_BYTES,
    `A saved message's payload is at most ${MAX_SAVED_PAYLOAD_BYTES / 1024 / 1024} MiB.`,
  ),
}) satisfies z.ZodType<SavedMessage>;

/** Case-insensitive key of a name within its collection. */
function savedKey(collection: string, name: string): string {
  return `${collection.trim().toLowerCase()}\u0000${name.trim().toLowerCase()}`;
}

export const savedMessagesSchema = z
  .array(savedMessageSchema)
  .max(MAX_SAVED_MESSAGES, `A profile keeps at most ${MAX_SAVED_MESSAGES.toLocaleString('en-US')} saved messages.`)
  .superRefine((messages, ctx) => {
    const seen = new Set<string>();
    messages.forEach((message, index) => {
      const key = savedKey(message.collection, message.name);
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `Two saved messages in ${collectionLabel(message.collection)} are named "${message.name}": give each its own name.` });
      }
      seen.add(key);
    });
    const bytes = savedMessagesBytes(messages);
    if (bytes > MAX_SAVED_MESSAGES_BYTES) {
      ctx.addIssue({ code: 'custom', message: `A profile's saved messages take at most ${MAX_SAVED_MESSAGES_BYTES / 1024 / 1024} MiB together (these take ${(bytes / 1024 / 1024).toFixed(1)} MiB): delete some, or shorten their payloads.` });
    }
  });

/** How much room saved messages take in the profile file, measured as they are written. */
export function savedMessagesBytes(messages: readonly SavedMessage[]): number {
  return utf8ByteLength(JSON.stringify(messages));
}

/** "Unsorted" or the collection's name in quotes, for messages to the user. */
export function collectionLabel(collection: string): string {
  return collection === '' ? UNSORTED : `"${collection}"`;
}

/** The index of the message named `name` in `collection` (ignoring case), or -1. */
export function findSaved(messages: readonly SavedMessage[], collection: string, name: string): number {
  const key = savedKey(collection, name);
  return messages.findIndex((m) => savedKey(m.collection, m.name) === key);
}

/** Why `messages` cannot be kept (the first problem, for the user), or null. */
export function savedMessagesProblem(messages: readonly SavedMessage[]): string | null {
  const parsed = savedMessagesSchema.safeParse(messages);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'These saved messages cannot be kept.');
}

/** A group of the saved-message list: a collection, its messages sorted by name. */
export interface SavedGroup {
  /** '' for "Unsorted". */
  collection: string;
  label: string;
  messages: SavedMessage[];
}

const byName = (a: string, b: string): number => a.localeCompare(b, undefined, { sensitivity: 'base' });

/**
 * The messages whose name, collection or topic holds `query` (ignoring case), grouped by
 * collection: named collections sorted by name, "Unsorted" last.
 */
export function groupSaved(messages: readonly SavedMessage[], query: string): SavedGroup[] {
  const needle = query.trim().toLowerCase();
  const matching = needle === ''
    ? messages
    : messages.filter((m) => [m.name, m.collection, m.draft.topic].some((text) => text.toLowerCase().includes(needle)));
  const groups = new Map<string, SavedMessage[]>();
  for (const message of matching) {
    const list = groups.get(message.collection);
    if (list) list.push(message);
    else groups.set(message.collection, [message]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : byName(a, b)))
    .map(([collection, list]) => ({ collection, label: collection === '' ? UNSORTED : collection, messages: list.sort((a, b) => byName(a.name, b.name)) }));
}
