/**
 * readUserFile: the only way the core reads a file the user named. Its invariants are
 * security ones (no unbounded read, no blocked thread pool), so each has a test here.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, type Stats } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readUserFile, type UserFileSpec } from '../../electron/core/storage/user-file';
import type { AppError, Result } from '../../shared/ipc/app-error';

/** Lets a test make the first look at a path (lstat) see something else, as if the file was swapped after it. */
const swap = vi.hoisted(() => ({ lstatAs: null as null | ((path: string) => Promise<Stats>) }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    lstat: (path: string) => (swap.lstatAs ? swap.lstatAs(path) : actual.lstat(path)),
  };
});

const SPEC: UserFileSpec = { role: 'CA file', contents: 'PEM certificate bundle', maxBytes: 2 * 1024 * 1024 };
/** Far longer than any refusal here takes, far shorter than a hang. */
const QUICK_MS = 2_000;

let dir = '';
const p = (name: string): string => join(dir, name);
const fifos: string[] = [];

function makeFifo(name: string): string {
  const path = p(name);
  execFileSync('mkfifo', [path]);
  fifos.push(path);
  return path;
}

/** Resolves with the promise's value, or rejects when it takes longer than `ms`: a hang fails the test instead of stalling it. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function expectError(result: Result<Buffer>): AppError {
  if (result.ok) throw new Error(`expected an error, got ${result.value.length} bytes`);
  return result.error;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'topicscope-user-file-'));
  await writeFile(p('ca.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  await writeFile(p('exactly-the-limit.bin'), Buffer.alloc(SPEC.maxBytes, 0x41));
  await writeFile(p('one-byte-over.bin'), Buffer.alloc(SPEC.maxBytes + 1, 0x41));
  await writeFile(p('big.iso'), Buffer.alloc(5 * 1024 * 1024 + 1));
  await mkdir(p('a-folder'));
  await symlink('/dev/zero', p('zero-link.pem'));
  await symlink(p('ca.pem'), p('ca-link.pem'));
  await symlink(p('loop-b'), p('loop-a'));
  await symlink(p('loop-a'), p('loop-b'));
});

afterEach(() => {
  swap.lstatAs = null;
});

afterAll(async () => {
  // Had a FIFO been opened for reading (the bug), a writer end releases that thread.
  for (const fifo of fifos) {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // ENXIO: nobody has it open for reading, which is the expected state.
    }
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('readUserFile on regular files', () => {
  it('reads a regular file whole', async () => {
    const result = await readUserFile(p('ca.pem'), SPEC);
    expect(result.ok && result.value.toString('utf8')).toBe(await readFile(p('ca.pem'), 'utf8'));
  });

  it('reads a file of exactly the limit', async () => {
    const result = await readUserFile(p('exactly-the-limit.bin'), SPEC);
    expect(result.ok && result.value.length).toBe(SPEC.maxBytes);
  });

  it('follows a symbolic link to a regular file', async () => {
    const result = await readUserFile(p('ca-link.pem'), SPEC);
    expect(result.ok && result.value.toString('utf8')).toContain('BEGIN CERTIFICATE');
  });

  it('refuses a file one byte over the limit, saying how big it is and what the limit is', async () => {
    const error = expectError(await readUserFile(p('one-byte-over.bin'), SPEC));
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message).toBe(
      `The CA file "${p('one-byte-over.bin')}" is 2.1 MiB; a PEM certificate bundle is at most 2 MiB: check you chose the right file.`,
    );
  });

  it('refuses a large file without reading it', async () => {
    const error = expectError(await readUserFile(p('big.iso'), SPEC));
    expect(error.message).toContain('is 5.1 MiB; a PEM certificate bundle is at most 2 MiB');
  });

  it('a missing file → FILE_MISSING naming it', async () => {
    const error = expectError(await readUserFile(p('nope.pem'), SPEC));
    expect(error.code).toBe('FILE_MISSING');
    expect(error.message).toBe(`The CA file "${p('nope.pem')}" does not exist: check the path.`);
  });

  it('a path through a file (not a folder) → FILE_MISSING', async () => {
    expect(expectError(await readUserFile(join(p('ca.pem'), 'inner.pem'), SPEC)).code).toBe('FILE_MISSING');
  });

  it('a link that loops → FILE_UNREADABLE saying so', async () => {
    const error = expectError(await readUserFile(p('loop-a'), SPEC));
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message).toContain('loops back on itself');
  });
});

describe('readUserFile on things that are not regular files', () => {
  it('refuses a folder', async () => {
    const error = expectError(await readUserFile(p('a-folder'), SPEC));
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message).toBe(`The CA file "${p('a-folder')}" is a folder, not a file: choose the CA file itself.`);
  });

  it.each(['/dev/zero', '/dev/urandom'])('refuses %s at once, as a character device', async (device) => {
    const started = performance.now();
    const error = expectError(await within(QUICK_MS, readUserFile(device, SPEC)));
    expect(performance.now() - started).toBeLessThan(500);
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message).toBe(`The CA file "${device}" is not a regular file (a character device): choose the CA file itself.`);
  });

  it('refuses a symbolic link to /dev/zero, saying it is a link to a device', async () => {
    const error = expectError(await within(QUICK_MS, readUserFile(p('zero-link.pem'), SPEC)));
    expect(error.message).toBe(`The CA file "${p('zero-link.pem')}" is not a regular file (a link to a character device): choose the CA file itself.`);
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = makeFifo('single.fifo');
    const error = expectError(await within(QUICK_MS, readUserFile(fifo, SPEC)));
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message).toBe(`The CA file "${fifo}" is not a regular file (a named pipe (FIFO)): choose the CA file itself.`);
  });

  it('after four FIFOs at once (the size of libuv\'s thread pool), other file reads still complete', async () => {
    const attempts = [1, 2, 3, 4].map((n) => readUserFile(makeFifo(`pool-${n}.fifo`), SPEC));
    const results = await within(QUICK_MS, Promise.all(attempts));
    expect(results.every((r) => !r.ok)).toBe(true);
    await expect(within(QUICK_MS, readFile(p('ca.pem'), 'utf8'))).resolves.toContain('BEGIN CERTIFICATE');
  });
});

describe('readUserFile when the path changes between the check and the open', () => {
  async function regularFileStats(): Promise<Stats> {
    return stat(p('ca.pem'));
  }

  it('a FIFO swapped in after the check is opened without blocking and refused', async () => {
    const fifo = makeFifo('swapped.fifo');
    swap.lstatAs = regularFileStats;
    const error = expectError(await within(QUICK_MS, readUserFile(fifo, SPEC)));
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message).toContain('is not a regular file (a named pipe (FIFO))');
  });

  it('four swapped FIFOs at once leave the thread pool free', async () => {
    swap.lstatAs = regularFileStats;
    const attempts = [1, 2, 3, 4].map((n) => readUserFile(makeFifo(`swapped-pool-${n}.fifo`), SPEC));
    const results = await within(QUICK_MS, Promise.all(attempts));
    expect(results.every((r) => !r.ok)).toBe(true);
    swap.lstatAs = null;
    await expect(within(QUICK_MS, readFile(p('ca.pem'), 'utf8'))).resolves.toContain('BEGIN CERTIFICATE');
  });

  it('/dev/zero swapped in after the check is refused, not read', async () => {
    swap.lstatAs = regularFileStats;
    const error = expectError(await within(QUICK_MS, readUserFile('/dev/zero', SPEC)));
    expect(error.message).toContain('is not a regular file (a character device)');
  });
});
