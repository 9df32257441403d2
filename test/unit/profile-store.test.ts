import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonFileStorage } from '../../electron/core/storage/document-storage';
import { PemFolder } from '../../electron/core/profiles/pem-folder';
import { ProfileStore, type ProfileSaveArgs } from '../../electron/core/profiles/profile-store';
import { commandSchemas } from '../../shared/ipc/ipc-contract';
import type { ConnectionConfigInput } from '../../shared/connection/connection-config';
import { mqttxSample } from '../support/mqttx-sample';
import { localConfig, ResetKeychain, storeFixture, type StoreFixture } from '../support/profile-store-fixtures';

let fixtures: StoreFixture[] = [];
afterEach(() => {
  for (const f of fixtures) f.cleanup();
  fixtures = [];
});

function fixture(options?: Parameters<typeof storeFixture>[0]): StoreFixture {
  const f = storeFixture(options);
  fixtures.push(f);
  return f;
}

/** Save arguments as the renderer sends them, through the contract's schema (defaults filled). */
function saveArgs(args: {
  id?: string;
  name: string;
  config?: ConnectionConfigInput;
  password?: string | null;
  allowPlainTextSecrets?: boolean;
  copySecretsFrom?: string;
}): ProfileSaveArgs {
  const password = args.password === undefined ? { action: 'keep' } : args.password === null ? { action: 'remove' } : { action: 'set', value: args.password };
  return commandSchemas['profile:save'].parse({
    ...(args.id ? { id: args.id } : {}),
    name: args.name,
    config: args.config ?? localConfig,
    secrets: { password },
    allowPlainTextSecrets: args.allowPlainTextSecrets ?? false,
    ...(args.copySecretsFrom ? { copySecretsFrom: args.copySecretsFrom } : {}),
  });
}

