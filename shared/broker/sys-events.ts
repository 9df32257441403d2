/**
 * The JSON events brokers publish under `$SYS`: EMQX's client connected/disconnected
 * (emqx_sys.erl: clientid, username, ipaddress, proto_ver, keepalive, connected_at,
 * reason…) and alarms (emqx_alarm.erl: name, message, activate_at, deactivate_at),
 * NanoMQ's connected/disconnected (client_id, username, …). The payload comes from the
 * broker, so from anyone who can publish there: parsed without trusting shapes, sizes or
 * types, every field optional, every text cut to a display length.
 */

/** Longest text kept from an event field; the rest is cut with an ellipsis. */
const MAX_FIELD_CHARS = 200;
/** Larger payloads are not parsed at all: no broker sends events this big. */
const MAX_EVENT_BYTES = 64 * 1024;

/** One client connecting to or leaving the broker. */
export interface ClientEvent {
  event: 'connected' | 'disconnected';
  clientId: string;
  username: string | null;
  /** "host:port" or the host, as the broker wrote it. */
  address: string | null;
  /** MQTT protocol level: 3, 4 (3.1.1) or 5. */
  protoVer: number | null;
  /** Why it left (EMQX: normal, takenover, keepalive_timeout, …). */
  reason: string | null;
  /** Which node reported it (EMQX), null otherwise. */
  node: string | null;
  /** When it happened (ms since the epoch): the broker's stamp, or when it arrived. */
  at: number;
}

/** An EMQX alarm as `alarms/activate|deactivate` reports it. */
export interface AlarmEvent {
  active: boolean;
  name: string;
  message: string | null;
  node: string | null;
  /** Activation time (ms since the epoch); null when not given. */
  activatedAt: number | null;
  /** Deactivation time; null while active. */
  deactivatedAt: number | null;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** The payload as a JSON object, or null for anything else (too big, not JSON, an array). */
export function parseJsonObject(payload: Uint8Array): Record<string, unknown> | null {
  if (payload.byteLength === 0 || payload.byteLength > MAX_EVENT_BYTES) return null;
  try {
    const value: unknown = JSON.parse(decoder.decode(payload));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    // Not JSON: not an event we can read; the raw value stays in the tree.
    return null;
  }
}

/** A text field, cut to display length; numbers are shown as text; anything else is null. */
export function textField(object: Record<string, unknown>, ...names: string[]): string | null {
  for (const name of names) {
    const value = object[name];
    if (typeof value === 'string' && value !== '') return value.length > MAX_FIELD_CHARS ? `${value.slice(0, MAX_FIELD_CHARS)}…` : value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return null;
}

/** A finite number field (a numeric string counts), or null. */
export function numberField(object: Record<string, unknown>, ...names: string[]): number | null {
  for (const name of names) {
    const value = object[name];
    const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (Number.isFinite(number)) return number;
  }
  return null;
}

/**
 * A time in ms since the epoch from a broker's stamp: EMQX writes ms, NanoMQ's `ts` may be
 * seconds, alarms microseconds (erlang:system_time(microsecond)). Null when none is plausible.
 */
export function epochMs(value: number | null): number | null {
  if (value === null || value <= 0) return null;
  if (value < 1e11) return value * 1000;
  if (value < 1e14) return value;
  if (value < 1e17) return Math.floor(value / 1000);
  return null;
}

/** A client event from its payload; `fallback` fills what the payload lacks (the topic's client id, arrival time). */
export function parseClientEvent(
  payload: Uint8Array,
  event: 'connected' | 'disconnected',
  fallback: { clientId: string | null; node: string | null; receivedAt: number },
): ClientEvent | null {
  const object = parseJsonObject(payload);
  if (!object) return null;
  const clientId = textField(object, 'clientid', 'client_id') ?? fallback.clientId;
  if (clientId === null) return null;
  const stamp = event === 'connected' ? numberField(object, 'connected_at', 'ts') : numberField(object, 'disconnected_at', 'ts');
  return {
    event,
    clientId,
    username: textField(object, 'username'),
    address: textField(object, 'ipaddress', 'ip_address', 'peername'),
    protoVer: numberField(object, 'proto_ver'),
    reason: event === 'disconnected' ? textField(object, 'reason', 'reason_code') : null,
    node: fallback.node,
    at: epochMs(stamp) ?? fallback.receivedAt,
  };
}

/** An alarm from `alarms/activate` or `alarms/deactivate`. */
export function parseAlarm(payload: Uint8Array, active: boolean, node: string | null): AlarmEvent | null {
  const object = parseJsonObject(payload);
  if (!object) return null;
  const name = textField(object, 'name');
  if (name === null) return null;
  return {
    active,
    name,
    message: textField(object, 'message'),
    node,
    activatedAt: epochMs(numberField(object, 'activate_at')),
    // EMQX writes the atom `infinity` while active: not a number, so null.
    deactivatedAt: active ? null : epochMs(numberField(object, 'deactivate_at')),
  };
}
