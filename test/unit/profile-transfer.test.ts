import { describe, expect, it } from 'vitest';
import { connectionConfigSchema, DEFAULT_SUBSCRIPTIONS } from '../../shared/connection/connection-config';
import { PEM_PLACEHOLDER_PREFIX } from '../../shared/profiles/mqttx-import';
import { mqttxSample } from '../support/mqttx-sample';
import { buildTopicscopeExport, exportFileName, parseProfileImport, uniqueName } from '../../shared/profiles/profile-transfer';

const config = connectionConfigSchema.parse({ protocol: 'mqtts', host: 'broker.example.com', port: 8883, clientId: 'topicscope_0001', username: 'ops' });
const NOW = Date.UTC(2026, 10, 21, 21, 5, 39);

describe('Topicscope export', () => {
  it('is versioned JSON with the profiles and no secrets unless given', () => {
    const json = buildTopicscopeExport([{ name: 'Production', config, randomClientId: false }], NOW);
    const parsed = JSON.parse(json);
    expect(parsed).toMatchObject({ format: 'topicscope-profiles', version: 1, exportedAt: '2026-11-21T21:05:39.000Z', containsSecrets: false });
    expect(parsed.profiles[0]).toEqual({ name: 'Production', config: JSON.parse(JSON.stringify(config)), randomClientId: false });
    expect(exportFileName(NOW)).toBe('topicscope-profiles-2026-11-21.json');
  });

  it('says so at the top when it holds secrets', () => {
    const json = buildTopicscopeExport([{ name: 'Production', config, randomClientId: false, secrets: { password: 's3cret' } }], NOW);
    expect(JSON.parse(json).containsSecrets).toBe(true);
  });

  it('reads back what it wrote, secrets included', () => {
    const json = buildTopicscopeExport(
      [
        { name: 'Production', config, randomClientId: false, secrets: { password: 's3cret' } },
        { name: 'Local', config: { ...config, protocol: 'mqtt', port: 1883 }, randomClientId: true },
      ],
      NOW,
    );
    const parsed = parseProfileImport(json);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.format).toBe('topicscope');
    expect(parsed.skipped).toEqual([]);
    expect(parsed.candidates.map((c) => [c.name, c.randomClientId, c.secrets])).toEqual([
      ['Production', false, { password: 's3cret' }],
      ['Local', true, {}],
    ]);
    expect(parsed.candidates[0]?.config).toEqual(config);
  });

  it('moves a password written inside a hand-made config out of the config', () => {
    const json = JSON.stringify({ format: 'topicscope-profiles', version: 1, profiles: [{ name: 'Hand made', config: { ...config, password: 'typed' } }] });
    const parsed = parseProfileImport(json);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.candidates[0]?.config.password).toBeUndefined();
    expect(parsed.candidates[0]?.secrets).toEqual({ password: 'typed' });
  });

  it('skips an invalid entry with the reason and keeps the others', () => {
    const json = JSON.stringify({
      format: 'topicscope-profiles',
      version: 1,
      profiles: [{ name: 'Good', config }, { name: 'Bad host', config: { ...config, host: 'mqtt://x' } }],
    });
    const parsed = parseProfileImport(json);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.candidates.map((c) => c.name)).toEqual(['Good']);
    expect(parsed.skipped).toEqual([{ name: 'Bad host', reason: expect.stringContaining('Enter only the host name') }]);
  });

  it('refuses an export from a newer version, saying to update', () => {
    const parsed = parseProfileImport(JSON.stringify({ format: 'topicscope-profiles', version: 7, profiles: [] }));
    expect(parsed).toEqual({ ok: false, message: expect.stringContaining('Update Topicscope') });
  });
});

