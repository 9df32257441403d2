/**
 * The profile store's commands end to end over real files: saving, editing, duplicating
 * and deleting profiles, where their secrets end up on disk, a failed write, export.
 * Loading and recovery, import, and changes made on disk have test files of their own.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandSchemas } from '../../shared/ipc/ipc-contract';
import { mqttxSample } from '../support/mqttx-sample';
import { localConfig, must, ResetKeychain, saveArgs, useStoreFixtures } from '../support/profile-store-fixtures';

const fixture = useStoreFixtures();

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
    expect(copy.savedSecrets).toEqual({ password: true, keyPassphrase: true, proxyPassword: false });
    expect(must(f.open().secretsOf(copy.id))).toEqual({ password: 'stage', keyPassphrase: 'key-pass' });

    // A secret given or removed in the same save wins over the copy.
    const typed = must(store.save(saveArgs({ name: 'Staging 3', config: tlsConfig, password: 'other', copySecretsFrom: original.id }))).profile;
    expect(must(store.secretsOf(typed.id))).toEqual({ password: 'other', keyPassphrase: 'key-pass' });
    const without = must(store.save(saveArgs({ name: 'Staging 4', config: tlsConfig, password: null, copySecretsFrom: original.id }))).profile;
    expect(without.savedSecrets).toEqual({ password: false, keyPassphrase: true, proxyPassword: false });
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
    const reset = fixture({ keychain: new ResetKeychain() });
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
