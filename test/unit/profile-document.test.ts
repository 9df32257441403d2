import { describe, expect, it } from 'vitest';
import { connectionConfigSchema } from '../../shared/connection/connection-config';
import { loadProfileDocument, PROFILE_DOCUMENT_VERSION } from '../../shared/profiles/profile-document';

const config = connectionConfigSchema.parse({ protocol: 'mqtt', host: 'broker.local', port: 1883, clientId: 'topicscope_0001' });

function storedProfile(id: string, name: string, extra: Record<string, unknown> = {}) {
  return { id, name, config, randomClientId: true, createdAt: 1_000, updatedAt: 2_000, lastUsedAt: null, ...extra };
}

describe('loadProfileDocument, current version', () => {
  it('loads a valid document as it is', () => {
    const raw = { version: PROFILE_DOCUMENT_VERSION, profiles: [storedProfile('a', 'Local'), storedProfile('b', 'Staging')], lastUsedId: 'b' };
    const loaded = loadProfileDocument(JSON.parse(JSON.stringify(raw)));
    expect(loaded).toMatchObject({ ok: true, invalid: [], extractedSecrets: [], migratedFrom: null });
    if (!loaded.ok) return;
    expect(loaded.document.profiles.map((p) => p.name)).toEqual(['Local', 'Staging']);
    expect(loaded.document.lastUsedId).toBe('b');
  });

  it('keeps every valid profile and names each invalid one with its position and problem', () => {
    const raw = {
      version: 2,
      profiles: [
        storedProfile('a', 'Local'),
        storedProfile('b', 'Broken port', { config: { ...config, port: 70_000 } }),
        'not a profile',
        storedProfile('c', 'Production'),
        storedProfile('a', 'Same id as Local'),
      ],
      lastUsedId: 'b',
    };
    const loaded = loadProfileDocument(raw);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.document.profiles.map((p) => p.name)).toEqual(['Local', 'Production']);
    expect(loaded.invalid).toHaveLength(3);
    expect(loaded.invalid[0]).toMatchObject({ position: 2, name: 'Broken port' });
    expect(loaded.invalid[0]?.problem).toContain('config.port');
    expect(loaded.invalid[1]).toMatchObject({ position: 3, name: null });
    expect(loaded.invalid[2]).toMatchObject({ position: 5, name: 'Same id as Local' });
    expect(loaded.invalid[2]?.problem).toContain('same id');
    // The last used profile was the invalid one: nothing is selected rather than a wrong one.
    expect(loaded.document.lastUsedId).toBeNull();
  });

  it('refuses a profile whose config still holds a password in plain text', () => {
    const loaded = loadProfileDocument({ version: 2, profiles: [storedProfile('a', 'Leaky', { config: { ...config, password: 'hunter2' } })], lastUsedId: null });
    expect(loaded.ok && loaded.invalid[0]?.problem).toContain('Secrets are saved through');
  });

  it.each([
    ['an array', [], 'JSON object'],
    ['a string', 'profiles', 'JSON object'],
    ['no version', { profiles: [] }, 'version'],
    ['a version 0', { version: 0, profiles: [] }, 'version'],
    ['no profile list', { version: 2, profiles: {} }, '"profiles" list'],
    ['a newer version', { version: 99, profiles: [] }, 'newer Topicscope'],
  ])('refuses %s as a whole, saying why', (_what, raw, problem) => {
    const loaded = loadProfileDocument(raw);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problem).toContain(problem);
  });

  it('marks a newer version as such, so the store leaves that file as it is', () => {
    expect(loadProfileDocument({ version: 3, profiles: [] })).toMatchObject({ ok: false, newerVersion: 3 });
    expect(loadProfileDocument({ version: 0, profiles: [] })).not.toHaveProperty('newerVersion');
  });
});

describe('migration from version 1', () => {
  const v1 = {
    version: 1,
    lastUsedId: 'prod',
    profiles: [
      {
        id: 'prod',
        name: 'Production',
        config: { ...config, username: 'ops', password: 'plain-pass', tls: { ...config.tls, keyPassphrase: 'key-pass' } },
        createdAt: 10,
        updatedAt: 20,
      },
      { id: 'local', name: 'Local', config, createdAt: 30, updatedAt: 40 },
    ],
  };

  it('takes the plain-text secrets out of the document and hands them over', () => {
    const loaded = loadProfileDocument(structuredClone(v1));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.migratedFrom).toBe(1);
    expect(loaded.invalid).toEqual([]);
    expect(loaded.extractedSecrets).toEqual([
      { profileId: 'prod', profileName: 'Production', kind: 'password', value: 'plain-pass' },
      { profileId: 'prod', profileName: 'Production', kind: 'keyPassphrase', value: 'key-pass' },
    ]);
    const serialized = JSON.stringify(loaded.document);
    expect(serialized).not.toContain('plain-pass');
    expect(serialized).not.toContain('key-pass');
    expect(loaded.document.version).toBe(2);
    expect(loaded.document.profiles[0]?.config.username).toBe('ops');
  });

  it('keeps the saved client ID (no random ID in version 1) and dates the last used profile', () => {
    const loaded = loadProfileDocument(structuredClone(v1));
    if (!loaded.ok) throw new Error(loaded.problem);
    const [prod, local] = loaded.document.profiles;
    expect(prod).toMatchObject({ randomClientId: false, lastUsedAt: 20 });
    expect(local).toMatchObject({ randomClientId: false, lastUsedAt: null });
    expect(loaded.document.lastUsedId).toBe('prod');
  });

  it('drops the secrets of a version 1 profile that is invalid, with the profile reported', () => {
    const broken = structuredClone(v1);
    broken.profiles[0]!.config.port = -1;
    const loaded = loadProfileDocument(broken);
    if (!loaded.ok) throw new Error(loaded.problem);
    expect(loaded.invalid.map((p) => p.name)).toEqual(['Production']);
    expect(loaded.extractedSecrets).toEqual([]);
  });
});
