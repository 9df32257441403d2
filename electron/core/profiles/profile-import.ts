/**
 * Import with undo. Turns an import file (a Topicscope export, a Topicscope profile file
 * such as a backup, or an MQTTX export) into new profiles: names that clash get " (2)",
 * nothing existing is overwritten, PEM text the file carries becomes files in the
 * store's certificate folder, and its secrets are sealed. The plan comes with `undo`,
 * which removes those files again, so an import whose save fails leaves nothing behind.
 */
import type { Result } from '../../../shared/ipc/app-error';
import { fail, ok } from '../../../shared/ipc/app-error';
import type { ParsedCommandArgs } from '../../../shared/ipc/ipc-contract';
import type { SecretKind } from '../../../shared/profiles/connection-profile';
import type { PemKind } from '../../../shared/profiles/import-candidate';
import type { ProfileDocument, SecretDocument, StoredProfile } from '../../../shared/profiles/profile-document';
import { parseProfileImport, uniqueName } from '../../../shared/profiles/profile-transfer';
import type { PemFolder } from './pem-folder';
import { plainTextRefused, refuseInsecure, sealSecret, withSealed } from './secret-rules';
import type { SecretStore } from './secret-store';
import { writeFailed } from './store-errors';

export type ProfileImportArgs = ParsedCommandArgs<'profile:import'>;

export interface ImportContext {
  /** The store as it is: names to avoid, ids already present. */
  doc: ProfileDocument;
  sealed: SecretDocument;
  secrets: SecretStore;
  pemFolder: PemFolder;
  now: () => number;
  newId: () => string;
}

export interface ImportPlan {
  format: 'topicscope' | 'mqttx';
  /** The new profiles, to be appended to the store's. */
  created: StoredProfile[];
  /** The secret document with the new profiles' secrets added. */
  sealed: SecretDocument;
  skipped: { name: string; reason: string }[];
  /** Removes the PEM files this plan wrote; call it when the save fails. */
  undo: () => void;
}

const PEM_FIELDS: Record<PemKind, 'caFile' | 'certFile' | 'keyFile'> = { ca: 'caFile', cert: 'certFile', key: 'keyFile' };

/**
 * Refuses the whole file, changing nothing, when it is neither format, or it holds
 * secrets that would be stored unencrypted without the user's agreement.
 */
export function planImport(args: ProfileImportArgs, context: ImportContext): Result<ImportPlan> {
  const parsed = parseProfileImport(args.text);
  if (!parsed.ok) return fail({ code: 'IMPORT_INVALID', message: parsed.message });
  const keepSecrets = !args.withoutSecrets;
  const secretCount = parsed.candidates.reduce((n, c) => n + Object.keys(c.secrets).length, 0);
  if (keepSecrets && secretCount > 0 && plainTextRefused(context.secrets.info, args.allowPlainTextSecrets)) {
    return fail(refuseInsecure(context.secrets.info, `The file holds ${secretCount} password${secretCount === 1 ? '' : 's'}, which`));
  }

  const now = context.now();
  const present = new Set(context.doc.profiles.map((p) => p.id));
  const taken = new Set(context.doc.profiles.map((p) => p.name.toLowerCase()));
  const written: string[] = [];
  const created: StoredProfile[] = [];
  let sealed = context.sealed;
  const undo = (): void => written.forEach((path) => context.pemFolder.remove(path));
  const skipped = [...parsed.skipped];
  for (const candidate of parsed.candidates) {
    // A profile from a backup of this store keeps its id, so the passwords kept for it
    // when it was left out belong to it again; one still in the store is not doubled.
    if (candidate.id !== undefined && present.has(candidate.id)) {
      skipped.push({ name: candidate.name, reason: 'It is already in your profiles.' });
      continue;
    }
    const id = candidate.id ?? context.newId();
    const name = uniqueName(candidate.name, taken);
    taken.add(name.toLowerCase());
    let config = candidate.config;
    try {
      const tls = { ...config.tls };
      for (const [kind, pem] of Object.entries(candidate.pem) as [PemKind, string][]) {
        const path = context.pemFolder.write(`${id}-${kind}.pem`, pem);
        written.push(path);
        tls[PEM_FIELDS[kind]] = path;
      }
      config = { ...config, tls };
    } catch (error) {
      undo();
      return fail(writeFailed(context.pemFolder.dir, error));
    }
    if (keepSecrets && Object.keys(candidate.secrets).length > 0) {
      const change: Partial<Record<SecretKind, string>> = {};
      for (const [kind, value] of Object.entries(candidate.secrets) as [SecretKind, string][]) {
        const result = sealSecret(context.secrets, value);
        if (!result.ok) {
          undo();
          return result;
        }
        change[kind] = result.value;
      }
      sealed = withSealed(sealed, id, change);
    }
    const { decodeRules, protoFiles, savedMessages } = candidate;
    created.push({
      id,
      name,
      config,
      randomClientId: candidate.randomClientId,
      createdAt: now,
      updatedAt: now,
      lastUsedAt: null,
      ...(decodeRules?.length ? { decodeRules } : {}),
      ...(protoFiles?.length ? { protoFiles } : {}),
      ...(savedMessages?.length ? { savedMessages } : {}),
    });
  }
  return ok({ format: parsed.format, created, sealed, skipped, undo });
}
