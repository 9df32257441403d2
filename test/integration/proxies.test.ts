/**
 * Connecting through real proxies started for these tests: Dante (SOCKS5) and tinyproxy
 * (HTTP CONNECT), each protocol through each, to the harness Mosquitto. Every test also
 * shows the traffic really went through the proxy: its log names the broker port.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ConnectionConfigInput, Protocol } from '../../shared/connection/connection-config';
import type { ProxyConfig } from '../../shared/connection/proxy-config';
import { freeLoopbackPort } from '../harness/mosquitto';
import { startHttpProxy, startSocksProxy, type RunningProxy } from '../harness/proxies';
import { waitFor } from '../harness/wait-for';
import { connectionConfig, newPeer, newProbe, openConnected, sharedBroker, uniqueConnectionId, uniquePrefix } from './support';

const broker = sharedBroker();
const PROTOCOLS: Protocol[] = ['mqtt', 'mqtts', 'ws', 'wss'];

let socks: RunningProxy;
let socksWithAuth: RunningProxy;
let http: RunningProxy;
let httpWithAuth: RunningProxy;

beforeAll(async () => {
  const brokerPorts = Object.values(broker.ports);
  [socks, socksWithAuth, http, httpWithAuth] = await Promise.all([
    startSocksProxy(),
    startSocksProxy({ auth: true }),
    startHttpProxy({ connectPorts: brokerPorts }),
    startHttpProxy({ auth: true, connectPorts: brokerPorts }),
  ]);
}, 30_000);

afterAll(async () => {
  await Promise.all([socks, socksWithAuth, http, httpWithAuth].map((p) => p?.stop()));
});

function proxyOf(running: RunningProxy, overrides: Partial<ProxyConfig> = {}): ProxyConfig {
  return {
    type: running.kind,
    host: running.host,
    port: running.port,
    ...(running.username !== undefined ? { username: running.username, password: running.password } : {}),
    ...overrides,
  };
}

/** A config for `protocol` to the harness broker through `proxy`; the broker is named "localhost" so only a proxy that resolves names can reach it. */
function throughProxy(protocol: Protocol, prefix: string, proxy: ProxyConfig, host = 'localhost'): ConnectionConfigInput {
  return connectionConfig(broker, prefix, {
    protocol,
    host,
    port: broker.ports[protocol],
    tls: { caFile: broker.caFile },
    proxy,
    reconnect: { enabled: false },
  });
}

/** The proxy's own log mentions the broker port once it passed a connection there. */
function proxyLogShowsBrokerPort(proxy: RunningProxy, port: number): boolean {
  const log = proxy.log();
  return proxy.kind === 'socks5' ? log.includes(`127.0.0.1.${port}`) : log.includes(`CONNECT localhost:${port}`);
}

/** Each proxy by what it is; read in the tests, once beforeAll started them. */
const PROXIES: Record<string, () => RunningProxy> = {
  SOCKS5: () => socks,
  'SOCKS5 with username and password': () => socksWithAuth,
  'HTTP CONNECT': () => http,
  'HTTP CONNECT with Basic auth': () => httpWithAuth,
};

describe.each(PROTOCOLS)('%s through a proxy', (protocol) => {
  it.each(Object.keys(PROXIES))('through %s: connects, subscribes and receives a message', async (name) => {
    const proxy = PROXIES[name]!();
    const probe = newProbe();
    const prefix = uniquePrefix(`proxy-${protocol}`);
    const connectionId = await openConnected(probe, throughProxy(protocol, prefix, proxyOf(proxy)));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    const peer = await newPeer(broker);

    await peer.publish(`${prefix}/through`, `via ${name}`, { qos: 1 });
    const message = await probe.waitForMessage(connectionId, `${prefix}/through`);

    expect(Buffer.from(message.payload).toString('utf8')).toBe(`via ${name}`);
    expect(probe.logs(connectionId).map((l) => l.text)).toContain(
      `Connecting through the ${proxy.kind === 'socks5' ? 'SOCKS5' : 'HTTP'} proxy at 127.0.0.1:${proxy.port}${proxy.username ? ` as user "${proxy.username}"` : ''}`,
    );
    await waitFor(`the ${name} proxy's log to show the broker port`, () => proxyLogShowsBrokerPort(proxy, broker.ports[protocol]), {
      diagnostics: () => proxy.log().slice(-1_500),
    });
  });
});

