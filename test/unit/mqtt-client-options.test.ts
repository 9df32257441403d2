import { describe, expect, it } from 'vitest';
import { buildClientOptions, describeConnection } from '../../electron/core/connection/mqtt-client-options';
import type { TlsMaterial } from '../../electron/core/connection/tls-material';
import type { ConnectionConfig, ConnectionConfigInput } from '../../shared/connection/connection-config';
import { connectionConfigSchema } from '../../shared/connection/connection-config';

function config(overrides: Partial<ConnectionConfigInput> = {}): ConnectionConfig {
  return connectionConfigSchema.parse({
    protocol: 'mqtt',
    host: 'broker.example.com',
    port: 1883,
    clientId: 'topicscope_deadbeef',
    ...overrides,
  });
}

const noTls: TlsMaterial = {};
const material: TlsMaterial = {
  ca: ['-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n'],
  cert: '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n',
  key: '-----BEGIN ENCRYPTED PRIVATE KEY-----\nKEY\n-----END ENCRYPTED PRIVATE KEY-----\n',
  passphrase: 'key-pass',
};

const TLS_KEYS = ['rejectUnauthorized', 'ca', 'cert', 'key', 'passphrase', 'servername', 'ALPNProtocols'] as const;

describe('buildClientOptions basics', () => {
  it('maps host, port, client ID, keepalive, clean session and connect timeout', () => {
    const options = buildClientOptions(
      config({ keepaliveSeconds: 15, cleanSession: false, connectTimeoutMs: 5_000, port: 11883 }),
      noTls,
    );
    expect(options).toMatchObject({
      protocol: 'mqtt',
      hostname: 'broker.example.com',
      port: 11883,
      clientId: 'topicscope_deadbeef',
      keepalive: 15,
      clean: false,
      connectTimeout: 5_000,
    });
  });

  it.each([
    ['3.1', 3, 'MQIsdp'],
    ['3.1.1', 4, 'MQTT'],
    ['5', 5, 'MQTT'],
  ] as const)('maps MQTT %s to protocolVersion %d with protocolId %s', (mqttVersion, protocolVersion, protocolId) => {
    const options = buildClientOptions(config({ mqttVersion }), noTls);
    expect(options.protocolVersion).toBe(protocolVersion);
    expect(options.protocolId).toBe(protocolId);
  });

  it('switches off mqtt.js reconnect and resubscribe, which the session owns', () => {
    const options = buildClientOptions(config({ reconnect: { enabled: true, initialDelayMs: 500, maxDelayMs: 1_000 } }), noTls);
    expect(options.reconnectPeriod).toBe(0);
    expect(options.resubscribe).toBe(false);
  });

  it('omits username and password when empty or absent', () => {
    const empty = buildClientOptions(config({ username: '', password: '' }), noTls);
    expect('username' in empty).toBe(false);
    expect('password' in empty).toBe(false);
    const absent = buildClientOptions(config(), noTls);
    expect('username' in absent).toBe(false);
    expect('password' in absent).toBe(false);
  });

  it('passes username and password when set', () => {
    const options = buildClientOptions(config({ username: 'alice', password: 's3cret' }), noTls);
    expect(options.username).toBe('alice');
    expect(options.password).toBe('s3cret');
  });

  it('sends the will payload as a UTF-8 Buffer with its QoS and retain flag', () => {
    const options = buildClientOptions(
      config({ will: { topic: 'clients/me/status', payload: 'offline €', qos: 1, retain: true } }),
      noTls,
    );
    expect(options.will?.topic).toBe('clients/me/status');
    expect(Buffer.isBuffer(options.will?.payload)).toBe(true);
    expect((options.will?.payload as Buffer).toString('utf8')).toBe('offline €');
    expect(options.will?.qos).toBe(1);
    expect(options.will?.retain).toBe(true);
  });

  it('has no will when none is configured', () => {
    expect(buildClientOptions(config(), noTls).will).toBeUndefined();
  });

  it('sets sessionExpiryInterval and asks for Response Information only on MQTT 5', () => {
    expect(buildClientOptions(config({ mqttVersion: '5', sessionExpirySeconds: 3_600 }), noTls).properties).toEqual({
      requestResponseInformation: true,
      sessionExpiryInterval: 3_600,
    });
    expect(buildClientOptions(config({ mqttVersion: '5', sessionExpirySeconds: 0 }), noTls).properties).toEqual({
      requestResponseInformation: true,
      sessionExpiryInterval: 0,
    });
    expect(buildClientOptions(config({ mqttVersion: '3.1.1', sessionExpirySeconds: 3_600 }), noTls).properties).toBeUndefined();
    expect(buildClientOptions(config({ mqttVersion: '5' }), noTls).properties).toEqual({ requestResponseInformation: true });
  });
});

