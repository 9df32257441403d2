/**
 * A broker restart under an established connection: the session reports each reconnect
 * attempt, comes back by itself, and subscribes again. Uses its own broker, because
 * restarting the shared one would break the tests running beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttVersion } from '../../shared/connection/connection-config';
import type { ConnectionStatus } from '../../shared/connection/connection-status';
import type { CommandResult } from '../../shared/ipc/ipc-contract';
import { startMosquitto, type MosquittoBroker } from '../harness/mosquitto';
import { waitFor } from '../harness/wait-for';
import { connectionConfig, newPeer, newProbe, openConnected, uniquePrefix } from './support';

let broker: MosquittoBroker;

beforeAll(async () => {
  broker = await startMosquitto();
});

afterAll(async () => {
  await broker?.stop();
});

type Reconnecting = Extract<ConnectionStatus, { state: 'reconnecting' }>;

describe('broker restart', () => {
  it.each<MqttVersion>(['3.1.1', '5'])('MQTT %s: reconnecting with attempt counts, then connected and subscribed again', async (mqttVersion) => {
    const probe = newProbe();
    const prefix = uniquePrefix(`reconnect-${mqttVersion}`);
    const filter = `${prefix}/#`;
    const config = connectionConfig(broker, prefix, { mqttVersion, reconnect: { enabled: true, initialDelayMs: 200, maxDelayMs: 1_000 } });
    const connectionId = await openConnected(probe, config);
    await probe.waitForSubscribed(connectionId, [filter]);
    const statusesBefore = probe.statuses(connectionId).length;

    await broker.restart();
    await probe.waitForStatus(connectionId, 'connected', { after: statusesBefore, timeoutMs: 20_000 });
    await probe.waitForSubscribed(connectionId, [filter], 2);
    const peer = await newPeer(broker);
    await peer.publish(`${prefix}/after-restart`, 'back', { qos: 1 });
    const message = await probe.waitForMessage(connectionId, `${prefix}/after-restart`);

    const sequence = probe.statuses(connectionId).slice(statusesBefore);
    const reconnecting = sequence.filter((s): s is Reconnecting => s.state === 'reconnecting');
    expect(reconnecting.length).toBeGreaterThanOrEqual(1);
    expect(sequence.map((s) => s.state)).toEqual([...reconnecting.map(() => 'reconnecting'), 'connected']);
    expect(reconnecting.map((s) => s.attempt)).toEqual(reconnecting.map((_, i) => i + 1));
    // The first attempt is caused by the dropped connection, not by a refused reconnect.
    expect(reconnecting[0]?.lastError.code).toBe('CONNECTION_LOST');
    for (const status of reconnecting) expect(status.nextAttemptAt).toBeGreaterThan(0);
    const logs = probe.logs(connectionId);
    expect(logs.some((l) => l.kind === 'disconnect' && l.text.startsWith('Connection lost'))).toBe(true);
    expect(logs.filter((l) => l.kind === 'reconnect')).toHaveLength(reconnecting.length);
    expect(logs.filter((l) => l.kind === 'connack')).toHaveLength(2);
    expect(Buffer.from(message.payload).toString('utf8')).toBe('back');
  });

  it('during an outage: attempts count up with the refusal as the last error, then it connects once the broker is back', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('reconnect-outage');
    const filter = `${prefix}/#`;
    const config = connectionConfig(broker, prefix, { reconnect: { enabled: true, initialDelayMs: 200, maxDelayMs: 400 } });
    const connectionId = await openConnected(probe, config);
    await probe.waitForSubscribed(connectionId, [filter]);
    const statusesBefore = probe.statuses(connectionId).length;

    await broker.pause();
    try {
      await waitFor('a third reconnect attempt', () =>
        probe.statuses(connectionId).some((s) => s.state === 'reconnecting' && s.attempt >= 3),
      );
    } finally {
      await broker.resume();
    }
    await probe.waitForStatus(connectionId, 'connected', { after: statusesBefore, timeoutMs: 20_000 });
    await probe.waitForSubscribed(connectionId, [filter], 2);

    const reconnecting = probe.statuses(connectionId).slice(statusesBefore).filter((s): s is Reconnecting => s.state === 'reconnecting');
    expect(reconnecting.map((s) => s.attempt)).toEqual(reconnecting.map((_, i) => i + 1));
    expect(reconnecting[0]?.lastError.code).toBe('CONNECTION_LOST');
    // While nothing listens, each attempt fails as refused, and the user sees why.
    expect(reconnecting[1]?.lastError.code).toBe('CONNECTION_REFUSED');
    expect(reconnecting[1]?.lastError.message).toContain(`127.0.0.1:${broker.ports.mqtt}`);
  });

  it('closing while reconnecting stops the attempts and ends disconnected without error', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('reconnect-close');
    const config = connectionConfig(broker, prefix, { reconnect: { enabled: true, initialDelayMs: 200, maxDelayMs: 400 } });
    const connectionId = await openConnected(probe, config);
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);

    await broker.pause();
    let closed: CommandResult<'connection:close'> | undefined;
    try {
      await waitFor('a second reconnect attempt', () => probe.statuses(connectionId).some((s) => s.state === 'reconnecting' && s.attempt >= 2));
      closed = await probe.dispatch('connection:close', { connectionId });
    } finally {
      await broker.resume();
    }

    expect(closed).toEqual({ ok: true, value: {} });
    expect(probe.lastStatus(connectionId)).toEqual({ state: 'disconnected' });
    expect(probe.registry.size).toBe(0);
    expect(probe.logs(connectionId).at(-1)).toMatchObject({ kind: 'disconnect', text: 'Disconnected by the user' });
  });

  it('with reconnect off: disconnected with CONNECTION_LOST, and commands say "not connected"', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('reconnect-off');
    const config = connectionConfig(broker, prefix, { reconnect: { enabled: false } });
    const connectionId = await openConnected(probe, config);
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    const statusesBefore = probe.statuses(connectionId).length;

    await broker.restart();
    const disconnected = await probe.waitForStatus(connectionId, 'disconnected', { after: statusesBefore });
    const publish = await probe.dispatch('message:publish', { connectionId, topic: `${prefix}/x`, payload: 'x', qos: 0, retain: false });

    expect(disconnected.error?.code).toBe('CONNECTION_LOST');
    expect(probe.statuses(connectionId).slice(statusesBefore).map((s) => s.state)).toEqual(['disconnected']);
    expect(publish.ok ? 'published' : publish.error.code).toBe('NOT_CONNECTED');
  });
});
