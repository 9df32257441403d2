/**
 * The user's settings as the settings commands reach them, behind a small storage
 * interface: browser mode keeps them in `settings.json` in its config folder
 * (JsonFileStorage), the desktop app in electron-store (desktop-settings.ts).
 *
 * Loading follows the profiles' rule (store-loading.ts): a damaged file never stops the
 * app and is never lost. One that is not a JSON object is copied aside as
 * `settings.json.corrupt-<time>`, the defaults load and are written over it, and the
 * user is told once (`recovery`, for this run only: the next start finds a sound file).
 * A file that can't even be copied aside is left alone: the defaults are used and
 * saving is refused with what to do, so nothing overwrites it. A sound object with a
 * missing or invalid field just takes that field's default; the next save writes it.
 */
import type { Result } from '../../../shared/ipc/app-error';
import { fail, ok } from '../../../shared/ipc/app-error';
import type { SettingsRecovery } from '../../../shared/ipc/ipc-contract';
import { DEFAULT_SETTINGS, readStoredSettings, type AppSettings } from '../../../shared/settings/app-settings';
import { backupLabel, type DocumentStorage } from '../storage/document-storage';

/** What the settings need of a storage: JsonFileStorage has it, and so does the desktop's electron-store adapter. */
export type SettingsStorage = Pick<DocumentStorage, 'path' | 'read' | 'backUp'> & {
  /** Replaces the stored settings so that a crash mid-write leaves the previous ones whole; throws when it cannot. */
  write(settings: AppSettings): unknown;
};

export class SettingsStore {
  readonly #storage: SettingsStorage;
  #settings: AppSettings = { ...DEFAULT_SETTINGS };
  #recovery: SettingsRecovery | null = null;
  /** Why saving is refused: the file on disk could be neither read nor kept aside. */
  #readOnly: string | null = null;

  private constructor(storage: SettingsStorage) {
    this.#storage = storage;
  }

  /** Loads the settings, recovering a damaged file; never throws. `now` (ms since the epoch) names the backup. */
  static open(storage: SettingsStorage, now: () => number = Date.now): SettingsStore {
    const store = new SettingsStore(storage);
    store.#load(now);
    return store;
  }

  #load(now: () => number): void {
    const read = this.#storage.read();
    if (read.state === 'missing') return;
    const stored = read.state === 'found' ? readStoredSettings(read.data) : { ok: false as const, problem: read.problem };
    if (stored.ok) {
      this.#settings = stored.settings;
      return;
    }
    let backupPath: string;
    try {
      backupPath = this.#storage.backUp(backupLabel('corrupt', now()));
    } catch (error) {
      this.#readOnly = `${this.#storage.path} could not be read (${stored.problem}) and could not be copied aside (${errorText(error)}), so Topicscope will not overwrite it. Fix or move that file, then restart to save settings again.`;
      return;
    }
    this.#recovery = { backupPath, problem: stored.problem };
    try {
      this.#storage.write(this.#settings);
    } catch {
      // The defaults are in memory and the damaged file is safe in its backup; the next
      // save writes them (and a restart before that reports the same file once more).
    }
  }

  get(): { settings: AppSettings; recovery: SettingsRecovery | null } {
    return { settings: { ...this.#settings }, recovery: this.#recovery };
  }

  /** Saves settings already parsed by the contract's schema; the old ones stay when the write fails. */
  set(settings: AppSettings): Result<{ settings: AppSettings }> {
    if (this.#readOnly !== null) return fail({ code: 'STORE_WRITE_FAILED', message: `Settings were not saved: ${this.#readOnly}` });
    const next = { ...settings };
    try {
      this.#storage.write(next);
    } catch (error) {
      return fail({
        code: 'STORE_WRITE_FAILED',
        message: `Settings could not be saved to ${this.#storage.path} (${errorText(error)}); nothing was changed. Check the disk space and the folder's permissions.`,
        detail: error instanceof Error ? error.message : String(error),
      });
    }
    this.#settings = next;
    return ok({ settings: { ...next } });
  }
}

function errorText(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}
