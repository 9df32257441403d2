/**
 * A broker that refuses every subscription, as one whose ACL denies the user does: the
 * SUBACK's code in each MQTT version, the command's error, and the log entry naming the
 * filter and the code, which the tree pane turns into "the broker refused every subscription".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionLogEntry } from '../../shared/connection/connection-status';
import { startMosquitto, type MosquittoBroker } from '../harness/mosquitto';
import { connectionConfig, newProbe, openConnected, uniquePrefix } from './support';

let broker: MosquittoBroker;

beforeAll(async () => {
  broker = await startMosquitto({ refuseSubscriptions: true });
});
afterAll(() => broker.stop());

describe.each([
  // 3.1.1 has one code for every refusal, with no reason.
  ['3.1.1', 0x80, 'unspecified error'],
  ['5', 0x87, 'Not authorized'],
] as const)('subscriptions the broker refuses, MQTT %s', (mqttVersion, reasonCode, reason) => {
  it(`connects, and logs each refused filter with reason code 0x${reasonCode.toString(16)}`, async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('refused');
    const filters = [`${prefix}/a/#`, `${prefix}/b/+`];
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { mqttVersion, subscriptions: filters.map((filter) => ({ filter, qos: 1 })) }));
    const subacks = (): ConnectionLogEntry[] => probe.logs(connectionId).filter((l) => l.kind === 'suback');
    await expect.poll(() => subacks().length, { timeout: 10_000 }).toBe(filters.length);
    expect(subacks().map((l) => [l.filter, l.reasonCode])).toEqual(expect.arrayContaining(filters.map((filter) => [filter, reasonCode])));
    for (const entry of subacks()) expect(entry.text).toContain(`The broker refused the subscription to "${entry.filter}" (${reason}).`);
    expect(probe.lastStatus(connectionId)?.state).toBe('connected');

    const added = await probe.dispatch('subscription:add', { connectionId, filter: `${prefix}/c`, qos: 0 });
    expect(added).toMatchObject({ ok: false, error: { code: 'SUBSCRIPTION_REFUSED', reasonCode } });
    expect(probe.logs(connectionId).at(-1)).toMatchObject({ kind: 'suback', filter: `${prefix}/c`, reasonCode });
  });
});
