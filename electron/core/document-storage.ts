/**
 * Where the profile store and the secret store keep their documents. The store logic
 * only sees this interface, so the Electron shell can back it with electron-store, the
 * browser-mode host with a plain JSON file, and tests with a fake that fails on demand.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, copyFileSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
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
    const target = `${this.path}.${label}`;
    // EXCL: never overwrite an earlier backup, even one made in the same millisecond.
    copyFileSync(this.path, target, constants.COPYFILE_EXCL);
    return target;
  }
}
