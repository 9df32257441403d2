/**
 * Saving a change to the profile store as one step over its two files. A change is
 * computed on copies and handed here whole: files that must not be written refuse it,
 * what changed on disk meanwhile is merged in (disk-changes.ts), the secrets are written
 * first and the profiles second, and the previous secrets are written back if the
 * profiles fail. The caller makes the result current only when this succeeds, so a
 * failed write (full disk, permissions) changes nothing.
 */
import type { Result } from '../../../shared/ipc/app-error';
import { fail, ok } from '../../../shared/ipc/app-error';
import { foldDiskChanges, keptChangeNotice } from './disk-changes';
import type { ReadOnlyReasons, StoreDocuments, StoreFiles } from './store-documents';
import { writeFailed } from './store-errors';

export class StoreCommitter {
  readonly #files: StoreFiles;
  readonly #readOnly: ReadOnlyReasons;
  readonly #notify: (notice: string) => void;

  /** `readOnly` as loading found it; a save that meets a newer version's file adds to it. */
  constructor(files: StoreFiles, readOnly: ReadOnlyReasons, notify: (notice: string) => void) {
    this.#files = files;
    this.#readOnly = { ...readOnly };
    this.#notify = notify;
  }

  /**
   * Writes `next` over `current` (the documents last read or written) and returns what
   * was written: `next` with any change on disk merged in. Secrets are written only when
   * `next.sealed` is another document than `current.sealed`.
   */
  commit(current: StoreDocuments, next: StoreDocuments): Result<StoreDocuments> {
    const { profiles, secretFile } = this.#files;
    if (this.#readOnly.profiles !== null) {
      return fail({
        code: 'STORE_WRITE_FAILED',
        message: `Profiles cannot be saved: ${this.#readOnly.profiles}, so Topicscope will not overwrite it. Fix or move that file, then restart.`,
      });
    }
    const secretsChanged = next.sealed !== current.sealed;
    if (secretsChanged && this.#readOnly.secrets !== null) {
      return fail({
        code: 'STORE_WRITE_FAILED',
        message: `Passwords cannot be saved: ${this.#readOnly.secrets}, so Topicscope will not overwrite it. Save without the password (leave it empty), or fix or move that file and restart. Nothing was saved.`,
      });
    }
    let merged;
    try {
      merged = foldDiskChanges(this.#files, current, next, secretsChanged);
    } catch (error) {
      return fail(writeFailed(profiles.path, error));
    }
    if (!merged.ok) {
      this.#readOnly[merged.role] = merged.reason;
      return fail(merged.error);
    }
    const { doc, sealed } = merged.documents;
    let secretsKept: string | null = null;
    if (secretsChanged) {
      try {
        secretsKept = secretFile.write(sealed).keptChange;
      } catch (error) {
        return fail(writeFailed(secretFile.path, error));
      }
    }
    let profilesKept: string | null;
    try {
      profilesKept = profiles.write(doc).keptChange;
    } catch (error) {
      if (secretsChanged) {
        try {
          secretFile.write(current.sealed);
        } catch {
          // The secret file keeps the new secret of a profile that was not saved: a new
          // profile's are pruned on the next start; an edited one's is the value the user
          // just typed. Either way the user sees the failure reported below.
        }
      }
      return fail(writeFailed(profiles.path, error));
    }
    this.#note(keptChangeNotice(secretFile.path, 'secrets', secretsKept, merged.secrets));
    this.#note(keptChangeNotice(profiles.path, 'profiles', profilesKept, merged.profiles));
    return ok({ doc, sealed });
  }

  #note(notice: string | null): void {
    if (notice !== null) this.#notify(notice);
  }
}
