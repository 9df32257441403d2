/**
 * The saved brokers, as the profile commands reach them: profiles in one document, their
 * secrets sealed in another, both behind small interfaces. This class is the facade: it
 * holds the current documents and answers each command by computing the change on
 * copies and handing it to the committer, making it current only once written. The
 * rules live beside it, one concern each: store-loading.ts (load, migrate, recover),
 * secret-rules.ts (which secrets may go where), profile-import.ts (import with undo),
 * store-commit.ts and disk-changes.ts (saving both files, merging a change made on disk).
 */
import { randomUUID } from 'node:crypto';
import type { Result } from '../../../shared/ipc/app-error';
import { fail, ok } from '../../../shared/ipc/app-error';
import type { ConnectionConfig } from '../../../shared/connection/connection-config';
import { utf8ByteLength } from '../../../shared/inspect/payload-format';
import { configWithoutSecrets, MAX_IMPORT_BYTES, SECRET_KINDS, SECRET_LABEL, type ProfileList, type ProfileView, type SecretKind, type StoreRecovery } from '../../../shared/profiles/connection-profile';
import type { ParsedCommandArgs } from '../../../shared/ipc/ipc-contract';
import type { ProfileDocument, SecretDocument, StoredProfile } from '../../../shared/profiles/profile-document';
import { buildTopicscopeExport, exportFileName, uniqueName, type ExportedProfile } from '../../../shared/profiles/profile-transfer';
import type { DocumentStorage } from '../storage/document-storage';
import { decodeSetupProblem, type DecodeRule, type ProtoFile } from '../../../shared/inspect/decode/decode-rules';
import type { SavedMessage } from '../../../shared/publish/saved-messages';
import type { PemFolder } from './pem-folder';
import { planImport, type ProfileImportArgs } from './profile-import';
import { plainTextRefused, refuseInsecure, sealedChangeForSave, withCopiedSecrets, withoutSecretsOf, withSealed } from './secret-rules';
import type { SecretStore } from './secret-store';
import { StoreCommitter } from './store-commit';
import { unknownProfile } from './store-errors';
import { loadStore } from './store-loading';

export { unknownProfile } from './store-errors';
export type { ProfileImportArgs } from './profile-import';

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

/** The decode rules and `.proto` files as a stored or exported profile holds them: left out when there are none. */
function withDecoding(decodeRules: DecodeRule[], protoFiles: ProtoFile[]): { decodeRules?: DecodeRule[]; protoFiles?: ProtoFile[] } {
  return { ...(decodeRules.length > 0 ? { decodeRules } : {}), ...(protoFiles.length > 0 ? { protoFiles } : {}) };
}

/** The saved messages as a stored or exported profile holds them: left out when there are none. */
function withSavedMessages(savedMessages: SavedMessage[]): { savedMessages?: SavedMessage[] } {
  return savedMessages.length > 0 ? { savedMessages } : {};
}

function tlsPaths(config: ConnectionConfig): string[] {
  return [config.tls.caFile, config.tls.certFile, config.tls.keyFile].filter((p): p is string => p !== undefined);
}

export class ProfileStore {
  readonly #deps: Required<ProfileStoreDeps>;
  #doc: ProfileDocument;
  #sealed: SecretDocument;
  readonly #recovery: StoreRecovery | null;
  readonly #notices: string[];
  readonly #committer: StoreCommitter;

  private constructor(deps: Required<ProfileStoreDeps>) {
    this.#deps = deps;
    const files = { profiles: deps.profiles, secretFile: deps.secretFile };
    const loaded = loadStore(files, deps.secrets, deps.now);
    this.#doc = loaded.doc;
    this.#sealed = loaded.sealed;
    this.#recovery = loaded.recovery;
    this.#notices = loaded.notices;
    this.#committer = new StoreCommitter(files, loaded.readOnly, (notice) => this.#notices.push(notice));
  }

  /** Loads both documents, migrating and recovering as needed; never throws. */
  static open(deps: ProfileStoreDeps): ProfileStore {
    return new ProfileStore({ now: Date.now, newId: randomUUID, ...deps });
  }

  // ---- reading --------------------------------------------------------------------

