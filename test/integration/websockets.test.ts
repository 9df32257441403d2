/** MQTT over websockets, plain and TLS, as used behind proxies and in browsers. */
import { describe, expect, it } from 'vitest';
import type { ConnectionConfigInput } from '../../shared/connection/connection-config';
import { connectionConfig, newPeer, newProbe, openConnected, sharedBroker, uniquePrefix } from './support';

const broker = sharedBroker();

describe('websockets', () => {
  it.each<[string, Partial<ConnectionConfigInput>]>([
    ['ws', { protocol: 'ws', port: broker.ports.ws }],
    ['wss', { protocol: 'wss', port: broker.ports.wss, host: 'localhost', tls: { caFile: broker.caFile } }],
  ])('%s on /mqtt connects and receives a message', async (name, overrides) => {
    const probe = newProbe();
    const prefix = uniquePrefix(`websocket-${name}`);
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { websocketPath: '/mqtt', ...overrides }));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    const peer = await newPeer(broker);

    await peer.publish(`${prefix}/via-websocket`, 'hello', { qos: 1 });
    const message = await probe.waitForMessage(connectionId, `${prefix}/via-websocket`);

    const connect = probe.logs(connectionId).find((l) => l.kind === 'connect');
    expect(connect?.text).toContain(`${name}://`);
    expect(connect?.text).toContain(`:${overrides.port}/mqtt`);
    expect(Buffer.from(message.payload).toString('utf8')).toBe('hello');
    expect(message.qos).toBe(1);
  });
});