function must<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('ProfileStore round trip', () => {
  it('starts empty without files, and says how secrets are kept', () => {
    const f = fixture();
    const list = f.open().list();
    expect(list).toEqual({ profiles: [], lastUsedId: null, secretStorage: f.keychain.info, recovery: null, notices: [] });
    expect(f.files()).toEqual([]);
  });

  it('finds after a restart what was saved: profiles sorted by name, the saved password, the last used', () => {
    const f = fixture();
    const store = f.open();
    const prod = must(store.save(saveArgs({ name: 'production', config: { ...localConfig, host: 'prod.example.com' }, password: 'prod-pass' }))).profile;
    must(store.save(saveArgs({ name: 'Local' })));
    must(store.markUsed(prod.id));

    const reopened = f.open();
    const list = reopened.list();
    expect(list.profiles.map((p) => p.name)).toEqual(['Local', 'production']);
    expect(list.lastUsedId).toBe(prod.id);
    expect(list.profiles[1]).toMatchObject({ id: prod.id, savedSecrets: { password: true, keyPassphrase: false }, config: { host: 'prod.example.com' } });
    expect(list.profiles[1]?.lastUsedAt).toEqual(expect.any(Number));
    expect(list.profiles[0]?.savedSecrets.password).toBe(false);
    expect(must(reopened.secretsOf(prod.id))).toEqual({ password: 'prod-pass' });
  });

  it('never hands a secret back in a profile view', () => {
    const store = fixture().open();
    const saved = must(store.save(saveArgs({ name: 'Local', password: 'hunter2' })));
    expect(JSON.stringify(saved)).not.toContain('hunter2');
    expect(JSON.stringify(store.list())).not.toContain('hunter2');
  });

  it('edits and renames in place, keeping the saved password unless told otherwise', () => {
    const store = fixture().open();
    const created = must(store.save(saveArgs({ name: 'Local', password: 'first' }))).profile;
    const renamed = must(store.save(saveArgs({ id: created.id, name: 'Workbench', config: { ...localConfig, port: 1884 } }))).profile;
    expect(renamed).toMatchObject({ id: created.id, name: 'Workbench', createdAt: created.createdAt, savedSecrets: { password: true } });
    expect(renamed.config.port).toBe(1884);
    expect(store.list().profiles).toHaveLength(1);
    expect(must(store.secretsOf(created.id))).toEqual({ password: 'first' });

    must(store.save(saveArgs({ id: created.id, name: 'Workbench', password: 'second' })));
    expect(must(store.secretsOf(created.id))).toEqual({ password: 'second' });
    const removed = must(store.save(saveArgs({ id: created.id, name: 'Workbench', password: null }))).profile;
    expect(removed.savedSecrets.password).toBe(false);
    expect(must(store.secretsOf(created.id))).toEqual({});
  });

  it('duplicates with the secrets under "<name> copy", then "<name> copy (2)"', () => {
    const store = fixture().open();
    const original = must(store.save(saveArgs({ name: 'Staging', password: 'stage' }))).profile;
    const copy = must(store.duplicate(original.id)).profile;
    const second = must(store.duplicate(original.id)).profile;
    expect([copy.name, second.name]).toEqual(['Staging copy', 'Staging copy (2)']);
    expect(copy.id).not.toBe(original.id);
    expect(copy).toMatchObject({ savedSecrets: { password: true }, lastUsedAt: null });
    expect(must(store.secretsOf(copy.id))).toEqual({ password: 'stage' });
    // The copy's secret is its own: removing the original's leaves it.
    must(store.save(saveArgs({ id: original.id, name: 'Staging', password: null })));
    expect(must(store.secretsOf(copy.id))).toEqual({ password: 'stage' });
  });

  it('"Save as new" (copySecretsFrom) copies the saved secrets it keeps, so the copy connects like the original', () => {
    const f = fixture();
    const store = f.open();
    const tlsConfig = { ...localConfig, protocol: 'mqtts' as const, port: 8883, tls: { certFile: '/certs/client.crt', keyFile: '/certs/client.key' } };
    const original = must(
      store.save(
        commandSchemas['profile:save'].parse({
          name: 'Staging',
          config: tlsConfig,
          secrets: { password: { action: 'set', value: 'stage' }, keyPassphrase: { action: 'set', value: 'key-pass' } },
        }),
      ),
    ).profile;
    const copy = must(store.save(saveArgs({ name: 'Staging 2', config: { ...tlsConfig, keepaliveSeconds: 10 }, copySecretsFrom: original.id }))).profile;
    expect(copy.id).not.toBe(original.id);
    expect(copy.savedSecrets).toEqual({ password: true, keyPassphrase: true });
    expect(must(f.open().secretsOf(copy.id))).toEqual({ password: 'stage', keyPassphrase: 'key-pass' });

    // A secret given or removed in the same save wins over the copy.
    const typed = must(store.save(saveArgs({ name: 'Staging 3', config: tlsConfig, password: 'other', copySecretsFrom: original.id }))).profile;
    expect(must(store.secretsOf(typed.id))).toEqual({ password: 'other', keyPassphrase: 'key-pass' });
    const without = must(store.save(saveArgs({ name: 'Staging 4', config: tlsConfig, password: null, copySecretsFrom: original.id }))).profile;
    expect(without.savedSecrets).toEqual({ password: false, keyPassphrase: true });
    // Without copySecretsFrom a new profile has no secrets; with an id it is ignored.
    expect(must(store.save(saveArgs({ name: 'Plain', config: tlsConfig }))).profile.savedSecrets.password).toBe(false);
    const plain = store.list().profiles.find((p) => p.name === 'Plain');
    must(store.save(saveArgs({ id: plain?.id ?? '', name: 'Plain', config: tlsConfig, copySecretsFrom: original.id })));
    expect(must(store.secretsOf(plain?.id ?? ''))).toEqual({});
  });

  it('"Save as new" never copies a saved password to another broker, and says what to do; nothing is saved', () => {
    const f = fixture();
    const store = f.open();
    const original = must(store.save(saveArgs({ name: 'Staging', password: 'stage' }))).profile;
    const before = readFileSync(f.profilesPath, 'utf8');
    const moved = store.save(saveArgs({ name: 'Elsewhere', config: { ...localConfig, host: 'other.example.com' }, copySecretsFrom: original.id }));
    expect(moved).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringContaining('The saved password of "Staging" is for user "me" at mqtt://localhost:1883, not user "me" at mqtt://other.example.com:1883: type the password'),
      },
    });
    expect(readFileSync(f.profilesPath, 'utf8')).toBe(before);
    // Typed for the new broker, it is saved as typed.
    const typed = must(store.save(saveArgs({ name: 'Elsewhere', config: { ...localConfig, host: 'other.example.com' }, password: 'other', copySecretsFrom: original.id })));
    expect(must(store.secretsOf(typed.profile.id))).toEqual({ password: 'other' });
    expect(store.save(saveArgs({ name: 'Gone', copySecretsFrom: 'deleted-id' }))).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PROFILE', message: expect.stringContaining('type the password') } });
  });

  it('decrypts only the secrets asked for, so one that cannot be decrypted does not block the others', () => {
    const f = fixture();
    const args = commandSchemas['profile:save'].parse({
      name: 'TLS',
      config: localConfig,
      secrets: { password: { action: 'set', value: 'pw' }, keyPassphrase: { action: 'set', value: 'kp' } },
    });
    const { profile } = must(f.open().save(args));
    const secrets = JSON.parse(readFileSync(f.secretsPath, 'utf8'));
    secrets.secrets[profile.id].keyPassphrase = 'sealed-by-a-keychain-since-reset';
    writeFileSync(f.secretsPath, JSON.stringify(secrets));
    const store = f.open();
    expect(must(store.secretsOf(profile.id, ['password']))).toEqual({ password: 'pw' });
    expect(store.secretsOf(profile.id)).toMatchObject({ ok: false, error: { message: expect.stringContaining('key passphrase of "TLS" could not be decrypted') } });
  });

  it('deletes a profile with its secrets, and forgets it as last used', () => {
    const f = fixture();
    const store = f.open();
    const doomed = must(store.save(saveArgs({ name: 'Old broker', password: 'old-secret-value' }))).profile;
    must(store.markUsed(doomed.id));
    must(store.delete(doomed.id));
    expect(store.list()).toMatchObject({ profiles: [], lastUsedId: null });
    expect(JSON.parse(readFileSync(f.secretsPath, 'utf8')).secrets).toEqual({});
    expect(f.open().list().profiles).toEqual([]);
  });

  it('answers UNKNOWN_PROFILE for an id it does not have', () => {
    const store = fixture().open();
    for (const result of [store.delete('nope'), store.duplicate('nope'), store.markUsed('nope'), store.secretsOf('nope'), store.save(saveArgs({ id: 'nope', name: 'X' }))]) {
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PROFILE' } });
    }
  });
});

