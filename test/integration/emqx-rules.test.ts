/**
 * The app's session against a broker with EMQX 5's documented behaviour (the in-test
 * EMQX-shaped broker): the default ACL's refusals and their replacement, `$SYS` for
 * `dashboard` only, Serverless's limits, refused publishes, DISCONNECT reasons, a refused
 * protocol version, and a TLS listener that drops clients sending no SNI.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ConnectionConfigInput } from '../../shared/connection/connection-config';
import type { ConnectionLogEntry } from '../../shared/connection/connection-status';
import { DASHBOARD_USER, RC, startEmqxLikeBroker, type EmqxLikeBroker } from '../harness/emqx-like-broker';
import { newProbe, openConnected, uniqueClientId, uniqueConnectionId, uniquePrefix } from './support';

let broker: EmqxLikeBroker;
let versionOnly5: EmqxLikeBroker;

beforeAll(async () => {
  [broker, versionOnly5] = await Promise.all([
    startEmqxLikeBroker({ subscriptionQuota: 10, maxTopicLevels: 10, publishDenied: ['plant/forbidden/#'] }),
    startEmqxLikeBroker({ supportedVersions: [5] }),
  ]);
});
afterAll(async () => {
  await Promise.all([broker.stop(), versionOnly5.stop()]);
});

function config(overrides: Partial<ConnectionConfigInput> = {}, target: EmqxLikeBroker = broker): ConnectionConfigInput {
  return {
    protocol: 'mqtt',
    host: target.host,
    port: target.ports.mqtt,
    clientId: uniqueClientId(),
    username: 'app-user',
    password: 'secret',
    mqttVersion: '5',
    subscriptions: [],
    ...overrides,
  };
}

/** A plain mqtt.js client on the broker, closed when the test ends. */
async function peer(options: mqtt.IClientOptions = {}): Promise<mqtt.MqttClient> {
  const client = await mqtt.connectAsync({ host: broker.host, port: broker.ports.mqtt, protocolVersion: 5, reconnectPeriod: 0, ...options });
  onTestFinished(() => client.endAsync(true));
  return client;
}

const subacks = (entries: ConnectionLogEntry[]): [string | undefined, number | undefined][] => entries.filter((l) => l.kind === 'suback').map((l) => [l.filter, l.reasonCode]);

describe.each([
  ['3.1.1', RC.UNSPECIFIED_ERROR],
  ['5', RC.NOT_AUTHORIZED],
] as const)('the default ACL, MQTT %s', (mqttVersion, refusal) => {
  it(`refuses exactly "#", "+/#" and "$SYS/#" (SUBACK 0x${refusal.toString(16)}); "+" and "+/+/#" pass and receive every topic`, async () => {
    const probe = newProbe();
    const filters = ['#', '+/#', '$SYS/#', '+', '+/+/#'];
    const connectionId = await openConnected(probe, config({ mqttVersion, subscriptions: filters.map((filter) => ({ filter, qos: 0 })) }));
    await expect.poll(() => subacks(probe.logs(connectionId)).length, { timeout: 10_000 }).toBe(filters.length);
    expect(subacks(probe.logs(connectionId))).toEqual(
      expect.arrayContaining([
        ['#', refusal],
        ['+/#', refusal],
        ['$SYS/#', refusal],
        ['+', 0],
        ['+/+/#', 0],
      ]),
    );
    const prefix = uniquePrefix('emqx').replaceAll('/', '-');
    const sender = await peer();
    for (const topic of [prefix, `${prefix}/a`, `${prefix}/a/b/c`]) await sender.publishAsync(topic, 'x', { qos: 1 });
    for (const topic of [prefix, `${prefix}/a`, `${prefix}/a/b/c`]) await probe.waitForMessage(connectionId, topic);
    // Each topic arrives once: "+" and "+/+/#" do not overlap.
    expect(probe.messages(connectionId).filter((m) => m.topic.startsWith(prefix))).toHaveLength(3);
  });
});

