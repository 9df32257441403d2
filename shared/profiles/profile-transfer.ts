/**
 * Moving profiles between machines and apps: the Topicscope export format (versioned,
 * secrets only when the user asks), reading an import file of that format, of an MQTTX
 * JSON export or of Topicscope's own profile file (a backup kept by a recovery), and the
 * naming rules that keep an import from overwriting anything.
 * Pure: the core reads files, stores secrets and writes certificates.
 */
import { z } from 'zod';
import { connectionConfigSchema, type ConnectionConfig } from '../connection/connection-config';
import { configWithoutSecrets, profileConfigSchema, profileNameSchema, SECRET_KINDS, type SecretKind } from './connection-profile';
import { describeIssues, isObject, type ImportCandidate, type JsonObject, type SkippedEntry } from './import-candidate';
import { showInvisible } from '../mqtt/invisible-characters';
import { isMqttxExport, mqttxEntries, mqttxEntryToCandidate } from './mqttx-import';
import { loadProfileDocument } from './profile-document';
import { decodeRulesSchema, decodeSetupProblem, protoFilesSchema, type DecodeRule, type ProtoFile } from '../inspect/decode/decode-rules';
import { savedMessagesSchema, type SavedMessage } from '../publish/saved-messages';

export const TOPICSCOPE_EXPORT_FORMAT = 'topicscope-profiles';
/** The export version this build writes; imports accept this and older. */
export const TOPICSCOPE_EXPORT_VERSION = 1;

/** Longest profile name (the schema's limit). */
const MAX_NAME_LENGTH = 100;

/** A candidate from Topicscope's own profile file (a backup) keeps its id, so its saved secrets match again. */
export interface TransferCandidate extends ImportCandidate {
  id?: string;
}

export type ParsedImport =
  | { ok: true; format: 'topicscope' | 'mqttx'; candidates: TransferCandidate[]; skipped: SkippedEntry[] }
  | { ok: false; message: string };

/** A profile as it goes into an export file. */
export interface ExportedProfile {
  name: string;
  config: ConnectionConfig;
  randomClientId: boolean;
  /** Present only when the user asked to include secrets. */
  secrets?: Partial<Record<SecretKind, string>>;
  /** "Decode as" rules and the `.proto` files they read; left out when none. */
  decodeRules?: DecodeRule[];
  protoFiles?: ProtoFile[];
  /** Saved publish messages; left out when none. */
  savedMessages?: SavedMessage[];
}

export interface TopicscopeExport {
  format: typeof TOPICSCOPE_EXPORT_FORMAT;
  version: typeof TOPICSCOPE_EXPORT_VERSION;
  /** ISO 8601. */
  exportedAt: string;
  /** True when the file holds passwords in plain text, so whoever opens it is warned. */
  containsSecrets: boolean;
  profiles: ExportedProfile[];
}