describe('secrets on disk', () => {
  it('are encrypted by the keychain: the password appears nowhere in the folder', () => {
    const f = fixture();
    const store = f.open();
    const args = commandSchemas['profile:save'].parse({
      name: 'TLS broker',
      config: localConfig,
      secrets: { password: { action: 'set', value: 'correct-horse-battery' }, keyPassphrase: { action: 'set', value: 'key-passphrase-value' } },
    });
    const { profile } = must(store.save(args));
    const disk = f.diskText();
    expect(disk).not.toContain('correct-horse-battery');
    expect(disk).not.toContain('key-passphrase-value');
    expect(disk).toContain('fake:');
    expect(JSON.stringify(JSON.parse(readFileSync(f.profilesPath, 'utf8')))).not.toContain('fake:');
    expect(must(f.open().secretsOf(profile.id))).toEqual({ password: 'correct-horse-battery', keyPassphrase: 'key-passphrase-value' });
  });

  it('are refused without encryption unless the user agreed (SECRET_STORAGE_INSECURE, nothing saved)', () => {
    const f = fixture({ keychain: 'plain' });
    const store = f.open();
    const refused = store.save(saveArgs({ name: 'Local', password: 'plain-pass' }));
    expect(refused).toMatchObject({ ok: false, error: { code: 'SECRET_STORAGE_INSECURE' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/Save without it, or choose to store it in plain text/);
    expect(store.list().profiles).toEqual([]);
    expect(f.files()).toEqual([]);
  });

  it('are saved in plain text only once the user agreed, in a file only the user can read', () => {
    const f = fixture({ keychain: 'plain' });
    const store = f.open();
    const { profile } = must(store.save(saveArgs({ name: 'Local', password: 'agreed-pass', allowPlainTextSecrets: true })));
    expect(readFileSync(f.profilesPath, 'utf8')).not.toContain('agreed-pass');
    expect(readFileSync(f.secretsPath, 'utf8')).toContain('agreed-pass');
    expect(statSync(f.secretsPath).mode & 0o777).toBe(0o600);
    expect(must(f.open().secretsOf(profile.id))).toEqual({ password: 'agreed-pass' });
  });

  it('without encryption, a profile without a new secret is saved as usual', () => {
    const store = fixture({ keychain: 'plain' }).open();
    expect(store.save(saveArgs({ name: 'Local' })).ok).toBe(true);
  });

  it('that can no longer be decrypted are reported with what to do', () => {
    const f = fixture();
    const { profile } = must(f.open().save(saveArgs({ name: 'Local', password: 'p' })));
    const reset = storeFixture({ keychain: new ResetKeychain() });
    fixtures.push(reset);
    writeFileSync(reset.profilesPath, readFileSync(f.profilesPath));
    writeFileSync(reset.secretsPath, readFileSync(f.secretsPath));
    const result = reset.open().secretsOf(profile.id);
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('enter it again') } });
  });
});

