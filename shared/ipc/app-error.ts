/**
 * Errors cross every boundary (IPC, WebSocket, tests) as plain data, because a thrown
 * Error that crosses `ipcMain.handle` keeps only its message.
 */

/** What went wrong, as a stable code the UI and tests can branch on. */
export type ErrorCode =
  /** Arguments from the renderer failed validation; nothing was changed. */
  | 'INVALID_INPUT'
  /** The command came from a frame that is not Topicscope's own page (another origin, file://); nothing was done. */
  | 'UNTRUSTED_SENDER'
  /** The broker refused the credentials (CONNACK 4/5 on 3.1.1, 0x86/0x87 on 5). */
  | 'NOT_AUTHORIZED'
  /** The broker does not support the MQTT version asked for (CONNACK 1 on 3.1.1, 0x84 on 5): the other one may work. */
  | 'PROTOCOL_VERSION_REFUSED'
  /** The broker refused the connection for another reason (CONNACK reason code given). */
  | 'CONNECTION_REFUSED_BY_BROKER'
  /** DNS could not resolve the host. */
  | 'HOST_NOT_FOUND'
  /** Nothing listens on that host and port (TCP RST on connect). */
  | 'CONNECTION_REFUSED'
  /** The peer closed or reset the connection during the handshake. */
  | 'CONNECTION_RESET'
  /** No CONNACK (or no TCP/TLS handshake) within the connect timeout. */
  | 'TIMEOUT'
  /** The server certificate is signed by a CA the app does not trust. */
  | 'TLS_UNKNOWN_CA'
  /** The server certificate does not name the host (or SNI name) we connected to. */
  | 'TLS_HOSTNAME_MISMATCH'
  /** The server certificate has expired or is not yet valid. */
  | 'TLS_CERT_EXPIRED'
  /** Another TLS failure (protocol version, ALPN, bad client certificate...). */
  | 'TLS_FAILED'
  /** A CA, certificate or key file does not exist. */
  | 'FILE_MISSING'
  /** A CA, certificate or key file exists but cannot be read, is not a regular file, or is too large to be one. */
  | 'FILE_UNREADABLE'
  /** A CA, certificate or key file is not PEM, or a key cannot be decrypted. */
  | 'FILE_NOT_PEM'
  /** The broker refused a subscription (SUBACK 0x80 or an MQTT 5 reason >= 0x80). */
  | 'SUBSCRIPTION_REFUSED'
  /** The broker refused a publish (MQTT 5 PUBACK/PUBREC reason >= 0x80). */
  | 'PUBLISH_REFUSED'
  /** The command needs a connected session and there is none. */
  | 'NOT_CONNECTED'
  /** No connection with that ID exists. */
  | 'UNKNOWN_CONNECTION'
  /** The feature is not available in this mode (for example the file dialog in browser mode). */
  | 'UNSUPPORTED'
  /** No saved profile with that ID exists. */
  | 'UNKNOWN_PROFILE'
  /** A secret would be stored without OS encryption and the user has not agreed to that. */
  | 'SECRET_STORAGE_INSECURE'
  /** An import file is not a Topicscope or MQTTX export, or none of its entries is usable. */
  | 'IMPORT_INVALID'
  /** The profile store could not be written (disk full, permissions); nothing was changed. */
  | 'STORE_WRITE_FAILED'
  /** The proxy could not be reached (nothing listening, unknown host, no answer in time); the message names it. */
  | 'PROXY_UNREACHABLE'
  /** The proxy refused the user name and password (SOCKS5 authentication, HTTP 407). */
  | 'PROXY_AUTH_FAILED'
  /** The proxy answered but would not or could not connect to the broker (its rules, or the broker unreachable behind it). */
  | 'PROXY_REFUSED'
  /** The broker or the network closed an established connection. */
  | 'CONNECTION_LOST'
  /** Too many commands are still running for this window; nothing was done. Try again once they finish. */
  | 'BUSY'
  /** A file the app writes (a recording) could not be created or written: permissions, disk full. */
  | 'FILE_WRITE_FAILED'
  /** Anything else; the message carries the original text. */
  | 'UNEXPECTED';

export interface AppError {
  code: ErrorCode;
  /** One or two sentences a user can act on. */
  message: string;
  /** The MQTT reason or return code, when the broker sent one. */
  reasonCode?: number;
  /** The underlying technical text (Node error code, mqtt.js message), for the log. */
  detail?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: AppError): Result<T> {
  return { ok: false, error };
}