describe('MQTTX import', () => {
  const parsed = parseProfileImport(JSON.stringify(mqttxSample()));
  if (!parsed.ok) throw new Error(parsed.message);
  const byName = (name: string) => {
    const candidate = parsed.candidates.find((c) => c.name === name);
    if (!candidate) throw new Error(`no candidate "${name}"`);
    return candidate;
  };

  it('recognizes the format, imports the usable entries and skips the QUIC one with a reason', () => {
    expect(parsed.format).toBe('mqttx');
    expect(parsed.candidates.map((c) => c.name)).toEqual(['EMQX Cloud production', 'Local over websockets', 'Mutual TLS']);
    expect(parsed.skipped).toEqual([{ name: 'QUIC test', reason: expect.stringContaining('protocol "quic" is not supported') }]);
  });

  it('maps connection settings, units included (seconds to ms), and keeps the password apart', () => {
    const prod = byName('EMQX Cloud production');
    expect(prod.config).toMatchObject({
      protocol: 'mqtts',
      host: 'q1b2c3.ala.eu-central-1.emqxsl.com',
      port: 8883,
      mqttVersion: '5',
      clientId: 'mqttx_4f6a1d2b',
      username: 'device-admin',
      keepaliveSeconds: 30,
      cleanSession: true,
      connectTimeoutMs: 15_000,
      reconnect: { enabled: true, initialDelayMs: 4_000, maxDelayMs: 30_000 },
      sessionExpirySeconds: 3600,
      will: { topic: 'status/mqttx', payload: 'offline', qos: 1, retain: true },
    });
    expect(prod.config.password).toBeUndefined();
    expect(prod.secrets).toEqual({ password: 'emqx-secret' });
    // certType "server": a CA-signed server certificate, so the system CAs are trusted.
    expect(prod.config.tls).toEqual({ caMode: 'add', verifyServerCertificate: true, alpnProtocols: [] });
    expect(prod.randomClientId).toBe(false);
  });

  it('keeps only the enabled subscriptions, and subscribes to everything when there are none', () => {
    expect(byName('EMQX Cloud production').config.subscriptions).toEqual([{ filter: 'factory/+/temperature', qos: 1 }]);
    expect(byName('Local over websockets').config.subscriptions).toEqual(DEFAULT_SUBSCRIPTIONS);
  });

  it('maps websockets: the path gets its leading slash, empty credentials are left out', () => {
    const local = byName('Local over websockets');
    expect(local.config).toMatchObject({ protocol: 'ws', websocketPath: '/mqtt', cleanSession: false, reconnect: { enabled: false } });
    expect(local.config.username).toBeUndefined();
    expect(local.secrets).toEqual({});
  });

  it('keeps the MQTTX client ID as it is, also with "clientIdWithTime", so ACLs on its prefix still match', () => {
    // MQTTX appends a timestamp to that ID; a random Topicscope ID would replace it.
    const local = byName('Local over websockets');
    expect(local.config.clientId).toBe('mqttx_local');
    expect(local.randomClientId).toBe(false);
  });

  it('turns ssl on a plain protocol into mqtts, and keeps CA text apart to be written as a file', () => {
    const mtls = byName('Mutual TLS');
    expect(mtls.config.protocol).toBe('mqtts');
    expect(mtls.config.port).toBe(8884);
    expect(mtls.config.tls).toMatchObject({
      caFile: `${PEM_PLACEHOLDER_PREFIX}ca`,
      certFile: '/home/me/certs/client.crt',
      keyFile: '/home/me/certs/client.key',
      verifyServerCertificate: false,
      alpnProtocols: ['mqtt', 'x-amzn-mqtt-ca'],
    });
    expect(mtls.pem).toEqual({ ca: '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----' });
  });

  it('accepts a single exported connection (not in an array), as MQTTX does', () => {
    const single = parseProfileImport(JSON.stringify(mqttxSample()[1]));
    expect(single.ok && single.candidates.map((c) => c.name)).toEqual(['Local over websockets']);
  });

  it('flattens MQTTX collections (folders)', () => {
    const [first, second] = mqttxSample();
    const nested = parseProfileImport(JSON.stringify([{ name: 'Work', isCollection: true, children: [first, second] }]));
    expect(nested.ok && nested.candidates.map((c) => c.name)).toEqual(['EMQX Cloud production', 'Local over websockets']);
  });

  it('refuses a file whose every entry is unusable, listing the reasons', () => {
    const all = parseProfileImport(JSON.stringify([mqttxSample()[2], { clientId: 'x', host: '', port: 1883, name: 'No host' }]));
    expect(all.ok).toBe(false);
    if (all.ok) return;
    expect(all.message).toContain('None of the 2 entries');
    expect(all.message).toContain('"QUIC test"');
    expect(all.message).toContain('"No host": It has no broker host.');
  });
});