describe('a failed write changes nothing', () => {
  it('in memory or on disk, and says STORE_WRITE_FAILED', () => {
    const f = fixture();
    const store = f.open();
    const kept = must(store.save(saveArgs({ name: 'Kept', password: 'kept-pass' }))).profile;
    const before = { list: store.list(), profiles: readFileSync(f.profilesPath, 'utf8'), secrets: readFileSync(f.secretsPath, 'utf8') };

    f.profileFile.failWrites = true;
    const attempts = [
      store.save(saveArgs({ name: 'New', password: 'new-pass' })),
      store.save(saveArgs({ id: kept.id, name: 'Renamed', password: 'changed' })),
      store.duplicate(kept.id),
      store.delete(kept.id),
      store.markUsed(kept.id),
      store.import(commandSchemas['profile:import'].parse({ text: JSON.stringify(mqttxSample()), allowPlainTextSecrets: true })),
    ];
    for (const result of attempts) {
      expect(result).toMatchObject({ ok: false, error: { code: 'STORE_WRITE_FAILED', message: expect.stringContaining('Nothing was changed') } });
    }
    expect(store.list()).toEqual(before.list);
    expect(must(store.secretsOf(kept.id))).toEqual({ password: 'kept-pass' });
    // The secret file was written back as it was before the profile write failed.
    expect(readFileSync(f.profilesPath, 'utf8')).toBe(before.profiles);
    expect(JSON.parse(readFileSync(f.secretsPath, 'utf8'))).toEqual(JSON.parse(before.secrets));
    expect(f.files().filter((name) => name.startsWith('certificates/'))).toEqual([]);

    f.profileFile.failWrites = false;
    expect(store.save(saveArgs({ name: 'New' })).ok).toBe(true);
  });

  it('when the secret file fails first, the profile is not saved either', () => {
    const f = fixture();
    const store = f.open();
    f.secretFile.failWrites = true;
    expect(store.save(saveArgs({ name: 'New', password: 'x' }))).toMatchObject({ ok: false, error: { code: 'STORE_WRITE_FAILED' } });
    expect(f.profileFile.writes).toBe(0);
    expect(store.list().profiles).toEqual([]);
  });
});

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
    const edited = JSON.parse(original);
    const bravo = edited.profiles.find((p: { name: string }) => p.name === 'Bravo');
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
    expect(result.imported).toEqual([expect.objectContaining({ id: bravo.id, name: 'Bravo', savedSecrets: { password: true, keyPassphrase: false } })]);
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
    expect(Object.keys(JSON.parse(readFileSync(f.secretsPath, 'utf8')).secrets)).toEqual([profile.id]);
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

