/**
 * Which secrets may go where. A secret is sealed by the SecretStore before it is kept,
 * and kept unencrypted only where the user agreed. A saved secret follows a profile only
 * to what it was saved for: "Save as new" copies the original's saved password only to
 * the same broker and user, its key passphrase only with the same key file (the
 * `secretMisfit` rule); "Duplicate" makes an identical copy, so it takes them all. Pure
 * over the secret document: every function returns a new one.
 */
import type { AppError, Result } from '../../../shared/ipc/app-error';
import type { ConnectionConfig } from '../../../shared/connection/connection-config';
import { fail, ok } from '../../../shared/ipc/app-error';
import {
  SECRET_KINDS,
  SECRET_LABEL,
  secretMisfit,
  secretNeeded,
  type SecretChange,
  type SecretKind,
  type SecretStorageInfo,
} from '../../../shared/profiles/connection-profile';
import type { SealedSecrets, SecretDocument, StoredProfile } from '../../../shared/profiles/profile-document';
import type { SecretStore } from './secret-store';

/** Sealed text to keep for each kind, or null to forget that kind; absent kinds stay as they are. */
export type SealedChange = Partial<Record<SecretKind, string | null>>;

/** The secret document with `change` applied to one profile's secrets; a profile left with none has no entry. */
export function withSealed(doc: SecretDocument, id: string, change: SealedChange): SecretDocument {
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

/** "Duplicate": the copy gets every saved secret of the original (same broker, same key file). */
export function withCopiedSecrets(doc: SecretDocument, fromId: string, toId: string): SecretDocument {
  const original = doc.secrets[fromId];
  return original ? { ...doc, secrets: { ...doc.secrets, [toId]: { ...original } } } : doc;
}

/** A deleted profile's secrets go with it; the same document when it had none. */
export function withoutSecretsOf(doc: SecretDocument, id: string): SecretDocument {
  if (!(id in doc.secrets)) return doc;
  const secrets = { ...doc.secrets };
  delete secrets[id];
  return { ...doc, secrets };
}

/** True when keeping a secret here needs the user's agreement to plain text, and it was not given. */
export function plainTextRefused(info: SecretStorageInfo, allowPlainText: boolean): boolean {
  return !info.encrypted && !allowPlainText;
}

/** The refusal for `plainTextRefused`: `what` is the subject of "cannot be encrypted here". */
export function refuseInsecure(info: SecretStorageInfo, what: string): AppError {
  return {
    code: 'SECRET_STORAGE_INSECURE',
    message: `${what} cannot be encrypted here (${info.backend}): ${info.description} Save without it, or choose to store it in plain text. Nothing was saved.`,
  };
}

/** The text to keep for a secret; a backend failure comes back as data. */
export function sealSecret(secrets: SecretStore, secret: string): Result<string> {
  try {
    return ok(secrets.seal(secret));
  } catch (error) {
    return fail({ code: 'UNEXPECTED', message: `The secret could not be encrypted by ${secrets.info.backend}: ${(error as Error).message}. Nothing was saved.` });
  }
}

/** The profile whose saved secrets a "Save as new" keeps, with what it has saved. */
export interface SecretSource {
  profile: StoredProfile;
  sealed: SealedSecrets | undefined;
}

/**
 * What a save does to the secrets of `target` (the config as it will be stored): a typed
 * secret is sealed, a removed one forgotten, and a kept one copied from `copyFrom` (Save
 * as new) where the new profile needs it and it fits. A copy that does not fit refuses
 * the whole save, saying what to type instead.
 */
export function sealedChangeForSave(
  requested: Record<SecretKind, SecretChange>,
  target: ConnectionConfig,
  copyFrom: SecretSource | undefined,
  secrets: SecretStore,
): Result<SealedChange> {
  const change: SealedChange = {};
  for (const kind of SECRET_KINDS) {
    const secret = requested[kind];
    const copied = copyFrom && secret.action === 'keep' && secretNeeded(kind, target) ? copyFrom.sealed?.[kind] : undefined;
    if (copyFrom && copied !== undefined) {
      const misfit = secretMisfit(kind, copyFrom.profile.name, copyFrom.profile.config, target);
      if (misfit) {
        return fail({ code: 'INVALID_INPUT', message: `${misfit}: type the ${SECRET_LABEL[kind]} to save it with the new profile. Nothing was saved.` });
      }
      change[kind] = copied;
    }
    if (secret.action === 'remove') change[kind] = null;
    if (secret.action === 'set') {
      const sealed = sealSecret(secrets, secret.value);
      if (!sealed.ok) return sealed;
      change[kind] = sealed.value;
    }
  }
  return ok(change);
}
