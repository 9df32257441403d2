/**
 * The one way the core reads a file the user named (a CA, certificate or key path).
 * A plain `readFile` reads whatever is there, whole: `/dev/zero` or `/dev/urandom` grow
 * the process until the machine runs out of memory, and a FIFO blocks a libuv thread
 * until a writer appears; four of those take the whole thread pool, after which every
 * file read and DNS lookup of the process hangs. So: `stat` first (it never blocks) and
 * refuse anything but a regular file; open without blocking (`O_NONBLOCK`), check the
 * open handle again so a file swapped in between cannot slip through; read at most
 * `maxBytes + 1` bytes; close in `finally`.
 */
import { constants, type Stats } from 'node:fs';
import { lstat, open, stat, type FileHandle } from 'node:fs/promises';
import type { Result } from '../../../shared/ipc/app-error';
import { fail, ok } from '../../../shared/ipc/app-error';

export interface UserFileSpec {
  /** How the file is named to the user, in the middle of a sentence: `CA file`, `client key`. */
  role: string;
  /** What such a file is, for the size advice: `PEM certificate bundle`. */
  contents: string;
  /** Largest size accepted, in bytes. */
  maxBytes: number;
}

const MIB = 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
// Windows has no O_NONBLOCK (nor FIFOs a path can name); 0 leaves the flags as they are.
// @types/node declares every flag on every platform, hence the Partial.
const platform: Partial<typeof constants> = constants;
const OPEN_FLAGS = constants.O_RDONLY | (platform.O_NONBLOCK ?? 0) | (platform.O_NOCTTY ?? 0);

/** What a path that is not a regular file is, in words. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

/** Sizes in MiB with one decimal, rounded up so a size just over the limit never reads as the limit. */
function mebibytes(bytes: number): string {
  return (Math.ceil((bytes / MIB) * 10) / 10).toFixed(1);
}

function limitText(maxBytes: number): string {
  const mib = maxBytes / MIB;
  return Number.isInteger(mib) ? `${mib} MiB` : `${mebibytes(maxBytes)} MiB`;
}

function errnoFailure<T>(path: string, spec: UserFileSpec, error: unknown): Result<T> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return fail({ code: 'FILE_MISSING', message: `The ${spec.role} "${path}" does not exist: check the path.`, detail: code });
  }
  if (code === 'ELOOP') {
    return fail({ code: 'FILE_UNREADABLE', message: `The ${spec.role} "${path}" is a link that loops back on itself: choose the ${spec.role} itself.`, detail: code });
  }
  return fail({
    code: 'FILE_UNREADABLE',
    message: `The ${spec.role} "${path}" cannot be read (${code ?? 'unknown error'}): check its permissions.`,
    detail: code ?? (error instanceof Error ? error.message : String(error)),
  });
}

function notRegular<T>(path: string, spec: UserFileSpec, stats: Stats, viaLink: boolean): Result<T> {
  const kind = kindOf(stats);
  const what = viaLink ? `a link to ${kind}` : kind;
  const message =
    stats.isDirectory() && !viaLink
      ? `The ${spec.role} "${path}" is a folder, not a file: choose the ${spec.role} itself.`
      : `The ${spec.role} "${path}" is not a regular file (${what}): choose the ${spec.role} itself.`;
  return fail({ code: 'FILE_UNREADABLE', message, detail: 'not a regular file' });
}

function tooLarge<T>(path: string, spec: UserFileSpec, size: number | null): Result<T> {
  const actual = size === null ? `larger than ${limitText(spec.maxBytes)}` : `${mebibytes(size)} MiB`;
  return fail({
    code: 'FILE_UNREADABLE',
    message: `The ${spec.role} "${path}" is ${actual}; a ${spec.contents} is at most ${limitText(spec.maxBytes)}: check you chose the right file.`,
    detail: 'too large',
  });
}

/**
 * Reads a regular file of at most `spec.maxBytes` bytes, following symbolic links to
 * regular files. Anything else (a folder, a device, a FIFO, a socket, a link to one of
 * them, a larger file) is refused with a message naming the file and what to do,
 * without opening it where opening could block.
 */
export async function readUserFile(path: string, spec: UserFileSpec): Promise<Result<Buffer>> {
  let target: Stats;
  let viaLink = false;
  try {
    const link = await lstat(path);
    viaLink = link.isSymbolicLink();
    target = viaLink ? await stat(path) : link;
  } catch (error) {
    return errnoFailure(path, spec, error);
  }
  if (!target.isFile()) return notRegular(path, spec, target, viaLink);
  if (target.size > spec.maxBytes) return tooLarge(path, spec, target.size);

  let handle: FileHandle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    return errnoFailure(path, spec, error);
  }
  try {
    // The path may have been replaced since the stat: judge what was actually opened.
    const opened = await handle.stat();
    if (!opened.isFile()) return notRegular(path, spec, opened, viaLink);
    if (opened.size > spec.maxBytes) return tooLarge(path, spec, opened.size);
    const chunks: Buffer[] = [];
    let total = 0;
    // One byte past the limit tells a file that grew since the stat from one that fits.
    while (total <= spec.maxBytes) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, spec.maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > spec.maxBytes) return tooLarge(path, spec, null);
    return ok(Buffer.concat(chunks, total));
  } catch (error) {
    return errnoFailure(path, spec, error);
  } finally {
    // The contents are already read (or refused); a failed close of a read-only handle
    // changes neither, so it must not turn a good read into an error.
    await handle.close().catch(() => undefined);
  }
}
