/**
 * Bad arguments through the real command path: the schema refuses them with
 * INVALID_INPUT, and nothing happens on the network or in the registry.
 */
import { describe, expect, it } from 'vitest';
import { connectionConfig, newPeer, newProbe, openConnected, sharedBroker, uniqueConnectionId, uniquePrefix } from './support';

const broker = sharedBroker();

describe('invalid input through dispatchCommand', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['port 70000', { port: 70_000 }, /port: The port must be between 1 and 65535\./],
    ['an empty client ID with a persistent session', { clientId: '', cleanSession: false }, /clientId: An empty client ID needs a clean session/],
    ['a URL as host', { host: 'mqtt://127.0.0.1' }, /host: Enter only the host name/],
    ['a subscription filter with "#" in the middle', { subscriptions: [{ filter: 'a/#/b', qos: 0 }] }, /"#" must be a whole level and the last one/],
    // Resolved as "localhost" while shown as another host: the credentials would go there.
    ['a NUL inside the host', { host: 'localhost\u0000.broker.example' }, /host: The host contains an invisible control character \(U\+0000\) at position 10: retype it\./],
    ['a bidi override in the host', { host: '127.0.0.1\u202E' }, /host: The host contains an invisible text-direction character \(U\+202E\)/],
    ['a zero-width space in the user name', { username: 'admin\u200B' }, /username: The user name contains an invisible zero-width character \(U\+200B\)/],
  ])('connection:open with %s: INVALID_INPUT, no session, no connection attempted', async (_, overrides, message) => {
    const probe = newProbe();
    const connectionId = uniqueConnectionId();

    const result = await probe.dispatch('connection:open', { connectionId, config: { ...connectionConfig(broker, uniquePrefix('invalid')), ...overrides } });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_INPUT');
    expect(result.error.message).toMatch(message);
    expect(probe.registry.size).toBe(0);
    expect(probe.clientsCreated).toBe(0);
    expect(probe.events).toEqual([]);
  });

  it('an unknown command: INVALID_INPUT', async () => {
    const probe = newProbe();
    const result = await probe.dispatch('connection:explode' as 'connection:open', {});
    expect(result.ok ? 'ran' : result.error.code).toBe('INVALID_INPUT');
  });

  it('publish to a topic with "#" or subscribe to a broken filter: INVALID_INPUT, nothing sent, still connected', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('invalid-publish');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [] }));
    const peer = await newPeer(broker);
    await peer.subscribe(`${prefix}/#`, 1);
    const logsBefore = probe.logs(connectionId).length;

    const publish = await probe.dispatch('message:publish', { connectionId, topic: `${prefix}/#`, payload: 'x', qos: 1, retain: false });
    const subscribe = await probe.dispatch('subscription:add', { connectionId, filter: `${prefix}/a+`, qos: 0 });
    const badQos = await probe.dispatch('message:publish', { connectionId, topic: `${prefix}/qos`, payload: 'x', qos: 3, retain: false });
    // A valid publish after the refused ones: once the peer has it, anything sent before would be there too.
    await probe.dispatch('message:publish', { connectionId, topic: `${prefix}/sentinel`, payload: '', qos: 1, retain: false });
    await peer.waitForMessage(`${prefix}/sentinel`);

    expect(publish.ok ? 'published' : publish.error.code).toBe('INVALID_INPUT');
    expect(publish.ok ? '' : publish.error.message).toMatch(/wildcards are only allowed when subscribing/);
    expect(subscribe.ok ? 'subscribed' : subscribe.error.code).toBe('INVALID_INPUT');
    expect(badQos.ok ? 'published' : badQos.error.message).toMatch(/QoS must be 0, 1 or 2/);
    expect(peer.received.filter((m) => m.topic.startsWith(prefix)).map((m) => m.topic)).toEqual([`${prefix}/sentinel`]);
    expect(probe.logs(connectionId).slice(logsBefore)).toEqual([]);
    expect(probe.lastStatus(connectionId)?.state).toBe('connected');
  });

  it('opening an ID that is already open: INVALID_INPUT, the first connection stays', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('invalid-twice');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix));

    const again = await probe.dispatch('connection:open', { connectionId, config: connectionConfig(broker, prefix) });

    expect(again.ok ? 'opened' : again.error.code).toBe('INVALID_INPUT');
    expect(probe.clientsCreated).toBe(1);
    expect(probe.registry.size).toBe(1);
    expect(probe.lastStatus(connectionId)?.state).toBe('connected');
  });
});
