/**
 * Per-test helpers for the integration suite: everything a test opens is closed when
 * the test finishes, pass or fail, so one broken test cannot disturb the next.
 */
import { randomBytes } from 'node:crypto';
import { inject, onTestFinished } from 'vitest';
import type { IClientOptions } from 'mqtt';
import type { ConnectionConfigInput } from '../../shared/connection/connection-config';
import { CoreProbe } from '../harness/core-probe';
import type { BrokerInfo } from '../harness/mosquitto';
import { MqttPeer } from '../harness/mqtt-peer';

export function sharedBroker(): BrokerInfo {
  return inject('broker');
}

function hex(bytes = 4): string {
  return randomBytes(bytes).toString('hex');
}

/** A topic prefix no other test (or earlier run) uses. */
export function uniquePrefix(name: string): string {
  return `ts-it/${name}/${hex()}`;
}

export function uniqueConnectionId(): string {
  return `conn_${hex()}`;
}

/** Short enough for MQTT 3.1's 23-character limit on client IDs. */
export function uniqueClientId(): string {
  return `ts_${hex()}`;
}

/**
 * A plain-TCP config for the broker with its user; overrides win. Subscriptions default
 * to the test's own prefix instead of `#`, so other tests' traffic stays out.
 */
export function connectionConfig(broker: BrokerInfo, prefix: string, overrides: Partial<ConnectionConfigInput> = {}): ConnectionConfigInput {
  return {
    protocol: 'mqtt',
    host: broker.host,
    port: broker.ports.mqtt,
    clientId: uniqueClientId(),
    username: broker.username,
    password: broker.password,
    subscriptions: [{ filter: `${prefix}/#`, qos: 1 }],
    ...overrides,
  };
}

export function newProbe(...args: ConstructorParameters<typeof CoreProbe>): CoreProbe {
  const probe = new CoreProbe(...args);
  onTestFinished(() => probe.close());
  return probe;
}

export async function newPeer(broker: BrokerInfo, options?: IClientOptions): Promise<MqttPeer> {
  const peer = await MqttPeer.connect(broker, options);
  onTestFinished(() => peer.end());
  return peer;
}

/** Opens a connection through the command path and fails the test with the log if it does not connect. */
export async function openConnected(probe: CoreProbe, config: ConnectionConfigInput): Promise<string> {
  const connectionId = uniqueConnectionId();
  const result = await probe.dispatch('connection:open', { connectionId, config });
  if (!result.ok) throw new Error(`connection:open failed: ${JSON.stringify(result.error)}\n${probe.describe(connectionId)}`);
  return connectionId;
}

/** Leaves the broker without the retained message, so later runs start clean. */
export function clearRetainedAfterTest(broker: BrokerInfo, topic: string): void {
  onTestFinished(async () => {
    const peer = await MqttPeer.connect(broker);
    await peer.publish(topic, '', { qos: 1, retain: true });
    await peer.end();
  });
}
