/**
 * Failures a user causes with a wrong port, protocol or file: each must come back as a
 * specific code and a sentence that says what to change.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError, Result } from '../../shared/ipc/app-error';
import { connectionConfigSchema, type ConnectionConfigInput } from '../../shared/connection/connection-config';
import type { ConnectionLogEntry, ConnectionStatus } from '../../shared/connection/connection-status';
import { MqttSession } from '../../electron/core/connection/mqtt-session';
import { freeLoopbackPort } from '../harness/mosquitto';
import { connectionConfig, newProbe, sharedBroker, uniqueClientId, uniqueConnectionId, uniquePrefix } from './support';

const broker = sharedBroker();

async function openExpectingFailure(config: ConnectionConfigInput): Promise<{ error: AppError; statuses: ConnectionStatus[] }> {
  const probe = newProbe();
  const connectionId = uniqueConnectionId();
  const result = await probe.dispatch('connection:open', { connectionId, config });
  if (result.ok) throw new Error(`Expected the connection to fail, but it connected.\n${probe.describe(connectionId)}`);
  expect(probe.lastStatus(connectionId)).toEqual({ state: 'disconnected', error: result.error });
  expect(probe.registry.size).toBe(0);
  return { error: result.error, statuses: probe.statuses(connectionId) };
}

describe('wrong port or protocol', () => {
  it('plain MQTT to the TLS port: CONNECTION_RESET asking whether this is a TLS port', async () => {
    const { error } = await openExpectingFailure(connectionConfig(broker, uniquePrefix('err'), { port: broker.ports.mqtts }));
    expect(error.code).toBe('CONNECTION_RESET');
    expect(error.message).toContain(`127.0.0.1:${broker.ports.mqtts}`);
    expect(error.message).toContain('is this a TLS port? Then choose mqtts (or wss).');
  });

  it('plain websocket to the TLS websocket port: CONNECTION_RESET asking whether this is a TLS port', async () => {
    const { error } = await openExpectingFailure(connectionConfig(broker, uniquePrefix('err'), { protocol: 'ws', port: broker.ports.wss }));
    expect(error.code).toBe('CONNECTION_RESET');
    expect(error.message).toContain('is this a TLS port?');
  });

  it('TLS websocket to the plain websocket port: TLS_FAILED asking whether this is a plain port', async () => {
    const config = connectionConfig(broker, uniquePrefix('err'), { protocol: 'wss', port: broker.ports.ws, tls: { caFile: broker.caFile } });
    const { error } = await openExpectingFailure(config);
    expect(error.code).toBe('TLS_FAILED');
    expect(error.message).toContain('is this a plain (non-TLS) port?');
  });

  it('TLS to the plain MQTT port: fails as reset during the handshake, pointing at port and protocol', async () => {
    const config = connectionConfig(broker, uniquePrefix('err'), { protocol: 'mqtts', port: broker.ports.mqtt, tls: { caFile: broker.caFile } });
    const { error } = await openExpectingFailure(config);
    expect(error.code).toBe('CONNECTION_RESET');
    expect(error.message).toContain('check the port and the protocol');
  });

  it('a port nothing listens on: CONNECTION_REFUSED naming host and port, no reconnect', async () => {
    const port = await freeLoopbackPort();
    const { error, statuses } = await openExpectingFailure(connectionConfig(broker, uniquePrefix('err'), { port }));
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    // Only an established connection that drops reconnects; a failed first attempt stops.
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'disconnected']);
  });
});

describe('TLS files (checked before any network traffic)', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'topicscope-files-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Opens an MqttSession directly, counting the mqtt.js clients it would create. */
  async function openSession(caFile: string): Promise<{ result: Result<{ sessionPresent: boolean }>; logs: ConnectionLogEntry[]; statuses: ConnectionStatus[]; clients: number }> {
    const config = connectionConfigSchema.parse({
      protocol: 'mqtts',
      host: broker.host,
      port: broker.ports.mqtts,
      clientId: uniqueClientId(),
      username: broker.username,
      password: broker.password,
      tls: { caFile },
    } satisfies ConnectionConfigInput);
    const logs: ConnectionLogEntry[] = [];
    const statuses: ConnectionStatus[] = [];
    let clients = 0;
    const session = new MqttSession(
      uniqueConnectionId(),
      config,
      { status: (s) => statuses.push(s), log: (l) => logs.push(l), messages: () => undefined },
      {
        createClient: () => {
          clients++;
          throw new Error('No client may be created when a TLS file is unusable.');
        },
      },
    );
    const result = await session.open();
    await session.close();
    return { result, logs, statuses, clients };
  }

  it('a CA file that does not exist: FILE_MISSING naming the path, and no connection attempted', async () => {
    const missing = join(dir, 'no-such-ca.pem');
    const { result, logs, statuses, clients } = await openSession(missing);

    expect(result.ok ? 'connected' : result.error.code).toBe('FILE_MISSING');
    expect(result.ok ? '' : result.error.message).toContain(`"${missing}"`);
    expect(clients).toBe(0);
    expect(logs.some((l) => l.kind === 'connect')).toBe(false);
    expect(statuses[1]).toMatchObject({ state: 'disconnected', error: { code: 'FILE_MISSING' } });
  });

  it('a CA file that is not PEM: FILE_NOT_PEM naming the path, and no connection attempted', async () => {
    const notPem = join(dir, 'notes.txt');
    await writeFile(notPem, 'this is not a certificate\n');
    const { result, clients } = await openSession(notPem);

    expect(result.ok ? 'connected' : result.error.code).toBe('FILE_NOT_PEM');
    expect(result.ok ? '' : result.error.message).toContain(`"${notPem}"`);
    expect(clients).toBe(0);
  });

  it('a CA file in DER form: FILE_NOT_PEM with the openssl command that converts it', async () => {
    const der = join(dir, 'ca.der');
    await writeFile(der, new X509Certificate(await readFile(broker.caFile)).raw);
    const { result, clients } = await openSession(der);

    expect(result.ok ? 'connected' : result.error.code).toBe('FILE_NOT_PEM');
    expect(result.ok ? '' : result.error.message).toContain('openssl x509 -inform der');
    expect(clients).toBe(0);
  });
});
