import { describe, expect, it } from 'vitest';
import { isIpAddress, sendsNoSni } from '../../shared/connection/sni';

describe('TLS without SNI', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.0.0.254', true],
    ['::1', true],
    ['fe80::1', true],
    ['broker.emqx.io', false],
    ['localhost', false],
    ['1.2.3', false],
    ['999.1.1.1', false],
    ['abc.emqxsl.com', false],
  ])('%s is an IP address: %s', (host, ip) => {
    expect(isIpAddress(host)).toBe(ip);
  });

  it('is what mqtts and wss to an IP address without an SNI server name send', () => {
    expect(sendsNoSni({ protocol: 'mqtts', host: '192.0.2.10', tls: {} })).toBe(true);
    expect(sendsNoSni({ protocol: 'wss', host: '192.0.2.10', tls: { serverName: '  ' } })).toBe(true);
  });

  it('not with a server name, a host name, or without TLS', () => {
    expect(sendsNoSni({ protocol: 'mqtts', host: '192.0.2.10', tls: { serverName: 'x.emqxsl.com' } })).toBe(false);
    expect(sendsNoSni({ protocol: 'mqtts', host: 'x.emqxsl.com', tls: {} })).toBe(false);
    expect(sendsNoSni({ protocol: 'mqtt', host: '192.0.2.10', tls: {} })).toBe(false);
    expect(sendsNoSni({ protocol: 'ws', host: '192.0.2.10', tls: {} })).toBe(false);
  });
});
