/**
 * The connection form's fields (strings and flags, as inputs hold them) and their
 * conversion to the contract's connection config. Pure, so the mapping is tested
 * without a browser.
 */
import type { ConnectionConfig, ConnectionConfigInput, MqttVersion, Protocol } from '../../../shared/connection/connection-config';
import { DEFAULT_PORTS } from '../../../shared/connection/connection-config';
import type { QoS } from '../../../shared/mqtt/mqtt-message';
import type { ProxyChoice } from '../../../shared/connection/proxy-config';

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
  /** Not editable in the form; kept so a profile saved again does not lose its own delays. */
  reconnectDelays: { initialDelayMs: number; maxDelayMs: number };
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
  /** `none` connects directly; the other proxy fields are kept (not sent) while it is. */
  proxyType: ProxyChoice;
  proxyHost: string;
  proxyPort: string;
  proxyUsername: string;
  proxyPassword: string;
}

/** A new connection's form; `mqttVersion` is the user's "Default MQTT version" setting. */
export function defaultFormFields(clientId: string, mqttVersion: MqttVersion = '5'): ConnectionFormFields {
  return {
    protocol: 'mqtt',
    host: 'localhost',
    port: String(DEFAULT_PORTS.mqtt),
    username: '',
    password: '',
    caFile: '',
    caMode: 'add',
    clientId,
    mqttVersion,
    keepaliveSeconds: '60',
    cleanSession: true,
    sessionExpirySeconds: '',
    connectTimeoutSeconds: '10',
    reconnect: true,
    reconnectDelays: { initialDelayMs: 1_000, maxDelayMs: 30_000 },
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
    proxyType: 'none',
    proxyHost: '',
    proxyPort: '',
    proxyUsername: '',
    proxyPassword: '',
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
    reconnect: { enabled: form.reconnect, ...form.reconnectDelays },
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
    proxy:
      form.proxyType === 'none'
        ? undefined
        : {
            type: form.proxyType,
            host: form.proxyHost,
            port: integer(form.proxyPort) ?? Number.NaN,
            username: form.proxyUsername === '' ? undefined : form.proxyUsername,
            password: form.proxyPassword === '' ? undefined : form.proxyPassword,
          },
  };
}

/** The config to keep in a profile or a draft: the same as `formToConfig` without the secrets. */
export function formToProfileConfig(form: ConnectionFormFields): ConnectionConfigInput {
  const config = formToConfig(form);
  return {
    ...config,
    password: undefined,
    tls: { ...config.tls, keyPassphrase: undefined },
    proxy: config.proxy ? { ...config.proxy, password: undefined } : undefined,
  };
}

/** The form for a saved or running config; secrets never come back, so their fields start empty. */
export function configToForm(config: ConnectionConfig): ConnectionFormFields {
  const text = (value: string | undefined) => value ?? '';
  return {
    protocol: config.protocol,
    host: config.host,
    port: String(config.port),
    username: text(config.username),
    password: '',
    caFile: text(config.tls.caFile),
    caMode: config.tls.caMode,
    clientId: config.clientId,
    mqttVersion: config.mqttVersion,
    keepaliveSeconds: String(config.keepaliveSeconds),
    cleanSession: config.cleanSession,
    sessionExpirySeconds: config.sessionExpirySeconds === undefined ? '' : String(config.sessionExpirySeconds),
    // The form counts whole seconds; the schema's minimum is one.
    connectTimeoutSeconds: String(Math.max(1, Math.round(config.connectTimeoutMs / 1000))),
    reconnect: config.reconnect.enabled,
    reconnectDelays: { initialDelayMs: config.reconnect.initialDelayMs, maxDelayMs: config.reconnect.maxDelayMs },
    certFile: text(config.tls.certFile),
    keyFile: text(config.tls.keyFile),
    keyPassphrase: '',
    verifyServerCertificate: config.tls.verifyServerCertificate,
    serverName: text(config.tls.serverName),
    alpnProtocols: config.tls.alpnProtocols.join(', '),
    websocketPath: config.websocketPath,
    websocketHeaders: Object.entries(config.websocketHeaders).map(([name, value]) => `${name}: ${value}`).join('\n'),
    willEnabled: config.will !== undefined,
    willTopic: text(config.will?.topic),
    willPayload: text(config.will?.payload),
    willQos: config.will?.qos ?? 0,
    willRetain: config.will?.retain ?? false,
    subscriptions: config.subscriptions.map((s) => ({ filter: s.filter, qos: s.qos })),
    proxyType: config.proxy?.type ?? 'none',
    proxyHost: text(config.proxy?.host),
    proxyPort: config.proxy ? String(config.proxy.port) : '',
    proxyUsername: text(config.proxy?.username),
    proxyPassword: '',
  };
}

/** A copy of the form with its secret fields emptied, for anything kept outside the core. */
export function withoutSecrets(form: ConnectionFormFields): ConnectionFormFields {
  return { ...form, password: '', keyPassphrase: '', proxyPassword: '' };
}
