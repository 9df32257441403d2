/**
 * Reading MQTTX's JSON export ("Export data" → JSON): an array of its connection
 * records (a single record is accepted too, as MQTTX itself does). Field meanings follow
 * MQTTX's ConnectionModel: `connectTimeout` in seconds, `reconnectPeriod` in ms,
 * `mqttVersion` "3.1.1" or "5.0", `ssl` turning mqtt/ws into mqtts/wss, `certType`
 * "self" meaning the record names its own CA / client certificate / key (paths on the
 * desktop app, PEM text in some exports), MQTT 5 settings under `properties`.
 */
import { DEFAULT_SUBSCRIPTIONS, MAX_PEM_FILE_BYTES, type ConnectionConfigInput, type MqttVersion } from '../connection/connection-config';
import { profileConfigSchema, type SecretKind } from './connection-profile';
import { controlCharacterProblem, showInvisible } from '../mqtt/invisible-characters';
import type { QoS } from '../mqtt/mqtt-message';
import { describeIssues, isObject, type ImportCandidate, type JsonObject, type PemKind, type SkippedEntry } from './import-candidate';

/** Path a TLS field holds until the core has written the imported PEM text to a file. */
export const PEM_PLACEHOLDER_PREFIX = 'mqttx-import-pem:';

const MQTTX_VERSIONS: Record<string, MqttVersion> = { '3.1': '3.1', '3.1.1': '3.1.1', '5.0': '5', '5': '5' };

function looksLikeMqttxConnection(value: unknown): boolean {
  return isObject(value) && 'host' in value && ('clientId' in value || 'mqttVersion' in value || 'protocol' in value || 'ssl' in value);
}

/** MQTTX collections (folders) hold connections in `children`; they are flattened. */
export function mqttxEntries(raw: unknown): unknown[] {
  const top: unknown[] = Array.isArray(raw) ? raw : [raw];
  return top.flatMap((entry) => (isObject(entry) && entry['isCollection'] === true && Array.isArray(entry['children']) ? mqttxEntries(entry['children']) : [entry]));
}

export function isMqttxExport(raw: unknown): boolean {
  return mqttxEntries(raw).some(looksLikeMqttxConnection);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** MQTTX writes numbers, but CSV/XML round trips turn some into strings. */
function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(value)));
}

function isPem(value: string): boolean {
  return value.includes('-----BEGIN ');
}

const PEM_LABEL: Record<PemKind, string> = { ca: 'CA certificate', cert: 'client certificate', key: 'client key' };

/** Rounded up, so a size just over a limit never reads as the limit itself. */
function mebibytes(bytes: number): string {
  return (Math.ceil((bytes / 1024 / 1024) * 10) / 10).toFixed(1);
}

type EntryResult = { ok: true; candidate: ImportCandidate } | { ok: false; skipped: SkippedEntry };

/** A value from the file as the user would recognise it in a message: JSON, not "[object Object]". */
function shownValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function skip(name: string, reason: string): EntryResult {
  return { ok: false, skipped: { name, reason } };
}

/** The connection's protocol, or the text of one Topicscope does not speak (for the skip reason). */
function protocolOf(entry: JsonObject): string {
  const raw = entry['protocol'] === undefined ? 'mqtt' : entry['protocol'];
  if (raw !== 'mqtt' && raw !== 'mqtts' && raw !== 'ws' && raw !== 'wss') return shownValue(raw);
  // Older MQTTX kept the protocol plain and the TLS switch apart.
  if (entry['ssl'] === true && raw === 'mqtt') return 'mqtts';
  if (entry['ssl'] === true && raw === 'ws') return 'wss';
  return raw;
}

function tlsOf(entry: JsonObject, pem: Partial<Record<PemKind, string>>): NonNullable<ConnectionConfigInput['tls']> {
  const alpnRaw = entry['ALPNProtocols'];
  const alpnProtocols = (Array.isArray(alpnRaw) ? alpnRaw.filter((p): p is string => typeof p === 'string') : (text(alpnRaw)?.split(',') ?? []))
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const tls: NonNullable<ConnectionConfigInput['tls']> = {
    verifyServerCertificate: bool(entry['rejectUnauthorized'], true),
    alpnProtocols,
  };
  if (entry['certType'] !== 'self') return tls;
  const files: [PemKind, 'caFile' | 'certFile' | 'keyFile'][] = [
    ['ca', 'caFile'],
    ['cert', 'certFile'],
    ['key', 'keyFile'],
  ];
  for (const [kind, field] of files) {
    const value = text(entry[kind]);
    if (value === undefined) continue;
    if (isPem(value)) {
      pem[kind] = value;
      tls[field] = `${PEM_PLACEHOLDER_PREFIX}${kind}`;
    } else {
      tls[field] = value.trim();
    }
  }
  return tls;
}

function subscriptionsOf(entry: JsonObject): ConnectionConfigInput['subscriptions'] {
  const raw = Array.isArray(entry['subscriptions']) ? entry['subscriptions'] : [];
  const subscriptions = raw.flatMap((s: unknown) => {
    if (!isObject(s) || typeof s['topic'] !== 'string' || s['disabled'] === true) return [];
    const qos: QoS = s['qos'] === 1 || s['qos'] === 2 ? s['qos'] : 0;
    return [{ filter: s['topic'], qos }];
  });
  // A connection saved without subscriptions is explored like a new one: everything.
  return subscriptions.length > 0 ? subscriptions : DEFAULT_SUBSCRIPTIONS;
}

