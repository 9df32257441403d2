/**
 * Whether a TLS connection will go out without SNI: Node sends no server name when the
 * host is an IP address (RFC 6066 forbids IP literals in SNI), and some brokers, EMQX
 * Cloud Serverless among them, route TLS by that name and close a handshake without it.
 * Pure, so the form warns before connecting and the core names it after a failure.
 */
import { usesTls, type Protocol } from './connection-config';

/** The form's warning, and the core's diagnosis, name the field the same way. */
export const SNI_FIELD = 'SNI server name';

/** A dotted IPv4 address, or anything with a colon (an IPv6 literal; host names have none). */
export function isIpAddress(host: string): boolean {
  const trimmed = host.trim();
  if (trimmed.includes(':')) return true;
  const parts = trimmed.split('.');
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

export interface SniTarget {
  protocol: Protocol;
  host: string;
  tls: { serverName?: string | undefined };
}

/** True when the connection uses TLS to an IP address with no SNI server name set. */
export function sendsNoSni({ protocol, host, tls }: SniTarget): boolean {
  return usesTls(protocol) && isIpAddress(host) && !tls.serverName?.trim();
}

/** The note the form shows before connecting. */
export const NO_SNI_WARNING = `Connecting with TLS to an IP address: no server name (SNI) is sent, and some brokers (EMQX Cloud Serverless) refuse TLS without it. If the broker has a host name, use it, or set "${SNI_FIELD}" under TLS.`;

/** What a failed handshake's error adds when no SNI was sent. */
export const NO_SNI_CAUSE = `Likely cause: no server name (SNI) was sent, because the host is an IP address, and some brokers (EMQX Cloud Serverless) close TLS connections without one. Use the broker's host name, or set "${SNI_FIELD}" under TLS.`;
