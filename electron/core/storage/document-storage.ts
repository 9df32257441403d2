/**
 * Where the profile store and the secret store keep their documents. The store logic
 * only sees this interface; the desktop app and browser mode both back it with one
 * atomic JSON file per document (JsonFileStorage), and tests with a fake that fails on
 * demand.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, copyFileSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export type DocumentRead =
  /** No document yet (first start). */
  | { state: 'missing' }
  | { state: 'found'; data: unknown }
  /** The file exists but is not JSON, or cannot be read; `problem` says which, for the user. */
  | { state: 'unparsable'; problem: string };

export interface DocumentStorage {
  /** The file's path, to name it in messages. */
  readonly path: string;
  read(): DocumentRead;
  /**
   * What the file holds now, when that differs from what this storage last read or
   * wrote (another program, a hand edit); null while it is unchanged. Does not count as
   * a read: the next `write` still keeps that content aside.
   */
  changedOnDisk(): DocumentRead | null;
  /**
   * Replaces the document so that a crash or a full disk mid-write leaves the previous
   * one whole. When the file changed on disk since this storage last read or wrote it,
   * that content is first copied to `<path>.changed-<time>`, whose path is returned
   * (else null). Throws when it cannot write or cannot keep that copy; the file is then
   * unchanged.
   */
  write(data: object): { keptChange: string | null };
  /** Copies the current file to `<path>.<label>` and returns that path; throws if it can't. */
  backUp(label: string): string;
  /** Whether a backup made by `backUp` is still next to the file (the user may import it back). */
  hasBackups(): boolean;
}

/** Any `<path>.<label>` file beside `path`; an unreadable folder counts as having one, to stay on the safe side. */
function backupsExist(path: string): boolean {
  const prefix = `${basename(path)}.`;
  try {
    return readdirSync(dirname(path)).some((name) => name.startsWith(prefix));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** `corrupt-2026-11-21T21-05-39.123Z`: sortable, and valid in a Windows file name. */
export function backupLabel(kind: string, now: number): string {
  return `${kind}-${new Date(now).toISOString().replace(/:/g, '-')}`;
}

/**
 * Makes a folder and its missing parents, one `mkdir` at a time. Node's own
 * `mkdirSync(path, { recursive: true })` spins forever, in native code where not even
 * SIGTERM gets through, when `mkdir` answers ENOENT under a parent that exists (any
 * path under /proc does); this one throws that error instead.
 */
export function makeFolder(path: string, mode = 0o700): void {
  const missing: string[] = [];
  for (let current = resolve(path); ; current = dirname(current)) {
    try {
      if (statSync(current).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${current}'`), { code: 'ENOTDIR', path: current });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    missing.push(current);
    if (dirname(current) === current) break;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder, { mode });
    } catch (error) {
      // Made by someone else in between: just as good.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Writes through a temporary file in the same folder, flushed, then renamed over the target. */
export function writeFileAtomically(path: string, text: string, mode: number): void {
  const dir = dirname(path);
  makeFolder(dir);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function parseDocument(text: string): DocumentRead {
  try {
    return { state: 'found', data: JSON.parse(text) };
  } catch (error) {
    return { state: 'unparsable', problem: `it is not valid JSON (${(error as Error).message})` };
  }
}

/** The file's bytes, or null when there is none; other errors throw. */
function bytesOf(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const MISSING = 'missing';

function fingerprint(bytes: Buffer | string | null): string {
  return bytes === null ? MISSING : createHash('sha256').update(bytes).digest('hex');
}

/**
 * Remembers what a storage last read or wrote (a hash of the bytes: a hand edit can keep
 * the size, and mtime is coarse on some file systems), so that a write never replaces
 * content the app never saw without keeping it aside first.
 */
class ChangeGuard {
  readonly #path: string;
  readonly #now: () => number;
  /** Undefined until the file was read or written: anything found then counts as changed. */
  #seen: string | undefined;

  constructor(path: string, now: () => number) {
    this.#path = path;
    this.#now = now;
  }

  saw(bytes: Buffer | string | null): void {
    this.#seen = fingerprint(bytes);
  }

  /** The file's bytes when they differ from what was seen; null when unchanged or deleted (nothing to lose). */
  changedBytes(): Buffer | null {
    const bytes = bytesOf(this.#path);
    return bytes === null || fingerprint(bytes) === this.#seen ? null : bytes;
  }

  changedRead(): DocumentRead | null {
    const bytes = this.changedBytes();
    return bytes === null ? null : parseDocument(bytes.toString('utf8'));
  }

  /** Before a write: copies a changed file aside and returns where; throws when it cannot. */
  keepChange(): string | null {
    if (this.changedBytes() === null) return null;
    return backUpFile(this.#path, backupLabel('changed', this.#now()));
  }
}

/** A JSON document in one file, written atomically with the given file mode. */
export class JsonFileStorage implements DocumentStorage {
  readonly path: string;
  readonly #mode: number;
  readonly #guard: ChangeGuard;

  /** `now` (milliseconds since the epoch) names the copies of changed files. */
  constructor(path: string, mode = 0o600, now: () => number = Date.now) {
    this.path = path;
    this.#mode = mode;
    this.#guard = new ChangeGuard(path, now);
  }

  read(): DocumentRead {
    let bytes: Buffer | null;
    try {
      bytes = bytesOf(this.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return { state: 'unparsable', problem: `it cannot be read (${code ?? (error as Error).message})` };
    }
    this.#guard.saw(bytes);
    return bytes === null ? { state: 'missing' } : parseDocument(bytes.toString('utf8'));
  }

  changedOnDisk(): DocumentRead | null {
    return this.#guard.changedRead();
  }

  write(data: object): { keptChange: string | null } {
    const text = `${JSON.stringify(data, null, 2)}\n`;
    const keptChange = this.#guard.keepChange();
    writeFileAtomically(this.path, text, this.#mode);
    this.#guard.saw(text);
    return { keptChange };
  }

  backUp(label: string): string {
    return backUpFile(this.path, label);
  }

  hasBackups(): boolean {
    return backupsExist(this.path);
  }
}

/** Copies a document next to itself as `<path>.<label>` and returns the copy's path. */
function backUpFile(path: string, label: string): string {
  const target = `${path}.${label}`;
  // EXCL: never overwrite an earlier backup, even one made in the same millisecond.
  copyFileSync(path, target, constants.COPYFILE_EXCL);
  return target;
}
