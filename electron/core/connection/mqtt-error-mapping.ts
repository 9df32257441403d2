/**
 * Maps what mqtt.js and Node report (reason codes, errno codes, TLS verification
 * codes) to errors a user can act on. The reason code is kept, never flattened away.
 */
import { ReasonCodes } from 'mqtt';
import type { AppError } from '../../../shared/ipc/app-error';
import type { ConnectionConfig } from '../../../shared/connection/connection-config';
import { usesTls } from '../../../shared/connection/connection-config';
import { fallbackMqttVersion } from '../../../shared/connection/protocol-fallback';
import { NO_SNI_CAUSE, sendsNoSni } from '../../../shared/connection/sni';
import { disconnectReasonText, publishRefusalText, reasonCodeHex, subscriptionLimitHint } from '../../../shared/mqtt/reason-codes';
import { ProxyError } from './proxy-error';

/** The MQTT 5 reason string for a code, from mqtt.js's table. */
function reasonText(code: number): string | undefined {
  return (ReasonCodes as Record<number, string>)[code];
}

/** MQTT 3.1.1 CONNACK return codes (section 3.2.2.3). */
const CONNACK_V3: Record<number, string> = {
  1: 'the broker does not support this MQTT version: choose another "MQTT version"',
  2: 'the broker rejected the client ID: choose another one',
  3: 'the MQTT service is unavailable on the broker',
  4: 'bad user name or password',
  5: 'not authorized',
};

const UNKNOWN_CA = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

type ConnectionTarget = Pick<ConnectionConfig, 'protocol' | 'host' | 'port' | 'mqttVersion' | 'connectTimeoutMs'> & {
  tls: Pick<ConnectionConfig['tls'], 'serverName' | 'caFile'>;
};

interface ErrorLike {
  message?: unknown;
  code?: unknown;
}

/** CONNACK "unacceptable protocol version": return code 1 on 3.1 and 3.1.1, 0x84 on 5. */
function isVersionRefusal(code: number, version: ConnectionConfig['mqttVersion']): boolean {
  return version === '5' ? code === 0x84 : code === 1;
}

/** Reason codes that mean "who you are is not accepted", on 3.1.1 and on 5. */
function isAuthReason(code: number, version: ConnectionConfig['mqttVersion']): boolean {
  return version === '5' ? code === 0x86 || code === 0x87 : code === 4 || code === 5;
}

export function mapConnectionError(error: unknown, target: ConnectionTarget): AppError {
  // Already a sentence naming the proxy; the broker was never reached.
  if (error instanceof ProxyError) return error.appError;
  const { message: rawMessage, code } = (error ?? {}) as ErrorLike;
  const detail = typeof rawMessage === 'string' ? rawMessage : String(error);
  const where = `${target.host}:${target.port}`;

  if (typeof code === 'number') {
    if (isVersionRefusal(code, target.mqttVersion)) {
      const other = fallbackMqttVersion(target.mqttVersion);
      return {
        code: 'PROTOCOL_VERSION_REFUSED',
        message: `The broker does not support MQTT ${target.mqttVersion}: connect with MQTT ${other}.`,
        reasonCode: code,
        detail,
      };
    }
    if (isAuthReason(code, target.mqttVersion)) {
      return { code: 'NOT_AUTHORIZED', message: 'Not authorized: check username and password.', reasonCode: code, detail };
    }
    const reason = target.mqttVersion === '5' ? (reasonText(code) ?? `reason code ${code}`) : (CONNACK_V3[code] ?? `return code ${code}`);
    return { code: 'CONNECTION_REFUSED_BY_BROKER', message: `The broker refused the connection: ${reason}.`, reasonCode: code, detail };
  }

  const errno = typeof code === 'string' ? code : '';
  if (UNKNOWN_CA.has(errno)) {
    // "Set the CA file" misleads a user who has set one: name the file that did not match.
    const caFile = target.tls.caFile;
    return {
      code: 'TLS_UNKNOWN_CA',
      message: caFile
        ? `The broker's certificate is not signed by a CA in the CA file "${caFile}": choose the CA file of the CA that issued the broker's certificate.`
        : "The broker's certificate is signed by a CA this app does not trust: set the CA file (for EMQX Cloud, the CA certificate from the deployment's overview page).",
      detail: `${errno}: ${detail}`,
    };
  }
  if (errno === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const name = target.tls.serverName || target.host;
    return {
      code: 'TLS_HOSTNAME_MISMATCH',
      message: `The broker's certificate is not valid for "${name}": check the host or the SNI server name.`,
      detail: `${errno}: ${detail}`,
    };
  }
  if (errno === 'CERT_HAS_EXPIRED' || errno === 'CERT_NOT_YET_VALID') {
    return {
      code: 'TLS_CERT_EXPIRED',
      message: "The broker's certificate has expired or is not valid yet: renew it on the broker, or check this computer's clock.",
      detail: `${errno}: ${detail}`,
    };
  }
  if (errno === 'ENOTFOUND' || errno === 'EAI_AGAIN') {
    return { code: 'HOST_NOT_FOUND', message: `The host "${target.host}" could not be found: check its spelling and your network.`, detail: `${errno}: ${detail}` };
  }
  if (errno === 'ECONNREFUSED') {
    return { code: 'CONNECTION_REFUSED', message: `Nothing accepted the connection on ${where}: check the port and that the broker is running.`, detail: `${errno}: ${detail}` };
  }
  if (errno === 'ECONNRESET' || errno === 'EPIPE') {
    return withSniCause(
      {
        code: 'CONNECTION_RESET',
        message: usesTls(target.protocol)
          ? `The connection to ${where} was reset during the TLS handshake: check the port and the protocol (is this a plain, non-TLS port? Then choose mqtt or ws).`
          : `The connection to ${where} was reset during the handshake: is this a TLS port? Then choose mqtts (or wss).`,
        detail: `${errno}: ${detail}`,
      },
      target,
    );
  }
  if (/wrong version number|packet length too long|ERR_SSL_/i.test(`${errno} ${detail}`)) {
    return {
      code: 'TLS_FAILED',
      message: `The TLS handshake with ${where} failed: is this a plain (non-TLS) port? Then choose mqtt (or ws).`,
      detail: `${errno}: ${detail}`,
    };
  }
  if (errno === 'ETIMEDOUT' || /connack timeout/i.test(detail)) {
    return {
      code: 'TIMEOUT',
      message: `No answer from ${where} within ${Math.round(target.connectTimeoutMs / 1000)} s: check the host, the port and any firewall.`,
      detail: errno ? `${errno}: ${detail}` : detail,
    };
  }
  if (errno.startsWith('ERR_TLS') || errno.startsWith('ERR_SSL') || /certificate|TLS/i.test(detail)) {
    return { code: 'TLS_FAILED', message: `The TLS connection to ${where} failed: ${detail}`, detail: errno ? `${errno}: ${detail}` : detail };
  }
  return { code: 'UNEXPECTED', message: `The connection to ${where} failed: ${detail}`, detail: errno ? `${errno}: ${detail}` : detail };
}

