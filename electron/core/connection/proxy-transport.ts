/**
 * Runs MQTT over a proxy tunnel, for the four protocols. mqtt.js calls its stream
 * builder again on every reconnect, so each attempt opens a fresh tunnel through the
 * same proxy; nothing ever goes to the broker directly.
 *
 * mqtt.js 5's own `socksProxy` option is not used: it has no proxy authentication,
 * covers neither websockets nor HTTP proxies, and verifies an IP-addressed broker's
 * certificate against "localhost".
 *
 * - mqtt, mqtts: a stream builder returns at once (mqtt.js needs a stream
 *   synchronously) a PendingStream that is joined to the tunnel, or to TLS over it,
 *   once they are up.
 * - ws, wss: the `ws` package makes its upgrade request through an http(s) Agent, and
 *   an Agent may hand its socket over later: TunnelAgent opens the tunnel there.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import mqtt, { MqttClient, type IClientOptions } from 'mqtt';
import type { ProxyConfig } from '../../../shared/connection/proxy-config';
import type { ClientOptions } from './mqtt-client-options';
import { openTunnel, type TunnelTarget } from './proxy-tunnel';

type TlsChoices = Pick<tls.ConnectionOptions, 'ca' | 'cert' | 'key' | 'passphrase' | 'rejectUnauthorized' | 'servername'> & {
  /** buildClientOptions sets names only (`string[]`); mqtt.js's type also allows buffers. */
  ALPNProtocols?: IClientOptions['ALPNProtocols'];
};

/** TLS over the tunnel, with the options mqtt.js's own TLS transport would use. */
function tlsOverTunnel(socket: net.Socket, host: string, options: TlsChoices): tls.TLSSocket {
  const { ca, cert, key, passphrase, rejectUnauthorized, ALPNProtocols } = options;
  // An empty name (Node's choice for an IP address) means no SNI.
  const servername = options.servername || (net.isIP(host) === 0 ? host : undefined);
  return tls.connect({
    socket,
    // Certificate identity is checked against the SNI name when there is one, else this host.
    host,
    ...(servername ? { servername } : {}),
    ...(ca !== undefined ? { ca } : {}),
    ...(cert !== undefined ? { cert } : {}),
    ...(key !== undefined ? { key } : {}),
    ...(passphrase !== undefined ? { passphrase } : {}),
    ...(Array.isArray(ALPNProtocols) ? { ALPNProtocols: ALPNProtocols.map(String) } : {}),
    rejectUnauthorized: rejectUnauthorized !== false,
  });
}

/**
 * A stream handed to mqtt.js before the connection exists. Writes wait (corked) until
 * `join` gives it the real socket; a failure to open one destroys it with that error,
 * which mqtt.js reports and the session maps.
 */
export class PendingStream extends Duplex {
  #socket: Duplex | null = null;
  #wantsData = false;

  constructor() {
    super({ autoDestroy: false });
    this.cork();
  }

  join(socket: Duplex): void {
    if (this.destroyed) {
      // Closed (Disconnect) while the tunnel was opening: the tunnel is not wanted.
      socket.destroy();
      return;
    }
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => this.destroy());
    if (!this.#wantsData) socket.pause();
    this.uncork();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // Corked until `join`, so a socket is always there by now.
    this.#socket?.write(chunk, encoding, callback);
  }

  // mqtt.js ends its stream after DISCONNECT: the tunnel ends with it, so the broker sees a clean close.
  override _final(callback: (error?: Error | null) => void): void {
    this.#socket?.end();
    callback();
  }

  override _read(): void {
    this.#wantsData = true;
    this.#socket?.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#socket?.destroy();
    callback(error);
  }
}

export interface ProxiedOptions {
  proxy: ProxyConfig;
  /** Milliseconds for the proxy and its handshake; the connection's connect timeout. */
  timeoutMs: number;
}

function tunnelStreamBuilder({ proxy, timeoutMs }: ProxiedOptions, secure: boolean) {
  // mqtt.js calls a client's own stream builder with the client alone: its options are on it.
  return (client: MqttClient): PendingStream => {
    const opts = client.options as ClientOptions;
    const target: TunnelTarget = { host: opts.hostname ?? opts.host ?? 'localhost', port: opts.port ?? (secure ? 8883 : 1883) };
    const stream = new PendingStream();
    openTunnel({ proxy, target, timeoutMs }).then(
      (socket) => stream.join(secure ? tlsOverTunnel(socket, target.host, opts) : socket),
      (error: unknown) => stream.destroy(error as Error),
    );
    return stream;
  };
}

/** Opens every websocket connection of one client through the proxy. */
function createTunnelConnection(
  proxied: ProxiedOptions,
  secure: boolean,
  options: http.ClientRequestArgs,
  callback: (error: Error | null, socket: Duplex) => void,
): void {
  const target: TunnelTarget = { host: options.host ?? options.hostname ?? 'localhost', port: Number(options.port) };
  openTunnel({ ...proxied, target }).then(
    // `ws` hands its TLS options (CA, certificate, SNI, ALPN) to the request, which passes them here.
    (socket) => callback(null, secure ? tlsOverTunnel(socket, target.host, options as TlsChoices) : socket),
    (error: unknown) => callback(error as Error, undefined as unknown as Duplex),
  );
}

/** An Agent for `ws`: plain for ws, an https one for wss (Node checks the agent's protocol). */
export class TunnelAgent extends http.Agent {
  readonly #proxied: ProxiedOptions;
  constructor(proxied: ProxiedOptions) {
    super({ keepAlive: false });
    this.#proxied = proxied;
  }
  override createConnection(options: http.ClientRequestArgs, callback?: (error: Error | null, socket: Duplex) => void): undefined {
    if (callback) createTunnelConnection(this.#proxied, false, options, callback);
    return undefined;
  }
}

export class SecureTunnelAgent extends https.Agent {
  readonly #proxied: ProxiedOptions;
  constructor(proxied: ProxiedOptions) {
    super({ keepAlive: false });
    this.#proxied = proxied;
  }
  override createConnection(options: http.ClientRequestArgs, callback?: (error: Error | null, socket: Duplex) => void): undefined {
    if (callback) createTunnelConnection(this.#proxied, true, options, callback);
    return undefined;
  }
}

/** An mqtt.js client whose every connection attempt goes through the proxy, or directly when there is none. */
export function createMqttClient(options: IClientOptions, proxied?: ProxiedOptions): MqttClient {
  if (!proxied) return mqtt.connect(options);
  const protocol = options.protocol ?? 'mqtt';
  if (protocol === 'ws' || protocol === 'wss') {
    const agent = protocol === 'wss' ? new SecureTunnelAgent(proxied) : new TunnelAgent(proxied);
    return mqtt.connect({ ...options, wsOptions: { ...options.wsOptions, agent } });
  }
  return new MqttClient(tunnelStreamBuilder(proxied, protocol === 'mqtts'), options);
}
