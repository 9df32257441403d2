/**
 * Opening the profile store (store-loading.ts): a damaged, hand-edited, newer or older
 * file never stops the app, never costs a valid profile or a saved password, and is
 * never overwritten when it could not be kept as a backup.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandSchemas } from '../../shared/ipc/ipc-contract';
import { loadStore } from '../../electron/core/profiles/store-loading';
import { FakeKeychain, localConfig, MemoryStorage, must, saveArgs, useStoreFixtures, type StoreFixture } from '../support/profile-store-fixtures';

const fixture = useStoreFixtures();

describe('corruption recovery', () => {
  function backups(f: StoreFixture, kind: string): string[] {
    return f.files().filter((name) => name.startsWith(`profiles.json.${kind}-`));
  }

  it('keeps a file that is not JSON as a backup, starts empty, tells the user, and works on', () => {
    const f = fixture({ now: () => Date.UTC(2026, 10, 21, 21, 5, 39) });
    writeFileSync(f.profilesPath, '{"version": 2, "profiles": [ {"id": "a", ');
    const store = f.open();
    const list = store.list();
    expect(list.profiles).toEqual([]);
    expect(list.recovery?.backupPath).toBe(join(f.dir, 'profiles.json.corrupt-2026-11-21T21-05-39.000Z'));
    expect(list.recovery?.message).toContain('not valid JSON');
    expect(readFileSync(list.recovery?.backupPath ?? '', 'utf8')).toBe('{"version": 2, "profiles": [ {"id": "a", ');
    expect(store.save(saveArgs({ name: 'Fresh' })).ok).toBe(true);
    // The next start finds a good store: no recovery to report again.
    expect(f.open().list()).toMatchObject({ recovery: null, profiles: [{ name: 'Fresh' }] });
  });

  it('keeps a JSON file of the wrong shape as a backup', () => {
    const f = fixture();
    writeFileSync(f.profilesPath, JSON.stringify({ connections: [{ host: 'x' }] }));
    const list = f.open().list();
    expect(list.profiles).toEqual([]);
    expect(list.recovery?.message).toContain('no valid "version"');
    expect(backups(f, 'corrupt')).toHaveLength(1);
  });

  it('with one bad profile among good ones: keeps the good ones, backs the file up, names the bad one', () => {
    const f = fixture();
    const store = f.open();
    must(store.save(saveArgs({ name: 'Alpha' })));
    must(store.save(saveArgs({ name: 'Bravo', password: 'bravo-pass' })));
    must(store.save(saveArgs({ name: 'Charlie' })));
    const original = readFileSync(f.profilesPath, 'utf8');
    const edited = JSON.parse(original) as { profiles: { id: string; name: string; config: { port: unknown } }[] };
    const bravo = edited.profiles.find((p) => p.name === 'Bravo');
    if (!bravo) throw new Error('No profile "Bravo" in the fixture');
    bravo.config.port = 'eighteen eighty-three';
    writeFileSync(f.profilesPath, JSON.stringify(edited));

    const list = f.open().list();
    expect(list.profiles.map((p) => p.name)).toEqual(['Alpha', 'Charlie']);
    expect(list.recovery?.message).toContain('"Bravo" (entry 2)');
    expect(list.recovery?.message).toContain('config.port');
    expect(list.recovery?.message).toContain('2 valid profiles were kept');
    expect(backups(f, 'invalid')).toHaveLength(1);
    expect(JSON.parse(readFileSync(list.recovery?.backupPath ?? '', 'utf8'))).toEqual(edited);
    // The store was rewritten without the bad entry; its password stays on disk for it.
    expect(JSON.parse(readFileSync(f.profilesPath, 'utf8')).profiles).toHaveLength(2);
    expect(JSON.parse(readFileSync(f.secretsPath, 'utf8')).secrets[bravo.id]).toEqual({ password: expect.stringMatching(/^fake:/) });
    expect(list.recovery?.message).toContain('import it with "Import profiles"');
  });

  it('keeps an unreadable secret file as a backup and tells the user to enter passwords again', () => {
    const f = fixture();
    const { profile } = must(f.open().save(saveArgs({ name: 'Alpha', password: 'a' })));
    writeFileSync(f.secretsPath, 'garbage');
    const store = f.open();
    const list = store.list();
    expect(list.profiles.map((p) => p.name)).toEqual(['Alpha']);
    expect(list.profiles[0]?.savedSecrets.password).toBe(false);
    expect(list.notices.join(' ')).toMatch(/Saved passwords could not be read .*secrets\.json\.corrupt-.*Enter the passwords again/);
    expect(must(store.secretsOf(profile.id))).toEqual({});
  });

  it('a truncated profile file costs no saved password, not even after a restart', () => {
    const f = fixture();
    const { profile } = must(f.open().save(saveArgs({ name: 'Alpha', password: 'alpha-pass' })));
    const secretsBefore = readFileSync(f.secretsPath, 'utf8');
    writeFileSync(f.profilesPath, readFileSync(f.profilesPath, 'utf8').slice(0, 40));
    expect(f.open().list().recovery?.message).toContain('Their saved passwords were kept');
    expect(readFileSync(f.secretsPath, 'utf8')).toBe(secretsBefore);
    // The next start loads a clean (empty) store, but the backup may still be imported.
    const restarted = f.open();
    must(restarted.save(saveArgs({ name: 'Fresh' })));
    expect(JSON.parse(readFileSync(f.secretsPath, 'utf8')).secrets[profile.id]).toBeDefined();
  });

  it('a profile left out for a typo comes back with its id and password when the corrected backup is imported', () => {
    const f = fixture();
    const store = f.open();
    must(store.save(saveArgs({ name: 'Alpha', password: 'alpha-pass' })));
    const bravo = must(store.save(saveArgs({ name: 'Bravo', password: 'bravo-pass' }))).profile;
    const edited = JSON.parse(readFileSync(f.profilesPath, 'utf8'));
    edited.profiles[1].config.port = 70_000;
    writeFileSync(f.profilesPath, JSON.stringify(edited));

    const backupPath = f.open().list().recovery?.backupPath ?? '';
    const restarted = f.open();
    expect(restarted.list().profiles.map((p) => p.name)).toEqual(['Alpha']);
    const fixedBackup = JSON.parse(readFileSync(backupPath, 'utf8'));
    fixedBackup.profiles[1].config.port = 1883;
    const result = must(restarted.import(commandSchemas['profile:import'].parse({ text: JSON.stringify(fixedBackup) })));
    expect(result.imported).toEqual([expect.objectContaining({ id: bravo.id, name: 'Bravo', savedSecrets: { password: true, keyPassphrase: false, proxyPassword: false } })]);
    expect(result.skipped).toEqual([{ name: 'Alpha', reason: 'It is already in your profiles.' }]);
    expect(must(f.open().secretsOf(bravo.id))).toEqual({ password: 'bravo-pass' });
  });

  it('leaves a store from a newer Topicscope as it is: not shown, not rewritten, no password lost, saving refused', () => {
    const f = fixture();
    must(f.open().save(saveArgs({ name: 'Alpha', password: 'alpha-pass' })));
    const newer = { ...JSON.parse(readFileSync(f.profilesPath, 'utf8')), version: 3 };
    writeFileSync(f.profilesPath, JSON.stringify(newer));
    const before = { profiles: readFileSync(f.profilesPath, 'utf8'), secrets: readFileSync(f.secretsPath, 'utf8') };

    const store = f.open();
    const list = store.list();
    expect(list).toMatchObject({ profiles: [], recovery: null });
    expect(list.notices.join(' ')).toMatch(/saved by a newer version of Topicscope \(store version 3; this one reads up to 2\).*update Topicscope/);
    const refused = store.save(saveArgs({ name: 'New', password: 'x' }));
    expect(refused).toMatchObject({ ok: false, error: { code: 'STORE_WRITE_FAILED', message: expect.stringContaining('newer version of Topicscope') } });
    expect(store.markUsed('nope').ok).toBe(false);
    expect(f.files()).toEqual(['profiles.json', 'secrets.json']);
    expect(readFileSync(f.profilesPath, 'utf8')).toBe(before.profiles);
    expect(readFileSync(f.secretsPath, 'utf8')).toBe(before.secrets);
  });

  it('leaves a secret file from a newer Topicscope untouched: profiles work, passwords are not saved over it', () => {
    const f = fixture();
    must(f.open().save(saveArgs({ name: 'Alpha', password: 'alpha-pass' })));
    writeFileSync(f.secretsPath, JSON.stringify({ version: 2, vault: { sealed: 'whatever version 2 keeps' } }));
    const before = readFileSync(f.secretsPath, 'utf8');
    const store = f.open();
    expect(store.list().notices.join(' ')).toMatch(/written by a newer version of Topicscope \(secret file version 2\)/);
    expect(store.save(saveArgs({ name: 'Bravo', password: 'b' }))).toMatchObject({ ok: false, error: { code: 'STORE_WRITE_FAILED', message: expect.stringContaining('Save without the password') } });
    expect(store.save(saveArgs({ name: 'Bravo' })).ok).toBe(true);
    expect(readFileSync(f.secretsPath, 'utf8')).toBe(before);
    expect(f.files()).toEqual(['profiles.json', 'secrets.json']);
  });

  it('a secret file it can neither read nor back up is never replaced: a password is refused, a profile without one is saved', () => {
    const f = fixture();
    must(f.open().save(saveArgs({ name: 'Alpha', password: 'alpha-pass' })));
    writeFileSync(f.secretsPath, '{"version": 1, "secrets": {"trunc');
    f.secretFile.backUp = () => {
      throw new Error('EACCES');
    };
    const store = f.open();
    expect(store.list().notices.join(' ')).toMatch(/could not be copied aside, so Topicscope will not overwrite it: type passwords when you connect/);
    const refused = store.save(saveArgs({ name: 'Bravo', password: 'bravo-pass' }));
    expect(refused).toMatchObject({ ok: false, error: { code: 'STORE_WRITE_FAILED', message: expect.stringContaining('fix or move that file and restart') } });
    expect(store.list().profiles.map((p) => p.name)).toEqual(['Alpha']);
    expect(store.save(saveArgs({ name: 'Bravo' })).ok).toBe(true);
    expect(readFileSync(f.secretsPath, 'utf8')).toBe('{"version": 1, "secrets": {"trunc');
  });

  it('drops secrets no profile owns on a clean start when no backup of the profile file remains', () => {
    const f = fixture();
    const { profile } = must(f.open().save(saveArgs({ name: 'Alpha', password: 'alpha-pass' })));
    const secrets = JSON.parse(readFileSync(f.secretsPath, 'utf8'));
    secrets.secrets['deleted-long-ago'] = { password: 'fake:AAAA' };
    writeFileSync(f.secretsPath, JSON.stringify(secrets));
    f.open();
    expect(Object.keys((JSON.parse(readFileSync(f.secretsPath, 'utf8')) as { secrets: Record<string, unknown> }).secrets)).toEqual([profile.id]);
  });

  it('leaves a file it can neither read nor back up untouched, and refuses to overwrite it', () => {
    const f = fixture();
    writeFileSync(f.profilesPath, 'not json');
    const realBackUp = f.profileFile.backUp.bind(f.profileFile);
    f.profileFile.backUp = () => {
      throw new Error('EROFS');
    };
    const store = f.open();
    expect(store.list().notices.join(' ')).toContain('will not overwrite it');
    expect(store.save(saveArgs({ name: 'X' }))).toMatchObject({ ok: false, error: { code: 'STORE_WRITE_FAILED' } });
    expect(readFileSync(f.profilesPath, 'utf8')).toBe('not json');
    f.profileFile.backUp = realBackUp;
  });
});

describe('migration of a version 1 store', () => {
  const v1 = () => ({
    version: 1,
    lastUsedId: 'prod',
    profiles: [
      { id: 'prod', name: 'Production', config: { ...localConfig, password: 'v1-plain-password' }, createdAt: 1, updatedAt: 2 },
      { id: 'local', name: 'Local', config: localConfig, createdAt: 3, updatedAt: 4 },
    ],
  });

  it('moves the plain-text passwords into encrypted storage and off the disk', () => {
    const f = fixture();
    writeFileSync(f.profilesPath, JSON.stringify(v1()));
    const store = f.open();
    const list = store.list();
    expect(list.profiles.map((p) => [p.name, p.savedSecrets.password])).toEqual([
      ['Local', false],
      ['Production', true],
    ]);
    expect(list.lastUsedId).toBe('prod');
    expect(list.notices.join(' ')).toContain('"Production", saved in plain text by an older version of Topicscope, are now encrypted');
    expect(must(store.secretsOf('prod'))).toEqual({ password: 'v1-plain-password' });
    expect(f.diskText()).not.toContain('v1-plain-password');
    expect(JSON.parse(readFileSync(f.profilesPath, 'utf8')).version).toBe(2);
    // No backup of a file that held passwords in plain text.
    expect(f.files()).toEqual(['profiles.json', 'secrets.json']);
  });

  it('where nothing can encrypt, drops the passwords and says which profiles need them again', () => {
    const f = fixture({ keychain: 'plain' });
    writeFileSync(f.profilesPath, JSON.stringify(v1()));
    const list = f.open().list();
    expect(list.profiles.every((p) => !p.savedSecrets.password)).toBe(true);
    expect(list.notices.join(' ')).toMatch(/passwords of "Production" in plain text\. They were removed/);
    expect(f.diskText()).not.toContain('v1-plain-password');
  });
});

describe('loadStore, over files in memory', () => {
  const profile = { id: 'a', name: 'A', config: localConfig, randomClientId: true, createdAt: 1, updatedAt: 1, lastUsedAt: null };

  it('marks a newer version\'s files read-only and writes neither', () => {
    const profiles = new MemoryStorage('/data/profiles.json', { version: 3, profiles: [] });
    const secretFile = new MemoryStorage('/data/secrets.json', { version: 2, secrets: {} });
    const before = [profiles.onDisk, secretFile.onDisk];
    const loaded = loadStore({ profiles, secretFile }, new FakeKeychain(), () => 0);
    expect(loaded.readOnly).toEqual({ profiles: '/data/profiles.json was written by a newer version of Topicscope', secrets: '/data/secrets.json was written by a newer version of Topicscope' });
    expect(loaded.doc.profiles).toEqual([]);
    expect(loaded.notices).toHaveLength(2);
    expect([profiles.onDisk, secretFile.onDisk]).toEqual(before);
  });

  it('drops the secrets of profiles that are gone after a clean start, and rewrites the secret file', () => {
    const profiles = new MemoryStorage('/data/profiles.json', { version: 2, profiles: [profile], lastUsedId: 'a' });
    const secretFile = new MemoryStorage('/data/secrets.json', { version: 1, secrets: { a: { password: 'sa' }, gone: { password: 'sg' } } });
    const loaded = loadStore({ profiles, secretFile }, new FakeKeychain(), () => 0);
    expect(loaded.sealed.secrets).toEqual({ a: { password: 'sa' } });
    expect(JSON.parse(secretFile.onDisk ?? '')).toEqual(loaded.sealed);
    expect(loaded).toMatchObject({ recovery: null, notices: [], readOnly: { profiles: null, secrets: null }, doc: { lastUsedId: 'a' } });
  });
});
