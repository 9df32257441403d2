/**
 * Clearing retained messages by filter through the core: the dry run finds retained
 * messages the app never saw, the clear removes exactly those, and a topic the broker
 * will not let the user clear is listed as a failure, in MQTT 3.1.1 and 5. The broker's
 * state is checked with mosquitto_sub, not with the app.
 */
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type BrokerInfo, type MosquittoBroker } from '../harness/mosquitto';
import { MqttPeer } from '../harness/mqtt-peer';
import { retainedTopicsOnBroker } from '../harness/retained-on-broker';
import { STILL_RETAINED_REASON } from '../../electron/core/retained/retained-jobs';
import { connectionConfig, newPeer, newProbe, openConnected, sharedBroker, uniquePrefix } from './support';

const broker = sharedBroker();

async function seedRetained(on: BrokerInfo, topics: string[], clientId?: string): Promise<void> {
  const peer = await MqttPeer.connect(on, clientId ? { clientId } : {});
  await Promise.all(topics.map((topic) => peer.publish(topic, `value of ${topic}`, { qos: 1, retain: true })));
  await peer.end();
}

describe.each(['3.1.1', '5'] as const)('clearing retained messages by filter, MQTT %s', (mqttVersion) => {
  it('finds retained messages the app never saw, clears them, and leaves the rest', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix(`clear-${mqttVersion}`);
    const matching = Array.from({ length: 250 }, (_, i) => `${prefix}/devices/d${String(i).padStart(3, '0')}/status`);
    const untouched = [`${prefix}/devices/d001/config`, `${prefix}/other/status`];
    await seedRetained(broker, [...matching, ...untouched]);
    const filter = `${prefix}/devices/+/status`;
    expect(await retainedTopicsOnBroker(broker, filter)).toHaveLength(250);
    // The app's own subscription covers the same topics; finding must not replace or end it.
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { mqttVersion, subscriptions: [{ filter: `${prefix}/live/#`, qos: 1 }] }));

    const found = await probe.dispatch('retained:find', { connectionId, filter });
    expect(found).toMatchObject({ ok: true, value: { truncated: false, ended: 'quiet' } });
    if (!found.ok) return;
    expect(found.value.topics).toEqual([...matching].sort());

    const cleared = await probe.dispatch('retained:clear', { connectionId, filter, topics: found.value.topics });
    expect(cleared).toMatchObject({ ok: true, value: { cleared: 250, failures: [], notSent: 0, ended: 'done', remaining: 0 } });
    const progress = probe.events.flatMap((e) => (e.event === 'retained:clear-progress' ? [e.payload] : []));
    expect(progress.at(-1)).toEqual({ connectionId, done: 250, failed: 0, total: 250 });
    // Batched: far fewer events than topics.
    expect(progress.length).toBeLessThan(50);

    expect(await retainedTopicsOnBroker(broker, filter)).toEqual([]);
    expect(await retainedTopicsOnBroker(broker, `${prefix}/#`)).toEqual([...untouched].sort());
    // The user's own subscription still delivers.
    const peer = await newPeer(broker);
    await peer.publish(`${prefix}/live/x`, 'still here', { qos: 1 });
    await expect.poll(() => probe.messages(connectionId).some((m) => m.topic === `${prefix}/live/x`), { timeout: 10_000 }).toBe(true);
    for (const topic of untouched) await peer.publish(topic, '', { qos: 1, retain: true });
  });

  it('a clear stopped early leaves the topics it did not reach retained', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix(`clear-stop-${mqttVersion}`);
    const topics = Array.from({ length: 3_000 }, (_, i) => `${prefix}/t/${i}`);
    await seedRetained(broker, topics);
    const filter = `${prefix}/#`;
    // Subscribed to the very filter the find and the check subscribe to: a second
    // subscription on the user's session would replace this one; the helper's does not.
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { mqttVersion, subscriptions: [{ filter, qos: 1 }] }));
    const found = await probe.dispatch('retained:find', { connectionId, filter });
    if (!found.ok) throw new Error(found.error.message);
    expect(found.value.topics).toHaveLength(3_000);

    const clearing = probe.dispatch('retained:clear', { connectionId, filter, topics: found.value.topics });
    await expect.poll(() => probe.events.some((e) => e.event === 'retained:clear-progress'), { timeout: 10_000, interval: 1 }).toBe(true);
    expect(await probe.dispatch('retained:stop', { connectionId })).toEqual({ ok: true, value: { stopped: true } });
    const result = await clearing;
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.ended).toBe('stopped');
    expect(result.value.notSent).toBeGreaterThan(0);
    const left = await retainedTopicsOnBroker(broker, filter);
    expect(left).toEqual(found.value.topics.slice(3_000 - result.value.notSent).sort());

    const rest = await probe.dispatch('retained:find', { connectionId, filter });
    if (!rest.ok) throw new Error(rest.error.message);
    const again = await probe.dispatch('retained:clear', { connectionId, filter, topics: rest.value.topics });
    expect(again).toMatchObject({ ok: true, value: { remaining: 0, failures: [] } });
    const peer = await newPeer(broker);
    await peer.publish(`${prefix}/live`, 'still subscribed', { qos: 1 });
    await expect.poll(() => probe.messages(connectionId).some((m) => m.topic === `${prefix}/live`), { timeout: 10_000 }).toBe(true);
  });
});

