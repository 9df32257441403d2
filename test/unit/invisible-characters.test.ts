/**
 * Invisible characters (controls, bidi controls, zero-width characters) in the fields a
 * user types or an import fills: `localhost\u0000.broker.example` showed as one host
 * and connected to another, with the credentials. Every schema refuses them with the
 * same message; imports skip such an entry with it; a stored one goes through recovery.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionConfigSchema, type ConnectionConfigInput } from '../../shared/connection/connection-config';
import { profileNameSchema, profileSaveSchema } from '../../shared/profiles/connection-profile';
import { commandSchemas } from '../../shared/ipc/ipc-contract';
import { controlCharacterProblem, showInvisible } from '../../shared/mqtt/invisible-characters';
import { parseProfileImport } from '../../shared/profiles/profile-transfer';
import { loadProfileDocument } from '../../shared/profiles/profile-document';
import { localConfig, storeFixture, type StoreFixture } from '../support/profile-store-fixtures';

const minimal: ConnectionConfigInput = { protocol: 'mqtts', host: 'broker.example.com', port: 8883, clientId: 'topicscope_deadbeef' };

/** The messages of a failed parse, "path: message". */
function issues(input: unknown): string[] {
  const result = connectionConfigSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

/** One character of each kind the fields refuse, with the words the message uses. */
const INVISIBLE: Array<[label: string, char: string, words: string]> = [
  ['NUL', '\u0000', 'an invisible control character (U+0000)'],
  ['a tab', '\t', 'an invisible control character (U+0009)'],
  ['ESC', '\u001B', 'an invisible control character (U+001B)'],
  ['DEL', '\u007F', 'an invisible control character (U+007F)'],
  ['a C1 control (NEL)', '\u0085', 'an invisible control character (U+0085)'],
  ['the Arabic letter mark', '\u061C', 'an invisible text-direction character (U+061C)'],
  ['a right-to-left mark', '\u200F', 'an invisible text-direction character (U+200F)'],
  ['a right-to-left override', '\u202E', 'an invisible text-direction character (U+202E)'],
  ['a first-strong isolate', '\u2068', 'an invisible text-direction character (U+2068)'],
  ['a zero-width space', '\u200B', 'an invisible zero-width character (U+200B)'],
  ['a zero-width joiner', '\u200D', 'an invisible zero-width character (U+200D)'],
  ['a byte order mark inside the text', '\uFEFF', 'an invisible zero-width character (U+FEFF)'],
];

describe('controlCharacterProblem', () => {
  it('names the character, its code point and its position (1-based), and says what to do', () => {
    expect(controlCharacterProblem('localhost\u0000.broker.example', 'host')).toBe(
      'The host contains an invisible control character (U+0000) at position 10: retype it.',
    );
  });

  it.each(INVISIBLE)('finds %s', (_, char, words) => {
    expect(controlCharacterProblem(`ab${char}cd`, 'user name')).toBe(`The user name contains ${words} at position 3: retype it.`);
  });

  it('reports the first one', () => {
    expect(controlCharacterProblem('a\u202Eb\u0000', 'host')).toContain('(U+202E) at position 2');
  });

  it('with "control" only, lets bidi and zero-width characters through (legal in MQTT topics)', () => {
    expect(controlCharacterProblem('\u202Eab\u200B', 'topic', 'control')).toBeNull();
    expect(controlCharacterProblem('ab\u0085', 'topic', 'control')).toContain('(U+0085)');
  });

  it('accepts visible non-ASCII text', () => {
    for (const text of ['bröker.example', 'мой-брокер', 'مرحبا', '日本語', 'emoji 🛰️ ok', 'ünïcödé']) {
      expect(controlCharacterProblem(text, 'profile name')).toBeNull();
    }
  });

  it('showInvisible writes the characters out, so a quoted value cannot disguise itself', () => {
    expect(showInvisible('Prod\u202Eevil')).toBe('Prod<U+202E>evil');
    expect(showInvisible('a\u0000b\u200Bc')).toBe('a<U+0000>b<U+200B>c');
    expect(showInvisible('bröker')).toBe('bröker');
  });
});

describe('connection config fields', () => {
  it('refuses the host "localhost\\u0000.broker.example" with one clear message', () => {
    expect(issues({ ...minimal, host: 'localhost\u0000.broker.example' })).toEqual([
      'host: The host contains an invisible control character (U+0000) at position 10: retype it.',
    ]);
  });

  it.each(INVISIBLE)('refuses %s in the host', (_, char, words) => {
    expect(issues({ ...minimal, host: `broker${char}.example.com` })).toEqual([`host: The host contains ${words} at position 7: retype it.`]);
  });

  it('refuses a bidi override that makes the host read as another one', () => {
    // Shows as "broker.example.com" in a left-to-right field; it is "broker.\u202Emoc.elpmaxe".
    expect(issues({ ...minimal, host: 'broker.\u202Emoc.elpmaxe' })[0]).toContain('text-direction character (U+202E) at position 8');
  });

  it.each(['broker.example.com', 'bröker.example', 'xn--brker-jua.example', '127.0.0.1', '::1', 'fe80::1%eth0', 'localhost'])(
    'accepts the host %s',
    (host) => {
      expect(issues({ ...minimal, host })).toEqual([]);
    },
  );

  it('still trims surrounding spaces and line breaks from a pasted host', () => {
    expect(connectionConfigSchema.parse({ ...minimal, host: '  broker.example.com\n' }).host).toBe('broker.example.com');
  });

  it.each(INVISIBLE)('refuses %s in the user name', (_, char, words) => {
    expect(issues({ ...minimal, username: `ops${char}` })).toEqual([`username: The user name contains ${words} at position 4: retype it.`]);
  });

  it('accepts user names with non-ASCII letters, and passwords with anything', () => {
    expect(issues({ ...minimal, username: 'jürgen', password: 'p\u0000\u202Ess' })).toEqual([]);
  });

  it.each(INVISIBLE)('refuses %s in the client ID', (_, char, words) => {
    expect(issues({ ...minimal, clientId: `sensor${char}1` })).toEqual([`clientId: The client ID contains ${words} at position 7: retype it.`]);
  });

  it.each([
    ['caFile', 'CA file path'],
    ['certFile', 'client certificate path'],
    ['keyFile', 'client key path'],
  ] as const)('refuses invisible characters in tls.%s', (field, label) => {
    const tls = { caFile: '/etc/ca.pem', certFile: '/etc/c.pem', keyFile: '/etc/c.key', [field]: '/etc/ssl/\u202Emep.ac' };
    expect(issues({ ...minimal, tls })).toEqual([`tls.${field}: The ${label} contains an invisible text-direction character (U+202E) at position 10: retype it.`]);
  });

  it('accepts TLS paths with non-ASCII letters and spaces', () => {
    expect(issues({ ...minimal, tls: { caFile: '/home/zoë/My Certificates/ca.pem' } })).toEqual([]);
  });

  it('refuses invisible characters in the SNI server name', () => {
    expect(issues({ ...minimal, tls: { serverName: 'broker\u200B.example.com' } })[0]).toContain('tls.serverName: The SNI server name contains an invisible zero-width character');
  });

  it('refuses line breaks in websocket header values and the path (they would split the HTTP request)', () => {
    const ws = { ...minimal, protocol: 'wss' as const };
    expect(issues({ ...ws, websocketHeaders: { Authorization: 'Bearer x\r\nX-Evil: 1' } })[0]).toContain('U+000D');
    expect(issues({ ...ws, websocketPath: '/mqtt\n' })[0]).toContain('websocketPath: The websocket path contains an invisible control character (U+000A)');
    expect(issues({ ...ws, websocketHeaders: { 'X-Name': 'مرحبا' }, websocketPath: '/mqtt' })).toEqual([]);
  });

  it('refuses control characters in subscription filters and the will topic, not bidi', () => {
    expect(issues({ ...minimal, subscriptions: [{ filter: 'a/\u0000/#' }] })).toEqual([
      'subscriptions.0.filter: The filter contains an invisible control character (U+0000) at position 3: retype it.',
    ]);
    expect(issues({ ...minimal, will: { topic: 'status\u0007' } })[0]).toContain('will.topic: Last will: The topic contains an invisible control character (U+0007)');
    expect(issues({ ...minimal, subscriptions: [{ filter: '\u202Bأجهزة\u202C/#' }] })).toEqual([]);
  });
});

describe('commands that carry names and topics', () => {
  it.each(INVISIBLE)('refuses %s in a profile name', (_, char, words) => {
    const result = profileNameSchema.safeParse(`Prod${char}uction`);
    expect(result.success ? null : result.error.issues[0]?.message).toBe(`The profile name contains ${words} at position 5: retype it.`);
  });

  it('accepts profile names in any script', () => {
    for (const name of ['Produktion (Köln)', 'مصنع الرياض', '工場', 'Broker 🛰️']) expect(profileNameSchema.safeParse(name).success).toBe(true);
  });

  it('profile:save refuses a saved host with NUL', () => {
    const result = profileSaveSchema.safeParse({ name: 'Prod', config: { ...minimal, host: 'localhost\u0000.broker.example' } });
    expect(result.success ? null : result.error.issues[0]?.message).toContain('(U+0000) at position 10');
  });

  it('connection:open refuses it too', () => {
    const result = commandSchemas['connection:open'].safeParse({ connectionId: 'c1', config: { ...minimal, host: 'localhost\u0000.broker.example' } });
    expect(result.success).toBe(false);
  });

  it('publish and subscribe refuse control characters the user typed, and accept bidi text in topics', () => {
    const publish = commandSchemas['message:publish'];
    const base = { connectionId: 'c1', payload: new Uint8Array(), qos: 0, retain: false };
    expect(publish.safeParse({ ...base, topic: 'a/b\u0000' }).success).toBe(false);
    expect(publish.safeParse({ ...base, topic: 'a/b\u001F' }).success).toBe(false);
    expect(publish.safeParse({ ...base, topic: 'a/\u202Bعربي\u202C' }).success).toBe(true);
  });
});

describe('imports', () => {
  it('skip a Topicscope export entry whose host holds NUL, with the reason, and keep the others', () => {
    const good = { name: 'Good', config: minimal };
    const bad = { name: 'Spoofed', config: { ...minimal, host: 'localhost\u0000.broker.example' } };
    const parsed = parseProfileImport(JSON.stringify({ format: 'topicscope-profiles', version: 1, profiles: [good, bad] }));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.candidates.map((c) => c.name)).toEqual(['Good']);
    expect(parsed.skipped).toEqual([
      { name: 'Spoofed', reason: 'config.host: The host contains an invisible control character (U+0000) at position 10: retype it.' },
    ]);
  });

  it('skip a Topicscope export entry whose name holds a bidi override, naming it with the character written out', () => {
    const parsed = parseProfileImport(
      JSON.stringify({ format: 'topicscope-profiles', version: 1, profiles: [{ name: 'Good', config: minimal }, { name: 'Prod\u202Etset', config: minimal }] }),
    );
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.skipped).toEqual([{ name: 'Prod<U+202E>tset', reason: 'name: The profile name contains an invisible text-direction character (U+202E) at position 5: retype it.' }]);
  });

  const mqttx = (overrides: Record<string, unknown>) => ({ clientId: 'mqttx_1', name: 'EMQX', protocol: 'mqtt', host: 'broker.example.com', port: 1883, mqttVersion: '3.1.1', ...overrides });

  it.each([
    ['host', { name: 'Spoof', host: 'localhost\u0000.broker.example' }, 'host: The host contains an invisible control character (U+0000) at position 10'],
    ['user name', { name: 'Spoof', username: 'admin\u200B' }, 'username: The user name contains an invisible zero-width character (U+200B) at position 6'],
    ['client ID', { name: 'Spoof', clientId: 'mqttx\u202E1' }, 'clientId: The client ID contains an invisible text-direction character (U+202E) at position 6'],
    ['subscription', { name: 'Spoof', subscriptions: [{ topic: 'a/\u0001', qos: 0 }] }, 'subscriptions.0.filter: The filter contains an invisible control character (U+0001)'],
  ])('skip an MQTTX connection with an invisible character in its %s, with the reason', (_, overrides, reason) => {
    const parsed = parseProfileImport(JSON.stringify([mqttx({ name: 'Good' }), mqttx(overrides)]));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.candidates.map((c) => c.name)).toEqual(['Good']);
    expect(parsed.skipped).toEqual([{ name: 'Spoof', reason: expect.stringContaining(reason) }]);
  });

  it('skip an MQTTX connection whose name holds a bidi override, naming it with the character written out', () => {
    const parsed = parseProfileImport(JSON.stringify([mqttx({ name: 'Good' }), mqttx({ name: 'EMQX\u202Edorp' })]));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.candidates.map((c) => c.name)).toEqual(['Good']);
    expect(parsed.skipped).toEqual([{ name: 'EMQX<U+202E>dorp', reason: 'The profile name contains an invisible text-direction character (U+202E) at position 5: retype it.' }]);
  });

  it('skip an MQTTX connection carrying more than 2 MiB of certificate text', () => {
    const pem = `-----BEGIN CERTIFICATE-----\n${'A'.repeat(2 * 1024 * 1024)}\n-----END CERTIFICATE-----\n`;
    const parsed = parseProfileImport(JSON.stringify([mqttx({ name: 'Good' }), mqttx({ name: 'Huge CA', protocol: 'mqtts', certType: 'self', ca: pem })]));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.skipped).toEqual([{ name: 'Huge CA', reason: 'Its CA certificate text is 2.1 MiB; a PEM file is at most 2 MiB: check the export.' }]);
  });

  it('refuse a file whose only entry is spoofed, saying why', () => {
    const parsed = parseProfileImport(JSON.stringify([mqttx({ host: 'localhost\u0000.broker.example' })]));
    expect(parsed).toEqual({ ok: false, message: expect.stringContaining('(U+0000) at position 10') });
  });
});

