import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { claimConfigFolder, resolveConfigDir } from '../../electron/web/browser-profiles';

describe('browser-mode config folder', () => {
  it('prefers --config-dir, then TOPICSCOPE_CONFIG_DIR, then XDG_CONFIG_HOME, then ~/.config', () => {
    const env = { TOPICSCOPE_CONFIG_DIR: '/env/topicscope', XDG_CONFIG_HOME: '/xdg' };
    expect(resolveConfigDir('/flag/dir', env, '/home/me')).toBe('/flag/dir');
    expect(resolveConfigDir(undefined, env, '/home/me')).toBe('/env/topicscope');
    expect(resolveConfigDir(undefined, { XDG_CONFIG_HOME: '/xdg' }, '/home/me')).toBe('/xdg/topicscope');
    expect(resolveConfigDir(undefined, {}, '/home/me')).toBe('/home/me/.config/topicscope');
  });

  it('ignores a relative XDG_CONFIG_HOME, as the XDG spec says', () => {
    expect(resolveConfigDir(undefined, { XDG_CONFIG_HOME: 'relative/dir' }, '/home/me')).toBe('/home/me/.config/topicscope');
  });

  it('makes a relative --config-dir absolute', () => {
    expect(resolveConfigDir('conf', {}, '/home/me')).toBe(`${process.cwd()}/conf`);
  });
});

describe('claiming the config folder at start', () => {
  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'topicscope-claim-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  it('makes the folder, leaves no probe behind, and holds it until released', () => {
    const dir = join(tempDir(), 'new', 'topicscope');
    const claim = claimConfigFolder(dir);
    expect(claim.ok).toBe(true);
    expect(readdirSync(dir)).toEqual(['topicscope-host.lock']);
    const second = claimConfigFolder(dir);
    expect(second).toEqual({ ok: false, message: expect.stringContaining(`Topicscope browser mode cannot use the config folder ${dir}: another Topicscope browser-mode host is using it (pid ${process.pid} on ${hostname()}`) });
    if (!second.ok) expect(second.message).toContain('choose another folder with --config-dir');
    if (claim.ok) claim.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a folder under a file, saying why and what to do', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    expect(claimConfigFolder(join(file, 'topicscope'))).toEqual({
      ok: false,
      message: expect.stringMatching(/^Topicscope browser mode cannot use the config folder .*a-file\/topicscope: part of that path is a file, not a folder \(ENOTDIR.*\)\. Choose another with --config-dir\.$/),
    });
  });
});