  #view(profile: StoredProfile): ProfileView {
    const sealed = this.#sealed.secrets[profile.id] ?? {};
    return {
      id: profile.id,
      name: profile.name,
      config: profile.config,
      randomClientId: profile.randomClientId,
      savedSecrets: { password: sealed.password !== undefined, keyPassphrase: sealed.keyPassphrase !== undefined, proxyPassword: sealed.proxyPassword !== undefined },
      createdAt: profile.createdAt,
      updatedAt: profile.updatedAt,
      lastUsedAt: profile.lastUsedAt,
      decodeRules: profile.decodeRules ?? [],
      protoFiles: profile.protoFiles ?? [],
      savedMessages: profile.savedMessages ?? [],
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

  /** Writes both documents and makes them current; on failure nothing changes. */
  #commit(doc: ProfileDocument, sealed: SecretDocument): Result<void> {
    const written = this.#committer.commit({ doc: this.#doc, sealed: this.#sealed }, { doc, sealed });
    if (!written.ok) return written;
    this.#doc = written.value.doc;
    this.#sealed = written.value.sealed;
    return ok(undefined);
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
    // Absent from the save, the rules and files stay as saved.
    const decodeRules = args.decodeRules ?? existing?.decodeRules ?? [];
    const protoFiles = args.protoFiles ?? existing?.protoFiles ?? [];
    const savedMessages = args.savedMessages ?? existing?.savedMessages ?? [];
    const decodeProblem = decodeSetupProblem(decodeRules, protoFiles);
    if (decodeProblem) return fail({ code: 'INVALID_INPUT', message: `${decodeProblem} Nothing was saved.` });
    const setsSecret = SECRET_KINDS.some((kind) => args.secrets[kind].action === 'set');
    if (setsSecret && plainTextRefused(this.#deps.secrets.info, args.allowPlainTextSecrets)) return fail(refuseInsecure(this.#deps.secrets.info, 'The password'));

    const profile: StoredProfile = {
      id: existing?.id ?? this.#deps.newId(),
      name: args.name,
      config: configWithoutSecrets(args.config),
      randomClientId: args.randomClientId,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      lastUsedAt: existing?.lastUsedAt ?? null,
      ...withDecoding(decodeRules, protoFiles),
      ...withSavedMessages(savedMessages),
    };
    const source = copyFrom ? { profile: copyFrom, sealed: this.#sealed.secrets[copyFrom.id] } : undefined;
    const change = sealedChangeForSave(args.secrets, profile.config, source, this.#deps.secrets);
    if (!change.ok) return change;
    const profiles = existing ? this.#doc.profiles.map((p) => (p.id === profile.id ? profile : p)) : [...this.#doc.profiles, profile];
    const sealed = Object.keys(change.value).length > 0 ? withSealed(this.#sealed, profile.id, change.value) : this.#sealed;
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
    const committed = this.#commit({ ...this.#doc, profiles: [...this.#doc.profiles, copy] }, withCopiedSecrets(this.#sealed, id, copy.id));
    return committed.ok ? ok({ profile: this.#view(copy) }) : committed;
  }

  /** Deletes a profile, its secrets, and imported certificate files nothing else uses. */
  delete(id: string): Result<Record<string, never>> {
    const profile = this.#find(id);
    if (!profile) return fail(unknownProfile(id));
    const profiles = this.#doc.profiles.filter((p) => p.id !== id);
    const lastUsedId = this.#doc.lastUsedId === id ? null : this.#doc.lastUsedId;
    const committed = this.#commit({ ...this.#doc, profiles, lastUsedId }, withoutSecretsOf(this.#sealed, id));
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
      const entry: ExportedProfile = {
        name: profile.name,
        config: profile.config,
        randomClientId: profile.randomClientId,
        ...withDecoding(profile.decodeRules, profile.protoFiles),
        ...withSavedMessages(profile.savedMessages),
      };
      if (includeSecrets) {
        const secrets = this.secretsOf(profile.id);
        if (!secrets.ok) return secrets;
        if (Object.keys(secrets.value).length > 0) entry.secrets = secrets.value;
      }
      exported.push(entry);
    }
    const now = this.#deps.now();
    const json = buildTopicscopeExport(exported, now);
    // Measured as the import measures it, so this file imports again.
    const bytes = utf8ByteLength(json);
    if (bytes > MAX_IMPORT_BYTES) {
      const size = (bytes / 1024 / 1024).toFixed(1);
      return fail({
        code: 'INVALID_INPUT',
        message: `These profiles make a ${size} MiB export, more than Topicscope imports (${MAX_IMPORT_BYTES / 1024 / 1024} MiB): export fewer profiles at a time, or remove .proto files they no longer need. Nothing was written.`,
      });
    }
    return ok({ fileName: exportFileName(now), json, count: exported.length });
  }

  /** Adds the usable entries of an import file as new profiles; see profile-import.ts. */
  import(args: ProfileImportArgs): Result<{ format: 'topicscope' | 'mqttx'; imported: ProfileView[]; skipped: { name: string; reason: string }[] }> {
    const { secrets, pemFolder, now, newId } = this.#deps;
    const plan = planImport(args, { doc: this.#doc, sealed: this.#sealed, secrets, pemFolder, now, newId });
    if (!plan.ok) return plan;
    const { format, created, sealed, skipped, undo } = plan.value;
    const committed = this.#commit({ ...this.#doc, profiles: [...this.#doc.profiles, ...created] }, sealed);
    if (!committed.ok) {
      undo();
      return committed;
    }
    return ok({ format, imported: created.map((p) => this.#view(p)), skipped });
  }
}
