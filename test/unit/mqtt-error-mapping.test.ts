import { describe, expect, it } from 'vitest';
import { isRetryable, mapConnectionError, mapPublishRefusal, mapServerDisconnect, mapSubscriptionRefusal, subackRefusalCode, withSniCause } from '../../electron/core/connection/mqtt-error-mapping';
import type { AppError, ErrorCode } from '../../shared/ipc/app-error';
import type { MqttVersion, Protocol } from '../../shared/connection/connection-config';

type Target = Parameters<typeof mapConnectionError>[1];

function target(overrides: { protocol?: Protocol; mqttVersion?: MqttVersion; serverName?: string; connectTimeoutMs?: number } = {}): Target {
  return {
    protocol: overrides.protocol ?? 'mqtt',
    host: 'broker.example.com',
    port: 1883,
    mqttVersion: overrides.mqttVersion ?? '3.1.1',
    connectTimeoutMs: overrides.connectTimeoutMs ?? 10_000,
    tls: overrides.serverName === undefined ? {} : { serverName: overrides.serverName },
  };
}

/** What mqtt.js rejects with when CONNACK carries a failure code. */
function connackError(code: number): Error & { code: number } {
  return Object.assign(new Error(`Connection refused: code ${code}`), { code });
}

/** What Node reports for socket and TLS failures. */
function nodeError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

describe('mapConnectionError: CONNACK codes', () => {
  it.each([
    ['3.1.1', 5],
    ['3.1.1', 4],
    ['3.1', 5],
    ['5', 135],
    ['5', 134],
  ] as const)('MQTT %s code %d → NOT_AUTHORIZED keeping the reason code', (mqttVersion, code) => {
    const error = mapConnectionError(connackError(code), target({ mqttVersion }));
    expect(error.code).toBe('NOT_AUTHORIZED');
    expect(error.reasonCode).toBe(code);
    expect(error.message).toBe('Not authorized: check username and password.');
    expect(error.detail).toBe(`Connection refused: code ${code}`);
  });

  it.each([
    ['3.1.1', 1, 'The broker does not support MQTT 3.1.1: connect with MQTT 5.'],
    ['3.1', 1, 'The broker does not support MQTT 3.1: connect with MQTT 3.1.1.'],
    ['5', 0x84, 'The broker does not support MQTT 5: connect with MQTT 3.1.1.'],
  ] as const)('MQTT %s code %d → PROTOCOL_VERSION_REFUSED naming the version to use, not retried', (mqttVersion, code, message) => {
    const error = mapConnectionError(connackError(code), target({ mqttVersion }));
    expect(error).toMatchObject({ code: 'PROTOCOL_VERSION_REFUSED', reasonCode: code, message });
    expect(isRetryable(error)).toBe(false);
  });

  it('code 2 on 3.1.1 → refused client ID', () => {
    const error = mapConnectionError(connackError(2), target());
    expect(error.code).toBe('CONNECTION_REFUSED_BY_BROKER');
    expect(error.message).toMatch(/rejected the client ID/);
  });

  it('an MQTT 5 reason code uses the spec reason text', () => {
    const error = mapConnectionError(connackError(0x8a), target({ mqttVersion: '5' }));
    expect(error.code).toBe('CONNECTION_REFUSED_BY_BROKER');
    expect(error.reasonCode).toBe(0x8a);
    expect(error.message).toBe('The broker refused the connection: Banned.');
  });

  it('codes 134/135 are not auth failures on 3.1.1 and 4/5 are not on 5', () => {
    expect(mapConnectionError(connackError(135), target()).code).toBe('CONNECTION_REFUSED_BY_BROKER');
    expect(mapConnectionError(connackError(5), target({ mqttVersion: '5' })).code).toBe('CONNECTION_REFUSED_BY_BROKER');
  });

  it('an unknown code is still reported with its number', () => {
    expect(mapConnectionError(connackError(99), target()).message).toMatch(/return code 99/);
    expect(mapConnectionError(connackError(250), target({ mqttVersion: '5' })).message).toMatch(/reason code 250/);
  });
});

