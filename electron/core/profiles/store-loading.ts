/**
 * Opening the profile store: both documents read, an older version's migrated, a damaged
 * or hand-edited one recovered. A bad file never stops the app and never costs the
 * profiles that are still valid: it is kept as a backup and the user is told. A file
 * that can be neither read nor backed up, or that a newer Topicscope wrote, is marked
 * read-only so nothing overwrites it. Runs once, at start; never throws.
 */
import type { StoreRecovery } from '../../../shared/profiles/connection-profile';
import {
  emptyProfileDocument,
  emptySecretDocument,
  loadProfileDocument,
  newerSecretDocumentVersion,
  PROFILE_DOCUMENT_VERSION,
  secretDocumentSchema,
  type ExtractedSecret,
  type LoadedProfileDocument,
  type ProfileDocument,
  type SecretDocument,
} from '../../../shared/profiles/profile-document';
import { backupLabel, type DocumentStorage } from '../storage/document-storage';
import { keptChangeNotice } from './disk-changes';
import { withSealed } from './secret-rules';
import type { SecretStore } from './secret-store';
import type { ReadOnlyReasons, StoreDocuments, StoreFileRole, StoreFiles } from './store-documents';

export interface LoadedStore extends StoreDocuments {
  /** Set when profiles were left out and the file kept as a backup the user can import. */
  recovery: StoreRecovery | null;
  /** What the user should know about this start, in words for them. */
  notices: string[];
  readOnly: ReadOnlyReasons;
}

/** Loads both documents of `files`, migrating and recovering as needed. */
export function loadStore(files: StoreFiles, secrets: SecretStore, now: () => number): LoadedStore {
  return new StoreLoad(files, secrets, now).run();
}

class StoreLoad {
  readonly #files: StoreFiles;
  readonly #secrets: SecretStore;
  readonly #now: () => number;
  #doc: ProfileDocument = emptyProfileDocument();
  #sealed: SecretDocument = emptySecretDocument();
  #recovery: StoreRecovery | null = null;
  readonly #notices: string[] = [];
  readonly #readOnly: ReadOnlyReasons = { profiles: null, secrets: null };

  constructor(files: StoreFiles, secrets: SecretStore, now: () => number) {
    this.#files = files;
    this.#secrets = secrets;
    this.#now = now;
  }

