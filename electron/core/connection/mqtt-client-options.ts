/**
 * Turns a validated connection config into mqtt.js options. Reconnecting and
 * resubscribing are switched off here because the session does both itself: that is
 * what lets it back off exponentially, report each attempt and log every SUBACK.
 */
import type { IClientOptions } from 'mqtt';
import type { ConnectionOptions } from 'node:tls';
import type { ConnectionConfig, MqttVersion } from '../../../shared/connection/connection-config';
import { usesTls, usesWebsocket } from '../../../shared/connection/connection-config';
import { proxyPlace, type ProxyConfig } from '../../../shared/connection/proxy-config';
import type { TlsMaterial } from './tls-material';

/** mqtt.js hands every option to `tls.connect`, but its type omits the key passphrase. */
export type ClientOptions = IClientOptions & Pick<ConnectionOptions, 'passphrase'>;

const PROTOCOL_VERSION: Record<MqttVersion, 3 | 4 | 5> = { '3.1': 3, '3.1.1': 4, '5': 5 };

export function buildClientOptions(config: ConnectionConfig, tls: TlsMaterial): ClientOptions {
  const protocolVersion = PROTOCOL_VERSION[config.mqttVersion];
  const options: ClientOptions = {
    protocol: config.protocol,
    hostname: config.host,
    port: config.port,
    protocolVersion,
    // MQTT 3.1 predates the "MQTT" protocol name; its brokers expect "MQIsdp".
    protocolId: protocolVersion === 3 ? 'MQIsdp' : 'MQTT',
    clientId: config.clientId,
    keepalive: config.keepaliveSeconds,
    clean: config.cleanSession,
    connectTimeout: config.connectTimeoutMs,
    reconnectPeriod: 0,
    resubscribe: false,
  };
  if (config.username !== undefined && config.username !== '') options.username = config.username;
  if (config.password !== undefined && config.password !== '') options.password = config.password;
  if (protocolVersion === 5) {
    // Response Information: a broker that has one names where this client's response topics may go (request/response).
    options.properties = { requestResponseInformation: true };
    if (config.sessionExpirySeconds !== undefined) options.properties.sessionExpiryInterval = config.sessionExpirySeconds;
  }
  if (config.will) {
    options.will = {
      topic: config.will.topic,
      payload: Buffer.from(config.will.payload, 'utf8'),
      qos: config.will.qos,
      retain: config.will.retain,
    };
  }
  if (usesTls(config.protocol)) {
    options.rejectUnauthorized = config.tls.verifyServerCertificate;
    if (tls.ca) options.ca = tls.ca;
    if (tls.cert) options.cert = tls.cert;
    if (tls.key) options.key = tls.key;
    if (tls.passphrase) options.passphrase = tls.passphrase;
    if (config.tls.serverName) options.servername = config.tls.serverName;
    if (config.tls.alpnProtocols.length > 0) options.ALPNProtocols = config.tls.alpnProtocols;
  }
  if (usesWebsocket(config.protocol)) {
    options.path = config.websocketPath;
    // mqtt.js forwards only ca/cert/key/passphrase/rejectUnauthorized to `ws` by itself;
    // SNI and ALPN must be handed to the underlying https request explicitly.
    options.wsOptions = {
      headers: { ...config.websocketHeaders },
      ...(usesTls(config.protocol) && config.tls.serverName ? { servername: config.tls.serverName } : {}),
      ...(usesTls(config.protocol) && config.tls.alpnProtocols.length > 0 ? { ALPNProtocols: config.tls.alpnProtocols } : {}),
    };
  }
  return options;
}

/** The log line before a connection through a proxy, without its password. */
export function describeProxy(proxy: ProxyConfig): string {
  return `Connecting through the ${proxyPlace(proxy)}${proxy.username ? ` as user "${proxy.username}"` : ''}`;
}

/** A one-line summary for the connection log, without secrets. */
export function describeConnection(config: ConnectionConfig): string {
  const url = `${config.protocol}://${config.host}:${config.port}${usesWebsocket(config.protocol) ? config.websocketPath : ''}`;
  const parts = [
    `MQTT ${config.mqttVersion}`,
    config.clientId === '' ? 'client ID assigned by the broker' : `client ID "${config.clientId}"`,
    config.cleanSession ? 'clean session' : 'persistent session',
    `keepalive ${config.keepaliveSeconds} s`,
  ];
  if (config.username) parts.push(`user "${config.username}"`);
  if (config.will) parts.push(`last will on "${config.will.topic}"`);
  return `Connecting to ${url} (${parts.join(', ')})`;
}
