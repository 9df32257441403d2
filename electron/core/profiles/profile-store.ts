/**
 * The saved brokers: profiles in one document, their secrets sealed in another, both
 * behind small interfaces. Every change is computed on copies, written, and only then
 * made current, so a failed write (full disk, permissions) changes nothing. A damaged or
 * hand-edited store never stops the app and never costs the profiles that are still
 * valid: the file is kept as a backup and the user is told. A file changed on disk while
 * the app runs is merged into the next save where it can be, and kept aside either way.
 */
import { randomUUID } from 'node:crypto';
import type { AppError, Result } from '../../../shared/ipc/app-error';
import { fail, ok } from '../../../shared/ipc/app-error';
import type { ConnectionConfig } from '../../../shared/connection/connection-config';
import { configWithoutSecrets, SECRET_KINDS, SECRET_LABEL, secretMisfit, secretNeeded, type ProfileList, type ProfileView, type SecretKind, type StoreRecovery } from '../../../shared/profiles/connection-profile';
import type { ParsedCommandArgs } from '../../../shared/ipc/ipc-contract';
import type { PemKind } from '../../../shared/profiles/import-candidate';
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
  type SealedSecrets,
  type SecretDocument,
  type StoredProfile,
} from '../../../shared/profiles/profile-document';
import { buildTopicscopeExport, exportFileName, parseProfileImport, uniqueName, type ExportedProfile } from '../../../shared/profiles/profile-transfer';
import { mergeProfileDocuments, mergeSecretDocuments } from './document-merge';
import { backupLabel, type DocumentStorage } from '../storage/document-storage';
import type { PemFolder } from './pem-folder';
import type { SecretStore } from './secret-store';

export interface ProfileStoreDeps {
  /** The profile document (no secrets in it). */
  profiles: DocumentStorage;
  /** The sealed secrets, by profile. */
  secretFile: DocumentStorage;
  secrets: SecretStore;
  /** Where imported PEM text is written as files. */
  pemFolder: PemFolder;
  /** Milliseconds since the epoch. */
  now?: () => number;
  newId?: () => string;
}

export type ProfileSaveArgs = ParsedCommandArgs<'profile:save'>;
export type ProfileImportArgs = ParsedCommandArgs<'profile:import'>;

function writeFailed(path: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException).code;
  return {
    code: 'STORE_WRITE_FAILED',
    message: `Your profiles could not be saved to ${path} (${code ?? (error as Error).message}): check free disk space and the folder's permissions. Nothing was changed.`,
    detail: error instanceof Error ? error.message : String(error),
  };
}

export function unknownProfile(id: string): AppError {
  return { code: 'UNKNOWN_PROFILE', message: `No saved profile has the id "${id}": it may have been deleted. Reload the profile list.` };
}

/** What became of a file's change on disk at a save: combined with it, or replaced and why. */
type DiskMerge = { merged: true; conflicts: string[] } | { merged: false; problem: string };

function tlsPaths(config: ConnectionConfig): string[] {
  return [config.tls.caFile, config.tls.certFile, config.tls.keyFile].filter((p): p is string => p !== undefined);
}

export class ProfileStore {
  readonly #deps: Required<ProfileStoreDeps>;
  #doc: ProfileDocument = emptyProfileDocument();
  #sealed: SecretDocument = emptySecretDocument();
  #recovery: StoreRecovery | null = null;
  readonly #notices: string[] = [];
  /** Set when the store file could not be read nor backed up: writing would destroy it. */
  #readOnlyReason: string | null = null;
  /** The same for the secret file alone: profiles can still be saved, secrets not. */
  #secretsReadOnlyReason: string | null = null;

  private constructor(deps: ProfileStoreDeps) {
    this.#deps = { now: Date.now, newId: randomUUID, ...deps };
  }

  /** Loads both documents, migrating and recovering as needed; never throws. */
  static open(deps: ProfileStoreDeps): ProfileStore {
    const store = new ProfileStore(deps);
    const { extracted, clean } = store.#loadProfiles();
    store.#loadSecrets(clean);
    store.#adoptExtractedSecrets(extracted);
    return store;
  }

  // ---- loading --------------------------------------------------------------------

