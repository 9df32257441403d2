import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderLock, LOCK_FILE_NAME, processIsAlive, type LockDeps } from '../../electron/web/config-folder-lock';

let dir: string;
let children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'topicscope-lock-'));
});
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children = [];
  rmSync(dir, { recursive: true, force: true });
});

/** A real process that stays alive until the test ends. */
function livePid(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
  children.push(child);
  if (child.pid === undefined) throw new Error('no child pid');
  return child.pid;
}

/** The pid of a process that has exited (as a host killed with SIGKILL). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await once(child, 'exit');
  if (child.pid === undefined) throw new Error('no child pid');
  return child.pid;
}

function writeLock(owner: { pid: number; startedAt?: number; hostname?: string }): void {
  writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify({ startedAt: Date.UTC(2026, 10, 1), hostname: hostname(), ...owner }));
}

function lockOwner(): unknown {
  return JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8'));
}

describe('config folder lock', () => {
  it('takes a free folder, refuses a second claim while held, and frees it on release', () => {
    const first = FolderLock.acquire(dir);
    expect(first.ok).toBe(true);
    expect(lockOwner()).toMatchObject({ pid: process.pid, hostname: hostname() });
    // The same process asking again is refused too: two stores on one folder lose saves.
    expect(FolderLock.acquire(dir)).toMatchObject({ ok: false, holder: { pid: process.pid } });
    if (first.ok) first.lock.release();
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
    const again = FolderLock.acquire(dir);
    expect(again.ok).toBe(true);
    if (again.ok) again.lock.release();
  });

  it('refuses a lock held by a live process, naming it', () => {
    const pid = livePid();
    writeLock({ pid });
    const attempt = FolderLock.acquire(dir);
    expect(attempt).toEqual({ ok: false, lockPath: join(dir, LOCK_FILE_NAME), holder: { pid, startedAt: Date.UTC(2026, 10, 1), hostname: hostname() } });
    expect(lockOwner()).toMatchObject({ pid });
  });

  it('takes over the lock of a process that is gone', async () => {
    const pid = await deadPid();
    expect(processIsAlive(pid)).toBe(false);
    writeLock({ pid });
    const attempt = FolderLock.acquire(dir);
    expect(attempt).toMatchObject({ ok: true, tookOverFrom: { pid } });
    expect(lockOwner()).toMatchObject({ pid: process.pid });
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
    if (attempt.ok) attempt.lock.release();
  });

  it('takes over a lock naming its own pid that it does not hold (a dead process had that pid before)', () => {
    writeLock({ pid: process.pid, startedAt: 1 });
    const attempt = FolderLock.acquire(dir);
    expect(attempt).toMatchObject({ ok: true, tookOverFrom: { pid: process.pid, startedAt: 1 } });
    if (attempt.ok) attempt.lock.release();
  });

  it('refuses a lock from another machine, whose pid it cannot check', async () => {
    writeLock({ pid: await deadPid(), hostname: 'other-machine' });
    expect(FolderLock.acquire(dir)).toMatchObject({ ok: false, holder: { hostname: 'other-machine' } });
  });

  it('leaves an unreadable lock alone while it may be being written, and takes it over once old', () => {
    const path = join(dir, LOCK_FILE_NAME);
    writeFileSync(path, '');
    const deps: LockDeps = { pid: process.pid, hostname: hostname(), now: Date.now, isAlive: () => true };
    expect(FolderLock.acquire(dir, deps)).toEqual({ ok: false, lockPath: path, holder: null });
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(path, old, old);
    const attempt = FolderLock.acquire(dir, deps);
    expect(attempt.ok).toBe(true);
    if (attempt.ok) attempt.lock.release();
  });

  it('on release, leaves alone a lock that is no longer its own', () => {
    const attempt = FolderLock.acquire(dir);
    if (!attempt.ok) throw new Error('not acquired');
    const pid = livePid();
    writeLock({ pid }); // the user deleted ours and another host took the folder
    attempt.lock.release();
    expect(lockOwner()).toMatchObject({ pid });
  });
});
