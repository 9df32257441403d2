/**
 * The profile store as it sits on disk: a versioned JSON document, its migrations from
 * older versions, and a loader that keeps every valid profile of a hand-edited or
 * damaged file and names the ones it had to leave out. Pure: the core reads and writes
 * the file; this only judges its content.
 */
import { z } from 'zod';
import { describeIssues, isObject, type JsonObject } from './import-candidate';
import { showInvisible } from '../mqtt/invisible-characters';
import { profileConfigSchema, profileIdSchema, profileNameSchema, SECRET_KINDS, type SecretKind } from './connection-profile';
import { decodeRulesSchema, decodeSetupProblem, protoFilesSchema } from '../inspect/decode/decode-rules';
import { savedMessagesSchema } from '../publish/saved-messages';

/** The version this build writes. Raise it with a migration whenever the shape changes. */
export const PROFILE_DOCUMENT_VERSION = 2;

/** One profile as stored: the config without secrets (they live in the secret store). */
export const storedProfileSchema = z.object({
  id: profileIdSchema,
  name: profileNameSchema,
  config: profileConfigSchema,
  randomClientId: z.boolean(),
  /** Milliseconds since the epoch. */
  createdAt: z.number().int().min(0),
  updatedAt: z.number().int().min(0),
  lastUsedAt: z.number().int().min(0).nullable(),
  /**
   * "Decode as" rules and the `.proto` files they read; left out when there are none, as
   * in profiles saved before they existed (no version change: older builds drop them).
   */
  decodeRules: decodeRulesSchema.optional(),
  protoFiles: protoFilesSchema.optional(),
  /** Saved publish messages; left out when there are none, as in profiles saved before them. */
  savedMessages: savedMessagesSchema.optional(),
}).superRefine((profile, ctx) => {
  const problem = decodeSetupProblem(profile.decodeRules ?? [], profile.protoFiles ?? []);
  if (problem) ctx.addIssue({ code: 'custom', path: ['decodeRules'], message: problem });
});
export type StoredProfile = z.output<typeof storedProfileSchema>;

export interface ProfileDocument {
  version: typeof PROFILE_DOCUMENT_VERSION;
  profiles: StoredProfile[];
  /** The profile of the last connection opened; null when none or it was deleted. */
  lastUsedId: string | null;
}

export function emptyProfileDocument(): ProfileDocument {
  return { version: PROFILE_DOCUMENT_VERSION, profiles: [], lastUsedId: null };
}

/** A secret an older version kept inside the document, to be moved to the secret store. */
export interface ExtractedSecret {
  profileId: string;
  profileName: string;
  kind: SecretKind;
  value: string;
}

/** A profile the loader had to leave out, and why, in words for the user. */
export interface InvalidProfile {
  /** 1-based position in the file, so a user editing it by hand can find it. */
  position: number;
  name: string | null;
  problem: string;
}

export type LoadedProfileDocument =
  | {
      ok: true;
      document: ProfileDocument;
      invalid: InvalidProfile[];
      /** Secrets found inline (version 1 kept them in plain text); never in `document`. */
      extractedSecrets: ExtractedSecret[];
      /** The version the file had when it needed migrating, else null. */
      migratedFrom: number | null;
    }
  | {
      ok: false;
      problem: string;
      /**
       * Set when the file was written by a newer Topicscope: nothing is wrong with it, so
       * it must be left exactly as it is for that version, not backed up and replaced.
       */
      newerVersion?: number;
    };

/**
 * Version 1 (Topicscope 0.1 development builds) stored `password` and
 * `tls.keyPassphrase` in plain text inside each config, had no random client ID option
 * (the config's client ID was used as saved) and no per-profile last use. Version 2
 * takes the secrets out (the caller moves them to the secret store, or drops them where
 * it can't encrypt), keeps the client ID as it was, and dates the last used profile.
 */
function migrateV1ToV2(v1: JsonObject): { next: JsonObject; secrets: ExtractedSecret[] } {
  const secrets: ExtractedSecret[] = [];
  const rawProfiles = Array.isArray(v1['profiles']) ? v1['profiles'] : [];
  const lastUsedId = typeof v1['lastUsedId'] === 'string' ? v1['lastUsedId'] : null;
  const profiles = rawProfiles.map((raw: unknown) => {
    if (!isObject(raw)) return raw;
    const id = typeof raw['id'] === 'string' ? raw['id'] : '';
    const name = typeof raw['name'] === 'string' ? raw['name'] : id;
    let config: unknown = raw['config'];
    if (isObject(config)) {
      const { password, ...withoutPassword } = config;
      if (typeof password === 'string' && id) secrets.push({ profileId: id, profileName: name, kind: 'password', value: password });
      config = withoutPassword;
      const tls = withoutPassword['tls'];
      if (isObject(tls)) {
        const { keyPassphrase, ...tlsWithoutPassphrase } = tls;
        if (typeof keyPassphrase === 'string' && id) secrets.push({ profileId: id, profileName: name, kind: 'keyPassphrase', value: keyPassphrase });
        config = { ...withoutPassword, tls: tlsWithoutPassphrase };
      }
    }
    const updatedAt = raw['updatedAt'];
    return {
      ...raw,
      config,
      randomClientId: false,
      lastUsedAt: id !== '' && id === lastUsedId && typeof updatedAt === 'number' ? updatedAt : null,
    };
  });
  return { next: { ...v1, version: 2, profiles, lastUsedId }, secrets };
}

