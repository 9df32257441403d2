/**
 * The desktop app's profiles: the same atomic JSON files as browser mode, in the user
 * data folder. Earlier versions wrote those files through electron-store; an existing
 * user's must load unchanged. Here they are written by the real electron-store, under
 * plain Node with the stand-in `electron` module, with the options the desktop used,
 * then opened by `openDesktopProfiles` (with `electron` mocked: the real one needs the
 * binary).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { safeStorageInfo } from '../../electron/core/profiles/secret-store';
import { openDesktopProfiles } from '../../electron/main/profiles/desktop-profiles';
import { localConfig, must, saveArgs } from '../support/profile-store-fixtures';

/** An OS keychain stand-in: reversible, but never the plain text. */
const electron = vi.hoisted(() => {
  const encrypt = (text: string): Buffer => Buffer.from(Buffer.from(`sealed:${text}`, 'utf8').map((b) => b ^ 0x5a));
  const decrypt = (bytes: Buffer): string => {
    const text = Buffer.from(bytes.map((b) => b ^ 0x5a)).toString('utf8');
    if (!text.startsWith('sealed:')) throw new Error('not sealed by this keychain');
    return text.slice('sealed:'.length);
  };
  return { userData: '', encrypt, decrypt };
});

vi.mock('electron', () => ({
  app: { getPath: (name: string) => (name === 'userData' ? electron.userData : `/nonexistent/${name}`) },
  safeStorage: {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (text: string) => electron.encrypt(text),
    decryptString: (bytes: Buffer) => electron.decrypt(bytes),
  },
}));

const run = promisify(execFile);
const REGISTER = resolve('test/unit/stand-in/register.mjs');

/**
 * What the desktop did before this version, kept here as the record of it: one
 * electron-store per document, `name` 'profiles' or 'secrets', `cwd` the user data
 * folder, user-only files, no dot paths (the tolerant `deserialize` it also passed
 * only mattered for reading).
 */
const OLD_WRITER = `
import { app } from 'electron';
import ElectronStore from 'electron-store';
const documents = JSON.parse(process.env.OLD_DOCUMENTS);
const paths = {};
for (const [name, data] of Object.entries(documents)) {
  const store = new ElectronStore({ name, cwd: app.getPath('userData'), clearInvalidConfig: false, accessPropertiesByDotNotation: false, configFileMode: 0o600 });
  store.store = data;
  paths[name] = store.path;
}
process.stdout.write(JSON.stringify(paths));
`;

/** Writes `documents` (by electron-store name) the way earlier desktop versions did; returns their paths. */
async function writeTheOldWay(root: string, documents: Record<string, object>): Promise<Record<string, string>> {
  const env = { PATH: process.env['PATH'], STANDIN_USER_DATA: root, OLD_DOCUMENTS: JSON.stringify(documents) };
  const { stdout } = await run(process.execPath, ['--import', REGISTER, '--input-type=module', '-e', OLD_WRITER], { env, timeout: 20_000 });
  return JSON.parse(stdout) as Record<string, string>;
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'topicscope-desktop-'));
  // The stand-in's app.getPath(name) is <STANDIN_USER_DATA>/<name>; the mock agrees.
  electron.userData = join(root, 'userData');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const sealed = (secret: string) => `safeStorage:${electron.encrypt(secret).toString('base64')}`;

describe('profiles an earlier desktop version saved through electron-store', () => {
  const production = { id: 'prod', name: 'Production', config: { ...localConfig, host: 'broker.example.com' }, randomClientId: false, createdAt: 1, updatedAt: 2, lastUsedAt: 3 };
  const local = { id: 'local', name: 'Local', config: localConfig, randomClientId: true, createdAt: 4, updatedAt: 5, lastUsedAt: null };
  const oldDocuments = {
    profiles: { version: 2, profiles: [production, local], lastUsedId: 'prod' },
    secrets: { version: 1, secrets: { prod: { password: sealed('prod-password') } } },
  };

  it('are read from the same files, profiles, last used and saved passwords alike, without a notice', async () => {
    const paths = await writeTheOldWay(root, oldDocuments);
    expect(paths).toEqual({ profiles: join(electron.userData, 'profiles.json'), secrets: join(electron.userData, 'secrets.json') });
    const before = readFileSync(paths['profiles'] ?? '', 'utf8');
    expect(before).toContain('\t"version": 2'); // electron-store's own formatting

    const store = openDesktopProfiles();
    const list = store.list();
    expect(list.profiles.map((p) => [p.id, p.name, p.savedSecrets.password])).toEqual([
      ['local', 'Local', false],
      ['prod', 'Production', true],
    ]);
    expect(list.profiles.find((p) => p.id === 'prod')).toMatchObject({ config: production.config, randomClientId: false, createdAt: 1, updatedAt: 2, lastUsedAt: 3 });
    expect(list).toMatchObject({ lastUsedId: 'prod', recovery: null, notices: [], secretStorage: { encrypted: true, backend: 'gnome_libsecret' } });
    expect(must(store.secretsOf('prod'))).toEqual({ password: 'prod-password' });
    // Opening rewrote nothing: a downgrade still finds the files as it left them.
    expect(readFileSync(paths['profiles'] ?? '', 'utf8')).toBe(before);
  });

  it('are saved over in place, with no copy kept aside as if someone else had changed them', async () => {
    await writeTheOldWay(root, oldDocuments);
    const store = openDesktopProfiles();
    must(store.save(saveArgs({ name: 'Staging', password: 'staging-password' })));
    must(store.markUsed('local'));

    expect(readdirSync(electron.userData).sort()).toEqual(['profiles.json', 'secrets.json']);
    expect(store.list().notices).toEqual([]);
    const reopened = openDesktopProfiles();
    expect(reopened.list().profiles.map((p) => p.name)).toEqual(['Local', 'Production', 'Staging']);
    expect(reopened.list().lastUsedId).toBe('local');
    const staging = reopened.list().profiles.find((p) => p.name === 'Staging');
    expect(must(reopened.secretsOf(staging?.id ?? ''))).toEqual({ password: 'staging-password' });
    expect(must(reopened.secretsOf('prod'))).toEqual({ password: 'prod-password' });
  });
});

describe('openDesktopProfiles', () => {
  it('keeps profiles in userData/profiles.json and sealed passwords in userData/secrets.json, readable by the user only', () => {
    const store = openDesktopProfiles();
    must(store.save(saveArgs({ name: 'Local', password: 'desktop-secret' })));
    const profilesPath = join(electron.userData, 'profiles.json');
    const secretsPath = join(electron.userData, 'secrets.json');
    expect((JSON.parse(readFileSync(profilesPath, 'utf8')) as { profiles: { name: string }[] }).profiles.map((p) => p.name)).toEqual(['Local']);
    const secretsText = readFileSync(secretsPath, 'utf8');
    expect(secretsText).toContain('safeStorage:');
    expect(secretsText).not.toContain('desktop-secret');
    expect(statSync(profilesPath).mode & 0o777).toBe(0o600);
    expect(statSync(secretsPath).mode & 0o777).toBe(0o600);
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