describe('mapConnectionError: TLS', () => {
  it.each(['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'])(
    '%s → TLS_UNKNOWN_CA mentioning the CA file',
    (code) => {
      const error = mapConnectionError(nodeError(code, 'self-signed certificate in certificate chain'), target({ protocol: 'mqtts' }));
      expect(error.code).toBe('TLS_UNKNOWN_CA');
      expect(error.message).toMatch(/CA file/);
      expect(error.detail).toBe(`${code}: self-signed certificate in certificate chain`);
    },
  );

  it('ERR_TLS_CERT_ALTNAME_INVALID → TLS_HOSTNAME_MISMATCH naming the SNI name when set', () => {
    const error = mapConnectionError(
      nodeError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"),
      target({ protocol: 'mqtts', serverName: 'sni.example.com' }),
    );
    expect(error.code).toBe('TLS_HOSTNAME_MISMATCH');
    expect(error.message).toContain('"sni.example.com"');
    expect(error.message).not.toContain('"broker.example.com"');
  });

  it('ERR_TLS_CERT_ALTNAME_INVALID names the host without (or with an empty) SNI name', () => {
    for (const serverName of [undefined, '']) {
      const error = mapConnectionError(nodeError('ERR_TLS_CERT_ALTNAME_INVALID', 'x'), target({ protocol: 'mqtts', serverName }));
      expect(error.code).toBe('TLS_HOSTNAME_MISMATCH');
      expect(error.message).toContain('"broker.example.com"');
    }
  });

  it.each(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'])('%s → TLS_CERT_EXPIRED', (code) => {
    const error = mapConnectionError(nodeError(code, 'certificate has expired'), target({ protocol: 'mqtts' }));
    expect(error.code).toBe('TLS_CERT_EXPIRED');
    expect(error.message).toMatch(/expired/);
  });

  it('an OpenSSL "wrong version number" → TLS_FAILED asking whether this is a plain port', () => {
    const error = mapConnectionError(
      nodeError('ERR_SSL_WRONG_VERSION_NUMBER', 'C0A7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number'),
      target({ protocol: 'mqtts' }),
    );
    expect(error.code).toBe('TLS_FAILED');
    expect(error.message).toMatch(/plain \(non-TLS\) port/);
  });
});