  /**
   * Returns the secrets an older version kept inline, for #adoptExtractedSecrets, and
   * whether every profile of the file was loaded (only then may secrets be pruned).
   */
  #loadProfiles(): { extracted: ExtractedSecret[]; clean: boolean } {
    const { profiles: storage } = this.#deps;
    const read = storage.read();
    if (read.state === 'missing') return { extracted: [], clean: false };
    const loaded: LoadedProfileDocument = read.state === 'found' ? loadProfileDocument(read.data) : { ok: false, problem: read.problem };
    if (!loaded.ok && loaded.newerVersion !== undefined) {
      // Nothing is wrong with the file: that version needs it as it is, secrets included.
      this.#readOnlyReason = `${storage.path} was written by a newer version of Topicscope`;
      this.#notices.push(
        `Your profiles in ${storage.path} were saved by a newer version of Topicscope (store version ${loaded.newerVersion}; this one reads up to ${PROFILE_DOCUMENT_VERSION}). They are not shown, and this version changes neither that file nor your saved passwords: update Topicscope to use them.`,
      );
      return { extracted: [], clean: false };
    }
    if (!loaded.ok) {
      const backupPath = this.#backUp(storage, 'corrupt');
      if (backupPath === null) {
        this.#readOnlyReason = `${storage.path} could not be read (${loaded.problem}) and could not be backed up`;
        this.#notices.push(`Your profiles could not be loaded: ${storage.path} is unreadable (${loaded.problem}) and could not be copied aside, so Topicscope will not overwrite it. Fix or move that file, then restart.`);
        return { extracted: [], clean: false };
      }
      this.#recovery = {
        message: `Your profile store could not be read (${loaded.problem}). It was kept as a backup and Topicscope started without profiles. Their saved passwords were kept: repair the backup if needed, then import it with "Import profiles" to get the profiles back with their passwords.`,
        backupPath,
      };
      this.#tryRewrite(storage, emptyProfileDocument());
      return { extracted: [], clean: false };
    }
    this.#doc = loaded.document;
    const migrated = loaded.migratedFrom !== null;
    if (loaded.invalid.length > 0) {
      const backupPath = this.#backUp(storage, 'invalid');
      const list = loaded.invalid.map((p) => `${p.name === null ? `entry ${p.position}` : `"${p.name}" (entry ${p.position})`}: ${p.problem}`).join(' ');
      const kept = `${loaded.document.profiles.length} valid profile${loaded.document.profiles.length === 1 ? ' was' : 's were'} kept`;
      if (backupPath === null) {
        this.#readOnlyReason = `${storage.path} holds invalid profiles and could not be backed up`;
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
    if (migrated || loaded.invalid.length > 0) this.#tryRewrite(storage, this.#doc);
    return { extracted: loaded.extractedSecrets, clean: loaded.invalid.length === 0 };
  }

  #loadSecrets(profilesLoadedClean: boolean): void {
    const { secretFile } = this.#deps;
    const read = secretFile.read();
    if (read.state === 'missing') return;
    const newer = read.state === 'found' ? newerSecretDocumentVersion(read.data) : null;
    if (newer !== null) {
      this.#secretsReadOnlyReason = `${secretFile.path} was written by a newer version of Topicscope`;
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
        this.#secretsReadOnlyReason = `${secretFile.path} could not be read (${problem}) and could not be backed up`;
        this.#notices.push(
          `Saved passwords could not be read from ${secretFile.path} (${problem}), and the file could not be copied aside, so Topicscope will not overwrite it: type passwords when you connect. To save passwords again, fix or move that file, then restart.`,
        );
        return;
      }
      this.#notices.push(`Saved passwords could not be read from ${secretFile.path} (${problem}); the file was kept as ${backupPath}. Enter the passwords again when you connect.`);
      if (this.#readOnlyReason === null) this.#tryRewrite(secretFile, emptySecretDocument());
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
    if (orphaned && profilesLoadedClean && this.#readOnlyReason === null && !this.#deps.profiles.hasBackups()) {
      this.#sealed = { ...parsed.data, secrets: kept };
      this.#tryRewrite(secretFile, this.#sealed);
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
    if (!this.#deps.secrets.info.encrypted) {
      this.#notices.push(
        `An older version of Topicscope had saved the passwords of ${names} in plain text. They were removed, because secrets cannot be encrypted here (${this.#deps.secrets.info.backend}); enter them again when you connect.`,
      );
      return;
    }
    if (this.#secretsReadOnlyReason !== null) {
      this.#notices.push(
        `An older version of Topicscope had saved the passwords of ${names} in plain text; they were removed but could not be stored encrypted, because ${this.#secretsReadOnlyReason}. Enter them again when you connect.`,
      );
      return;
    }
    let next = this.#sealed;
    try {
      for (const secret of extracted) next = this.#withSealed(next, secret.profileId, { [secret.kind]: this.#deps.secrets.seal(secret.value) });
      this.#noteKeptChange(this.#deps.secretFile, this.#deps.secretFile.write(next).keptChange, null);
      this.#sealed = next;
      this.#notices.push(`The passwords of ${names}, saved in plain text by an older version of Topicscope, are now encrypted (${this.#deps.secrets.info.backend}).`);
    } catch (error) {
      this.#notices.push(
        `An older version of Topicscope had saved the passwords of ${names} in plain text; they were removed but could not be stored encrypted (${(error as Error).message}). Enter them again when you connect.`,
      );
    }
  }

  #backUp(storage: DocumentStorage, kind: string): string | null {
    try {
      return storage.backUp(backupLabel(kind, this.#deps.now()));
    } catch {
      // The caller reports the missing backup and keeps the original untouched.
      return null;
    }
  }

  #tryRewrite(storage: DocumentStorage, data: object): void {
    try {
      this.#noteKeptChange(storage, storage.write(data).keptChange, null);
    } catch (error) {
      // The documents in memory are right; the next successful save writes them.
      this.#notices.push(`${storage.path} could not be updated (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); your changes will be written with the next save.`);
    }
  }

  // ---- reading --------------------------------------------------------------------

  #view(profile: StoredProfile): ProfileView {
    const sealed = this.#sealed.secrets[profile.id] ?? {};
    return {
      id: profile.id,
      name: profile.name,
      config: profile.config,
      randomClientId: profile.randomClientId,
      savedSecrets: { password: sealed.password !== undefined, keyPassphrase: sealed.keyPassphrase !== undefined },
      createdAt: profile.createdAt,
      updatedAt: profile.updatedAt,
      lastUsedAt: profile.lastUsedAt,
    };
  }

  #find(id: string): StoredProfile | undefined {
    return this.#doc.profiles.find((p) => p.id === id);
  }

  /** Profiles sorted by name (case and accents ignored), as a user scans a list. */
  list(): ProfileList {
    const profiles = [...this.#doc.profiles]
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.createdAt - b.createdAt)
      .map((p) => this.#view(p));
    return { profiles, lastUsedId: this.#doc.lastUsedId, secretStorage: this.#deps.secrets.info, recovery: this.#recovery, notices: [...this.#notices] };
  }

  get(id: string): ProfileView | null {
    const profile = this.#find(id);
    return profile ? this.#view(profile) : null;
  }

  /**
   * The saved secrets of a profile, decrypted, for connecting; never sent to the renderer.
   * Only `kinds` are decrypted, so one that can't be (a reset keychain) doesn't block a
   * connection that brings its own value for it.
   */
  secretsOf(id: string, kinds: readonly SecretKind[] = SECRET_KINDS): Result<Partial<Record<SecretKind, string>>> {
    const profile = this.#find(id);
    if (!profile) return fail(unknownProfile(id));
    const sealed = this.#sealed.secrets[id] ?? {};
    const secrets: Partial<Record<SecretKind, string>> = {};
    for (const kind of kinds) {
      const value = sealed[kind];
      if (value === undefined) continue;
      try {
        secrets[kind] = this.#deps.secrets.unseal(value);
      } catch (error) {
        return fail({
          code: 'UNEXPECTED',
          message: `The saved ${SECRET_LABEL[kind]} of "${profile.name}" could not be decrypted (the system keychain may have been reset): enter it again and save the profile.`,
          detail: (error as Error).message,
        });
      }
    }
    return ok(secrets);
  }

  // ---- changing -------------------------------------------------------------------

  #withSealed(doc: SecretDocument, id: string, change: Partial<Record<SecretKind, string | null>>): SecretDocument {
    const current: SealedSecrets = { ...(doc.secrets[id] ?? {}) };
    for (const kind of SECRET_KINDS) {
      if (!(kind in change)) continue;
      const value = change[kind];
      if (value === null || value === undefined) delete current[kind];
      else current[kind] = value;
    }
    const secrets = { ...doc.secrets };
    if (Object.keys(current).length === 0) delete secrets[id];
    else secrets[id] = current;
    return { ...doc, secrets };
  }

  /**
   * Tells the user that a file changed on disk was kept aside before it was replaced;
   * `merge` says whether that change is in what was saved (null: not looked at).
   */
  #noteKeptChange(storage: DocumentStorage, keptChange: string | null, merge: DiskMerge | null): void {
    if (keptChange === null) return;
    const what = `${storage.path} was changed outside Topicscope after it was loaded (by hand, by another program or by another Topicscope)`;
    if (merge?.merged) {
      const conflicts = merge.conflicts.length > 0 ? `; where both changed the same profile (${merge.conflicts.map((n) => `"${n}"`).join(', ')}), your change was kept` : '';
      this.#notices.push(`${what}. Those changes were combined with yours${conflicts}. The file as it was is kept at ${keptChange}.`);
      return;
    }
    const why = merge ? ` (${merge.problem})` : '';
    const how = storage === this.#deps.profiles ? ': repair it if needed, then import it with "Import profiles" to get its profiles back' : '; passwords saved only there must be entered again';
    this.#notices.push(`${what}, and that version could not be combined with yours${why}, so it was replaced. It is kept at ${keptChange}${how}.`);
  }

  /**
   * The change about to be saved, combined with what another program or a hand edit put
   * in the files since they were read. Unusable content is left to the write, which keeps
   * it aside. Fails when the file now comes from a newer version: it must stay as it is.
   */
  #mergeDiskChanges(doc: ProfileDocument, sealed: SecretDocument, secretsChanged: boolean): Result<{ doc: ProfileDocument; sealed: SecretDocument; profiles: DiskMerge | null; secrets: DiskMerge | null }> {
    const { profiles: profileFile, secretFile } = this.#deps;
    let profiles: DiskMerge | null = null;
    const theirs = profileFile.changedOnDisk();
    if (theirs !== null) {
      const loaded: LoadedProfileDocument = theirs.state === 'found' ? loadProfileDocument(theirs.data) : { ok: false, problem: theirs.state === 'missing' ? 'it is gone' : theirs.problem };
      if (!loaded.ok && loaded.newerVersion !== undefined) {
        this.#readOnlyReason = `${profileFile.path} was replaced by a newer version of Topicscope`;
        return fail({ code: 'STORE_WRITE_FAILED', message: `Profiles cannot be saved: ${this.#readOnlyReason} (store version ${loaded.newerVersion}), so this version will not overwrite it. Nothing was saved.` });
      }
      if (!loaded.ok) profiles = { merged: false, problem: loaded.problem };
      else if (loaded.invalid.length > 0 || loaded.extractedSecrets.length > 0) profiles = { merged: false, problem: 'it holds entries this version cannot read' };
      else {
        const merge = mergeProfileDocuments(this.#doc, doc, loaded.document);
        doc = merge.document;
        profiles = { merged: true, conflicts: merge.conflicts };
      }
    }
    let secrets: DiskMerge | null = null;
    const theirSecrets = secretsChanged ? secretFile.changedOnDisk() : null;
    if (theirSecrets !== null) {
      const newer = theirSecrets.state === 'found' ? newerSecretDocumentVersion(theirSecrets.data) : null;
      if (newer !== null) {
        this.#secretsReadOnlyReason = `${secretFile.path} was replaced by a newer version of Topicscope`;
        return fail({ code: 'STORE_WRITE_FAILED', message: `Passwords cannot be saved: ${this.#secretsReadOnlyReason} (secret file version ${newer}). Nothing was saved.` });
      }
      const parsed = theirSecrets.state === 'found' ? secretDocumentSchema.safeParse(theirSecrets.data) : null;
      if (parsed?.success) {
        sealed = mergeSecretDocuments(this.#sealed, sealed, parsed.data);
        secrets = { merged: true, conflicts: [] };
      } else {
        secrets = { merged: false, problem: theirSecrets.state === 'unparsable' ? theirSecrets.problem : 'it is not a Topicscope secret file' };
      }
    }
    return ok({ doc, sealed, profiles, secrets });
  }

  /**
   * Writes the secrets first, then the profiles; if the profiles fail, the previous
   * secrets are written back. Memory changes only after both writes succeeded.
   */
  #commit(ourDoc: ProfileDocument, ourSealed: SecretDocument): Result<void> {
    if (this.#readOnlyReason !== null) {
      return fail({
        code: 'STORE_WRITE_FAILED',
        message: `Profiles cannot be saved: ${this.#readOnlyReason}, so Topicscope will not overwrite it. Fix or move that file, then restart.`,
      });
    }
    const secretsChanged = ourSealed !== this.#sealed;
    if (secretsChanged && this.#secretsReadOnlyReason !== null) {
      return fail({
        code: 'STORE_WRITE_FAILED',
        message: `Passwords cannot be saved: ${this.#secretsReadOnlyReason}, so Topicscope will not overwrite it. Save without the password (leave it empty), or fix or move that file and restart. Nothing was saved.`,
      });
    }
    let merged;
    try {
      merged = this.#mergeDiskChanges(ourDoc, ourSealed, secretsChanged);
    } catch (error) {
      return fail(writeFailed(this.#deps.profiles.path, error));
    }
    if (!merged.ok) return merged;
    const { doc, sealed } = merged.value;
    let secretsKept: string | null = null;
    if (secretsChanged) {
      try {
        secretsKept = this.#deps.secretFile.write(sealed).keptChange;
      } catch (error) {
        return fail(writeFailed(this.#deps.secretFile.path, error));
      }
    }
    let profilesKept: string | null;
    try {
      profilesKept = this.#deps.profiles.write(doc).keptChange;
    } catch (error) {
      if (secretsChanged) {
        try {
          this.#deps.secretFile.write(this.#sealed);
        } catch {
          // The secret file keeps the new secret of a profile that was not saved: a new
          // profile's are pruned on the next start; an edited one's is the value the user
          // just typed. Either way the user sees the failure reported below.
        }
      }
      return fail(writeFailed(this.#deps.profiles.path, error));
    }
    this.#doc = doc;
    this.#sealed = sealed;
    this.#noteKeptChange(this.#deps.secretFile, secretsKept, merged.value.secrets);
    this.#noteKeptChange(this.#deps.profiles, profilesKept, merged.value.profiles);
    return ok(undefined);
  }

  #refuseInsecure(what: string): AppError {
    const info = this.#deps.secrets.info;
    return {
      code: 'SECRET_STORAGE_INSECURE',
      message: `${what} cannot be encrypted here (${info.backend}): ${info.description} Save without it, or choose to store it in plain text. Nothing was saved.`,
    };
  }

  #seal(secret: string): Result<string> {
    try {
      return ok(this.#deps.secrets.seal(secret));
    } catch (error) {
      return fail({ code: 'UNEXPECTED', message: `The secret could not be encrypted by ${this.#deps.secrets.info.backend}: ${(error as Error).message}. Nothing was saved.` });
    }
  }

  /** Creates (no id) or overwrites a profile: edit and rename alike. */
  save(args: ProfileSaveArgs): Result<{ profile: ProfileView }> {
    const now = this.#deps.now();
    const existing = args.id === undefined ? undefined : this.#find(args.id);
    if (args.id !== undefined && !existing) return fail(unknownProfile(args.id));
    const copyFrom = args.id === undefined && args.copySecretsFrom !== undefined ? this.#find(args.copySecretsFrom) : undefined;
    if (args.id === undefined && args.copySecretsFrom !== undefined && !copyFrom) {
      return fail({
        code: 'UNKNOWN_PROFILE',
        message: `The profile whose saved passwords were to be copied (id "${args.copySecretsFrom}") no longer exists: type the password, then save again. Nothing was saved.`,
      });
    }
    const setsSecret = SECRET_KINDS.some((kind) => args.secrets[kind].action === 'set');
    if (setsSecret && !this.#deps.secrets.info.encrypted && !args.allowPlainTextSecrets) return fail(this.#refuseInsecure('The password'));

    const profile: StoredProfile = {
      id: existing?.id ?? this.#deps.newId(),
      name: args.name,
      config: configWithoutSecrets(args.config),
      randomClientId: args.randomClientId,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      lastUsedAt: existing?.lastUsedAt ?? null,
    };
    const change: Partial<Record<SecretKind, string | null>> = {};
    for (const kind of SECRET_KINDS) {
      const secret = args.secrets[kind];
      const copied = copyFrom && secret.action === 'keep' && secretNeeded(kind, profile.config) ? this.#sealed.secrets[copyFrom.id]?.[kind] : undefined;
      if (copyFrom && copied !== undefined) {
        // The copy may point elsewhere: a saved secret only goes where it was saved for.
        const misfit = secretMisfit(kind, copyFrom.name, copyFrom.config, profile.config);
        if (misfit) {
          return fail({ code: 'INVALID_INPUT', message: `${misfit}: type the ${SECRET_LABEL[kind]} to save it with the new profile. Nothing was saved.` });
        }
        change[kind] = copied;
      }
      if (secret.action === 'remove') change[kind] = null;
      if (secret.action === 'set') {
        const sealed = this.#seal(secret.value);
        if (!sealed.ok) return sealed;
        change[kind] = sealed.value;
      }
    }
    const profiles = existing ? this.#doc.profiles.map((p) => (p.id === profile.id ? profile : p)) : [...this.#doc.profiles, profile];
    const sealed = Object.keys(change).length > 0 ? this.#withSealed(this.#sealed, profile.id, change) : this.#sealed;
    const committed = this.#commit({ ...this.#doc, profiles }, sealed);
    return committed.ok ? ok({ profile: this.#view(profile) }) : committed;
  }

  /** Copies a profile with its saved secrets, under `name` or "<name> copy". */
  duplicate(id: string, name?: string): Result<{ profile: ProfileView }> {
    const original = this.#find(id);
    if (!original) return fail(unknownProfile(id));
    const now = this.#deps.now();
    const taken = new Set(this.#doc.profiles.map((p) => p.name.toLowerCase()));
    const copy: StoredProfile = {
      ...original,
      id: this.#deps.newId(),
      name: name ?? uniqueName(`${original.name} copy`, taken),
      createdAt: now,
      updatedAt: now,
      lastUsedAt: null,
    };
    const originalSecrets = this.#sealed.secrets[id];
    const sealed = originalSecrets ? { ...this.#sealed, secrets: { ...this.#sealed.secrets, [copy.id]: { ...originalSecrets } } } : this.#sealed;
    const committed = this.#commit({ ...this.#doc, profiles: [...this.#doc.profiles, copy] }, sealed);
    return committed.ok ? ok({ profile: this.#view(copy) }) : committed;
  }

  /** Deletes a profile, its secrets, and imported certificate files nothing else uses. */
  delete(id: string): Result<Record<string, never>> {
    const profile = this.#find(id);
    if (!profile) return fail(unknownProfile(id));
    const profiles = this.#doc.profiles.filter((p) => p.id !== id);
    const lastUsedId = this.#doc.lastUsedId === id ? null : this.#doc.lastUsedId;
    const secrets = { ...this.#sealed.secrets };
    delete secrets[id];
    const sealed = id in this.#sealed.secrets ? { ...this.#sealed, secrets } : this.#sealed;
    const committed = this.#commit({ ...this.#doc, profiles, lastUsedId }, sealed);
    if (!committed.ok) return committed;
    const stillUsed = new Set(profiles.flatMap((p) => tlsPaths(p.config)));
    for (const path of tlsPaths(profile.config)) {
      if (!stillUsed.has(path)) this.#deps.pemFolder.remove(path);
    }
    return ok({});
  }

  /** Remembers that a connection was just opened from this profile. */
  markUsed(id: string): Result<void> {
    const profile = this.#find(id);
    if (!profile) return fail(unknownProfile(id));
    const used = { ...profile, lastUsedAt: this.#deps.now() };
    const profiles = this.#doc.profiles.map((p) => (p.id === id ? used : p));
    return this.#commit({ ...this.#doc, profiles, lastUsedId: id }, this.#sealed);
  }

  // ---- import and export --------------------------------------------------------------

  /** Topicscope JSON of the given profiles (all when `ids` is empty); secrets only when asked. */
  export(ids: string[], includeSecrets: boolean): Result<{ fileName: string; json: string; count: number }> {
    const unknown = ids.find((id) => !this.#find(id));
    if (unknown !== undefined) return fail(unknownProfile(unknown));
    const wanted = new Set(ids);
    const chosen = this.list().profiles.filter((p) => ids.length === 0 || wanted.has(p.id));
    const exported: ExportedProfile[] = [];
    for (const profile of chosen) {
      const entry: ExportedProfile = { name: profile.name, config: profile.config, randomClientId: profile.randomClientId };
      if (includeSecrets) {
        const secrets = this.secretsOf(profile.id);
        if (!secrets.ok) return secrets;
        if (Object.keys(secrets.value).length > 0) entry.secrets = secrets.value;
      }
      exported.push(entry);
    }
    const now = this.#deps.now();
    return ok({ fileName: exportFileName(now), json: buildTopicscopeExport(exported, now), count: exported.length });
  }

  /**
   * Adds the usable entries of a Topicscope export, a Topicscope profile file (a backup)
   * or an MQTTX export as new profiles (names that
   * clash get " (2)"...); never overwrites. Refuses the whole file, changing nothing, when
   * it is neither format, or it holds secrets that would be stored unencrypted without
   * the user's agreement.
   */
  import(args: ProfileImportArgs): Result<{ format: 'topicscope' | 'mqttx'; imported: ProfileView[]; skipped: { name: string; reason: string }[] }> {
    const parsed = parseProfileImport(args.text);
    if (!parsed.ok) return fail({ code: 'IMPORT_INVALID', message: parsed.message });
    const keepSecrets = !args.withoutSecrets;
    const secretCount = parsed.candidates.reduce((n, c) => n + Object.keys(c.secrets).length, 0);
    if (keepSecrets && secretCount > 0 && !this.#deps.secrets.info.encrypted && !args.allowPlainTextSecrets) {
      return fail(this.#refuseInsecure(`The file holds ${secretCount} password${secretCount === 1 ? '' : 's'}, which`));
    }

    const now = this.#deps.now();
    const taken = new Set(this.#doc.profiles.map((p) => p.name.toLowerCase()));
    const written: string[] = [];
    const created: StoredProfile[] = [];
    let sealed = this.#sealed;
    const undoFiles = (): void => written.forEach((path) => this.#deps.pemFolder.remove(path));
    const skipped = [...parsed.skipped];
    for (const candidate of parsed.candidates) {
      // A profile from a backup of this store keeps its id, so the passwords kept for it
      // when it was left out belong to it again; one still in the store is not doubled.
      if (candidate.id !== undefined && this.#find(candidate.id)) {
        skipped.push({ name: candidate.name, reason: 'It is already in your profiles.' });
        continue;
      }
      const id = candidate.id ?? this.#deps.newId();
      const name = uniqueName(candidate.name, taken);
      taken.add(name.toLowerCase());
      let config = candidate.config;
      try {
        const tls = { ...config.tls };
        const fields: Record<PemKind, 'caFile' | 'certFile' | 'keyFile'> = { ca: 'caFile', cert: 'certFile', key: 'keyFile' };
        for (const [kind, pem] of Object.entries(candidate.pem) as Array<[PemKind, string]>) {
          const path = this.#deps.pemFolder.write(`${id}-${kind}.pem`, pem);
          written.push(path);
          tls[fields[kind]] = path;
        }
        config = { ...config, tls };
      } catch (error) {
        undoFiles();
        return fail(writeFailed(this.#deps.pemFolder.dir, error));
      }
      if (keepSecrets && Object.keys(candidate.secrets).length > 0) {
        const change: Partial<Record<SecretKind, string>> = {};
        for (const [kind, value] of Object.entries(candidate.secrets) as Array<[SecretKind, string]>) {
          const result = this.#seal(value);
          if (!result.ok) {
            undoFiles();
            return result;
          }
          change[kind] = result.value;
        }
        sealed = this.#withSealed(sealed, id, change);
      }
      created.push({ id, name, config, randomClientId: candidate.randomClientId, createdAt: now, updatedAt: now, lastUsedAt: null });
    }
    const committed = this.#commit({ ...this.#doc, profiles: [...this.#doc.profiles, ...created] }, sealed);
    if (!committed.ok) {
      undoFiles();
      return committed;
    }
    return ok({ format: parsed.format, imported: created.map((p) => this.#view(p)), skipped });
  }
}