describe('what a clear refuses to do', () => {
  it('refuses "$" filters and topics outside the filter before connecting', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('clear-refuse');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [] }));
    const created = probe.clientsCreated;

    const sys = await probe.dispatch('retained:find', { connectionId, filter: '$SYS/#' });
    expect(sys).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!sys.ok) expect(sys.error.message).toContain('belong to the broker');
    const outside = await probe.dispatch('retained:clear', { connectionId, filter: `${prefix}/a/#`, topics: [`${prefix}/a/1`, `${prefix}/b/1`] });
    expect(outside).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!outside.ok) expect(outside.error.message).toContain(`"${prefix}/b/1" does not match`);
    expect(probe.clientsCreated).toBe(created);
  });
});

describe('a broker whose ACL does not let the user clear some topics', () => {
  let aclBroker: MosquittoBroker;
  beforeAll(async () => {
    // Everyone reads everything; the user writes open/#, and locked/<client ID>/# only
    // as that client: the seeding client can set locked values, the app's cannot clear them.
    const dir = await mkdtemp(join(tmpdir(), 'topicscope-acl-'));
    const aclFile = join(dir, 'acl');
    await writeFile(aclFile, 'user topicscope\ntopic readwrite open/#\ntopic read locked/#\npattern write locked/%c/#\n');
    await chmod(dir, 0o755);
    await chmod(aclFile, 0o644);
    aclBroker = await startMosquitto({ extraConfig: `acl_file ${aclFile}`, logTypes: ['error', 'warning', 'notice'] });
  });
  afterAll(() => aclBroker.stop());

  it.each(['3.1.1', '5'] as const)('MQTT %s: lists the refused topics as failures and clears the others', async (mqttVersion) => {
    await seedRetained(aclBroker, ['open/a', 'open/b', 'locked/seeder/c'], 'seeder');
    await seedRetained(aclBroker, ['locked/seeder/d'], 'seeder');
    const probe = newProbe();
    const connectionId = await openConnected(probe, connectionConfig(aclBroker, 'open', { mqttVersion, subscriptions: [] }));
    const found = await probe.dispatch('retained:find', { connectionId, filter: '#' });
    if (!found.ok) throw new Error(found.error.message);
    expect(found.value.topics).toEqual(['locked/seeder/c', 'locked/seeder/d', 'open/a', 'open/b']);

    const result = await probe.dispatch('retained:clear', { connectionId, filter: '#', topics: found.value.topics });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.cleared).toBe(2);
    expect(result.value.remaining).toBe(2);
    expect(result.value.failures.map((f) => f.topic).sort()).toEqual(['locked/seeder/c', 'locked/seeder/d']);
    // MQTT 5 brokers refuse in the PUBACK; 3.1.1 brokers acknowledge and drop, seen by the check.
    const reason = mqttVersion === '5' ? expect.stringContaining('Not authorized') : STILL_RETAINED_REASON;
    for (const failure of result.value.failures) expect(failure.reason).toEqual(reason);
    expect(await retainedTopicsOnBroker(aclBroker.info(), '#')).toEqual(['locked/seeder/c', 'locked/seeder/d']);
  });
});