describe('mapConnectionError: network', () => {
  it.each(['ENOTFOUND', 'EAI_AGAIN'])('%s → HOST_NOT_FOUND naming the host', (code) => {
    const error = mapConnectionError(nodeError(code, `getaddrinfo ${code} broker.example.com`), target());
    expect(error.code).toBe('HOST_NOT_FOUND');
    expect(error.message).toContain('"broker.example.com"');
  });

  it('ECONNREFUSED → CONNECTION_REFUSED with host:port', () => {
    const error = mapConnectionError(nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1883'), target());
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.message).toContain('broker.example.com:1883');
    expect(error.detail).toBe('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1883');
  });

  it.each(['mqtt', 'ws'] as const)('ECONNRESET on %s asks whether this is a TLS port', (protocol) => {
    const error = mapConnectionError(nodeError('ECONNRESET', 'read ECONNRESET'), target({ protocol }));
    expect(error.code).toBe('CONNECTION_RESET');
    expect(error.message).toContain('is this a TLS port?');
    expect(error.message).toContain('broker.example.com:1883');
  });

  it.each(['mqtts', 'wss'] as const)('ECONNRESET on %s asks about a plain port, not a TLS one', (protocol) => {
    const error = mapConnectionError(nodeError('ECONNRESET', 'read ECONNRESET'), target({ protocol }));
    expect(error.code).toBe('CONNECTION_RESET');
    expect(error.message).not.toContain('is this a TLS port');
    expect(error.message).toContain('is this a plain, non-TLS port? Then choose mqtt or ws');
    expect(error.message).toContain('broker.example.com:1883');
  });

  it('"connack timeout" → TIMEOUT with the configured seconds', () => {
    const error = mapConnectionError(new Error('connack timeout'), target({ connectTimeoutMs: 15_000 }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('within 15 s');
    expect(error.message).toContain('broker.example.com:1883');
    expect(error.detail).toBe('connack timeout');
  });

  it('ETIMEDOUT → TIMEOUT', () => {
    const error = mapConnectionError(nodeError('ETIMEDOUT', 'connect ETIMEDOUT'), target());
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('within 10 s');
  });

  it('anything else → UNEXPECTED keeping the original text, also for non-Error values', () => {
    const error = mapConnectionError(new Error('something odd'), target());
    expect(error.code).toBe('UNEXPECTED');
    expect(error.message).toContain('something odd');
    expect(mapConnectionError('plain string', target()).message).toContain('plain string');
    expect(mapConnectionError(undefined, target()).code).toBe('UNEXPECTED');
    expect(mapConnectionError(null, target()).code).toBe('UNEXPECTED');
  });
});

describe('isRetryable', () => {
  const error = (code: ErrorCode): AppError => ({ code, message: '' });

  it.each(['NOT_AUTHORIZED', 'TLS_UNKNOWN_CA', 'TLS_HOSTNAME_MISMATCH', 'TLS_CERT_EXPIRED', 'FILE_MISSING', 'FILE_UNREADABLE', 'FILE_NOT_PEM'] as const)(
    'does not retry %s',
    (code) => {
      expect(isRetryable(error(code))).toBe(false);
    },
  );

  it.each(['CONNECTION_LOST', 'CONNECTION_REFUSED', 'CONNECTION_RESET', 'TIMEOUT', 'HOST_NOT_FOUND'] as const)('retries %s', (code) => {
    expect(isRetryable(error(code))).toBe(true);
  });

  it('agrees with mapConnectionError on real failures', () => {
    expect(isRetryable(mapConnectionError(connackError(5), target()))).toBe(false);
    expect(isRetryable(mapConnectionError(nodeError('SELF_SIGNED_CERT_IN_CHAIN', 'x'), target()))).toBe(false);
    expect(isRetryable(mapConnectionError(nodeError('ECONNREFUSED', 'x'), target()))).toBe(true);
  });
});

describe('mapSubscriptionRefusal', () => {
  it('SUBACK 0x80 on "$SYS/#" explains the EMQX default ACL', () => {
    const error = mapSubscriptionRefusal('$SYS/#', 0x80);
    expect(error.code).toBe('SUBSCRIPTION_REFUSED');
    expect(error.reasonCode).toBe(0x80);
    expect(error.message).toContain('"$SYS/#"');
    expect(error.message).toContain('EMQX');
  });

  it('SUBACK 0x80 on another filter points at the ACL, not EMQX', () => {
    const error = mapSubscriptionRefusal('factory/#', 0x80);
    expect(error.code).toBe('SUBSCRIPTION_REFUSED');
    expect(error.message).toContain('"factory/#"');
    expect(error.message).toContain('ACL');
    expect(error.message).not.toContain('EMQX');
  });

  it('an MQTT 5 reason code is named', () => {
    const error = mapSubscriptionRefusal('a/b', 0x87);
    expect(error.reasonCode).toBe(0x87);
    expect(error.message).toContain('(Not authorized)');
    expect(mapSubscriptionRefusal('a/#', 0xa2).message).toContain('(Wildcard Subscriptions not supported)');
  });
});

describe('subackRefusalCode', () => {
  it("reads the refusal from the SUBACK mqtt.js v5 keeps on its error, or from a numeric code", () => {
    // What subscribeAsync rejects with: the code is only in the packet.
    const rejected = Object.assign(new Error('Subscribe error: Not authorized'), { packet: { cmd: 'suback', granted: [0x87] } });
    expect(subackRefusalCode(rejected)).toBe(0x87);
    expect(subackRefusalCode(Object.assign(new Error('Subscribe error'), { code: 0x80 }))).toBe(0x80);
    expect(subackRefusalCode(new Error('Connection closed'))).toBeUndefined();
    expect(subackRefusalCode(Object.assign(new Error('Protocol error'), { packet: { granted: [1] } }))).toBeUndefined();
  });
});

describe('EMQX\'s answers explained', () => {
  it('a publish refused with PUBACK 0x87 says "Not authorized" and why, keeping the code', () => {
    const error = mapPublishRefusal('plant/valve', 0x87, 'Publish error: Not authorized');
    expect(error).toMatchObject({ code: 'PUBLISH_REFUSED', reasonCode: 0x87, detail: 'Publish error: Not authorized' });
    expect(error.message).toMatch(/^The broker refused the message to "plant\/valve": Not authorized \(0x87\): The broker's ACL/);
  });

  it('a DISCONNECT 0x8E names the other client with the same ID, and is not reconnected (the two would evict each other)', () => {
    const error = mapServerDisconnect(0x8e);
    expect(error).toMatchObject({ code: 'CONNECTION_LOST', reasonCode: 0x8e });
    expect(error.message).toMatch(/^The broker disconnected this client: Session taken over \(0x8e\): Another client connected with the same client ID/);
    expect(isRetryable(error)).toBe(false);
    expect(isRetryable(mapServerDisconnect(0x89))).toBe(true);
  });

  it('a DISCONNECT keeps the broker\'s own reason string and the server it points to', () => {
    const error = mapServerDisconnect(0x9c, { reasonString: 'maintenance', serverReference: 'b2.example.com' });
    expect(error.message).toContain('Use another server (0x9c)');
    expect(error.message).toContain('It names "b2.example.com".');
    expect(error.message).toContain('The broker says: "maintenance".');
  });

  it.each([
    [0x97, /limit on subscriptions per client \(EMQX Cloud Serverless allows 10\)/],
    [0x8f, /limit on levels per topic filter \(EMQX Cloud Serverless allows 10\)/],
  ])('SUBACK 0x%s names the likely limit', (code, limit) => {
    expect(mapSubscriptionRefusal('a/b', code).message).toMatch(limit);
  });

  it('a refused "#" says that "+" with "+/+/#" receives the same topics', () => {
    expect(mapSubscriptionRefusal('#', 0x87).message).toContain('"+" together with "+/+/#" receives the same topics');
  });
});

describe('TLS without SNI as the likely cause', () => {
  const ipTarget = { ...target({ protocol: 'mqtts' }), host: '192.0.2.10', port: 8883 };

  it('a reset TLS handshake to an IP address without a server name names SNI', () => {
    const error = mapConnectionError(nodeError('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established'), ipTarget);
    expect(error.code).toBe('CONNECTION_RESET');
    expect(error.message).toMatch(/Likely cause: no server name \(SNI\) was sent, because the host is an IP address/);
  });

  it('not when a server name is set, or the host is a name', () => {
    const reset = nodeError('ECONNRESET', 'socket hang up');
    expect(mapConnectionError(reset, { ...ipTarget, tls: { serverName: 'x.emqxsl.com' } }).message).not.toMatch(/SNI\) was sent/);
    expect(mapConnectionError(reset, target({ protocol: 'mqtts' })).message).not.toMatch(/SNI\) was sent/);
  });

  it('a connection closed before CONNACK gets the same cause', () => {
    const closed = withSniCause({ code: 'CONNECTION_RESET', message: 'The connection closed before the broker answered.' }, ipTarget);
    expect(closed.message).toMatch(/^The connection closed before the broker answered\. Likely cause: no server name \(SNI\)/);
  });
});