/** Migration from version N to N+1, indexed by N. */
const MIGRATIONS: Record<number, (doc: JsonObject) => { next: JsonObject; secrets: ExtractedSecret[] }> = {
  1: migrateV1ToV2,
};

/**
 * Judges a parsed store file. A file that is not a profile document at all (or was
 * written by a newer version) is refused as a whole; inside a usable document, each
 * profile is validated on its own so one bad entry never costs the others.
 */
export function loadProfileDocument(raw: unknown): LoadedProfileDocument {
  if (!isObject(raw)) return { ok: false, problem: 'The file does not hold a JSON object.' };
  const version = raw['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, problem: 'The file has no valid "version" number.' };
  }
  if (version > PROFILE_DOCUMENT_VERSION) {
    return {
      ok: false,
      problem: `The file was written by a newer Topicscope (store version ${version}; this one reads up to ${PROFILE_DOCUMENT_VERSION}).`,
      newerVersion: version,
    };
  }
  if (!Array.isArray(raw['profiles'])) return { ok: false, problem: 'The file has no "profiles" list.' };

  let doc: JsonObject = raw;
  const extractedSecrets: ExtractedSecret[] = [];
  for (let v = version; v < PROFILE_DOCUMENT_VERSION; v++) {
    const migrate = MIGRATIONS[v];
    if (!migrate) return { ok: false, problem: `No migration from store version ${v}.` };
    const { next, secrets } = migrate(doc);
    doc = next;
    extractedSecrets.push(...secrets);
  }

  const profiles: StoredProfile[] = [];
  const invalid: InvalidProfile[] = [];
  const seenIds = new Set<string>();
  const rawProfiles = doc['profiles'] as unknown[];
  rawProfiles.forEach((entry, index) => {
    // Quoted in the recovery message: invisible characters are written out there.
    const name = isObject(entry) && typeof entry['name'] === 'string' ? showInvisible(entry['name']) : null;
    const parsed = storedProfileSchema.safeParse(entry);
    if (!parsed.success) {
      invalid.push({ position: index + 1, name, problem: describeIssues(parsed.error) });
      return;
    }
    if (seenIds.has(parsed.data.id)) {
      invalid.push({ position: index + 1, name, problem: `Another profile above has the same id "${parsed.data.id}".` });
      return;
    }
    seenIds.add(parsed.data.id);
    profiles.push(parsed.data);
  });

  const rawLastUsed = doc['lastUsedId'];
  const lastUsedId = typeof rawLastUsed === 'string' && seenIds.has(rawLastUsed) ? rawLastUsed : null;
  return {
    ok: true,
    document: { version: PROFILE_DOCUMENT_VERSION, profiles, lastUsedId },
    invalid,
    // A secret of a profile that did not survive validation has nowhere to go.
    extractedSecrets: extractedSecrets.filter((s) => seenIds.has(s.profileId)),
    migratedFrom: version < PROFILE_DOCUMENT_VERSION ? version : null,
  };
}

/**
 * The secret store's own small document: the sealed (encrypted, or in plain text where
 * the user agreed) secrets by profile ID and kind. Kept in its own file so the profile
 * document can be shared, backed up or hand-edited without carrying any secret.
 */
export const SECRET_DOCUMENT_VERSION = 1;

const sealedSecretsSchema = z.object(
  Object.fromEntries(SECRET_KINDS.map((kind) => [kind, z.string().optional()])) as Record<SecretKind, z.ZodOptional<z.ZodString>>,
);

export const secretDocumentSchema = z.object({
  version: z.literal(SECRET_DOCUMENT_VERSION),
  secrets: z.record(profileIdSchema, sealedSecretsSchema),
});
export type SecretDocument = z.output<typeof secretDocumentSchema>;
export type SealedSecrets = SecretDocument['secrets'][string];

/** The version of a secret file written by a newer Topicscope, else null: such a file is left untouched. */
export function newerSecretDocumentVersion(raw: unknown): number | null {
  const version = isObject(raw) ? raw['version'] : undefined;
  return typeof version === 'number' && Number.isInteger(version) && version > SECRET_DOCUMENT_VERSION ? version : null;
}

export function emptySecretDocument(): SecretDocument {
  return { version: SECRET_DOCUMENT_VERSION, secrets: {} };
}
