import { describe, expect, it } from 'vitest';
import { configToForm, defaultFormFields, formToConfig, parseHeaderLines, type ConnectionFormFields } from '../../renderer/src/connection/connection-form';
import { connectionConfigSchema, type ConnectionConfig } from '../../shared/connection/connection-config';

const CLIENT_ID = 'topicscope_0a1b2c3d';

function form(changes: Partial<ConnectionFormFields> = {}): ConnectionFormFields {
  return { ...defaultFormFields(CLIENT_ID), ...changes };
}

/** The config main would accept for this form, or the validation messages by path. */
function parse(fields: ConnectionFormFields): { ok: true; config: ConnectionConfig } | { ok: false; issues: Record<string, string> } {
  const result = connectionConfigSchema.safeParse(formToConfig(fields));
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, issues: Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message])) };
}

function valid(fields: ConnectionFormFields): ConnectionConfig {
  const result = parse(fields);
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.issues)}`);
  return result.config;
}

describe('defaultFormFields', () => {
  it('starts with a plain MQTT connection to localhost:1883 subscribed to "#" and "$SYS/#"', () => {
    const fields = defaultFormFields(CLIENT_ID);
    expect(fields.protocol).toBe('mqtt');
    expect(fields.host).toBe('localhost');
    expect(fields.port).toBe('1883');
    expect(fields.clientId).toBe(CLIENT_ID);
    expect(fields.subscriptions).toEqual([
      { filter: '#', qos: 0 },
      { filter: '$SYS/#', qos: 0 },
    ]);
    expect(fields.willEnabled).toBe(false);
    expect(fields.verifyServerCertificate).toBe(true);
  });

  it('gives a fresh subscription list each time, so editing one form does not change the next', () => {
    const a = defaultFormFields('a');
    a.subscriptions.push({ filter: 'x', qos: 1 });
    a.subscriptions[0]!.qos = 2;
    expect(defaultFormFields('b').subscriptions).toEqual([
      { filter: '#', qos: 0 },
      { filter: '$SYS/#', qos: 0 },
    ]);
  });
});

describe('formToConfig', () => {
  it('turns the default form into a config main accepts', () => {
    const config = valid(form());
    expect(config).toMatchObject({
      protocol: 'mqtt',
      host: 'localhost',
      port: 1883,
      clientId: CLIENT_ID,
      mqttVersion: '5',
      keepaliveSeconds: 60,
      cleanSession: true,
      connectTimeoutMs: 10_000,
      reconnect: { enabled: true },
      websocketHeaders: {},
      subscriptions: [
        { filter: '#', qos: 0 },
        { filter: '$SYS/#', qos: 0 },
      ],
    });
    expect(config.username).toBeUndefined();
    expect(config.password).toBeUndefined();
    expect(config.will).toBeUndefined();
    expect(config.sessionExpirySeconds).toBeUndefined();
    expect(config.tls).toMatchObject({ caMode: 'add', verifyServerCertificate: true, alpnProtocols: [] });
    expect(config.tls.caFile).toBeUndefined();
    expect(config.tls.certFile).toBeUndefined();
  });

  it('leaves out an empty username and password, and keeps filled ones verbatim', () => {
    const empty = formToConfig(form());
    expect(empty.username).toBeUndefined();
    expect(empty.password).toBeUndefined();
    expect(formToConfig(form({ keyPassphrase: '' })).tls?.keyPassphrase).toBeUndefined();
    const filled = valid(form({ username: ' alice ', password: ' secret ' }));
    // Spaces can be part of credentials: not trimmed.
    expect(filled.username).toBe(' alice ');
    expect(filled.password).toBe(' secret ');
  });

  it('refuses a port that is not a number, and an empty one', () => {
    for (const port of ['abc', '', '18 83', '1883.5', '0x10']) {
      const result = parse(form({ port }));
      expect(result.ok, port).toBe(false);
      if (!result.ok) expect(Object.keys(result.issues), port).toContain('port');
    }
  });

  it('accepts a port with surrounding spaces and refuses one out of range', () => {
    expect(valid(form({ port: ' 8883 ' })).port).toBe(8883);
    const result = parse(form({ port: '70000' }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.port).toMatch(/between 1 and 65535/);
  });

  it('splits the ALPN list at commas and trims the names, dropping empty ones', () => {
    const config = valid(form({ protocol: 'mqtts', port: '8883', alpnProtocols: ' mqtt , x-amzn-mqtt-ca,, h2 ,' }));
    expect(config.tls.alpnProtocols).toEqual(['mqtt', 'x-amzn-mqtt-ca', 'h2']);
  });

  it('trims the TLS file paths and leaves empty ones out', () => {
    const config = valid(form({ caFile: ' /etc/ca.pem ', certFile: '/c.pem', keyFile: '/k.pem', serverName: '  ' }));
    expect(config.tls.caFile).toBe('/etc/ca.pem');
    expect(config.tls.certFile).toBe('/c.pem');
    expect(config.tls.keyFile).toBe('/k.pem');
    expect(config.tls.serverName).toBeUndefined();
  });

  it('reads websocket headers as "Name: value" lines and ignores lines without a colon', () => {
    const config = valid(
      form({
        protocol: 'wss',
        port: '8084',
        websocketHeaders: 'Authorization: Bearer a:b:c\r\n  X-Trace :  42 \nnot a header\n\n: no name\nEmpty:',
      }),
    );
    expect(config.websocketHeaders).toEqual({ Authorization: 'Bearer a:b:c', 'X-Trace': '42', Empty: '' });
  });

  it('parseHeaderLines gives an empty record for empty text', () => {
    expect(parseHeaderLines('')).toEqual({});
    expect(parseHeaderLines('\n\n')).toEqual({});
  });

  it('includes the last will only when it is enabled', () => {
    const will = { willTopic: 'clients/me/status', willPayload: 'offline', willQos: 1 as const, willRetain: true };
    expect(valid(form({ ...will, willEnabled: false })).will).toBeUndefined();
    expect(valid(form({ ...will, willEnabled: true })).will).toEqual({ topic: 'clients/me/status', payload: 'offline', qos: 1, retain: true });
    // An enabled will with a wildcard topic is refused with a message naming the will.
    const bad = parse(form({ ...will, willEnabled: true, willTopic: 'clients/+/status' }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.values(bad.issues).join(' ')).toMatch(/Last will/);
  });

  it('sends the session expiry only with MQTT 5', () => {
    expect(valid(form({ mqttVersion: '3.1.1', sessionExpirySeconds: '3600' })).sessionExpirySeconds).toBeUndefined();
    expect(valid(form({ mqttVersion: '3.1', sessionExpirySeconds: '3600' })).sessionExpirySeconds).toBeUndefined();
    expect(valid(form({ mqttVersion: '5', sessionExpirySeconds: '3600' })).sessionExpirySeconds).toBe(3600);
    expect(valid(form({ mqttVersion: '5', sessionExpirySeconds: '' })).sessionExpirySeconds).toBeUndefined();
    expect(parse(form({ mqttVersion: '5', sessionExpirySeconds: 'soon' })).ok).toBe(false);
  });

  it('converts the connect timeout from seconds to milliseconds', () => {
    expect(valid(form({ connectTimeoutSeconds: '30' })).connectTimeoutMs).toBe(30_000);
    expect(formToConfig(form({ connectTimeoutSeconds: '2' })).connectTimeoutMs).toBe(2_000);
    // Empty uses the schema default of 10 s.
    expect(valid(form({ connectTimeoutSeconds: '' })).connectTimeoutMs).toBe(10_000);
    expect(parse(form({ connectTimeoutSeconds: 'ten' })).ok).toBe(false);
  });

  it('passes keepalive, clean session, reconnect and verification flags through', () => {
    const config = valid(form({ keepaliveSeconds: '0', cleanSession: false, reconnect: false, verifyServerCertificate: false }));
    expect(config.keepaliveSeconds).toBe(0);
    expect(config.cleanSession).toBe(false);
    expect(config.reconnect.enabled).toBe(false);
    expect(config.tls.verifyServerCertificate).toBe(false);
    expect(valid(form({ keepaliveSeconds: '' })).keepaliveSeconds).toBe(60);
  });

  it('drops blank subscription rows and keeps the others with their QoS', () => {
    const config = valid(
      form({
        subscriptions: [
          { filter: 'sensors/#', qos: 1 },
          { filter: '   ', qos: 0 },
          { filter: '', qos: 2 },
          { filter: 'a/+/c', qos: 2 },
        ],
      }),
    );
    expect(config.subscriptions).toEqual([
      { filter: 'sensors/#', qos: 1 },
      { filter: 'a/+/c', qos: 2 },
    ]);
  });

  it('lets validation refuse an invalid subscription filter', () => {
    const result = parse(form({ subscriptions: [{ filter: 'a/#/b', qos: 0 }] }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.values(result.issues).join(' ')).toMatch(/"#" must be a whole level/);
  });

  it('lets validation refuse an empty client ID without a clean session', () => {
    const result = parse(form({ clientId: '', cleanSession: false }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.clientId).toMatch(/clean session/i);
    expect(valid(form({ clientId: '', cleanSession: true })).clientId).toBe('');
  });
});

describe('the Proxy section', () => {
  it('sends no proxy while "Proxy type" is None, whatever the other proxy fields hold', () => {
    const result = parse(form({ proxyType: 'none', proxyHost: 'left.over', proxyPort: 'x' }));
    expect(result.ok && result.config.proxy).toBeUndefined();
  });

  it('sends the proxy with its password, and reads a saved one back without it', () => {
    const fields = form({ proxyType: 'http', proxyHost: ' proxy.corp ', proxyPort: '3128', proxyUsername: 'alice', proxyPassword: 'pw' });
    const result = parse(fields);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.config.proxy).toEqual({ type: 'http', host: 'proxy.corp', port: 3128, username: 'alice', password: 'pw' });
    expect(configToForm(result.config)).toMatchObject({ proxyType: 'http', proxyHost: 'proxy.corp', proxyPort: '3128', proxyUsername: 'alice', proxyPassword: '' });
  });

  it('says what is missing: the host, a port in range', () => {
    const result = parse(form({ proxyType: 'socks5', proxyHost: '', proxyPort: '' }));
    expect(result.ok ? {} : result.issues).toEqual({
      'proxy.host': 'Enter the proxy host name or IP address.',
      'proxy.port': 'The proxy port must be between 1 and 65535.',
    });
  });
});
