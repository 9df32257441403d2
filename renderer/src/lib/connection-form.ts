/**
 * The connection form's fields (strings and flags, as inputs hold them) and their
 * conversion to the contract's connection config. Pure, so the mapping is tested
 * without a browser.
 */
import type { ConnectionConfigInput, MqttVersion, Protocol } from '../../../shared/connection-config';
import { DEFAULT_PORTS } from '../../../shared/connection-config';
import type { QoS } from '../../../shared/mqtt-message';

export interface ConnectionFormFields {
  protocol: Protocol;
  host: string;
  port: string;
  username: string;
  password: string;
  caFile: string;
  caMode: 'add' | 'replace';
  clientId: string;
  mqttVersion: MqttVersion;
  keepaliveSeconds: string;
  cleanSession: boolean;
  sessionExpirySeconds: string;
  connectTimeoutSeconds: string;
  reconnect: boolean;
  certFile: string;
  keyFile: string;
  keyPassphrase: string;
  verifyServerCertificate: boolean;
  serverName: string;
  alpnProtocols: string;
  websocketPath: string;
  websocketHeaders: string;
  willEnabled: boolean;
  willTopic: string;
  willPayload: string;
  willQos: QoS;
  willRetain: boolean;
  subscriptions: { filter: string; qos: QoS }[];
}

export function defaultFormFields(clientId: string): ConnectionFormFields {
  return {
    protocol: 'mqtt',
    host: 'localhost',
    port: String(DEFAULT_PORTS.mqtt),
    username: '',
    password: '',
    caFile: '',
    caMode: 'add',
    clientId,
    mqttVersion: '3.1.1',
    keepaliveSeconds: '60',
    cleanSession: true,
    sessionExpirySeconds: '',
    connectTimeoutSeconds: '10',
    reconnect: true,
    certFile: '',
    keyFile: '',
    keyPassphrase: '',
    verifyServerCertificate: true,
    serverName: '',
    alpnProtocols: '',
    websocketPath: '/mqtt',
    websocketHeaders: '',
    willEnabled: false,
    willTopic: '',
    willPayload: '',
    willQos: 0,
    willRetain: false,
    subscriptions: [
      { filter: '#', qos: 0 },
      { filter: '$SYS/#', qos: 0 },
    ],
  };
}

/** A number field: empty stays undefined, anything else must be an integer. */
function integer(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** "Name: value" per line, as users paste headers. */
export function parseHeaderLines(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export function formToConfig(form: ConnectionFormFields): ConnectionConfigInput {
  const optional = (text: string) => (text.trim() === '' ? undefined : text.trim());
  const timeout = integer(form.connectTimeoutSeconds);
  return {
    protocol: form.protocol,
    host: form.host,
    port: integer(form.port) ?? Number.NaN,
    websocketPath: form.websocketPath,
    websocketHeaders: parseHeaderLines(form.websocketHeaders),
    mqttVersion: form.mqttVersion,
    clientId: form.clientId,
    username: form.username === '' ? undefined : form.username,
    password: form.password === '' ? undefined : form.password,
    keepaliveSeconds: integer(form.keepaliveSeconds) ?? 60,
    cleanSession: form.cleanSession,
    sessionExpirySeconds: form.mqttVersion === '5' ? integer(form.sessionExpirySeconds) : undefined,
    connectTimeoutMs: timeout === undefined ? undefined : timeout * 1000,
    reconnect: { enabled: form.reconnect },
    will: form.willEnabled ? { topic: form.willTopic, payload: form.willPayload, qos: form.willQos, retain: form.willRetain } : undefined,
    tls: {
      caFile: optional(form.caFile),
      caMode: form.caMode,
      certFile: optional(form.certFile),
      keyFile: optional(form.keyFile),
      keyPassphrase: form.keyPassphrase === '' ? undefined : form.keyPassphrase,
      verifyServerCertificate: form.verifyServerCertificate,
      serverName: optional(form.serverName),
      alpnProtocols: form.alpnProtocols.split(',').map((p) => p.trim()).filter((p) => p !== ''),
    },
    subscriptions: form.subscriptions.filter((s) => s.filter.trim() !== ''),
  };
}
