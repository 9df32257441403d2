import { describe, expect, it } from 'vitest';
import type { ConnectionConfigInput } from '../../shared/connection/connection-config';
import {
  DEFAULT_PORTS,
  connectionConfigSchema,
  usesTls,
  usesWebsocket,
} from '../../shared/connection/connection-config';

const minimal: ConnectionConfigInput = {
  protocol: 'mqtt',
  host: 'broker.example.com',
  port: 1883,
  clientId: 'topicscope_deadbeef',
};

function parse(overrides: Partial<ConnectionConfigInput> = {}) {
  return connectionConfigSchema.safeParse({ ...minimal, ...overrides });
}

/** The issues of a failed parse as "path: message" lines. */
function issues(overrides: Partial<ConnectionConfigInput>): string[] {
  const result = parse(overrides);
  expect(result.success).toBe(false);
  if (result.success) return [];
  return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('connectionConfigSchema defaults', () => {
  it('fills every default a minimal config leaves out', () => {
    const config = connectionConfigSchema.parse(minimal);
    expect(config.subscriptions).toEqual([
      { filter: '#', qos: 0 },
      { filter: '$SYS/#', qos: 0 },
    ]);
    expect(config.keepaliveSeconds).toBe(60);
    expect(config.cleanSession).toBe(true);
    expect(config.mqttVersion).toBe('3.1.1');
    expect(config.websocketPath).toBe('/mqtt');
    expect(config.websocketHeaders).toEqual({});
    expect(config.connectTimeoutMs).toBe(10_000);
    expect(config.reconnect).toEqual({ enabled: true, initialDelayMs: 1_000, maxDelayMs: 30_000 });
    expect(config.tls.verifyServerCertificate).toBe(true);
    expect(config.tls.caMode).toBe('add');
    expect(config.tls.alpnProtocols).toEqual([]);
    expect(config.will).toBeUndefined();
    expect(config.sessionExpirySeconds).toBeUndefined();
  });

  it('fills TLS defaults when only some TLS fields are given', () => {
    const config = connectionConfigSchema.parse({ ...minimal, tls: { caFile: ' /etc/ca.pem ' } });
    expect(config.tls).toMatchObject({ caFile: '/etc/ca.pem', caMode: 'add', verifyServerCertificate: true, alpnProtocols: [] });
  });

  it('fills subscription QoS and will defaults', () => {
    const config = connectionConfigSchema.parse({ ...minimal, subscriptions: [{ filter: 'a/+' }], will: { topic: 'clients/me' } });
    expect(config.subscriptions).toEqual([{ filter: 'a/+', qos: 0 }]);
    expect(config.will).toEqual({ topic: 'clients/me', payload: '', qos: 0, retain: false });
  });

  it('keeps values the user chose over defaults', () => {
    const config = connectionConfigSchema.parse({
      ...minimal,
      keepaliveSeconds: 0,
      cleanSession: false,
      mqttVersion: '5',
      subscriptions: [],
      tls: { verifyServerCertificate: false, caMode: 'replace' },
    });
    expect(config.keepaliveSeconds).toBe(0);
    expect(config.cleanSession).toBe(false);
    expect(config.mqttVersion).toBe('5');
    expect(config.subscriptions).toEqual([]);
    expect(config.tls.verifyServerCertificate).toBe(false);
    expect(config.tls.caMode).toBe('replace');
  });
});

describe('connectionConfigSchema port', () => {
  it.each([1, 1883, 65_535])('accepts port %d', (port) => {
    expect(parse({ port }).success).toBe(true);
  });

  it.each([0, -1, 65_536, 1883.5])('refuses port %d with the allowed range', (port) => {
    const found = issues({ port });
    expect(found.some((i) => i.startsWith('port: '))).toBe(true);
    if (Number.isInteger(port)) expect(found).toContain('port: The port must be between 1 and 65535.');
  });
});

describe('connectionConfigSchema host', () => {
  it('trims the host', () => {
    expect(connectionConfigSchema.parse({ ...minimal, host: '  broker.example.com ' }).host).toBe('broker.example.com');
  });

  it('refuses a URL, telling to choose the protocol in "Protocol"', () => {
    const found = issues({ host: 'mqtt://broker.example.com' });
    expect(found).toContain('host: Enter only the host name: choose the protocol in "Protocol".');
  });

  it('refuses an empty or blank host', () => {
    expect(issues({ host: '   ' })).toContain('host: Enter the broker host name or IP address.');
  });

  it('refuses spaces and slashes inside the host', () => {
    expect(issues({ host: 'broker example' })).toContain('host: The host name contains spaces or "/".');
    expect(issues({ host: 'broker/mqtt' })).toContain('host: The host name contains spaces or "/".');
  });

  it('accepts IPv4, IPv6 and names', () => {
    for (const host of ['127.0.0.1', '::1', 'localhost', 'broker.emqx.io']) {
      expect(parse({ host }).success, host).toBe(true);
    }
  });
});

describe('connectionConfigSchema cross-field rules', () => {
  it('refuses a client certificate without a key, pointing at the key field', () => {
    expect(issues({ tls: { certFile: '/tmp/client.pem' } })).toContain(
      'tls.keyFile: A client certificate needs its private key: set "Client key".',
    );
  });

  it('refuses a client key without a certificate, pointing at the certificate field', () => {
    expect(issues({ tls: { keyFile: '/tmp/client.key' } })).toContain(
      'tls.certFile: A client key needs its client certificate: set "Client certificate".',
    );
  });

  it('treats a blank certificate path as missing', () => {
    expect(issues({ tls: { certFile: '   ', keyFile: '/tmp/client.key' } })).toContain(
      'tls.certFile: A client key needs its client certificate: set "Client certificate".',
    );
  });

  it('accepts a certificate with its key', () => {
    expect(parse({ tls: { certFile: '/tmp/client.pem', keyFile: '/tmp/client.key' } }).success).toBe(true);
  });

  it.each(['alerts/+', 'alerts/#', '#'])('refuses a will topic with a wildcard (%j), prefixed "Last will"', (topic) => {
    const found = issues({ will: { topic } });
    expect(found.some((i) => i.startsWith('will.topic: Last will: ') && i.includes('wildcards'))).toBe(true);
  });

  it('refuses an empty will topic', () => {
    expect(issues({ will: { topic: '' } }).some((i) => i.startsWith('will.topic: Last will: The topic is empty'))).toBe(true);
  });

  it('refuses an empty client ID without clean session, at clientId', () => {
    expect(issues({ clientId: '', cleanSession: false })).toContain(
      'clientId: An empty client ID needs a clean session: turn on "Clean session" or enter a client ID.',
    );
  });

  it('accepts an empty client ID with clean session', () => {
    expect(parse({ clientId: '', cleanSession: true }).success).toBe(true);
    expect(parse({ clientId: '' }).success).toBe(true); // clean session is the default
  });

  it('refuses a longest reconnect delay shorter than the first', () => {
    expect(issues({ reconnect: { initialDelayMs: 5_000, maxDelayMs: 1_000 } })).toContain(
      'reconnect.maxDelayMs: The longest reconnect delay is shorter than the first one.',
    );
  });

  it('refuses invalid subscription filters and QoS', () => {
    expect(issues({ subscriptions: [{ filter: 'a/#/b', qos: 0 }] }).some((i) => i.startsWith('subscriptions.0.filter: '))).toBe(true);
    expect(issues({ subscriptions: [{ filter: 'a', qos: 3 as 0 }] })).toContain('subscriptions.0.qos: QoS must be 0, 1 or 2.');
  });

  it('refuses a websocket path without a leading "/"', () => {
    expect(issues({ websocketPath: 'mqtt' })).toContain('websocketPath: The websocket path starts with "/".');
  });
});

describe('protocol helpers', () => {
  it('knows which protocols use TLS and websockets', () => {
    expect([usesTls('mqtt'), usesTls('mqtts'), usesTls('ws'), usesTls('wss')]).toEqual([false, true, false, true]);
    expect([usesWebsocket('mqtt'), usesWebsocket('mqtts'), usesWebsocket('ws'), usesWebsocket('wss')]).toEqual([false, false, true, true]);
  });

  it('prefills the usual ports', () => {
    expect(DEFAULT_PORTS).toEqual({ mqtt: 1883, mqtts: 8883, ws: 8083, wss: 8084 });
  });
});
