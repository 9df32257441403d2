/**
 * The shapes the profile store's modules pass each other: its two files, the two
 * documents it holds in memory, and why a file may not be written. Types only, so that
 * loading, saving and merging can share them without depending on one another.
 */
import type { ProfileDocument, SecretDocument } from '../../../shared/profiles/profile-document';
import type { DocumentStorage } from '../storage/document-storage';

export interface StoreFiles {
  /** The profile document (no secrets in it). */
  profiles: DocumentStorage;
  /** The sealed secrets, by profile. */
  secretFile: DocumentStorage;
}

/** Which of the two files a message is about. */
export type StoreFileRole = 'profiles' | 'secrets';

/** What the store holds: always replaced together, never edited in place. */
export interface StoreDocuments {
  doc: ProfileDocument;
  sealed: SecretDocument;
}

/**
 * Why a file must not be written (null: it may). Set when a file could neither be read
 * nor backed up, or was written by a newer Topicscope: writing would destroy it.
 */
export interface ReadOnlyReasons {
  /** Nothing can be saved while the profile file is read-only. */
  profiles: string | null;
  /** Profiles can still be saved while only the secret file is; secrets not. */
  secrets: string | null;
}