describe('buildClientOptions TLS', () => {
  const tlsConfig = { serverName: 'sni.example.com', alpnProtocols: ['mqtt', 'x-amzn-mqtt-ca'] };

  it.each(['mqtt', 'ws'] as const)('sets no TLS option for %s, even with TLS material and settings', (protocol) => {
    const options = buildClientOptions(config({ protocol, tls: { ...tlsConfig, verifyServerCertificate: false } }), material);
    for (const key of TLS_KEYS) expect(key in options, key).toBe(false);
  });

  it.each(['mqtts', 'wss'] as const)('passes CA, cert, key, passphrase, SNI and ALPN for %s', (protocol) => {
    const options = buildClientOptions(config({ protocol, tls: tlsConfig }), material);
    expect(options.rejectUnauthorized).toBe(true);
    expect(options.ca).toEqual(material.ca);
    expect(options.cert).toBe(material.cert);
    expect(options.key).toBe(material.key);
    expect(options.passphrase).toBe('key-pass');
    expect(options.servername).toBe('sni.example.com');
    expect(options.ALPNProtocols).toEqual(['mqtt', 'x-amzn-mqtt-ca']);
  });

  it('sets rejectUnauthorized false when certificate verification is off', () => {
    const options = buildClientOptions(config({ protocol: 'mqtts', tls: { verifyServerCertificate: false } }), noTls);
    expect(options.rejectUnauthorized).toBe(false);
  });

  it('leaves CA, cert, key, SNI and ALPN unset when there are none (system CAs, host as SNI)', () => {
    const options = buildClientOptions(config({ protocol: 'mqtts' }), noTls);
    expect(options.rejectUnauthorized).toBe(true);
    for (const key of ['ca', 'cert', 'key', 'passphrase', 'servername', 'ALPNProtocols'] as const) {
      expect(key in options, key).toBe(false);
    }
  });
});

describe('buildClientOptions websockets', () => {
  it('puts the websocket path and headers in place for ws', () => {
    const options = buildClientOptions(
      config({ protocol: 'ws', port: 8083, websocketPath: '/ws/mqtt', websocketHeaders: { Authorization: 'Bearer t' } }),
      noTls,
    );
    expect(options.path).toBe('/ws/mqtt');
    expect(options.wsOptions).toEqual({ headers: { Authorization: 'Bearer t' } });
  });

  it('uses the default /mqtt path', () => {
    expect(buildClientOptions(config({ protocol: 'ws' }), noTls).path).toBe('/mqtt');
  });

  it('does not set a websocket path or wsOptions for plain mqtt', () => {
    const options = buildClientOptions(config({ websocketHeaders: { A: 'b' } }), noTls);
    expect(options.path).toBeUndefined();
    expect(options.wsOptions).toBeUndefined();
  });

  it('copies SNI and ALPN into wsOptions for wss', () => {
    const options = buildClientOptions(
      config({
        protocol: 'wss',
        websocketHeaders: { 'X-Token': 'abc' },
        tls: { serverName: 'sni.example.com', alpnProtocols: ['http/1.1'] },
      }),
      noTls,
    );
    expect(options.wsOptions).toEqual({
      headers: { 'X-Token': 'abc' },
      servername: 'sni.example.com',
      ALPNProtocols: ['http/1.1'],
    });
  });

  it('does not put SNI or ALPN into wsOptions for plain ws', () => {
    const options = buildClientOptions(config({ protocol: 'ws', tls: { serverName: 'sni.example.com', alpnProtocols: ['http/1.1'] } }), noTls);
    expect(options.wsOptions).toEqual({ headers: {} });
  });

  it('does not share the headers object with the config', () => {
    const cfg = config({ protocol: 'ws', websocketHeaders: { A: '1' } });
    const options = buildClientOptions(cfg, noTls);
    (options.wsOptions as { headers: Record<string, string> }).headers.B = '2';
    expect(cfg.websocketHeaders).toEqual({ A: '1' });
  });
});

describe('describeConnection', () => {
  it('summarises URL, version, client ID, session and keepalive', () => {
    expect(describeConnection(config())).toBe(
      'Connecting to mqtt://broker.example.com:1883 (MQTT 3.1.1, client ID "topicscope_deadbeef", clean session, keepalive 60 s)',
    );
  });

  it('includes the websocket path for ws/wss and user and will when set', () => {
    const line = describeConnection(
      config({
        protocol: 'wss',
        port: 8084,
        mqttVersion: '5',
        cleanSession: false,
        username: 'alice',
        will: { topic: 'clients/alice' },
      }),
    );
    expect(line).toBe(
      'Connecting to wss://broker.example.com:8084/mqtt (MQTT 5, client ID "topicscope_deadbeef", persistent session, keepalive 60 s, user "alice", last will on "clients/alice")',
    );
  });

  it('says the broker assigns the client ID when it is empty', () => {
    expect(describeConnection(config({ clientId: '' }))).toContain('client ID assigned by the broker');
  });

  it('never contains the password, key passphrase or header secrets', () => {
    const line = describeConnection(
      config({
        protocol: 'wss',
        username: 'alice',
        password: 'hunter2-secret-pw',
        websocketHeaders: { Authorization: 'Bearer header-secret' },
        tls: { certFile: '/c.pem', keyFile: '/k.pem', keyPassphrase: 'passphrase-secret' },
      }),
    );
    expect(line).not.toContain('hunter2-secret-pw');
    expect(line).not.toContain('passphrase-secret');
    expect(line).not.toContain('header-secret');
    expect(line).toContain('user "alice"');
  });
});