/**
 * The error of a connection closed during or just after the TLS handshake, naming the
 * missing SNI as the likely cause when none was sent (TLS to an IP address, no server
 * name): brokers that route by SNI close without a word, so nothing else says it.
 */
export function withSniCause(error: AppError, target: Pick<ConnectionTarget, 'protocol' | 'host' | 'tls'>): AppError {
  return sendsNoSni(target) ? { ...error, message: `${error.message} ${NO_SNI_CAUSE}` } : error;
}

/** A publish the broker refused with PUBACK or PUBREC >= 0x80 (MQTT 5 only; 3.1.1 cannot refuse). */
export function mapPublishRefusal(topic: string, reasonCode: number, detail?: string): AppError {
  return {
    code: 'PUBLISH_REFUSED',
    message: `The broker refused the message to "${topic}": ${publishRefusalText(reasonCode)}`,
    reasonCode,
    ...(detail ? { detail } : {}),
  };
}

/** A DISCONNECT the broker sent (MQTT 5), with its reason explained and the broker's own words when it gave some. */
export function mapServerDisconnect(reasonCode: number, properties: { reasonString?: string; serverReference?: string } = {}): AppError {
  const said = properties.reasonString ? ` The broker says: "${properties.reasonString}".` : '';
  return {
    code: 'CONNECTION_LOST',
    message: `The broker disconnected this client: ${disconnectReasonText(reasonCode, properties.serverReference)}${said}`,
    reasonCode,
  };
}

/** Whether reconnecting could help: not for refused credentials (the broker's or the proxy's) or TLS trust problems. */
export function isRetryable(error: AppError): boolean {
  // Taken over by a client with the same ID: reconnecting would take the session back
  // and knock that client out in turn, the two evicting each other for ever.
  if (error.code === 'CONNECTION_LOST' && error.reasonCode === 0x8e) return false;
  return !['NOT_AUTHORIZED', 'PROXY_AUTH_FAILED', 'PROTOCOL_VERSION_REFUSED', 'TLS_UNKNOWN_CA', 'TLS_HOSTNAME_MISMATCH', 'TLS_CERT_EXPIRED', 'FILE_MISSING', 'FILE_UNREADABLE', 'FILE_NOT_PEM'].includes(error.code);
}

/**
 * The refusal code of a failed subscribe of one filter, or undefined when the error is
 * not the broker's answer. mqtt.js v5 rejects with an ErrorWithSubackPacket that keeps
 * the SUBACK in `packet` and drops the code its callback had; older paths set `code`.
 */
export function subackRefusalCode(error: unknown): number | undefined {
  const { code, packet } = (error ?? {}) as { code?: unknown; packet?: { granted?: unknown } };
  if (typeof code === 'number') return code;
  const granted: unknown = Array.isArray(packet?.granted) ? (packet.granted as unknown[]).find((g) => typeof g === 'number' && g >= 0x80) : undefined;
  return typeof granted === 'number' ? granted : undefined;
}

/** A refused SUBACK (0x80 on 3.1.1, any reason >= 0x80 on 5). */
export function mapSubscriptionRefusal(filter: string, reasonCode: number): AppError {
  const reason = reasonCode === 0x80 ? 'unspecified error' : (reasonText(reasonCode) ?? `reason code ${reasonCodeHex(reasonCode)}`);
  const limit = subscriptionLimitHint(reasonCode);
  const sysHint = limit
    ? ` ${limit}`
    : filter.startsWith('$SYS')
      ? ' EMQX refuses "$SYS/#" to clients that are not local by default (ACL rule); ask the broker admin to allow it, or subscribe to your own topics only.'
      : filter === '#' || filter === '+/#'
        ? ' EMQX\'s default ACL refuses exactly "#" and "+/#"; "+" together with "+/+/#" receives the same topics.'
        : ' The broker\'s ACL may not allow this filter for your user.';
  return {
    code: 'SUBSCRIPTION_REFUSED',
    message: `The broker refused the subscription to "${filter}" (${reason}).${sysHint}`,
    reasonCode,
  };
}