export function buildTopicscopeExport(profiles: ExportedProfile[], now: number): string {
  const document: TopicscopeExport = {
    format: TOPICSCOPE_EXPORT_FORMAT,
    version: TOPICSCOPE_EXPORT_VERSION,
    exportedAt: new Date(now).toISOString(),
    containsSecrets: profiles.some((p) => p.secrets && Object.keys(p.secrets).length > 0),
    profiles,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** `topicscope-profiles-2026-11-21.json`, dated in UTC. */
export function exportFileName(now: number): string {
  return `topicscope-profiles-${new Date(now).toISOString().slice(0, 10)}.json`;
}

/**
 * `name` if no existing profile has it (ignoring case), else `name (2)`, `name (3)`...
 * shortened so the result still fits the name limit.
 */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  const base = name.trim().slice(0, MAX_NAME_LENGTH) || 'Imported broker';
  if (!taken.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${base.slice(0, MAX_NAME_LENGTH - suffix.length).trimEnd()}${suffix}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

const exportedSecretsSchema = z
  .object(Object.fromEntries(SECRET_KINDS.map((kind) => [kind, z.string().max(65_535).optional()])) as Record<SecretKind, z.ZodOptional<z.ZodString>>)
  .default({});

const exportedProfileSchema = z.object({
  name: profileNameSchema,
  // Secrets inside the config (a hand-made file) are moved out below, so the plain
  // connection schema is used here and the profile rule is checked after.
  config: connectionConfigSchema,
  randomClientId: z.boolean().default(true),
  secrets: exportedSecretsSchema,
  decodeRules: decodeRulesSchema.optional(),
  protoFiles: protoFilesSchema.optional(),
  savedMessages: savedMessagesSchema.optional(),
}).superRefine((profile, ctx) => {
  const problem = decodeSetupProblem(profile.decodeRules ?? [], profile.protoFiles ?? []);
  if (problem) ctx.addIssue({ code: 'custom', path: ['decodeRules'], message: problem });
});

function topicscopeEntryToCandidate(entry: unknown, position: number): { ok: true; candidate: ImportCandidate } | { ok: false; skipped: SkippedEntry } {
  const rawName = isObject(entry) && typeof entry['name'] === 'string' && entry['name'].trim() ? entry['name'].trim() : `Entry ${position}`;
  // Quoted in the list of skipped entries, where an invisible character must not disguise it.
  const name = showInvisible(rawName);
  const parsed = exportedProfileSchema.safeParse(entry);
  if (!parsed.success) return { ok: false, skipped: { name, reason: describeIssues(parsed.error) } };
  const inline = parsed.data.config;
  const secrets: Partial<Record<SecretKind, string>> = { ...parsed.data.secrets };
  if (inline.password !== undefined && secrets.password === undefined) secrets.password = inline.password;
  if (inline.tls.keyPassphrase !== undefined && secrets.keyPassphrase === undefined) secrets.keyPassphrase = inline.tls.keyPassphrase;
  if (inline.proxy?.password !== undefined && secrets.proxyPassword === undefined) secrets.proxyPassword = inline.proxy.password;
  const config = profileConfigSchema.parse(configWithoutSecrets(inline));
  const { decodeRules, protoFiles, savedMessages } = parsed.data;
  return {
    ok: true,
    candidate: {
      name: parsed.data.name,
      config,
      randomClientId: parsed.data.randomClientId,
      secrets,
      pem: {},
      ...(decodeRules ? { decodeRules } : {}),
      ...(protoFiles ? { protoFiles } : {}),
      ...(savedMessages ? { savedMessages } : {}),
    },
  };
}

function parseTopicscopeExport(doc: JsonObject): ParsedImport {
  const version = doc['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, message: 'This Topicscope export has no valid "version": it may have been edited by hand. Export the profiles again.' };
  }
  if (version > TOPICSCOPE_EXPORT_VERSION) {
    return { ok: false, message: `This export was made by a newer Topicscope (format version ${version}). Update Topicscope to import it.` };
  }
  const entries = doc['profiles'];
  if (!Array.isArray(entries)) return { ok: false, message: 'This Topicscope export has no "profiles" list: it may have been edited by hand. Export the profiles again.' };
  const candidates: TransferCandidate[] = [];
  const skipped: SkippedEntry[] = [];
  entries.forEach((entry, index) => {
    const result = topicscopeEntryToCandidate(entry, index + 1);
    if (result.ok) candidates.push(result.candidate);
    else skipped.push(result.skipped);
  });
  return { ok: true, format: 'topicscope', candidates, skipped };
}

/** Topicscope's profile file itself, as a backup kept by a recovery: a `version` and a `profiles` list, no `format`. */
function isProfileStoreDocument(raw: unknown): raw is JsonObject {
  return isObject(raw) && raw['format'] === undefined && typeof raw['version'] === 'number' && Array.isArray(raw['profiles']);
}

function parseProfileStoreDocument(raw: JsonObject): ParsedImport {
  const loaded = loadProfileDocument(raw);
  if (!loaded.ok) {
    const action = loaded.newerVersion !== undefined ? 'Update Topicscope to import it.' : 'Correct the file, or import a Topicscope profile export instead.';
    return { ok: false, message: `This Topicscope profile file cannot be imported: ${loaded.problem} ${action}` };
  }
  const secretsOf = new Map<string, Partial<Record<SecretKind, string>>>();
  for (const secret of loaded.extractedSecrets) secretsOf.set(secret.profileId, { ...secretsOf.get(secret.profileId), [secret.kind]: secret.value });
  const candidates = loaded.document.profiles.map(
    (p): TransferCandidate => ({
      id: p.id,
      name: p.name,
      config: p.config,
      randomClientId: p.randomClientId,
      secrets: secretsOf.get(p.id) ?? {},
      pem: {},
      ...(p.decodeRules ? { decodeRules: p.decodeRules } : {}),
      ...(p.protoFiles ? { protoFiles: p.protoFiles } : {}),
      ...(p.savedMessages ? { savedMessages: p.savedMessages } : {}),
    }),
  );
  const skipped = loaded.invalid.map((p) => ({ name: p.name ?? `Entry ${p.position}`, reason: `${p.problem} (entry ${p.position} of the file: correct it there and import again)` }));
  return { ok: true, format: 'topicscope', candidates, skipped };
}

function parseMqttxExport(raw: unknown): ParsedImport {
  const candidates: ImportCandidate[] = [];
  const skipped: SkippedEntry[] = [];
  mqttxEntries(raw).forEach((entry, index) => {
    const result = mqttxEntryToCandidate(entry, index + 1);
    if (result.ok) candidates.push(result.candidate);
    else skipped.push(result.skipped);
  });
  return { ok: true, format: 'mqttx', candidates, skipped };
}

const NEITHER_FORMAT =
  'This file is neither a Topicscope profile export nor an MQTTX connection export. In MQTTX, use "Export data" with the JSON format; in Topicscope, "Export profiles".';

/**
 * Reads an import file's text. Refuses (with a message saying what to do) a file that is
 * not JSON, is neither format, or has no usable entry; otherwise returns the usable
 * entries and, for each unusable one, the reason it is skipped.
 */
export function parseProfileImport(text: string): ParsedImport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `This file is not JSON (${reason}). Import a Topicscope profile export, or an MQTTX export saved in the JSON format (not YAML, CSV or XML).` };
  }
  let parsed: ParsedImport;
  if (isObject(raw) && raw['format'] === TOPICSCOPE_EXPORT_FORMAT) parsed = parseTopicscopeExport(raw);
  else if (isProfileStoreDocument(raw)) parsed = parseProfileStoreDocument(raw);
  else if (isMqttxExport(raw)) parsed = parseMqttxExport(raw);
  else return { ok: false, message: NEITHER_FORMAT };
  if (!parsed.ok) return parsed;
  if (parsed.candidates.length === 0) {
    if (parsed.skipped.length === 0) return { ok: false, message: 'The file lists no connections to import.' };
    const reasons = parsed.skipped.map((s) => `"${s.name}": ${s.reason}`).join(' ');
    return { ok: false, message: `None of the ${parsed.skipped.length} entries in the file can be imported. ${reasons}` };
  }
  return parsed;
}
