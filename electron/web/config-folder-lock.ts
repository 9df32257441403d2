/**
 * One browser-mode host per config folder. Two hosts on one folder each keep their own
 * copy of the profiles in memory, and each save would replace the other's. The lock is a
 * file created with O_EXCL (atomic on local file systems) holding the owner's pid, start
 * time and machine; a lock whose process is gone (a host killed or crashed) is taken
 * over, and the owner removes it when it exits.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE_NAME = 'topicscope-host.lock';

/** A lock file with no readable owner is taken over only once it is this old: its owner may be writing it right now. */
const UNREADABLE_LOCK_GRACE_MS = 5_000;

/** Rounds of "find a stale lock, move it aside, create ours" before giving up on a lock that keeps changing. */
const MAX_ATTEMPTS = 5;

export interface LockOwner {
  pid: number;
  /** Milliseconds since the epoch. */
  startedAt: number;
  hostname: string;
}

export interface LockDeps {
  pid: number;
  hostname: string;
  now: () => number;
  /** Whether a process with this pid runs on this machine. */
  isAlive: (pid: number) => boolean;
}

/** Signal 0 checks for the process without touching it; EPERM means it exists under another user. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const defaultDeps = (): LockDeps => ({ pid: process.pid, hostname: hostname(), now: Date.now, isAlive: processIsAlive });

export type LockAttempt =
  | { ok: true; lock: FolderLock; tookOverFrom: LockOwner | null }
  /** `holder` is null when the lock file could not be read (being written, or damaged and recent). */
  | { ok: false; lockPath: string; holder: LockOwner | null };

function parseOwner(text: string): LockOwner | null {
  try {
    const raw = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isInteger(raw.pid) && (raw.pid ?? 0) > 0 && typeof raw.startedAt === 'number' && typeof raw.hostname === 'string') {
      return { pid: raw.pid!, startedAt: raw.startedAt, hostname: raw.hostname };
    }
  } catch {
    // Empty or half written: judged by its age below.
  }
  return null;
}

/** Lock files this process holds, so that a lock naming our own pid can be told from a dead process's that had the same pid. */
const held = new Set<string>();

export class FolderLock {
  readonly path: string;
  readonly #content: string;

  private constructor(path: string, content: string) {
    this.path = path;
    this.#content = content;
  }

  /** Takes the folder's lock, or says who holds it. Throws only when the folder itself fails (permissions, read-only). */
  static acquire(dir: string, deps: LockDeps = defaultDeps()): LockAttempt {
    const path = join(dir, LOCK_FILE_NAME);
    const content = `${JSON.stringify({ pid: deps.pid, startedAt: deps.now(), hostname: deps.hostname } satisfies LockOwner)}\n`;
    let tookOverFrom: LockOwner | null = null;
    let holder: LockOwner | null = null;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (createExclusively(path, content)) {
        held.add(path);
        return { ok: true, lock: new FolderLock(path, content), tookOverFrom };
      }
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // released in between
        throw error;
      }
      holder = parseOwner(text);
      if (!isStale(path, holder, deps)) return { ok: false, lockPath: path, holder };
      moveAsideIfUnchanged(path, text, deps.pid);
      tookOverFrom = holder;
    }
    return { ok: false, lockPath: path, holder };
  }

  /** Removes the lock file, unless it is no longer ours (someone deleted it and another host took the folder). */
  release(): void {
    held.delete(this.path);
    try {
      if (readFileSync(this.path, 'utf8') === this.#content) unlinkSync(this.path);
    } catch {
      // Already gone, or the folder went away: nothing is held any more.
    }
  }
}

/** Creates the file only if it does not exist; false when it does. */
function createExclusively(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

function isStale(path: string, holder: LockOwner | null, deps: LockDeps): boolean {
  if (holder === null) {
    try {
      return deps.now() - statSync(path).mtimeMs > UNREADABLE_LOCK_GRACE_MS;
    } catch {
      return true; // gone: the next attempt creates it
    }
  }
  // A pid on another machine (a config folder on a network share) cannot be checked.
  if (holder.hostname !== deps.hostname) return false;
  // Our own pid in a lock we don't hold: a dead process had it before (containers reuse pids).
  if (holder.pid === deps.pid) return !held.has(path);
  return !deps.isAlive(holder.pid);
}

/**
 * Removes a stale lock without racing another host that does the same: the file is
 * renamed aside (atomic, only one host wins) and, if what was moved is not the stale lock
 * that was judged but a live one created in between, linked back.
 */
function moveAsideIfUnchanged(path: string, staleText: string, pid: number): void {
  const aside = `${path}.stale-${pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (readFileSync(aside, 'utf8') !== staleText) linkSync(aside, path);
  } catch {
    // Another lock appeared at `path` meanwhile: it wins; the next attempt reads it.
  } finally {
    rmSync(aside, { force: true });
  }
}
