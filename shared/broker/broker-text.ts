/** How the Broker view words its figures, and when a missing one is expected. Pure. */
import type { BrokerKind } from './sys-topic';

/** "3 d 4 h", "2 h 5 min", "4 min 10 s", "42 s": the two largest units, as an operator reads an uptime. */
export function uptimeText(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const days = Math.floor(whole / 86_400);
  const hours = Math.floor((whole % 86_400) / 3_600);
  const minutes = Math.floor((whole % 3_600) / 60);
  const secs = whole % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${secs} s`;
  return `${secs} s`;
}

/** A count as the rest of the app writes it: "12,345". */
export function countText(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Messages per second: one decimal below 10, whole numbers above ("0.4/s", "1,250/s"). */
export function perSecondText(value: number): string {
  const shown = value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
  return `${shown}/s`;
}

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** Bytes in decimal units ("812 B", "1.4 kB", "23 MB"), as network rates are usually given. */
export function bytesText(value: number): string {
  let scaled = value;
  let unit = 0;
  while (scaled >= 1000 && unit < BYTE_UNITS.length - 1) {
    scaled /= 1000;
    unit += 1;
  }
  const shown = unit === 0 ? Math.round(scaled).toString() : scaled < 10 ? scaled.toFixed(1) : Math.round(scaled).toString();
  return `${shown} ${BYTE_UNITS[unit]}`;
}

export function bytesPerSecondText(value: number): string {
  return `${bytesText(value)}/s`;
}

/** Which figure a "not yet" text is about: rates need two samples of their counter. */
export type PendingFigure = 'value' | 'rate' | 'uptime';

/**
 * What a figure not received yet says: when this broker publishes it. Mosquitto sends
 * most values only when they change (retained, so the current ones arrive on subscribing);
 * EMQX its stats and metrics every message interval (1 min by default) and its uptime
 * every heartbeat (30 s); VerneMQ every 20 s by default; NanoMQ no figures at all.
 */
export function pendingText(kind: BrokerKind | null, figure: PendingFigure): string {
  switch (kind) {
    case 'mosquitto':
      if (figure === 'rate') return 'after the next two updates (every sys_interval, 10 s by default)';
      if (figure === 'uptime') return 'every sys_interval (10 s by default)';
      return 'when it changes';
    case 'emqx':
      if (figure === 'uptime') return 'with the next heartbeat (30 s by default)';
      if (figure === 'rate') return 'after two message intervals (1 min each by default)';
      return 'within the message interval (1 min by default)';
    case 'vernemq':
      return figure === 'rate' ? 'after two updates (every 20 s by default)' : 'with the next update (every 20 s by default)';
    case 'nanomq':
      return 'not published: NanoMQ sends only client events';
    case null:
      return 'not received yet';
  }
}
