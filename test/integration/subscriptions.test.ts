/** Subscribing and unsubscribing while connected, through the command path. */
import { describe, expect, it } from 'vitest';
import { connectionConfig, newPeer, newProbe, openConnected, sharedBroker, uniquePrefix } from './support';

const broker = sharedBroker();

describe('subscriptions while connected', () => {
  it('an added filter gets messages with its granted QoS; once removed, none arrive', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('subs');
    const unrelated = `${prefix}/unrelated/#`;
    const added = `${prefix}/added/#`;
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [{ filter: unrelated, qos: 1 }] }));
    await probe.waitForSubscribed(connectionId, [unrelated]);
    const peer = await newPeer(broker);

    // Not subscribed yet: a later message on the unrelated filter shows this one was skipped.
    await peer.publish(`${prefix}/added/early`, 'too early', { qos: 1 });
    await peer.publish(`${prefix}/unrelated/sentinel-1`, '1', { qos: 1 });
    await probe.waitForMessage(connectionId, `${prefix}/unrelated/sentinel-1`);
    expect(probe.messages(connectionId, `${prefix}/added/early`)).toEqual([]);

    const subscribed = await probe.dispatch('subscription:add', { connectionId, filter: added, qos: 2 });
    expect(subscribed).toEqual({ ok: true, value: { grantedQos: 2 } });
    expect(probe.logs(connectionId).some((l) => l.kind === 'suback' && l.text.includes(`"${added}"`) && l.reasonCode === 2)).toBe(true);

    await peer.publish(`${prefix}/added/a`, 'a', { qos: 2 });
    const received = await probe.waitForMessage(connectionId, `${prefix}/added/a`);
    expect(received.qos).toBe(2);

    const removed = await probe.dispatch('subscription:remove', { connectionId, filter: added });
    expect(removed).toEqual({ ok: true, value: {} });
    expect(probe.logs(connectionId).some((l) => l.kind === 'unsuback' && l.text.includes(`"${added}"`))).toBe(true);

    // One publisher, one subscriber: the broker keeps the order, so once the sentinel is
    // here, a message on the removed filter would have been here too.
    await peer.publish(`${prefix}/added/b`, 'b', { qos: 1 });
    await peer.publish(`${prefix}/unrelated/sentinel-2`, '2', { qos: 1 });
    await probe.waitForMessage(connectionId, `${prefix}/unrelated/sentinel-2`);
    expect(probe.messages(connectionId, `${prefix}/added/b`)).toEqual([]);
    expect(probe.lastStatus(connectionId)?.state).toBe('connected');
  });

  it('the broker grants the QoS asked for, up to 2', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('subs-qos');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [] }));

    const grants = await Promise.all(
      ([0, 1, 2] as const).map((qos) => probe.dispatch('subscription:add', { connectionId, filter: `${prefix}/q${qos}/+`, qos })),
    );

    expect(grants).toEqual([0, 1, 2].map((grantedQos) => ({ ok: true, value: { grantedQos } })));
  });

  it('adding a subscription on a connection that does not exist: UNKNOWN_CONNECTION', async () => {
    const probe = newProbe();
    const result = await probe.dispatch('subscription:add', { connectionId: 'nobody', filter: 'a/#', qos: 0 });
    expect(result.ok ? 'subscribed' : result.error.code).toBe('UNKNOWN_CONNECTION');
  });
});
