/**
 * A second, short-lived connection with the same settings as the user's, for finding
 * and clearing retained messages. Why not the user's own session: subscribing again to
 * a filter the user is subscribed to would replace that subscription (MQTT 3.8.4), and
 * unsubscribing afterwards would end it; 10,000 publishes would also queue ahead of the
 * user's own. A separate client leaves the user's session exactly as it was.
 *
 * It has a random client ID, a clean session and no last will (a helper must not take
 * over the user's session, leave one behind, or publish the user's will), and the same
 * host, credentials, TLS and proxy. So a broker's ACLs apply as for the user, except
 * rules keyed on the client ID (Mosquitto `pattern … %c`, cloud brokers that require a
 * registered client ID): those see a different client, and may refuse what the user's
 * own client may do. A broker that caps connections per user may refuse the second one;
 * its CONNACK refusal is reported like any failed connection.
 */
import type { IConnackPacket, MqttClient } from 'mqtt';
import type { ConnectionConfig } from '../../../shared/connection/connection-config';
import { randomClientId } from '../../../shared/mqtt/client-id';
import type { AppError, Result } from '../../../shared/ipc/app-error';
import { fail, ok } from '../../../shared/ipc/app-error';
import { buildClientOptions } from '../connection/mqtt-client-options';
import { mapConnectionError, mapServerDisconnect } from '../connection/mqtt-error-mapping';
import { createMqttClient, type ProxiedOptions } from '../connection/proxy-transport';
import { loadTlsMaterial } from '../connection/tls-material';
import type { IClientOptions } from 'mqtt';

export type CreateClient = (options: IClientOptions, proxied?: ProxiedOptions) => MqttClient;

/** How long closing the helper waits for its DISCONNECT to go out before cutting the socket. */
const END_GRACE_MS = 2_000;

export interface HelperConnection {
  client: MqttClient;
  /** The CONNACK's Receive Maximum (MQTT 5): how many QoS 1 publishes the broker accepts in flight; 65,535 when unsaid. */
  receiveMaximum: number;
  /** Why the connection ended early, once it did; null while it is up. */
  lost(): AppError | null;
  /** Ends the connection (DISCONNECT when still connected); resolves once it is closed. */
  end(): Promise<void>;
}

/** The user's settings, made fit for a helper: new ID, clean session, no will, no session kept. */
export function helperConfig(config: ConnectionConfig, clientId: string): ConnectionConfig {
  const { will: _will, sessionExpirySeconds: _expiry, ...rest } = config;
  return { ...rest, clientId, cleanSession: true };
}

export async function openHelperConnection(config: ConnectionConfig, createClient: CreateClient = createMqttClient): Promise<Result<HelperConnection>> {
  const tls = await loadTlsMaterial(config.tls);
  if (!tls.ok) return tls;
  const options = buildClientOptions(helperConfig(config, randomClientId()), tls.value);
  const proxied = config.proxy ? { proxy: config.proxy, timeoutMs: config.connectTimeoutMs } : undefined;
  const client = createClient(options, proxied);
  let lost: AppError | null = null;
  let firstError: AppError | null = null;
  client.on('error', (error) => (firstError ??= mapConnectionError(error, config)));
  client.on('disconnect', (packet) => (lost ??= mapServerDisconnect(packet.reasonCode ?? 0, packet.properties ?? {})));
  client.on('close', () => (lost ??= firstError ?? { code: 'CONNECTION_LOST', message: 'The broker or the network closed the connection used to clear retained messages.' }));
  const connack = await new Promise<IConnackPacket | null>((resolve) => {
    client.once('connect', resolve);
    client.once('close', () => resolve(null));
  });
  if (!connack) {
    client.end(true);
    // Set by the listeners above; TypeScript cannot see that through the callbacks.
    const error: AppError = (firstError as AppError | null) ?? (lost as AppError | null) ?? { code: 'CONNECTION_RESET', message: 'The connection closed before the broker answered.' };
    return fail({ ...error, message: `A second connection to the broker, needed to find and clear retained messages, failed: ${error.message}` });
  }
  return ok({
    client,
    receiveMaximum: connack.properties?.receiveMaximum ?? 65_535,
    lost: () => lost,
    end: () => endClient(client),
  });
}

function endClient(client: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.end(true);
      resolve();
    }, END_GRACE_MS);
    client.end(!client.connected, {}, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
