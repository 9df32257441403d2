/**
 * Importing profiles (profile-import.ts) through the store: MQTTX exports with their
 * passwords and PEM text, the refusals that change nothing.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandSchemas } from '../../shared/ipc/ipc-contract';
import { mqttxSample } from '../support/mqttx-sample';
import { planImport } from '../../electron/core/profiles/profile-import';
import { PemFolder } from '../../electron/core/profiles/pem-folder';
import { emptyProfileDocument, emptySecretDocument } from '../../shared/profiles/profile-document';
import { FakeKeychain, must, saveArgs, useStoreFixtures } from '../support/profile-store-fixtures';

const fixture = useStoreFixtures();

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

describe('import with undo', () => {
  const importArgs = () => commandSchemas['profile:import'].parse({ text: JSON.stringify(mqttxSample()) });

  it('a failed save removes the PEM files the import wrote, and the store is as before', () => {
    const f = fixture();
    const store = f.open();
    f.profileFile.failWrites = true;
    expect(store.import(importArgs())).toMatchObject({ ok: false, error: { code: 'STORE_WRITE_FAILED' } });
    expect(readdirSync(join(f.dir, 'certificates'))).toEqual([]);
    expect(store.list().profiles).toEqual([]);
  });

  it('a plan writes its PEM files at once, and undo removes exactly those', () => {
    const f = fixture();
    const pemFolder = new PemFolder(join(f.dir, 'certificates'));
    let n = 0;
    const plan = must(
      planImport(importArgs(), { doc: emptyProfileDocument(), sealed: emptySecretDocument(), secrets: new FakeKeychain(), pemFolder, now: () => 7, newId: () => `id-${++n}` }),
    );
    const files = plan.created.flatMap((p) => [p.config.tls.caFile, p.config.tls.certFile, p.config.tls.keyFile]).filter((p): p is string => p !== undefined && pemFolder.owns(p));
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((p) => existsSync(p))).toBe(true);
    expect(plan.created.every((p) => p.createdAt === 7 && p.lastUsedAt === null)).toBe(true);
    plan.undo();
    expect(files.some((p) => existsSync(p))).toBe(false);
  });
});
