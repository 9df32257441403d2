/** Plain MQTT over TCP: connecting, the protocol log, and messages as the renderer gets them. */
import { describe, expect, it } from 'vitest';
import type { MqttVersion } from '../../shared/connection/connection-config';
import { clearRetainedAfterTest, connectionConfig, newPeer, newProbe, openConnected, sharedBroker, uniqueConnectionId, uniquePrefix } from './support';

const broker = sharedBroker();

describe('TCP connection with username and password', () => {
  it('reports connecting then connected, logs the CONNACK, and disconnects cleanly', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('tcp-status');
    const connectionId = uniqueConnectionId();
    const config = connectionConfig(broker, prefix);

    const result = await probe.dispatch('connection:open', { connectionId, config });

    expect(result).toEqual({ ok: true, value: { sessionPresent: false } });
    expect(probe.statuses(connectionId).map((s) => s.state)).toEqual(['connecting', 'connected']);
    const connect = probe.logs(connectionId).find((l) => l.kind === 'connect');
    expect(connect?.text).toContain(`mqtt://127.0.0.1:${broker.ports.mqtt}`);
    expect(connect?.text).toContain(`user "${broker.username}"`);
    // The log is shown to the user and may be copied into bug reports.
    expect(connect?.text).not.toContain(broker.password);
    const connack = probe.logs(connectionId).find((l) => l.kind === 'connack');
    expect(connack).toMatchObject({ reasonCode: 0, text: expect.stringContaining('CONNACK accepted') });

    expect(await probe.dispatch('connection:close', { connectionId })).toEqual({ ok: true, value: {} });
    expect(probe.lastStatus(connectionId)).toEqual({ state: 'disconnected' });
    expect(probe.registry.size).toBe(0);
  });

  it.each<MqttVersion>(['3.1', '3.1.1', '5'])('MQTT %s: a message from another client arrives with topic, bytes, QoS and time', async (mqttVersion) => {
    const probe = newProbe();
    const prefix = uniquePrefix(`tcp-receive-${mqttVersion}`);
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { mqttVersion }));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    const peer = await newPeer(broker);
    const topic = `${prefix}/sensor/temperature`;
    // Not valid UTF-8 on purpose: the payload must arrive as bytes, untouched.
    const payload = Buffer.from([0x00, 0xff, 0x41, 0x0a]);
    const before = Date.now();

    await peer.publish(topic, payload, { qos: 1 });
    const message = await probe.waitForMessage(connectionId, topic);

    expect(message.topic).toBe(topic);
    expect(message.payload).toBeInstanceOf(Uint8Array);
    expect([...message.payload]).toEqual([...payload]);
    expect(message.payloadSize).toBe(4);
    expect(message.qos).toBe(1);
    expect(message.retain).toBe(false);
    expect(message.coalesced).toBe(0);
    expect(message.receivedAt).toBeGreaterThanOrEqual(before);
    expect(message.receivedAt).toBeLessThanOrEqual(Date.now());
    const batch = probe.batches(connectionId).find((b) => b.messages.includes(message));
    expect(batch).toMatchObject({ connectionId, coalesced: 0, truncated: 0 });
  });

  it('a retained message published before connecting arrives with retain true', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('tcp-retained');
    const topic = `${prefix}/state`;
    const peer = await newPeer(broker);
    await peer.publish(topic, 'on', { qos: 1, retain: true });
    clearRetainedAfterTest(broker, topic);

    const connectionId = await openConnected(probe, connectionConfig(broker, prefix));
    const message = await probe.waitForMessage(connectionId, topic);

    expect(message.retain).toBe(true);
    expect(Buffer.from(message.payload).toString('utf8')).toBe('on');
  });

  it('MQTT 5 with an empty client ID: the log shows the ID the broker assigned', async () => {
    const probe = newProbe();
    const connectionId = await openConnected(probe, connectionConfig(broker, uniquePrefix('tcp-assigned'), { mqttVersion: '5', clientId: '' }));

    const connect = probe.logs(connectionId).find((l) => l.kind === 'connect');
    const connack = probe.logs(connectionId).find((l) => l.kind === 'connack');
    expect(connect?.text).toContain('client ID assigned by the broker');
    // Mosquitto names assigned clients "auto-" followed by a UUID.
    expect(connack?.text).toMatch(/client ID assigned by the broker: "auto-[0-9A-Fa-f-]+"/);
  });

  it('with the default subscriptions, $SYS/broker/uptime arrives', async () => {
    const probe = newProbe();
    const config = connectionConfig(broker, uniquePrefix('tcp-sys'));
    delete config.subscriptions;

    const connectionId = await openConnected(probe, config);
    const uptime = await probe.waitForMessage(connectionId, '$SYS/broker/uptime', { timeoutMs: 15_000 });

    expect(Buffer.from(uptime.payload).toString('utf8')).toMatch(/^\d+ seconds$/);
    expect(probe.subackCount(connectionId, '#')).toBe(1);
    expect(probe.subackCount(connectionId, '$SYS/#')).toBe(1);
  });
});
