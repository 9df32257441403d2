/** MQTT 5 publish properties reach the renderer as sent; MQTT 3.1.1 has none to show. */
import { describe, expect, it } from 'vitest';
import { connectionConfig, newPeer, newProbe, openConnected, sharedBroker, uniquePrefix } from './support';

const broker = sharedBroker();

describe('MQTT 5 message properties', () => {
  it('a message with user properties, content type and more arrives with them', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('mqtt5-props');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { mqttVersion: '5' }));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    const peer = await newPeer(broker, { protocolVersion: 5 });
    const topic = `${prefix}/device/1`;

    await peer.publish(topic, '{"on":true}', {
      qos: 1,
      properties: {
        contentType: 'application/json',
        payloadFormatIndicator: true,
        responseTopic: `${prefix}/reply`,
        correlationData: Buffer.from([1, 2, 3]),
        messageExpiryInterval: 3_600,
        userProperties: { site: 'lab', tag: ['a', 'b'] },
      },
    });
    const message = await probe.waitForMessage(connectionId, topic);

    expect(message.properties).toMatchObject({
      contentType: 'application/json',
      payloadFormatIndicator: true,
      responseTopic: `${prefix}/reply`,
      userProperties: { site: 'lab', tag: ['a', 'b'] },
    });
    expect([...(message.properties?.correlationData ?? [])]).toEqual([1, 2, 3]);
    // The broker forwards the remaining lifetime, which may have ticked down a second.
    expect(message.properties?.messageExpiryInterval).toBeGreaterThan(3_590);
    expect(message.properties?.messageExpiryInterval).toBeLessThanOrEqual(3_600);
  });

  it('the same message received over MQTT 3.1.1 has no properties', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('mqtt311-props');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { mqttVersion: '3.1.1' }));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    const peer = await newPeer(broker, { protocolVersion: 5 });

    await peer.publish(`${prefix}/device/1`, 'x', { qos: 1, properties: { contentType: 'text/plain', userProperties: { a: 'b' } } });
    const message = await probe.waitForMessage(connectionId, `${prefix}/device/1`);

    expect(message.properties).toBeUndefined();
  });
});