describe('export', () => {
  it('leaves secrets out unless asked, and can export a chosen few', () => {
    const store = fixture().open();
    const a = must(store.save(saveArgs({ name: 'Alpha', password: 'alpha-pass' }))).profile;
    must(store.save(saveArgs({ name: 'Bravo' })));

    const plain = must(store.export([], false));
    expect(plain.count).toBe(2);
    expect(plain.fileName).toMatch(/^topicscope-profiles-\d{4}-\d{2}-\d{2}\.json$/);
    expect(plain.json).not.toContain('alpha-pass');
    expect(JSON.parse(plain.json)).toMatchObject({ containsSecrets: false, profiles: [{ name: 'Alpha' }, { name: 'Bravo' }] });

    const withSecrets = must(store.export([a.id], true));
    expect(withSecrets.count).toBe(1);
    expect(JSON.parse(withSecrets.json)).toMatchObject({ containsSecrets: true, profiles: [{ name: 'Alpha', secrets: { password: 'alpha-pass' } }] });
    expect(store.export(['missing'], false)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PROFILE' } });
  });

  it('round-trips through import into another store, never overwriting', () => {
    const source = fixture().open();
    must(source.save(saveArgs({ name: 'Alpha', password: 'alpha-pass' })));
    const { json } = must(source.export([], true));
    const target = fixture().open();
    must(target.save(saveArgs({ name: 'alpha' })));
    const result = must(target.import(commandSchemas['profile:import'].parse({ text: json })));
    expect(result.format).toBe('topicscope');
    expect(result.imported.map((p) => p.name)).toEqual(['Alpha (2)']);
    expect(must(target.secretsOf(result.imported[0]?.id ?? ''))).toEqual({ password: 'alpha-pass' });
    expect(target.list().profiles.map((p) => p.name)).toEqual(['alpha', 'Alpha (2)']);
  });
});

describe('MQTTX import', () => {
  const importArgs = (extra: Record<string, unknown> = {}) => commandSchemas['profile:import'].parse({ text: JSON.stringify(mqttxSample()), ...extra });

  it('imports the usable entries, skips the unusable one with its reason, and encrypts the passwords', () => {
    const f = fixture();
    const store = f.open();
    must(store.save(saveArgs({ name: 'Mutual TLS' })));
    const result = must(store.import(importArgs()));
    expect(result.format).toBe('mqttx');
    expect(result.imported.map((p) => p.name)).toEqual(['EMQX Cloud production', 'Local over websockets', 'Mutual TLS (2)']);
    expect(result.skipped).toEqual([{ name: 'QUIC test', reason: expect.stringContaining('quic') }]);
    const prod = result.imported[0];
    expect(prod?.savedSecrets.password).toBe(true);
    expect(must(store.secretsOf(prod?.id ?? ''))).toEqual({ password: 'emqx-secret' });
    expect(f.diskText()).not.toContain('emqx-secret');
    expect(f.open().list().profiles).toHaveLength(4);
  });

  it('writes CA text from the export as a PEM file the profile names, and removes it with the profile', () => {
    const f = fixture();
    const store = f.open();
    const mtls = must(store.import(importArgs())).imported.find((p) => p.name === 'Mutual TLS');
    const caFile = mtls?.config.tls.caFile ?? '';
    expect(caFile.startsWith(join(f.dir, 'certificates'))).toBe(true);
    expect(readFileSync(caFile, 'utf8')).toBe('-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n');
    expect(statSync(caFile).mode & 0o777).toBe(0o600);
    expect(mtls?.config.tls.certFile).toBe('/home/me/certs/client.crt');

    const copy = must(store.duplicate(mtls?.id ?? '')).profile;
    must(store.delete(mtls?.id ?? ''));
    expect(readFileSync(caFile, 'utf8')).toContain('BEGIN CERTIFICATE'); // the copy still uses it
    must(store.delete(copy.id));
    expect(f.files()).not.toContain(`certificates/${caFile.split('/').pop()}`);
  });

  it('without encryption, refuses a file with passwords unless the user agreed or chose to leave them out', () => {
    const f = fixture({ keychain: 'plain' });
    const store = f.open();
    const refused = store.import(importArgs());
    expect(refused).toMatchObject({ ok: false, error: { code: 'SECRET_STORAGE_INSECURE', message: expect.stringContaining('The file holds 1 password') } });
    expect(store.list().profiles).toEqual([]);
    expect(f.files()).toEqual([]);

    const without = must(store.import(importArgs({ withoutSecrets: true })));
    expect(without.imported.every((p) => !p.savedSecrets.password)).toBe(true);
    expect(f.diskText()).not.toContain('emqx-secret');

    const agreed = must(store.import(importArgs({ allowPlainTextSecrets: true })));
    expect(agreed.imported[0]?.savedSecrets.password).toBe(true);
  });

  it('refuses a file that is neither format with IMPORT_INVALID, changing nothing', () => {
    const f = fixture();
    const store = f.open();
    must(store.save(saveArgs({ name: 'Existing' })));
    const before = readFileSync(f.profilesPath, 'utf8');
    const result = store.import(commandSchemas['profile:import'].parse({ text: '{"theme":"dark"}' }));
    expect(result).toMatchObject({ ok: false, error: { code: 'IMPORT_INVALID', message: expect.stringContaining('In MQTTX, use "Export data"') } });
    expect(readFileSync(f.profilesPath, 'utf8')).toBe(before);
  });
});

describe('a file changed on disk while the app runs', () => {
  const at = Date.UTC(2026, 10, 21, 21, 5, 39);
  type OnDisk = { profiles: Array<Record<string, unknown> & { id: string; name: string }>; lastUsedId: string | null };
  const onDisk = (f: StoreFixture): OnDisk => JSON.parse(readFileSync(f.profilesPath, 'utf8'));
  const kept = (f: StoreFixture, file: string) => f.files().filter((name) => name.startsWith(`${file}.changed-`));

  it('merges a hand edit into the next save, keeps the edited file aside, and says so', () => {
    const f = fixture({ now: () => at });
    const store = f.open();
    const alpha = must(store.save(saveArgs({ name: 'Alpha' }))).profile;
    const bravo = must(store.save(saveArgs({ name: 'Bravo' }))).profile;

    // By hand: Bravo renamed, and a profile added by copying Alpha's entry.
    const edited = onDisk(f);
    edited.profiles = edited.profiles.map((p) => (p.id === bravo.id ? { ...p, name: 'Bravo (renamed by hand)' } : p));
    edited.profiles.push({ ...edited.profiles[0]!, id: 'hand-added', name: 'Hand added' });
    const editedText = JSON.stringify(edited, null, 2);
    writeFileSync(f.profilesPath, editedText);

    must(store.save(saveArgs({ id: alpha.id, name: 'Alpha', config: { ...localConfig, port: 8883 } })));
    const names = onDisk(f).profiles.map((p) => p.name).sort();
    expect(names).toEqual(['Alpha', 'Bravo (renamed by hand)', 'Hand added']);
    expect(store.list().profiles.map((p) => p.name)).toEqual(['Alpha', 'Bravo (renamed by hand)', 'Hand added']);
    expect(store.get(alpha.id)?.config.port).toBe(8883);

    expect(kept(f, 'profiles.json')).toEqual(['profiles.json.changed-2026-11-21T21-05-39.000Z']);
    expect(readFileSync(join(f.dir, 'profiles.json.changed-2026-11-21T21-05-39.000Z'), 'utf8')).toBe(editedText);
    expect(store.list().notices.join(' ')).toMatch(
      /profiles\.json was changed outside Topicscope after it was loaded .*Those changes were combined with yours\. The file as it was is kept at .*profiles\.json\.changed-2026-11-21T21-05-39\.000Z/,
    );
    // Saved once the edit was taken in: the next save needs no copy.
    must(store.save(saveArgs({ name: 'Charlie' })));
    expect(kept(f, 'profiles.json')).toHaveLength(1);
  });

  it('when both changed the same profile, keeps the change just made and names the profile', () => {
    const f = fixture();
    const store = f.open();
    const alpha = must(store.save(saveArgs({ name: 'Alpha' }))).profile;
    const edited = onDisk(f);
    edited.profiles[0] = { ...edited.profiles[0]!, name: 'Alpha by hand' };
    writeFileSync(f.profilesPath, JSON.stringify(edited));
    must(store.save(saveArgs({ id: alpha.id, name: 'Alpha in the app' })));
    expect(onDisk(f).profiles.map((p) => p.name)).toEqual(['Alpha in the app']);
    expect(store.list().notices.join(' ')).toContain('where both changed the same profile ("Alpha in the app"), your change was kept');
    expect(readFileSync(join(f.dir, kept(f, 'profiles.json')[0] ?? ''), 'utf8')).toContain('Alpha by hand');
  });

  it('takes in a profile deleted by hand instead of writing it back', () => {
    const f = fixture();
    const store = f.open();
    must(store.save(saveArgs({ name: 'Alpha' })));
    const bravo = must(store.save(saveArgs({ name: 'Bravo' }))).profile;
    const edited = onDisk(f);
    edited.profiles = edited.profiles.filter((p) => p.id !== bravo.id);
    writeFileSync(f.profilesPath, JSON.stringify(edited));
    must(store.save(saveArgs({ name: 'Charlie' })));
    expect(onDisk(f).profiles.map((p) => p.name).sort()).toEqual(['Alpha', 'Charlie']);
  });

  it('replaces an edit it cannot read, but keeps it aside and tells how to get it back', () => {
    const f = fixture();
    const store = f.open();
    must(store.save(saveArgs({ name: 'Alpha' })));
    writeFileSync(f.profilesPath, '{ "version": 2, "profiles": [ half an edit');
    must(store.save(saveArgs({ name: 'Bravo' })));
    expect(onDisk(f).profiles.map((p) => p.name).sort()).toEqual(['Alpha', 'Bravo']);
    const [copy] = kept(f, 'profiles.json');
    expect(readFileSync(join(f.dir, copy ?? ''), 'utf8')).toBe('{ "version": 2, "profiles": [ half an edit');
    expect(store.list().notices.join(' ')).toMatch(/could not be combined with yours \(it is not valid JSON.*\), so it was replaced\. It is kept at .*changed-.*"Import profiles"/);
  });

  it('refuses to save over a file a newer version wrote meanwhile', () => {
    const f = fixture();
    const store = f.open();
    must(store.save(saveArgs({ name: 'Alpha' })));
    const newer = JSON.stringify({ version: 3, profiles: [], future: true });
    writeFileSync(f.profilesPath, newer);
    expect(store.save(saveArgs({ name: 'Bravo' }))).toMatchObject({ ok: false, error: { code: 'STORE_WRITE_FAILED', message: expect.stringContaining('newer version') } });
    expect(readFileSync(f.profilesPath, 'utf8')).toBe(newer);
  });

  it('merges the secret file the same way: a password saved by someone else survives', () => {
    const f = fixture({ now: () => at });
    const store = f.open();
    const alpha = must(store.save(saveArgs({ name: 'Alpha', password: 'alpha-pass' }))).profile;
    // Another store on the same files (another host, before the folder lock) saves a password.
    const other = ProfileStore.open({
      profiles: new JsonFileStorage(f.profilesPath),
      secretFile: new JsonFileStorage(f.secretsPath),
      secrets: f.keychain,
      pemFolder: new PemFolder(join(f.dir, 'certificates')),
    });
    const bravo = must(other.save(saveArgs({ name: 'Bravo', password: 'bravo-pass' }))).profile;
    must(store.save(saveArgs({ id: alpha.id, name: 'Alpha', password: 'alpha-new' })));

    const reopened = f.open();
    expect(reopened.list().profiles.map((p) => p.name)).toEqual(['Alpha', 'Bravo']);
    expect(must(reopened.secretsOf(alpha.id))).toEqual({ password: 'alpha-new' });
    expect(must(reopened.secretsOf(bravo.id))).toEqual({ password: 'bravo-pass' });
    expect(kept(f, 'secrets.json')).toHaveLength(1);
    expect(store.list().notices.join(' ')).toContain('secrets.json was changed outside Topicscope');
  });
});