describe('Topicscope profile file (a recovery backup)', () => {
  const stored = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
    id,
    name,
    config: JSON.parse(JSON.stringify(config)),
    randomClientId: false,
    createdAt: 1,
    updatedAt: 2,
    lastUsedAt: null,
    ...extra,
  });

  it('is read with the profile ids, so the passwords kept for them match again', () => {
    const parsed = parseProfileImport(JSON.stringify({ version: 2, profiles: [stored('p-1', 'Production'), stored('p-2', 'Local')], lastUsedId: null }));
    expect(parsed).toMatchObject({ ok: true, format: 'topicscope', skipped: [] });
    if (!parsed.ok) return;
    expect(parsed.candidates.map((c) => [c.id, c.name, c.randomClientId, c.secrets])).toEqual([
      ['p-1', 'Production', false, {}],
      ['p-2', 'Local', false, {}],
    ]);
    expect(parsed.candidates[0]?.config).toEqual(config);
  });

  it('skips an entry still invalid, saying where it is in the file', () => {
    const parsed = parseProfileImport(JSON.stringify({ version: 2, profiles: [stored('p-1', 'Good'), stored('p-2', 'Typo', { config: { ...config, port: 70_000 } })] }));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.candidates.map((c) => c.name)).toEqual(['Good']);
    expect(parsed.skipped).toEqual([{ name: 'Typo', reason: expect.stringMatching(/config\.port.*entry 2 of the file: correct it there and import again/) }]);
  });

  it('of version 1 brings its plain-text passwords along', () => {
    const v1 = { version: 1, profiles: [{ id: 'old', name: 'Old', config: { ...config, password: 'v1-pass' }, createdAt: 1, updatedAt: 2 }] };
    const parsed = parseProfileImport(JSON.stringify(v1));
    expect(parsed.ok && parsed.candidates[0]).toMatchObject({ id: 'old', secrets: { password: 'v1-pass' } });
    expect(parsed.ok && parsed.candidates[0]?.config.password).toBeUndefined();
  });

  it('from a newer Topicscope is refused, saying to update', () => {
    const parsed = parseProfileImport(JSON.stringify({ version: 3, profiles: [] }));
    expect(parsed).toEqual({ ok: false, message: expect.stringMatching(/newer Topicscope.*Update Topicscope to import it/) });
  });
});

describe('import files that are neither format', () => {
  it.each([
    ['YAML', 'name: Local\nhost: localhost\n', 'not JSON'],
    ['an unrelated JSON object', '{"settings": {"theme": "dark"}}', 'neither a Topicscope profile export nor an MQTTX'],
    ['an MQTT Explorer settings array', '[{"type":"mqtt","host":"x"}]', 'neither a Topicscope profile export nor an MQTTX'],
    ['an empty array', '[]', 'neither'],
  ])('refuses %s with an actionable message', (_what, text, message) => {
    const parsed = parseProfileImport(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});

describe('uniqueName', () => {
  it('adds " (2)", " (3)"... to a name already taken, ignoring case', () => {
    expect(uniqueName('Local', new Set())).toBe('Local');
    expect(uniqueName('Local', new Set(['local']))).toBe('Local (2)');
    expect(uniqueName('Local', new Set(['local', 'local (2)']))).toBe('Local (3)');
  });

  it('stays within the 100-character name limit', () => {
    const long = 'x'.repeat(100);
    const name = uniqueName(long, new Set([long]));
    expect(name).toHaveLength(100);
    expect(name.endsWith(' (2)')).toBe(true);
  });
});