describe('profiles stored with an invisible character', () => {
  const stored = (id: string, name: string, config: object = localConfig) => ({ id, name, config, randomClientId: false, createdAt: 1, updatedAt: 2, lastUsedAt: null });

  it('are left out by the loader, which names them and the problem', () => {
    const loaded = loadProfileDocument({
      version: 2,
      profiles: [stored('a', 'Good'), stored('b', 'Spoofed', { ...localConfig, host: 'localhost\u0000.broker.example' }), stored('c', 'Evil\u202Eeman')],
      lastUsedId: null,
    });
    if (!loaded.ok) throw new Error(loaded.problem);
    expect(loaded.document.profiles.map((p) => p.id)).toEqual(['a']);
    expect(loaded.invalid).toEqual([
      { position: 2, name: 'Spoofed', problem: 'config.host: The host contains an invisible control character (U+0000) at position 10: retype it.' },
      { position: 3, name: 'Evil<U+202E>eman', problem: 'name: The profile name contains an invisible text-direction character (U+202E) at position 5: retype it.' },
    ]);
  });

  let f: StoreFixture | null = null;
  afterEach(() => f?.cleanup());

  it('are reported through recovery on start, with the file kept as a backup and their password kept', () => {
    f = storeFixture();
    const store = f.open();
    const saved = store.save({
      name: 'Spoofed',
      config: localConfig,
      randomClientId: false,
      secrets: { password: { action: 'set', value: 'broker-pass' }, keyPassphrase: { action: 'keep' }, proxyPassword: { action: 'keep' } },
      allowPlainTextSecrets: false,
    });
    if (!saved.ok) throw new Error(saved.error.message);
    store.save({ name: 'Good', config: localConfig, randomClientId: false, secrets: { password: { action: 'keep' }, keyPassphrase: { action: 'keep' }, proxyPassword: { action: 'keep' } }, allowPlainTextSecrets: false });
    const edited = JSON.parse(readFileSync(f.profilesPath, 'utf8'));
    edited.profiles[0].config.host = 'localhost\u0000.broker.example';
    writeFileSync(f.profilesPath, JSON.stringify(edited));

    const list = f.open().list();

    expect(list.profiles.map((p) => p.name)).toEqual(['Good']);
    expect(list.recovery?.message).toContain('"Spoofed" (entry 1): config.host: The host contains an invisible control character (U+0000) at position 10');
    expect(JSON.parse(readFileSync(list.recovery?.backupPath ?? '', 'utf8'))).toEqual(edited);
    expect(JSON.parse(readFileSync(f.secretsPath, 'utf8')).secrets[saved.value.profile.id]).toEqual({ password: expect.stringMatching(/^fake:/) });
  });
});
