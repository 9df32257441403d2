/**
 * Request/response (MQTT 5) through the core's command dispatch against the harness
 * Mosquitto: an independent mqtt.js client answers each request on its response topic
 * with its correlation data, as a responder service would, and the core reports each
 * reply with its latency, or as uncorrelated.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { startMosquitto } from '../harness/mosquitto';
import type { CoreProbe } from '../harness/core-probe';
import { waitFor } from '../harness/wait-for';
import type { RequestReply } from '../../shared/publish/request-replies';
import { connectionConfig, newPeer, newProbe, openConnected, sharedBroker, uniquePrefix } from './support';

const broker = sharedBroker();
const text = (bytes: Uint8Array | null): string | null => (bytes === null ? null : new TextDecoder().decode(bytes));

function repliesOf(probe: CoreProbe, connectionId: string): RequestReply[] {
  return probe.events.flatMap((e) => (e.event === 'replies:batch' && e.payload.connectionId === connectionId ? e.payload.replies : []));
}

/** A responder service: answers every request on its response topic, echoing the correlation data. */
async function startResponder(requestFilter: string, answer: (payload: string) => string) {
  const responder = await newPeer(broker, { protocolVersion: 5 });
  responder.client.on('message', (_topic, payload, packet) => {
    const responseTopic = packet.properties?.responseTopic;
    if (!responseTopic) return;
    const correlationData = packet.properties?.correlationData;
    void responder.publish(responseTopic, answer(payload.toString()), { qos: 1, properties: correlationData ? { correlationData } : {} });
  });
  await responder.subscribe(requestFilter, 1);
  return responder;
}

