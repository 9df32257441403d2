/** Publishing from the app: acknowledgement per QoS, and what other clients receive. */
import { describe, expect, it } from 'vitest';
import type { QoS } from '../../shared/mqtt/mqtt-message';
import { clearRetainedAfterTest, connectionConfig, newPeer, newProbe, openConnected, sharedBroker, uniquePrefix } from './support';

const broker = sharedBroker();

describe('publishing', () => {
  it.each<[QoS, boolean]>([
    [0, false],
    [1, true],
    [2, true],
  ])('QoS %s resolves with acknowledged %s and another client receives it once', async (qos, acknowledged) => {
    const probe = newProbe();
    const prefix = uniquePrefix(`publish-qos${qos}`);
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [] }));
    const peer = await newPeer(broker);
    await peer.subscribe(`${prefix}/#`, 2);
    const topic = `${prefix}/command`;

    const result = await probe.dispatch('message:publish', { connectionId, topic, payload: 'go', qos, retain: false });
    await peer.waitForMessage(topic);
    // A duplicate would come before a later message of the same QoS. (Same QoS matters:
    // mqtt.js hands over a QoS 2 message only after PUBREL, so a QoS 1 one can overtake it.)
    await probe.dispatch('message:publish', { connectionId, topic: `${prefix}/sentinel`, payload: '', qos, retain: false });
    await peer.waitForMessage(`${prefix}/sentinel`);

    expect(result).toEqual({ ok: true, value: { acknowledged } });
    const copies = peer.messagesOn(topic);
    expect(copies).toHaveLength(1);
    expect(copies[0]?.payload.toString('utf8')).toBe('go');
    expect(copies[0]?.packet.qos).toBe(qos);
    expect(copies[0]?.packet.retain).toBe(false);
  });

  it('binary payloads arrive byte for byte', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('publish-binary');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [] }));
    const peer = await newPeer(broker);
    await peer.subscribe(`${prefix}/#`, 1);
    const bytes = new Uint8Array([0, 1, 0xfe, 0xff, 0x80]);

    const result = await probe.dispatch('message:publish', { connectionId, topic: `${prefix}/raw`, payload: bytes, qos: 1, retain: false });
    const message = await peer.waitForMessage(`${prefix}/raw`);

    expect(result.ok).toBe(true);
    expect([...message.payload]).toEqual([...bytes]);
  });

  it('a retained publish reaches a client that subscribes later, flagged retained', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('publish-retained');
    const topic = `${prefix}/config`;
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [] }));

    const result = await probe.dispatch('message:publish', { connectionId, topic, payload: 'v2', qos: 1, retain: true });
    clearRetainedAfterTest(broker, topic);
    const latecomer = await newPeer(broker);
    await latecomer.subscribe(`${prefix}/#`, 1);
    const message = await latecomer.waitForMessage(topic);

    expect(result).toEqual({ ok: true, value: { acknowledged: true } });
    expect(message.packet.retain).toBe(true);
    expect(message.payload.toString('utf8')).toBe('v2');
  });

  it('publishing on a connection that does not exist: UNKNOWN_CONNECTION', async () => {
    const probe = newProbe();
    const result = await probe.dispatch('message:publish', { connectionId: 'nobody', topic: 'a', payload: 'x', qos: 0, retain: false });
    expect(result.ok ? 'published' : result.error.code).toBe('UNKNOWN_CONNECTION');
  });
});
