/**
 * The errors every part of the profile store returns as data, worded once: an id the
 * store does not have, and a write the disk refused. Kept apart so the loading, saving
 * and import modules say the same thing in the same words.
 */
import type { AppError } from '../../../shared/ipc/app-error';

export function unknownProfile(id: string): AppError {
  return { code: 'UNKNOWN_PROFILE', message: `No saved profile has the id "${id}": it may have been deleted. Reload the profile list.` };
}

/** A write that failed (full disk, permissions), with the system's code kept for the user. */
export function writeFailed(path: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException).code;
  return {
    code: 'STORE_WRITE_FAILED',
    message: `Your profiles could not be saved to ${path} (${code ?? (error as Error).message}): check free disk space and the folder's permissions. Nothing was changed.`,
    detail: error instanceof Error ? error.message : String(error),
  };
}
