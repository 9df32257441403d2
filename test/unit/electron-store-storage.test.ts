/**
 * The desktop store's documents go through electron-store, which cannot load without
 * Electron. It is `conf` plus Electron's paths, so the same options are checked here
 * against `conf` itself: the assumptions the adapter makes about the library.
 */
import Conf from 'conf';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyValueFileStorage, keyValueFileOptions } from '../../electron/core/storage/document-storage';
import { safeStorageInfo } from '../../electron/core/profiles/secret-store';
import { FakeKeychain, localConfig } from '../support/profile-store-fixtures';
import { ProfileStore } from '../../electron/core/profiles/profile-store';
import { PemFolder } from '../../electron/core/profiles/pem-folder';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'topicscope-conf-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What electron-store does with its options: `name` becomes conf's `configName`. */
function open(name: string): KeyValueFileStorage {
  const options = keyValueFileOptions(name, dir);
  return new KeyValueFileStorage(new Conf<Record<string, unknown>>({ ...options, configName: options.name }));
}

describe('electron-store documents (checked against conf)', () => {
  it('round-trips a document in <name>.json, readable by the user only', () => {
    const storage = open('profiles');
    expect(storage.path).toBe(join(dir, 'profiles.json'));
    expect(storage.read()).toEqual({ state: 'missing' });
    storage.write({ version: 2, profiles: [{ 'dotted.key': 1 }], lastUsedId: null });
    expect(open('profiles').read()).toEqual({ state: 'found', data: { version: 2, profiles: [{ 'dotted.key': 1 }], lastUsedId: null } });
    expect(statSync(storage.path).mode & 0o777).toBe(0o600);
  });

  it('opens over a file that is not JSON without throwing or clearing it, and reports it', () => {
    writeFileSync(join(dir, 'profiles.json'), '{"version": 2, "profiles": [');
    const storage = open('profiles');
    expect(storage.read()).toMatchObject({ state: 'unparsable', problem: expect.stringContaining('not valid JSON') });
    expect(readFileSync(storage.path, 'utf8')).toBe('{"version": 2, "profiles": [');
  });

  it('lets the profile store back up a corrupt file and carry on', () => {
    writeFileSync(join(dir, 'profiles.json'), 'garbage');
    const store = ProfileStore.open({
      profiles: open('profiles'),
      secretFile: open('secrets'),
      secrets: new FakeKeychain(),
      pemFolder: new PemFolder(join(dir, 'certificates')),
    });
    const recovery = store.list().recovery;
    expect(readFileSync(recovery?.backupPath ?? '', 'utf8')).toBe('garbage');
    const saved = store.save({
      name: 'Local',
      config: localConfig,
      randomClientId: true,
      secrets: { password: { action: 'set', value: 'conf-secret' }, keyPassphrase: { action: 'keep' } },
      allowPlainTextSecrets: false,
    });
    expect(saved.ok).toBe(true);
    expect(readFileSync(join(dir, 'profiles.json'), 'utf8')).toContain('"Local"');
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain('conf-secret');
  });
});

describe('desktop documents changed on disk (checked against conf)', () => {
  it('merges a hand edit of the desktop profile file into the next save and keeps the edited file aside', () => {
    const profiles = open('profiles');
    const store = ProfileStore.open({ profiles, secretFile: open('secrets'), secrets: new FakeKeychain(), pemFolder: new PemFolder(join(dir, 'certificates')) });
    const args = { config: localConfig, randomClientId: true, secrets: { password: { action: 'keep' }, keyPassphrase: { action: 'keep' } }, allowPlainTextSecrets: false } as const;
    expect(store.save({ ...args, name: 'Local' }).ok).toBe(true);
    expect(profiles.changedOnDisk()).toBeNull();

    const edited = JSON.parse(readFileSync(profiles.path, 'utf8'));
    edited.profiles.push({ ...edited.profiles[0], id: 'hand-added', name: 'Hand added' });
    writeFileSync(profiles.path, JSON.stringify(edited));
    expect(store.save({ ...args, name: 'Second' }).ok).toBe(true);

    const names = JSON.parse(readFileSync(profiles.path, 'utf8')).profiles.map((p: { name: string }) => p.name);
    expect(names).toEqual(['Local', 'Hand added', 'Second']);
    const kept = readdirSync(dir).filter((name) => name.startsWith('profiles.json.changed-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(dir, kept[0] ?? ''), 'utf8')).toBe(JSON.stringify(edited));
    expect(store.list().notices.join(' ')).toContain('Those changes were combined with yours');
  });
});

describe('safeStorageInfo', () => {
  it('calls the OS keychains encrypted', () => {
    expect(safeStorageInfo({ available: true, platform: 'darwin', linuxBackend: null })).toMatchObject({ encrypted: true, backend: 'keychain' });
    expect(safeStorageInfo({ available: true, platform: 'win32', linuxBackend: null })).toMatchObject({ encrypted: true, backend: 'dpapi' });
    expect(safeStorageInfo({ available: true, platform: 'linux', linuxBackend: 'gnome_libsecret' })).toMatchObject({ encrypted: true, backend: 'gnome_libsecret' });
    expect(safeStorageInfo({ available: true, platform: 'linux', linuxBackend: 'kwallet6' })).toMatchObject({ encrypted: true, backend: 'kwallet6' });
  });

  it("does not call Linux's basic_text fallback encryption, nor a missing backend", () => {
    expect(safeStorageInfo({ available: true, platform: 'linux', linuxBackend: 'basic_text' })).toMatchObject({ encrypted: false, backend: 'basic_text', description: expect.stringContaining('obfuscated') });
    expect(safeStorageInfo({ available: false, platform: 'linux', linuxBackend: 'unknown' })).toMatchObject({ encrypted: false, backend: 'none' });
    expect(safeStorageInfo({ available: false, platform: 'darwin', linuxBackend: null }).encrypted).toBe(false);
  });
});