describe('TLS through a proxy', () => {
  it.each(['mqtts', 'wss'] as const)('%s to the broker by IP address: its certificate is checked against that address', async (protocol) => {
    const probe = newProbe();
    const prefix = uniquePrefix('proxy-tls-ip');
    const connectionId = await openConnected(probe, throughProxy(protocol, prefix, proxyOf(socks), '127.0.0.1'));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    expect(probe.lastStatus(connectionId)?.state).toBe('connected');
  });

  it('with another CA: the TLS error, not a proxy error (the tunnel worked)', async () => {
    const probe = newProbe();
    const config = { ...throughProxy('mqtts', uniquePrefix('proxy-tls-ca'), proxyOf(http)), tls: { caFile: broker.wrongCaFile } };
    const result = await probe.dispatch('connection:open', { connectionId: uniqueConnectionId(), config });
    expect(result.ok ? null : result.error.code).toBe('TLS_UNKNOWN_CA');
  });
});

describe('proxy failures', () => {
  it.each(['mqtt', 'wss'] as const)('SOCKS5 with a wrong password (%s): "authentication failed", not retried', async (protocol) => {
    const probe = newProbe();
    const connectionId = uniqueConnectionId();
    const config = { ...throughProxy(protocol, uniquePrefix('proxy-socks-auth'), proxyOf(socksWithAuth, { password: 'wrong' })), reconnect: { enabled: true } };

    const result = await probe.dispatch('connection:open', { connectionId, config });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('PROXY_AUTH_FAILED');
    expect(result.error.message).toBe(`SOCKS5 proxy at 127.0.0.1:${socksWithAuth.port}: authentication failed. Check the proxy user name and password.`);
    expect(probe.statuses(connectionId).some((s) => s.state === 'reconnecting')).toBe(false);
  });

  it('SOCKS5 that needs credentials, given none: says to set them', async () => {
    const probe = newProbe();
    const result = await probe.dispatch('connection:open', {
      connectionId: uniqueConnectionId(),
      config: throughProxy('mqtt', uniquePrefix('proxy-socks-none'), { type: 'socks5', host: '127.0.0.1', port: socksWithAuth.port }),
    });
    expect(result.ok ? null : result.error.message).toBe(
      `SOCKS5 proxy at 127.0.0.1:${socksWithAuth.port}: authentication failed, it needs a user name and password: set "Proxy username" and "Proxy password".`,
    );
  });

  it.each(['mqtts', 'ws'] as const)('HTTP proxy without credentials (%s): "proxy refused the connection (HTTP 407: proxy authentication required)"', async (protocol) => {
    const probe = newProbe();
    const result = await probe.dispatch('connection:open', {
      connectionId: uniqueConnectionId(),
      config: throughProxy(protocol, uniquePrefix('proxy-http-407'), { type: 'http', host: '127.0.0.1', port: httpWithAuth.port }),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('PROXY_AUTH_FAILED');
    expect(result.error.message).toBe(
      `HTTP proxy at 127.0.0.1:${httpWithAuth.port}: proxy refused the connection (HTTP 407: proxy authentication required). Set "Proxy username" and "Proxy password".`,
    );
  });

  it('HTTP proxy with a wrong password: an authentication failure, as the proxy answered it', async () => {
    const probe = newProbe();
    const connectionId = uniqueConnectionId();
    const config = { ...throughProxy('mqtt', uniquePrefix('proxy-http-auth'), proxyOf(httpWithAuth, { password: 'wrong' })), reconnect: { enabled: true } };

    const result = await probe.dispatch('connection:open', { connectionId, config });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('PROXY_AUTH_FAILED');
    // tinyproxy answers a wrong password with 401, not 407.
    expect(result.error.message).toBe(`HTTP proxy at 127.0.0.1:${httpWithAuth.port}: proxy refused the connection (HTTP 401: unauthorized). Check the proxy user name and password.`);
    expect(probe.statuses(connectionId).some((s) => s.state === 'reconnecting')).toBe(false);
  });

  it.each(['socks5', 'http'] as const)('a %s proxy that is down: "proxy unreachable", naming the proxy', async (type) => {
    const probe = newProbe();
    const connectionId = uniqueConnectionId();
    const port = await freeLoopbackPort();

    const result = await probe.dispatch('connection:open', { connectionId, config: throughProxy('mqtt', uniquePrefix('proxy-down'), { type, host: '127.0.0.1', port }) });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('PROXY_UNREACHABLE');
    expect(result.error.message).toBe(
      `${type === 'socks5' ? 'SOCKS5' : 'HTTP'} proxy at 127.0.0.1:${port}: proxy unreachable, nothing accepted the connection. Check the proxy port and that the proxy is running.`,
    );
  });

  it.each([
    // tinyproxy with no ConnectPort rule, so the CONNECT is tried (the shared one allows only the broker's ports).
    ['SOCKS5', () => Promise.resolve(socks)],
    ['HTTP', () => startHttpProxy()],
  ] as const)('the %s proxy is up but the broker behind it is not: says the proxy cannot reach the broker', async (name, proxyForTest) => {
    const proxy = await proxyForTest();
    if (proxy !== socks) onTestFinished(() => proxy.stop());
    const probe = newProbe();
    const closedPort = await freeLoopbackPort();
    const config = { ...throughProxy('mqtt', uniquePrefix('proxy-no-broker'), proxyOf(proxy)), port: closedPort };

    const result = await probe.dispatch('connection:open', { connectionId: uniqueConnectionId(), config });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('PROXY_REFUSED');
    expect(result.error.message).toMatch(new RegExp(`^${name} proxy at 127\\.0\\.0\\.1:${proxy.port}: the proxy (cannot reach the broker at|reached) localhost:${closedPort}`));
  });

  it('an HTTP proxy refusing the port (tinyproxy ConnectPort): "proxy refused the connection … (HTTP 403 …)"', async () => {
    const probe = newProbe();
    const port = await freeLoopbackPort();
    const config = { ...throughProxy('mqtt', uniquePrefix('proxy-403'), proxyOf(http)), port };
    const result = await probe.dispatch('connection:open', { connectionId: uniqueConnectionId(), config });
    expect(result.ok ? null : result.error.message).toMatch(new RegExp(`^HTTP proxy at 127\\.0\\.0\\.1:${http.port}: proxy refused the connection to localhost:${port} \\(HTTP 403: `));
  });
});

describe('the connection depends on the proxy', () => {
  it.each(['mqtt', 'wss'] as const)('Disconnect (%s) sends DISCONNECT through the tunnel: the broker logs a clean disconnect', async (protocol) => {
    const probe = newProbe();
    const prefix = uniquePrefix('proxy-disconnect');
    const config = throughProxy(protocol, prefix, proxyOf(socks));
    const connectionId = await openConnected(probe, config);
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);

    const closed = await probe.dispatch('connection:close', { connectionId });

    expect(closed.ok).toBe(true);
    await waitFor(`the broker to log that ${config.clientId} disconnected`, () => readFileSync(broker.logFile, 'utf8').includes(`Client ${config.clientId} disconnected.`), {
      diagnostics: () => readFileSync(broker.logFile, 'utf8').split('\n').filter((l) => l.includes(config.clientId)).join('\n'),
    });
  });


  it('stopping the proxy drops the connection, and reconnect attempts go to the proxy (now unreachable)', async () => {
    const own = await startSocksProxy();
    const probe = newProbe();
    const prefix = uniquePrefix('proxy-stop');
    const config = { ...throughProxy('mqtt', prefix, proxyOf(own)), reconnect: { enabled: true, initialDelayMs: 100, maxDelayMs: 200 } };
    const connectionId = await openConnected(probe, config);
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);

    await own.stop();

    await waitFor('the connection to drop and a reconnect to fail at the proxy', () => 
      probe.logs(connectionId).some((l) => l.kind === 'error' && l.text.startsWith(`SOCKS5 proxy at 127.0.0.1:${own.port}: proxy unreachable`)),
    );
    expect(probe.logs(connectionId).some((l) => l.text === `Reconnecting (attempt 1) through the SOCKS5 proxy at 127.0.0.1:${own.port}`)).toBe(true);
    expect(probe.lastStatus(connectionId)?.state).toBe('reconnecting');
  });
});