describe('$SYS on an EMQX-shaped broker', () => {
  it('is refused to an ordinary user and delivered to "dashboard": version, uptime and the node list', async () => {
    const probe = newProbe();
    const refused = await openConnected(probe, config({ subscriptions: [{ filter: '$SYS/#', qos: 0 }] }));
    await expect.poll(() => subacks(probe.logs(refused)), { timeout: 10_000 }).toEqual([['$SYS/#', RC.NOT_AUTHORIZED]]);
    expect(probe.logs(refused).find((l) => l.kind === 'suback')?.text).toContain('EMQX refuses "$SYS/#"');

    const dashboard = await openConnected(probe, config({ username: DASHBOARD_USER, subscriptions: [{ filter: '$SYS/#', qos: 0 }] }));
    const version = await probe.waitForMessage(dashboard, `$SYS/brokers/${broker.nodeName}/version`);
    expect(Buffer.from(version.payload).toString()).toBe(broker.version);
    expect(version.retain).toBe(true);
    expect(Buffer.from((await probe.waitForMessage(dashboard, '$SYS/brokers')).payload).toString()).toBe(broker.nodeName);
    broker.publishSys();
    const uptime = await probe.waitForMessage(dashboard, `$SYS/brokers/${broker.nodeName}/uptime`);
    expect(Number(Buffer.from(uptime.payload).toString())).toBeGreaterThanOrEqual(0);
    await probe.waitForMessage(dashboard, `$SYS/brokers/${broker.nodeName}/stats/connections/count`);
    await probe.waitForMessage(dashboard, `$SYS/brokers/${broker.nodeName}/metrics/messages/received`);
    // A client connecting is announced as EMQX does, in JSON.
    const other = await peer({ clientId: uniqueClientId(), username: 'someone' });
    const event = await probe.waitForMessage(dashboard, `$SYS/brokers/${broker.nodeName}/clients/${other.options.clientId}/connected`);
    expect(JSON.parse(Buffer.from(event.payload).toString())).toMatchObject({ clientid: other.options.clientId, username: 'someone', proto_ver: 5 });
  });
});

describe("EMQX Cloud Serverless's limits", () => {
  it('SUBACK 0x97 past 10 subscriptions and 0x8F past 10 levels, each naming the likely limit', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('quota');
    const connectionId = await openConnected(probe, config({ subscriptions: Array.from({ length: 10 }, (_, i) => ({ filter: `${prefix}/${i}`, qos: 0 as const })) }));
    await probe.waitForSubscribed(connectionId, [`${prefix}/9`]);
    const eleventh = await probe.dispatch('subscription:add', { connectionId, filter: `${prefix}/10`, qos: 0 });
    expect(eleventh).toMatchObject({ ok: false, error: { code: 'SUBSCRIPTION_REFUSED', reasonCode: RC.QUOTA_EXCEEDED } });
    expect(eleventh.ok ? '' : eleventh.error.message).toMatch(/limit on subscriptions per client \(EMQX Cloud Serverless allows 10\)/);

    const deep = await openConnected(probe, config());
    const tooDeep = await probe.dispatch('subscription:add', { connectionId: deep, filter: 'a/b/c/d/e/f/g/h/i/j/k', qos: 0 });
    expect(tooDeep).toMatchObject({ ok: false, error: { code: 'SUBSCRIPTION_REFUSED', reasonCode: RC.TOPIC_FILTER_INVALID } });
    expect(tooDeep.ok ? '' : tooDeep.error.message).toMatch(/limit on levels per topic filter/);
  });
});

