/**
 * Where browser mode keeps profiles: a folder in the user's config directory, with the
 * same store as the desktop app. There is no OS keychain here, so secrets are saved only
 * when the user agrees, in plain text in a separate file only they can read.
 *
 *   --config-dir DIR, else $TOPICSCOPE_CONFIG_DIR, else $XDG_CONFIG_HOME/topicscope,
 *   else ~/.config/topicscope
 *
 * The host claims the folder before it prints its URL: made, proven writable, and locked
 * against a second host on the same folder, so nothing fails later at the first save.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { makeFolder } from '../core/storage/document-storage';
import { FolderLock, type LockDeps, type LockOwner } from './config-folder-lock';
import { openProfileFolder, profileFolderPaths } from '../core/profiles/profile-folder';
import type { ProfileStore } from '../core/profiles/profile-store';
import { PlainTextSecretStore } from '../core/profiles/secret-store';

export const CONFIG_DIR_ENV_VAR = 'TOPICSCOPE_CONFIG_DIR';

export function resolveConfigDir(flag: string | undefined, env: NodeJS.ProcessEnv, home: string = homedir()): string {
  if (flag) return resolve(flag);
  const fromEnv = env[CONFIG_DIR_ENV_VAR];
  if (fromEnv) return resolve(fromEnv);
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env['XDG_CONFIG_HOME'];
  if (xdg && isAbsolute(xdg)) return join(xdg, 'topicscope');
  return join(home, '.config', 'topicscope');
}

export function openBrowserModeProfiles(configDir: string): ProfileStore {
  return openProfileFolder(configDir, new PlainTextSecretStore(profileFolderPaths(configDir).secrets));
}

export type ConfigFolderClaim = { ok: true; release: () => void } | { ok: false; message: string };

/** Plain words for the errors a folder can give, with the system's own message kept. */
function folderProblem(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOENT: 'it cannot be created there',
    ENOTDIR: 'part of that path is a file, not a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'it is on a read-only file system',
    ENOSPC: 'the disk is full',
  };
  const plain = code === undefined ? undefined : words[code];
  return plain ? `${plain} (${message})` : message;
}

function cannotUse(configDir: string, reason: string, advice = 'Choose another with --config-dir.'): string {
  return `Topicscope browser mode cannot use the config folder ${configDir}: ${reason}. ${advice}`;
}

function heldBy(configDir: string, holder: LockOwner | null, lockPath: string): string {
  const who =
    holder === null
      ? 'another Topicscope browser-mode host is starting on it right now'
      : `another Topicscope browser-mode host is using it (pid ${holder.pid} on ${holder.hostname || 'this machine'}, started ${new Date(holder.startedAt).toISOString()})`;
  return cannotUse(
    configDir,
    `${who}, and two hosts on one folder would overwrite each other's profiles`,
    `Stop that host first, or choose another folder with --config-dir. If no such host is running, delete ${lockPath}.`,
  );
}

/**
 * Makes the folder, proves it takes a file, and locks it for this process. Nothing here
 * loops or blocks: a folder that can't be used is reported at once.
 */
export function claimConfigFolder(configDir: string, lockDeps?: LockDeps): ConfigFolderClaim {
  try {
    makeFolder(configDir);
    const probe = join(configDir, `.probe-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      writeFileSync(probe, 'probe', { flag: 'wx', mode: 0o600 });
      rmSync(probe, { force: true });
    } catch (error) {
      return { ok: false, message: cannotUse(configDir, `no file can be written in it (${(error as Error).message})`) };
    }
    const attempt = FolderLock.acquire(configDir, lockDeps);
    if (!attempt.ok) return { ok: false, message: heldBy(configDir, attempt.holder, attempt.lockPath) };
    return { ok: true, release: () => attempt.lock.release() };
  } catch (error) {
    return { ok: false, message: cannotUse(configDir, folderProblem(error)) };
  }
}

/** For the host's start: claims the folder, or prints why on stderr and exits with 1. The lock goes when the process exits. */
export function claimConfigFolderOrExit(configDir: string): void {
  const claim = claimConfigFolder(configDir);
  if (!claim.ok) {
    process.stderr.write(`${claim.message}\n`);
    process.exit(1);
  }
  // 'exit' runs on process.exit (the host's SIGINT/SIGTERM handler ends with it) and on an
  // uncaught error; a SIGKILL leaves the lock, which the next host takes over.
  process.once('exit', claim.release);
}
