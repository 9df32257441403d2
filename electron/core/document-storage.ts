/**
 * Where the profile store and the secret store keep their documents. The store logic
 * only sees this interface, so the Electron shell can back it with electron-store, the
 * browser-mode host with a plain JSON file, and tests with a fake that fails on demand.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

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
   * Replaces the document so that a crash or a full disk mid-write leaves the previous
   * one whole. Throws when it cannot write; the previous document is then unchanged.
   */
  write(data: object): void;
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

/** Writes through a temporary file in the same folder, flushed, then renamed over the target. */
export function writeFileAtomically(path: string, text: string, mode: number): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
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

/** A JSON document in one file, written atomically with the given file mode. */
export class JsonFileStorage implements DocumentStorage {
  readonly path: string;
  readonly #mode: number;

  constructor(path: string, mode = 0o600) {
    this.path = path;
    this.#mode = mode;
  }

  read(): DocumentRead {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { state: 'missing' };
      return { state: 'unparsable', problem: `it cannot be read (${code ?? (error as Error).message})` };
    }
    try {
      return { state: 'found', data: JSON.parse(text) };
    } catch (error) {
      return { state: 'unparsable', problem: `it is not valid JSON (${(error as Error).message})` };
    }
  }

  write(data: object): void {
    writeFileAtomically(this.path, `${JSON.stringify(data, null, 2)}\n`, this.#mode);
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

/** The part of electron-store (and `conf`, which it extends) that a document needs. */
export interface KeyValueFile {
  readonly path: string;
  /** Reading parses the file again; assigning writes it atomically (temp file + rename). */
  store: Record<string, unknown>;
}

/** Where the tolerant parser leaves the reason a file was not JSON. */
export const UNPARSABLE_KEY = '__topicscopeUnparsable';

/**
 * electron-store throws from its constructor on a file that is not JSON, and with
 * `clearInvalidConfig` it would empty the file. This parser reports the problem as data
 * instead, so the store can back the file up before anything replaces it.
 */
export function parseTolerantly(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    return { [UNPARSABLE_KEY]: `it is not valid JSON (${(error as Error).message})` };
  }
}

/** The options electron-store needs for a document: no dot paths, no clearing, user-only file. */
export function keyValueFileOptions(name: string, cwd: string) {
  return {
    name,
    cwd,
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    configFileMode: 0o600,
    deserialize: parseTolerantly,
  } as const;
}

/** A document kept by electron-store (opened with `keyValueFileOptions`). */
export class KeyValueFileStorage implements DocumentStorage {
  readonly path: string;
  readonly #file: KeyValueFile;

  constructor(file: KeyValueFile) {
    this.#file = file;
    this.path = file.path;
  }

  read(): DocumentRead {
    if (!existsSync(this.path)) return { state: 'missing' };
    let data: Record<string, unknown>;
    try {
      data = this.#file.store;
    } catch (error) {
      return { state: 'unparsable', problem: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
    }
    const problem = data[UNPARSABLE_KEY];
    return typeof problem === 'string' ? { state: 'unparsable', problem } : { state: 'found', data };
  }

  write(data: object): void {
    this.#file.store = data as Record<string, unknown>;
  }

  backUp(label: string): string {
    return backUpFile(this.path, label);
  }

  hasBackups(): boolean {
    return backupsExist(this.path);
  }
}