describe('request/response', () => {
  it('subscribes to a generated response topic, correlates the reply and measures its latency; a stray reply is uncorrelated', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('request-replies');
    const clientId = `ts_rr_${Date.now().toString(36)}`;
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { mqttVersion: '5', clientId }));
    const responder = await startResponder(`${prefix}/req`, (payload) => `pong:${payload}`);

    const generated = await probe.dispatch('replies:response-topic', { connectionId });
    if (!generated.ok) throw new Error(generated.error.message);
    // Mosquitto sends no Response Information, so the topic is made from the client ID.
    expect(generated.value.basis).toBe('client-id');
    expect(generated.value.topic).toMatch(new RegExp(`^topicscope/reply/${clientId}/[a-z0-9]{8}$`));
    const responseTopic = generated.value.topic;

    const correlationData = new TextEncoder().encode('req-0001');
    const sent = await probe.dispatch('message:publish', {
      connectionId,
      topic: `${prefix}/req`,
      payload: 'ping',
      qos: 1,
      retain: false,
      properties: { responseTopic, correlationData },
      awaitReplies: true,
    });
    expect(sent).toEqual({ ok: true, value: { acknowledged: true, replies: { responseTopic, coveredBy: null } } });
    // The subscription was made before the request left, so even a fast responder's reply arrives.
    expect(probe.logs(connectionId).some((entry) => entry.kind === 'suback' && entry.filter === responseTopic)).toBe(true);

    const [reply] = await waitFor('the correlated reply', () => (repliesOf(probe, connectionId).length > 0 ? repliesOf(probe, connectionId) : undefined));
    expect(reply).toMatchObject({ topic: responseTopic, requestTopic: `${prefix}/req`, payloadSize: 'pong:ping'.length });
    expect(text(reply!.payload)).toBe('pong:ping');
    expect(text(reply!.correlationData)).toBe('req-0001');
    expect(reply!.latencyMs).toBeGreaterThan(0);
    expect(reply!.latencyMs).toBeLessThan(5_000);

    // A reply nobody asked for (another client's, or after a restart) on the same topic.
    await responder.publish(responseTopic, 'who asked?', { qos: 1, properties: { correlationData: Buffer.from('unknown') } });
    await waitFor('the uncorrelated reply', () => repliesOf(probe, connectionId)[1]);
    expect(repliesOf(probe, connectionId)[1]).toMatchObject({ topic: responseTopic, latencyMs: null, requestTopic: null });
    expect(text(repliesOf(probe, connectionId)[1]!.correlationData)).toBe('unknown');

    // Replies still reach the tree as ordinary messages.
    await probe.waitForMessage(connectionId, responseTopic);

    // Clearing leaves the subscription the app made; later messages there are no replies.
    expect(await probe.dispatch('replies:clear', { connectionId })).toEqual({ ok: true, value: { unsubscribed: [responseTopic] } });
    expect(probe.logs(connectionId).some((entry) => entry.kind === 'unsuback' && entry.filter === responseTopic)).toBe(true);
  });

  it('needs no subscription when the user\'s own covers the response topic', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('request-replies-covered');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { mqttVersion: '5' }));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    await startResponder(`${prefix}/req`, () => 'ok');
    const responseTopic = `${prefix}/replies/mine`;
    const sent = await probe.dispatch('message:publish', {
      connectionId,
      topic: `${prefix}/req`,
      payload: 'x',
      qos: 1,
      retain: false,
      properties: { responseTopic, correlationData: new Uint8Array([0xde, 0xad]) },
      awaitReplies: true,
    });
    expect(sent.ok && sent.value.replies).toEqual({ responseTopic, coveredBy: `${prefix}/#` });
    const reply = await waitFor('the reply', () => repliesOf(probe, connectionId)[0]);
    expect(reply.latencyMs).toBeGreaterThan(0);
    expect(Buffer.from(reply.correlationData ?? []).toString('hex')).toBe('dead');
    expect(probe.logs(connectionId).filter((entry) => entry.kind === 'suback' && entry.filter === responseTopic)).toEqual([]);
    expect(await probe.dispatch('replies:clear', { connectionId })).toEqual({ ok: true, value: { unsubscribed: [] } });
  });

  it('refuses to wait for replies without correlation data', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('request-replies-invalid');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { mqttVersion: '5' }));
    const sent = await probe.dispatch('message:publish', { connectionId, topic: `${prefix}/req`, payload: 'x', qos: 0, retain: false, properties: { responseTopic: `${prefix}/r` }, awaitReplies: true });
    expect(sent.ok).toBe(false);
    if (!sent.ok) expect(sent.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('Waiting for replies needs a response topic and correlation data') });
  });
});

describe('request/response on a broker that refuses subscriptions', () => {
  it('does not count a refused subscription as covering the response topic, and sends nothing when it cannot listen there', async () => {
    const refusing = await startMosquitto({ refuseSubscriptions: true });
    onTestFinished(() => refusing.stop());
    const probe = newProbe();
    const prefix = uniquePrefix('request-replies-refused');
    const connectionId = await openConnected(probe, connectionConfig(refusing, prefix, { mqttVersion: '5', subscriptions: [{ filter: '#', qos: 1 }] }));
    await expect.poll(() => probe.logs(connectionId).some((entry) => entry.kind === 'suback' && entry.filter === '#'), { timeout: 10_000 }).toBe(true);
    const responseTopic = `${prefix}/replies`;
    const sent = await probe.dispatch('message:publish', {
      connectionId,
      topic: `${prefix}/req`,
      payload: 'x',
      qos: 1,
      retain: false,
      properties: { responseTopic, correlationData: new Uint8Array([1]) },
      awaitReplies: true,
    });
    expect(sent).toMatchObject({ ok: false, error: { code: 'SUBSCRIPTION_REFUSED', reasonCode: 0x87 } });
    if (!sent.ok) expect(sent.error.message).toMatch(/^Could not subscribe to the response topic, so no reply would arrive; nothing was sent\./);
    expect(probe.logs(connectionId).some((entry) => entry.kind === 'suback' && entry.filter === responseTopic)).toBe(true);
  });
});
