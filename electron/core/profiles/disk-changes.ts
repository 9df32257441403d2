/**
 * A store file changed on disk while the app held it (a hand edit, another program,
 * another Topicscope). At each save this decides what becomes of that change: merged
 * into what is saved (document-merge.ts does the merging), left for the write to keep
 * aside when it cannot be read, or, when a newer Topicscope wrote it, the save refused
 * so that version's file stays whole. It also words what the user is told about the
 * copy the write kept aside.
 */
import type { AppError } from '../../../shared/ipc/app-error';
import { loadProfileDocument, newerSecretDocumentVersion, secretDocumentSchema, type LoadedProfileDocument } from '../../../shared/profiles/profile-document';
import { mergeProfileDocuments, mergeSecretDocuments } from './document-merge';
import type { StoreDocuments, StoreFileRole, StoreFiles } from './store-documents';

/** What became of a file's change on disk at a save: combined with it, or replaced and why. */
export type DiskMerge = { merged: true; conflicts: string[] } | { merged: false; problem: string };

export type DiskChanges =
  | {
      ok: true;
      /** What to write: ours, with what changed on disk merged in where it could be. */
      documents: StoreDocuments;
      /** Null where the file had not changed (or was not looked at). */
      profiles: DiskMerge | null;
      secrets: DiskMerge | null;
    }
  /** A newer Topicscope wrote `role`'s file meanwhile: it becomes read-only for `reason`. */
  | { ok: false; role: StoreFileRole; reason: string; error: AppError };

/**
 * `base` is what the store last read or wrote, `ours` the change about to be saved. The
 * secret file is only looked at when the save changes secrets. Throws when a file can't
 * be read at all; the caller reports that as a failed save.
 */
export function foldDiskChanges(files: StoreFiles, base: StoreDocuments, ours: StoreDocuments, secretsChanged: boolean): DiskChanges {
  let { doc, sealed } = ours;
  let profiles: DiskMerge | null = null;
  const theirs = files.profiles.changedOnDisk();
  if (theirs !== null) {
    const loaded: LoadedProfileDocument = theirs.state === 'found' ? loadProfileDocument(theirs.data) : { ok: false, problem: theirs.state === 'missing' ? 'it is gone' : theirs.problem };
    if (!loaded.ok && loaded.newerVersion !== undefined) {
      const reason = `${files.profiles.path} was replaced by a newer version of Topicscope`;
      return {
        ok: false,
        role: 'profiles',
        reason,
        error: { code: 'STORE_WRITE_FAILED', message: `Profiles cannot be saved: ${reason} (store version ${loaded.newerVersion}), so this version will not overwrite it. Nothing was saved.` },
      };
    }
    if (!loaded.ok) profiles = { merged: false, problem: loaded.problem };
    else if (loaded.invalid.length > 0 || loaded.extractedSecrets.length > 0) profiles = { merged: false, problem: 'it holds entries this version cannot read' };
    else {
      const merge = mergeProfileDocuments(base.doc, doc, loaded.document);
      doc = merge.document;
      profiles = { merged: true, conflicts: merge.conflicts };
    }
  }
  let secrets: DiskMerge | null = null;
  const theirSecrets = secretsChanged ? files.secretFile.changedOnDisk() : null;
  if (theirSecrets !== null) {
    const newer = theirSecrets.state === 'found' ? newerSecretDocumentVersion(theirSecrets.data) : null;
    if (newer !== null) {
      const reason = `${files.secretFile.path} was replaced by a newer version of Topicscope`;
      return {
        ok: false,
        role: 'secrets',
        reason,
        error: { code: 'STORE_WRITE_FAILED', message: `Passwords cannot be saved: ${reason} (secret file version ${newer}). Nothing was saved.` },
      };
    }
    const parsed = theirSecrets.state === 'found' ? secretDocumentSchema.safeParse(theirSecrets.data) : null;
    if (parsed?.success) {
      sealed = mergeSecretDocuments(base.sealed, sealed, parsed.data);
      secrets = { merged: true, conflicts: [] };
    } else {
      secrets = { merged: false, problem: theirSecrets.state === 'unparsable' ? theirSecrets.problem : 'it is not a Topicscope secret file' };
    }
  }
  return { ok: true, documents: { doc, sealed }, profiles, secrets };
}

/**
 * What to tell the user when a write kept a changed file aside at `keptChange` (null:
 * nothing was kept, nothing to say); `merge` says whether that change is in what was
 * saved (null: it was not looked at).
 */
export function keptChangeNotice(path: string, role: StoreFileRole, keptChange: string | null, merge: DiskMerge | null): string | null {
  if (keptChange === null) return null;
  const what = `${path} was changed outside Topicscope after it was loaded (by hand, by another program or by another Topicscope)`;
  if (merge?.merged) {
    const conflicts = merge.conflicts.length > 0 ? `; where both changed the same profile (${merge.conflicts.map((n) => `"${n}"`).join(', ')}), your change was kept` : '';
    return `${what}. Those changes were combined with yours${conflicts}. The file as it was is kept at ${keptChange}.`;
  }
  const why = merge ? ` (${merge.problem})` : '';
  const how = role === 'profiles' ? ': repair it if needed, then import it with "Import profiles" to get its profiles back' : '; passwords saved only there must be entered again';
  return `${what}, and that version could not be combined with yours${why}, so it was replaced. It is kept at ${keptChange}${how}.`;
}