  run(): LoadedStore {
    const { extracted, clean } = this.#loadProfiles();
    this.#loadSecrets(clean);
    this.#adoptExtractedSecrets(extracted);
    return { doc: this.#doc, sealed: this.#sealed, recovery: this.#recovery, notices: this.#notices, readOnly: this.#readOnly };
  }

  /**
   * Returns the secrets an older version kept inline, for #adoptExtractedSecrets, and
   * whether every profile of the file was loaded (only then may secrets be pruned).
   */
  #loadProfiles(): { extracted: ExtractedSecret[]; clean: boolean } {
    const { profiles: storage } = this.#files;
    const read = storage.read();
    if (read.state === 'missing') return { extracted: [], clean: false };
    const loaded: LoadedProfileDocument = read.state === 'found' ? loadProfileDocument(read.data) : { ok: false, problem: read.problem };
    if (!loaded.ok && loaded.newerVersion !== undefined) {
      // Nothing is wrong with the file: that version needs it as it is, secrets included.
      this.#readOnly.profiles = `${storage.path} was written by a newer version of Topicscope`;
      this.#notices.push(
        `Your profiles in ${storage.path} were saved by a newer version of Topicscope (store version ${loaded.newerVersion}; this one reads up to ${PROFILE_DOCUMENT_VERSION}). They are not shown, and this version changes neither that file nor your saved passwords: update Topicscope to use them.`,
      );
      return { extracted: [], clean: false };
    }
    if (!loaded.ok) {
      const backupPath = this.#backUp(storage, 'corrupt');
      if (backupPath === null) {
        this.#readOnly.profiles = `${storage.path} could not be read (${loaded.problem}) and could not be backed up`;
        this.#notices.push(`Your profiles could not be loaded: ${storage.path} is unreadable (${loaded.problem}) and could not be copied aside, so Topicscope will not overwrite it. Fix or move that file, then restart.`);
        return { extracted: [], clean: false };
      }
      this.#recovery = {
        message: `Your profile store could not be read (${loaded.problem}). It was kept as a backup and Topicscope started without profiles. Their saved passwords were kept: repair the backup if needed, then import it with "Import profiles" to get the profiles back with their passwords.`,
        backupPath,
      };
      this.#tryRewrite(storage, 'profiles', emptyProfileDocument());
      return { extracted: [], clean: false };
    }
    this.#doc = loaded.document;
    const migrated = loaded.migratedFrom !== null;
    if (loaded.invalid.length > 0) {
      const backupPath = this.#backUp(storage, 'invalid');
      const list = loaded.invalid.map((p) => `${p.name === null ? `entry ${p.position}` : `"${p.name}" (entry ${p.position})`}: ${p.problem}`).join(' ');
      const kept = `${loaded.document.profiles.length} valid profile${loaded.document.profiles.length === 1 ? ' was' : 's were'} kept`;
      if (backupPath === null) {
        this.#readOnly.profiles = `${storage.path} holds invalid profiles and could not be backed up`;
        this.#notices.push(`Some saved profiles are invalid and were left out: ${list} ${kept}. The file could not be copied aside, so Topicscope will not overwrite it until it can.`);
        return { extracted: loaded.extractedSecrets, clean: false };
      }
      this.#recovery = {
        message: `Some saved profiles are invalid and were left out: ${list} ${kept}; the original file was kept as a backup. Their saved passwords were kept: correct those entries in the backup, then import it with "Import profiles" to get them back with their passwords.`,
        backupPath,
      };
    }
    // Rewritten now so the plain-text secrets of an old version leave the disk at once,
    // and invalid entries stop being reported on every start.
    if (migrated || loaded.invalid.length > 0) this.#tryRewrite(storage, 'profiles', this.#doc);
    return { extracted: loaded.extractedSecrets, clean: loaded.invalid.length === 0 };
  }

  #loadSecrets(profilesLoadedClean: boolean): void {
    const { secretFile } = this.#files;
    const read = secretFile.read();
    if (read.state === 'missing') return;
    const newer = read.state === 'found' ? newerSecretDocumentVersion(read.data) : null;
    if (newer !== null) {
      this.#readOnly.secrets = `${secretFile.path} was written by a newer version of Topicscope`;
      this.#notices.push(
        `Your saved passwords in ${secretFile.path} were written by a newer version of Topicscope (secret file version ${newer}), so this one cannot use them and will not change that file: type passwords when you connect, or update Topicscope.`,
      );
      return;
    }
    const parsed = read.state === 'found' ? secretDocumentSchema.safeParse(read.data) : null;
    if (!parsed?.success) {
      const problem = read.state === 'unparsable' ? read.problem : 'it is not a Topicscope secret file';
      const backupPath = this.#backUp(secretFile, 'corrupt');
      if (backupPath === null) {
        // Replacing it would keep only the next saved password and lose everyone else's.
        this.#readOnly.secrets = `${secretFile.path} could not be read (${problem}) and could not be backed up`;
        this.#notices.push(
          `Saved passwords could not be read from ${secretFile.path} (${problem}), and the file could not be copied aside, so Topicscope will not overwrite it: type passwords when you connect. To save passwords again, fix or move that file, then restart.`,
        );
        return;
      }
      this.#notices.push(`Saved passwords could not be read from ${secretFile.path} (${problem}); the file was kept as ${backupPath}. Enter the passwords again when you connect.`);
      if (this.#readOnly.profiles === null) this.#tryRewrite(secretFile, 'secrets', emptySecretDocument());
      return;
    }
    this.#sealed = parsed.data;
    // Secrets of profiles that no longer exist (a save interrupted between the two files)
    // are dropped so they don't linger on disk, but only when nothing may still claim
    // them: a start that left profiles out, or a backup of the profile file the user can
    // import back (ids and all), keeps them.
    const ids = new Set(this.#doc.profiles.map((p) => p.id));
    const kept = Object.fromEntries(Object.entries(parsed.data.secrets).filter(([id]) => ids.has(id)));
    const orphaned = Object.keys(kept).length !== Object.keys(parsed.data.secrets).length;
    if (orphaned && profilesLoadedClean && this.#readOnly.profiles === null && !this.#files.profiles.hasBackups()) {
      this.#sealed = { ...parsed.data, secrets: kept };
      this.#tryRewrite(secretFile, 'secrets', this.#sealed);
    }
  }

  /**
   * Version 1 kept secrets in plain text inside the profile document. Where secrets can
   * be encrypted they move to the secret store; elsewhere nobody agreed to plain text, so
   * they are dropped and the user is told which profiles need their password again.
   */
  #adoptExtractedSecrets(extracted: ExtractedSecret[]): void {
    if (extracted.length === 0) return;
    const names = [...new Set(extracted.map((s) => `"${s.profileName}"`))].join(', ');
    const { info } = this.#secrets;
    if (!info.encrypted) {
      this.#notices.push(
        `An older version of Topicscope had saved the passwords of ${names} in plain text. They were removed, because secrets cannot be encrypted here (${info.backend}); enter them again when you connect.`,
      );
      return;
    }
    if (this.#readOnly.secrets !== null) {
      this.#notices.push(
        `An older version of Topicscope had saved the passwords of ${names} in plain text; they were removed but could not be stored encrypted, because ${this.#readOnly.secrets}. Enter them again when you connect.`,
      );
      return;
    }
    let next = this.#sealed;
    try {
      for (const secret of extracted) next = withSealed(next, secret.profileId, { [secret.kind]: this.#secrets.seal(secret.value) });
      this.#note(this.#files.secretFile, 'secrets', this.#files.secretFile.write(next).keptChange);
      this.#sealed = next;
      this.#notices.push(`The passwords of ${names}, saved in plain text by an older version of Topicscope, are now encrypted (${info.backend}).`);
    } catch (error) {
      this.#notices.push(
        `An older version of Topicscope had saved the passwords of ${names} in plain text; they were removed but could not be stored encrypted (${(error as Error).message}). Enter them again when you connect.`,
      );
    }
  }

  #backUp(storage: DocumentStorage, kind: string): string | null {
    try {
      return storage.backUp(backupLabel(kind, this.#now()));
    } catch {
      // The caller reports the missing backup and keeps the original untouched.
      return null;
    }
  }

  #tryRewrite(storage: DocumentStorage, role: StoreFileRole, data: object): void {
    try {
      this.#note(storage, role, storage.write(data).keptChange);
    } catch (error) {
      // The documents in memory are right; the next successful save writes them.
      this.#notices.push(`${storage.path} could not be updated (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); your changes will be written with the next save.`);
    }
  }

  #note(storage: DocumentStorage, role: StoreFileRole, keptChange: string | null): void {
    const notice = keptChangeNotice(storage.path, role, keptChange, null);
    if (notice !== null) this.#notices.push(notice);
  }
}