/** Turns one MQTTX record into a profile candidate, or says why it can't be imported. */
export function mqttxEntryToCandidate(entry: unknown, position: number): EntryResult {
  if (!isObject(entry)) return skip(`Entry ${position}`, 'It is not a connection record.');
  const host = text(entry['host'])?.trim();
  const port = num(entry['port']);
  const ownName = text(entry['name'])?.trim();
  // Shown in the list of skipped entries: invisible characters written out, so a name
  // cannot disguise itself there either.
  const name = showInvisible(ownName ?? (host ? `${host}${port === undefined ? '' : `:${port}`}` : `Entry ${position}`));
  if (entry['isCollection'] === true) return skip(name, 'It is an empty MQTTX collection (folder), not a connection.');
  const nameProblem = ownName === undefined ? null : controlCharacterProblem(ownName, 'profile name');
  if (nameProblem) return skip(name, nameProblem);
  if (!host) return skip(name, 'It has no broker host.');
  if (port === undefined) return skip(name, 'It has no broker port.');

  const protocol = protocolOf(entry);
  if (protocol !== 'mqtt' && protocol !== 'mqtts' && protocol !== 'ws' && protocol !== 'wss') {
    return skip(name, `Its protocol "${protocol}" is not supported: Topicscope connects over mqtt, mqtts, ws and wss.`);
  }
  const rawVersion = entry['mqttVersion'] === undefined ? '3.1.1' : shownValue(entry['mqttVersion']);
  const mqttVersion = MQTTX_VERSIONS[rawVersion];
  if (!mqttVersion) return skip(name, `Its MQTT version "${rawVersion}" is not one of 3.1, 3.1.1 or 5.0.`);

  const secrets: Partial<Record<SecretKind, string>> = {};
  const password = text(entry['password']);
  if (password !== undefined) secrets.password = password;
  const pem: Partial<Record<PemKind, string>> = {};
  const usesTls = protocol === 'mqtts' || protocol === 'wss';
  const properties = isObject(entry['properties']) ? entry['properties'] : {};
  const sessionExpiry = num(properties['sessionExpiryInterval']) ?? num(entry['sessionExpiryInterval']);
  const reconnectPeriodMs = num(entry['reconnectPeriod']);
  const connectTimeoutSeconds = num(entry['connectTimeout']);
  const will = isObject(entry['will']) ? entry['will'] : null;
  const willTopic = will ? text(will['lastWillTopic']) : undefined;
  const rawPath = text(entry['path']);
  const initialDelayMs = reconnectPeriodMs === undefined ? 1_000 : clamp(reconnectPeriodMs, 100, 600_000);

  const input: ConnectionConfigInput = {
    protocol,
    host,
    port,
    mqttVersion,
    clientId: typeof entry['clientId'] === 'string' ? entry['clientId'] : '',
    keepaliveSeconds: num(entry['keepalive']) ?? 60,
    cleanSession: bool(entry['clean'], true),
    connectTimeoutMs: connectTimeoutSeconds === undefined ? 10_000 : clamp(connectTimeoutSeconds * 1_000, 1_000, 300_000),
    reconnect: { enabled: bool(entry['reconnect'], true), initialDelayMs, maxDelayMs: Math.max(30_000, initialDelayMs) },
    subscriptions: subscriptionsOf(entry),
  };
  const username = text(entry['username']);
  if (username !== undefined) input.username = username;
  if (rawPath !== undefined && (protocol === 'ws' || protocol === 'wss')) input.websocketPath = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  if (usesTls) input.tls = tlsOf(entry, pem);
  for (const [kind, value] of Object.entries(pem) as [PemKind, string][]) {
    const bytes = new TextEncoder().encode(value).length;
    if (bytes > MAX_PEM_FILE_BYTES) {
      return skip(name, `Its ${PEM_LABEL[kind]} text is ${mebibytes(bytes)} MiB; a PEM file is at most ${MAX_PEM_FILE_BYTES / 1024 / 1024} MiB: check the export.`);
    }
  }
  if (mqttVersion === '5' && sessionExpiry !== undefined) input.sessionExpirySeconds = sessionExpiry;
  if (will && willTopic !== undefined) {
    const qos = will['lastWillQos'];
    input.will = {
      topic: willTopic,
      payload: typeof will['lastWillPayload'] === 'string' ? will['lastWillPayload'] : '',
      qos: qos === 1 || qos === 2 ? qos : 0,
      retain: bool(will['lastWillRetain'], false),
    };
  }

  const parsed = profileConfigSchema.safeParse(input);
  if (!parsed.success) return skip(name, describeIssues(parsed.error));
  return {
    ok: true,
    // MQTTX's `clientIdWithTime` appends a timestamp to the client ID; Topicscope's random
    // ID would replace it and break ACLs keyed on its prefix, so the ID is kept as it is.
    candidate: { name, config: parsed.data, randomClientId: false, secrets, pem },
  };
}
