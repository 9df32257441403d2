/**
 * The publish history of each profile's connections, in `publish-history.json` in the
 * config folder beside the profiles (one atomic JSON file: temp file, fsync, rename). It
 * is a record, not a setting: never exported, and bounded so it can be rewritten whole on
 * each publish: 100 entries and 512 Ki characters of payload per profile, the 32
 * profiles used last (see shared/publish/publish-history.ts).
 *
 * Loading never stops the app and never loses a file: one that is not a history (not
 * JSON, another shape) is copied aside as `publish-history.json.corrupt-<time>` and the
 * history starts empty; an entry that fails its schema (a hand edit) is left out.
 * Where the file can be neither read nor copied aside, nothing is written over it.
 */
import { join } from 'node:path';
import type { Result } from '../../../shared/ipc/app-error';
import { fail, ok } from '../../../shared/ipc/app-error';
import { isObject } from '../../../shared/profiles/import-candidate';
import {
  MAX_HISTORY_ENTRIES,
  MAX_HISTORY_PROFILES,
  MAX_STORED_HISTORY_PAYLOAD_CHARS,
  storedHistoryEntrySchema,
  withEntry,
  type StoredHistoryEntry,
} from '../../../shared/publish/publish-history';
import { backupLabel, JsonFileStorage, type DocumentStorage } from '../storage/document-storage';

export const PUBLISH_HISTORY_FILE_NAME = 'publish-history.json';
const HISTORY_VERSION = 1;

/** What the history needs of a storage (JsonFileStorage; a failing fake in tests). */
export type HistoryStorage = Pick<DocumentStorage, 'path' | 'read' | 'write' | 'backUp'>;

/** Newest first, per profile ID. */
type Histories = Map<string, StoredHistoryEntry[]>;

/** The entries of a file that parses, each checked on its own; null when it is not a history at all. */
function readHistories(data: unknown): Histories | null {
  if (!isObject(data) || data['version'] !== HISTORY_VERSION || !isObject(data['profiles'])) return null;
  const histories: Histories = new Map();
  for (const [profileId, raw] of Object.entries(data['profiles'])) {
    if (!Array.isArray(raw)) continue;
    const entries = raw.flatMap((entry: unknown) => {
      const parsed = storedHistoryEntrySchema.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
    if (entries.length > 0) histories.set(profileId, entries.slice(0, MAX_HISTORY_ENTRIES));
  }
  return histories;
}

function errorText(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

export class PublishHistoryStore {
  readonly #storage: HistoryStorage;
  #histories: Histories = new Map();
  /** Why nothing may be written: the file on disk could be neither read nor kept aside. */
  #readOnly: string | null = null;

  private constructor(storage: HistoryStorage) {
    this.#storage = storage;
  }

  /** Loads the history, copying a damaged file aside; never throws. `now` (ms since the epoch) names the copy. */
  static open(storage: HistoryStorage, now: () => number = Date.now): PublishHistoryStore {
    const store = new PublishHistoryStore(storage);
    const read = storage.read();
    if (read.state === 'missing') return store;
    const histories = read.state === 'found' ? readHistories(read.data) : null;
    if (histories) {
      store.#histories = histories;
      return store;
    }
    try {
      storage.backUp(backupLabel('corrupt', now()));
    } catch (error) {
      store.#readOnly = `${storage.path} could not be read and could not be copied aside (${errorText(error)}), so Topicscope will not overwrite it. Fix or move that file, then restart to keep the publish history again.`;
    }
    return store;
  }

  /** The profile's history, newest first. */
  list(profileId: string): StoredHistoryEntry[] {
    return [...(this.#histories.get(profileId) ?? [])];
  }

  /**
   * Puts `entry` first in the profile's history, the oldest going past the bounds. An
   * entry whose payload alone is past them is not kept (`kept: false`). On a failed write
   * the history stays as it was.
   */
  add(profileId: string, entry: StoredHistoryEntry): Result<{ kept: boolean }> {
    if (entry.draft.payload.length > MAX_STORED_HISTORY_PAYLOAD_CHARS) return ok({ kept: false });
    const next: Histories = new Map([[profileId, withEntry(this.#histories.get(profileId) ?? [], entry, MAX_STORED_HISTORY_PAYLOAD_CHARS)]]);
    // The profiles used last come first: those past the bound are forgotten.
    const others = [...this.#histories].filter(([id]) => id !== profileId).sort(([, a], [, b]) => (b[0]?.time ?? 0) - (a[0]?.time ?? 0));
    for (const [id, entries] of others.slice(0, MAX_HISTORY_PROFILES - 1)) next.set(id, entries);
    const written = this.#write(next);
    return written.ok ? ok({ kept: true }) : written;
  }

  /** Forgets a profile's history (the user cleared it, or the profile was deleted). */
  clear(profileId: string): Result<Record<string, never>> {
    if (!this.#histories.has(profileId)) return ok({});
    const next = new Map(this.#histories);
    next.delete(profileId);
    const written = this.#write(next);
    return written.ok ? ok({}) : written;
  }

  #write(histories: Histories): Result<void> {
    if (this.#readOnly !== null) return fail({ code: 'STORE_WRITE_FAILED', message: `The publish history was not saved: ${this.#readOnly}` });
    try {
      this.#storage.write({ version: HISTORY_VERSION, profiles: Object.fromEntries(histories) });
    } catch (error) {
      return fail({
        code: 'STORE_WRITE_FAILED',
        message: `The publish history could not be saved to ${this.#storage.path} (${errorText(error)}); it is kept in this window only. Check the disk space and the folder's permissions.`,
        detail: error instanceof Error ? error.message : String(error),
      });
    }
    this.#histories = histories;
    return ok(undefined);
  }
}

/** Opens the history kept in `dir` (the config folder); never throws. */
export function openPublishHistoryFile(dir: string, now: () => number = Date.now): PublishHistoryStore {
  return PublishHistoryStore.open(new JsonFileStorage(join(dir, PUBLISH_HISTORY_FILE_NAME), 0o600, now), now);
}
