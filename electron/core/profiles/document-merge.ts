/**
 * Three-way merges for a store file that changed on disk while the app held it (a hand
 * edit, another program): `base` is what the app last read or wrote, `ours` the change
 * it is about to save, `theirs` what the file holds now. Entries are matched by profile
 * id; what the app just changed wins, everything else is taken from the file, so a hand
 * edit of one profile survives a save of another. Pure, tested in Node.
 */
import type { ProfileDocument, SecretDocument, StoredProfile } from '../../../shared/profiles/profile-document';

/** JSON with sorted keys: a hand edit that only reorders keys is no change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function same(a: unknown, b: unknown): boolean {
  return a === b || (a !== undefined && b !== undefined && canonical(a) === canonical(b));
}

export interface RecordMerge<T> {
  merged: Map<string, T>;
  /** Ids both sides changed differently: ours was kept, theirs is only in the backup. */
  conflicts: string[];
}

/** Merges keyed entries; the merged map lists theirs' keys in their order, then ours' new ones. */
export function mergeEntries<T>(base: ReadonlyMap<string, T>, ours: ReadonlyMap<string, T>, theirs: ReadonlyMap<string, T>): RecordMerge<T> {
  const merged = new Map<string, T>();
  const conflicts: string[] = [];
  for (const id of new Set([...theirs.keys(), ...ours.keys(), ...base.keys()])) {
    const b = base.get(id);
    const o = ours.get(id);
    const t = theirs.get(id);
    const oursChanged = !same(b, o);
    if (oursChanged && !same(b, t) && !same(o, t)) conflicts.push(id);
    const value = oursChanged ? o : t;
    if (value !== undefined) merged.set(id, value);
  }
  return { merged, conflicts };
}

function byId(profiles: readonly StoredProfile[]): Map<string, StoredProfile> {
  return new Map(profiles.map((p) => [p.id, p]));
}

export interface ProfileMerge {
  document: ProfileDocument;
  /** Profiles both sides changed: the names as saved now. */
  conflicts: string[];
}

export function mergeProfileDocuments(base: ProfileDocument, ours: ProfileDocument, theirs: ProfileDocument): ProfileMerge {
  const { merged, conflicts } = mergeEntries(byId(base.profiles), byId(ours.profiles), byId(theirs.profiles));
  const lastUsed = base.lastUsedId !== ours.lastUsedId ? ours.lastUsedId : theirs.lastUsedId;
  return {
    document: { ...ours, profiles: [...merged.values()], lastUsedId: lastUsed !== null && merged.has(lastUsed) ? lastUsed : null },
    conflicts: conflicts.map((id) => merged.get(id)?.name ?? theirs.profiles.find((p) => p.id === id)?.name ?? id),
  };
}

export function mergeSecretDocuments(base: SecretDocument, ours: SecretDocument, theirs: SecretDocument): SecretDocument {
  const entries = (doc: SecretDocument) => new Map(Object.entries(doc.secrets));
  const { merged } = mergeEntries(entries(base), entries(ours), entries(theirs));
  return { ...ours, secrets: Object.fromEntries(merged) };
}
