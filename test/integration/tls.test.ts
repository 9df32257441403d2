/** MQTT over TLS: trust, host names and SNI, against Mosquitto's TLS listener. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionConfigInput } from '../../shared/connection/connection-config';
import { connectionConfig, newPeer, newProbe, openConnected, sharedBroker, uniqueConnectionId, uniquePrefix } from './support';

const broker = sharedBroker();

function tlsConfig(prefix: string, tls: ConnectionConfigInput['tls'], host: string = broker.host): ConnectionConfigInput {
  return connectionConfig(broker, prefix, { protocol: 'mqtts', host, port: broker.ports.mqtts, tls });
}

describe('TLS (mqtts)', () => {
  it.each(['127.0.0.1', 'localhost'])('connects to %s with the CA file and receives messages', async (host) => {
    const probe = newProbe();
    const prefix = uniquePrefix('tls-ok');
    const connectionId = await openConnected(probe, tlsConfig(prefix, { caFile: broker.caFile }, host));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    const peer = await newPeer(broker);

    await peer.publish(`${prefix}/over-tls`, 'secret', { qos: 1 });
    const message = await probe.waitForMessage(connectionId, `${prefix}/over-tls`);

    expect(probe.lastStatus(connectionId)?.state).toBe('connected');
    expect(Buffer.from(message.payload).toString('utf8')).toBe('secret');
  });

  it('connects when the CA file replaces the system CAs', async () => {
    const probe = newProbe();
    const connectionId = await openConnected(probe, tlsConfig(uniquePrefix('tls-replace'), { caFile: broker.caFile, caMode: 'replace' }));
    expect(probe.lastStatus(connectionId)?.state).toBe('connected');
  });

  it.each<[string, ConnectionConfigInput['tls'], string]>([
    // The user set a file, so the message names that file rather than "set the CA file".
    ['a CA file of another CA', { caFile: broker.wrongCaFile }, `CA file "${broker.wrongCaFile}"`],
    ['no CA file (system CAs only)', {}, 'set the CA file'],
  ])('with %s, fails with TLS_UNKNOWN_CA, points at the CA file, and does not retry', async (_, tls, hint) => {
    const probe = newProbe();
    const connectionId = uniqueConnectionId();

    const result = await probe.dispatch('connection:open', { connectionId, config: tlsConfig(uniquePrefix('tls-unknown-ca'), tls) });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('TLS_UNKNOWN_CA');
    expect(result.error.message).toContain(hint);
    expect(probe.lastStatus(connectionId)).toEqual({ state: 'disconnected', error: result.error });
    // Retrying cannot fix trust: the user must change the settings.
    expect(probe.statuses(connectionId).some((s) => s.state === 'reconnecting')).toBe(false);
    expect(probe.registry.size).toBe(0);
  });

  it('with the wrong CA but verification off, connects anyway', async () => {
    const probe = newProbe();
    const config = tlsConfig(uniquePrefix('tls-noverify'), { caFile: broker.wrongCaFile, verifyServerCertificate: false });
    const connectionId = await openConnected(probe, config);
    expect(probe.lastStatus(connectionId)?.state).toBe('connected');
  });

  it('with an SNI server name the certificate does not cover, fails with TLS_HOSTNAME_MISMATCH naming it', async () => {
    const probe = newProbe();
    const connectionId = uniqueConnectionId();
    const config = tlsConfig(uniquePrefix('tls-sni'), { caFile: broker.caFile, serverName: 'wrong.example' });

    const result = await probe.dispatch('connection:open', { connectionId, config });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('TLS_HOSTNAME_MISMATCH');
    expect(result.error.message).toContain('"wrong.example"');
    expect(probe.statuses(connectionId).some((s) => s.state === 'reconnecting')).toBe(false);
  });
});

describe('TLS file fields naming something that is not a certificate file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topicscope-it-tls-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function openWithCa(probe: ReturnType<typeof newProbe>, caFile: string) {
    const connectionId = uniqueConnectionId();
    const started = performance.now();
    const result = await probe.dispatch('connection:open', { connectionId, config: tlsConfig(uniquePrefix('tls-not-a-file'), { caFile }) });
    return { connectionId, result, ms: performance.now() - started };
  }

  it('CA file /dev/zero: FILE_UNREADABLE at once, no connection attempted, and the core still connects afterwards', async () => {
    const probe = newProbe();
    const { connectionId, result, ms } = await openWithCa(probe, '/dev/zero');

    expect(ms).toBeLessThan(2_000);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('FILE_UNREADABLE');
    expect(result.error.message).toBe('The CA file "/dev/zero" is not a regular file (a character device): choose the CA file itself.');
    expect(probe.lastStatus(connectionId)).toEqual({ state: 'disconnected', error: result.error });
    expect(probe.clientsCreated).toBe(0);
    expect(process.memoryUsage().rss).toBeLessThan(1024 * 1024 * 1024);

    const good = await openConnected(probe, tlsConfig(uniquePrefix('tls-after-zero'), { caFile: broker.caFile }, 'localhost'));
    expect(probe.lastStatus(good)?.state).toBe('connected');
  });

  it('four FIFOs as CA files at once are refused without waiting, and file reads and DNS lookups still work', async () => {
    const probe = newProbe();
    const fifos = [1, 2, 3, 4].map((n) => {
      const path = join(dir, `ca-${n}.pem`);
      execFileSync('mkfifo', [path]);
      return path;
    });
    const attempts = await Promise.all(fifos.map((fifo) => openWithCa(probe, fifo)));

    for (const { result, ms } of attempts) {
      expect(ms).toBeLessThan(2_000);
      expect(result.ok ? 'connected' : result.error.message).toContain('is not a regular file (a named pipe (FIFO))');
    }
    // "localhost" goes through getaddrinfo on libuv's thread pool, as the CA file read does.
    const good = await openConnected(probe, tlsConfig(uniquePrefix('tls-after-fifo'), { caFile: broker.caFile }, 'localhost'));
    expect(probe.lastStatus(good)?.state).toBe('connected');
  });
});