describe('refused publishes', () => {
  it.each([1, 2] as const)('on MQTT 5 QoS %d: PUBACK/PUBREC 0x87 shown as "Not authorized" with its meaning, logged', async (qos) => {
    const probe = newProbe();
    const connectionId = await openConnected(probe, config());
    const result = await probe.dispatch('message:publish', { connectionId, topic: 'plant/forbidden/valve', payload: 'open', qos, retain: false });
    expect(result).toMatchObject({ ok: false, error: { code: 'PUBLISH_REFUSED', reasonCode: RC.NOT_AUTHORIZED } });
    expect(result.ok ? '' : result.error.message).toMatch(/^The broker refused the message to "plant\/forbidden\/valve": Not authorized \(0x87\): The broker's ACL/);
    expect(probe.logs(connectionId).at(-1)).toMatchObject({ kind: 'error', reasonCode: RC.NOT_AUTHORIZED });
  });

  it('on 3.1.1 the same publish is acknowledged (and dropped), as EMQX does', async () => {
    const probe = newProbe();
    const connectionId = await openConnected(probe, config({ mqttVersion: '3.1.1' }));
    const result = await probe.dispatch('message:publish', { connectionId, topic: 'plant/forbidden/valve', payload: 'open', qos: 1, retain: false });
    expect(result).toEqual({ ok: true, value: { acknowledged: true } });
  });
});

describe('a DISCONNECT from the broker', () => {
  it('0x8E when another client takes the client ID: explained in the status and the log, and not reconnected', async () => {
    const probe = newProbe();
    const clientId = uniqueClientId();
    const connectionId = await openConnected(probe, config({ clientId }));
    await peer({ clientId });
    const status = await probe.waitForStatus(connectionId, 'disconnected');
    expect(status.error).toMatchObject({ code: 'CONNECTION_LOST', reasonCode: RC.SESSION_TAKEN_OVER });
    expect(status.error?.message).toMatch(/Session taken over \(0x8e\): Another client connected with the same client ID/);
    expect(probe.logs(connectionId).find((l) => l.kind === 'disconnect' && l.reasonCode === RC.SESSION_TAKEN_OVER)?.text).toMatch(/Session taken over/);
    expect(probe.statuses(connectionId).some((s) => s.state === 'reconnecting')).toBe(false);
  });

  it('0x89 server busy: explained, and the session reconnects', async () => {
    const probe = newProbe();
    const clientId = uniqueClientId();
    const connectionId = await openConnected(probe, config({ clientId, reconnect: { enabled: true, initialDelayMs: 100, maxDelayMs: 200 } }));
    expect(broker.disconnectClient(clientId, RC.SERVER_BUSY)).toBe(true);
    const reconnecting = await probe.waitForStatus(connectionId, 'reconnecting');
    expect(reconnecting.lastError.message).toMatch(/Server busy \(0x89\): The broker is overloaded/);
    // Logged once, with its reason, not again as "connection lost".
    expect(probe.logs(connectionId).filter((l) => l.kind === 'disconnect').map((l) => l.text)).toEqual([reconnecting.lastError.message]);
    await probe.waitForStatus(connectionId, 'connected', { after: probe.statuses(connectionId).indexOf(reconnecting) });
  });
});

describe('a protocol version the broker refuses', () => {
  it.each([
    ['3.1.1', 1, 'The broker does not support MQTT 3.1.1: connect with MQTT 5.'],
  ] as const)('MQTT %s gets return code %d: PROTOCOL_VERSION_REFUSED, and the other version connects', async (mqttVersion, code, message) => {
    const probe = newProbe();
    const refused = await probe.dispatch('connection:open', { connectionId: uniqueConnectionId(), config: config({ mqttVersion }, versionOnly5) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'PROTOCOL_VERSION_REFUSED', reasonCode: code, message } });
    await openConnected(probe, config({ mqttVersion: '5' }, versionOnly5));
  });

  it('MQTT 5 gets CONNACK 0x84 from a 3.1.1-only broker', async () => {
    const only311 = await startEmqxLikeBroker({ supportedVersions: [4] });
    onTestFinished(() => only311.stop());
    const probe = newProbe();
    const refused = await probe.dispatch('connection:open', { connectionId: uniqueConnectionId(), config: config({ mqttVersion: '5' }, only311) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'PROTOCOL_VERSION_REFUSED', reasonCode: RC.UNSUPPORTED_PROTOCOL_VERSION, message: 'The broker does not support MQTT 5: connect with MQTT 3.1.1.' } });
    await openConnected(probe, config({ mqttVersion: '3.1.1' }, only311));
  });
});

describe('TLS that requires SNI', () => {
  const tlsConfig = (host: string, serverName?: string): ConnectionConfigInput =>
    config({ protocol: 'mqtts', host, port: broker.ports.mqtts, tls: { caFile: broker.caFile, ...(serverName ? { serverName } : {}) } });

  it('to an IP address without a server name: dropped, and the error names the missing SNI', async () => {
    const probe = newProbe();
    const dropped = broker.droppedWithoutSni;
    const result = await probe.dispatch('connection:open', { connectionId: uniqueConnectionId(), config: tlsConfig('127.0.0.1') });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error.message).toMatch(/Likely cause: no server name \(SNI\) was sent, because the host is an IP address/);
    expect(broker.droppedWithoutSni).toBeGreaterThan(dropped);
  });

  it('by host name, or to the IP with "SNI server name" set: connects', async () => {
    const probe = newProbe();
    await openConnected(probe, tlsConfig('localhost'));
    await openConnected(probe, tlsConfig('127.0.0.1', 'localhost'));
  });
});
