/**
 * The app's log file: one line per entry, appended synchronously so the last lines
 * before a crash are on disk, rotated by size so it never grows without bound
 * (`topicscope.log`, then `.1` … `.N`, the oldest deleted). Electron-free: main
 * points it at the user data folder, tests at a temporary one.
 */
import { appendFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { makeFolder } from '../../core/storage/document-storage';
import { join } from 'node:path';

export interface RotatingLogOptions {
  /** Folder that holds the log files; created when missing. */
  directory: string;
  /** Name of the current file. Default `topicscope.log`. */
  fileName: string;
  /** Size in bytes at which the current file is rotated. Default 1 MiB. */
  maxBytes: number;
  /** Rotated files kept besides the current one. Default 4. */
  maxRotatedFiles: number;
  /** The clock, for the time stamp of each line. */
  now: () => Date;
}

export const DEFAULT_LOG_OPTIONS = { fileName: 'topicscope.log', maxBytes: 1024 * 1024, maxRotatedFiles: 4 } as const;

export type LogLevel = 'info' | 'warn' | 'error';

/** Control characters would let a logged broker message forge extra log lines. */
function oneLine(text: string): string {
  let safe = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    safe += code < 0x20 || code === 0x7f ? ' ' : ch;
  }
  return safe;
}

export class RotatingLog {
  readonly #options: RotatingLogOptions;
  #size: number;

  constructor(options: Partial<RotatingLogOptions> & Pick<RotatingLogOptions, 'directory'>) {
    this.#options = { ...DEFAULT_LOG_OPTIONS, now: () => new Date(), ...options };
    // Not Node's recursive mkdir: it spins forever under /proc (see makeFolder).
    makeFolder(this.#options.directory);
    this.#size = this.#currentSize();
  }

  get directory(): string {
    return this.#options.directory;
  }

  /** Path of the file being written now. */
  get currentFile(): string {
    return join(this.#options.directory, this.#options.fileName);
  }

  /** Appends one line; a failing disk never takes the app down with it. */
  write(level: LogLevel, scope: string, message: string): void {
    const line = `${this.#options.now().toISOString()} ${level.toUpperCase()} [${oneLine(scope)}] ${oneLine(message)}\n`;
    const bytes = Buffer.byteLength(line);
    try {
      if (this.#size > 0 && this.#size + bytes > this.#options.maxBytes) this.#rotate();
      appendFileSync(this.currentFile, line, { mode: 0o600 });
      this.#size += bytes;
    } catch {
      // Logging is best effort: a full or read-only disk must not break connections.
      this.#size = this.#currentSize();
    }
  }

  #rotated(index: number): string {
    return `${this.currentFile}.${index}`;
  }

  #rotate(): void {
    rmSync(this.#rotated(this.#options.maxRotatedFiles), { force: true });
    for (let index = this.#options.maxRotatedFiles - 1; index >= 1; index--) {
      try {
        renameSync(this.#rotated(index), this.#rotated(index + 1));
      } catch {
        // That generation does not exist yet.
      }
    }
    if (this.#options.maxRotatedFiles > 0) renameSync(this.currentFile, this.#rotated(1));
    else rmSync(this.currentFile, { force: true });
    this.#size = 0;
  }

  #currentSize(): number {
    try {
      return statSync(this.currentFile).size;
    } catch {
      return 0;
    }
  }
}
