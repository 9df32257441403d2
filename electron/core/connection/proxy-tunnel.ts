/**
 * Opens a TCP tunnel to the broker through a proxy: SOCKS5 (RFC 1928, with RFC 1929
 * username/password) through the maintained `socks` package, or HTTP CONNECT through
 * Node's own client. The broker's host name goes to the proxy as a name, never resolved
 * here, so a network that only the proxy can see still works and no DNS query leaks.
 *
 * The TCP connection to the proxy is opened first and on its own, so "the proxy is
 * down" and "the proxy cannot reach the broker" are told apart; every failure is a
 * ProxyError whose message names the proxy.
 */
import http from 'node:http';
import net from 'node:net';
import { SocksClient } from 'socks';
import type { AppError } from '../../../shared/ipc/app-error';
import { proxyPlace, type ProxyConfig } from '../../../shared/connection/proxy-config';
import { ProxyError } from './proxy-error';

export interface TunnelTarget {
  host: string;
  port: number;
}

/** Everything a tunnel needs: the proxy with its password, and how long it may take in all. */
export interface TunnelRequest {
  proxy: ProxyConfig;
  target: TunnelTarget;
  /** Milliseconds for the proxy connection and its handshake together (the connect timeout). */
  timeoutMs: number;
}

export async function openTunnel({ proxy, target, timeoutMs }: TunnelRequest): Promise<net.Socket> {
  const deadline = Date.now() + timeoutMs;
  const socket = await connectToProxy(proxy, timeoutMs);
  const remainingMs = Math.max(1, deadline - Date.now());
  try {
    return proxy.type === 'socks5' ? await socks5Connect(proxy, target, socket, remainingMs) : await httpConnect(proxy, target, socket, remainingMs);
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

function proxyFailure(proxy: ProxyConfig, code: AppError['code'], what: string, detail?: string): ProxyError {
  return new ProxyError({ code, message: `${proxyPlace(proxy)}: ${what}`, ...(detail ? { detail } : {}) });
}

function unreachable(proxy: ProxyConfig, why: string, detail?: string): ProxyError {
  return proxyFailure(proxy, 'PROXY_UNREACHABLE', `proxy unreachable, ${why}`, detail);
}

function connectToProxy(proxy: ProxyConfig, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: proxy.host, port: proxy.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(unreachable(proxy, `no answer within ${Math.round(timeoutMs / 1000)} s. Check the proxy host, its port and any firewall.`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const detail = `${error.code ?? ''}: ${error.message}`;
      if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') {
        reject(unreachable(proxy, `the host "${proxy.host}" could not be found. Check its spelling and your network.`, detail));
      } else if (error.code === 'ECONNREFUSED') {
        reject(unreachable(proxy, 'nothing accepted the connection. Check the proxy port and that the proxy is running.', detail));
      } else {
        reject(unreachable(proxy, `${error.message}.`, detail));
      }
    });
  });
}

/** What a SOCKS5 reply code (RFC 1928 section 6) means, as the socks package names it. */
const SOCKS5_REPLY: Record<string, { code: AppError['code']; what: (target: string) => string }> = {
  Failure: { code: 'PROXY_REFUSED', what: (t) => `proxy refused the connection to ${t} (general failure).` },
  NotAllowed: { code: 'PROXY_REFUSED', what: (t) => `proxy refused the connection to ${t}: its rules do not allow it.` },
  NetworkUnreachable: { code: 'PROXY_REFUSED', what: (t) => `the proxy cannot reach the broker at ${t} (network unreachable).` },
  HostUnreachable: { code: 'PROXY_REFUSED', what: (t) => `the proxy cannot reach the broker at ${t} (host unreachable, or its name is unknown to the proxy).` },
  ConnectionRefused: { code: 'PROXY_REFUSED', what: (t) => `the proxy reached ${t} but nothing accepted the connection there: check the broker port.` },
  TTLExpired: { code: 'PROXY_REFUSED', what: (t) => `the proxy cannot reach the broker at ${t} (TTL expired).` },
};

async function socks5Connect(proxy: ProxyConfig, target: TunnelTarget, socket: net.Socket, timeoutMs: number): Promise<net.Socket> {
  const where = authority(target);
  try {
    const { socket: tunnel } = await SocksClient.createConnection({
      command: 'connect',
      // A host name is sent as one (ATYP 3): the proxy resolves it.
      destination: { host: target.host, port: target.port },
      proxy: {
        host: proxy.host,
        port: proxy.port,
        type: 5,
        ...(proxy.username ? { userId: proxy.username, password: proxy.password ?? '' } : {}),
      },
      timeout: timeoutMs,
      existing_socket: socket,
    });
    return tunnel;
  } catch (error) {
    const message = (error as Error).message;
    const reply = /rejected connection - (\w+)/.exec(message)?.[1];
    const known = reply ? SOCKS5_REPLY[reply] : undefined;
    if (known) throw proxyFailure(proxy, known.code, known.what(where), message);
    if (/Authentication failed/i.test(message)) {
      throw proxyFailure(proxy, 'PROXY_AUTH_FAILED', 'authentication failed. Check the proxy user name and password.', message);
    }
    if (/no accepted authentication type/i.test(message)) {
      const hint = proxy.username ? 'it accepts none of the offered methods.' : 'it needs a user name and password: set "Proxy username" and "Proxy password".';
      throw proxyFailure(proxy, 'PROXY_AUTH_FAILED', `authentication failed, ${hint}`, message);
    }
    if (/timed out/i.test(message)) {
      throw proxyFailure(proxy, 'TIMEOUT', `no connection to ${where} through the proxy within ${Math.round(timeoutMs / 1000)} s.`, message);
    }
    throw proxyFailure(proxy, 'PROXY_REFUSED', `the SOCKS5 handshake failed (${message}). Is this the port of a SOCKS5 proxy?`, message);
  }
}

/** `host:port`, with an IPv6 address in brackets as a request target must be. */
function authority(target: TunnelTarget): string {
  return net.isIPv6(target.host) ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}

function httpConnect(proxy: ProxyConfig, target: TunnelTarget, socket: net.Socket, timeoutMs: number): Promise<net.Socket> {
  const where = authority(target);
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { host: where };
    if (proxy.username) {
      headers['proxy-authorization'] = `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ''}`, 'utf8').toString('base64')}`;
    }
    const request = http.request({ method: 'CONNECT', path: where, headers, createConnection: () => socket, timeout: timeoutMs });
    request.once('timeout', () => {
      request.destroy();
      reject(proxyFailure(proxy, 'TIMEOUT', `no connection to ${where} through the proxy within ${Math.round(timeoutMs / 1000)} s.`));
    });
    request.once('error', (error) => {
      reject(proxyFailure(proxy, 'PROXY_REFUSED', `the proxy closed the connection before answering (${error.message}). Is this the port of an HTTP proxy?`, error.message));
    });
    // Node emits `connect` for every answer to a CONNECT, whatever its status.
    request.once('connect', (response: http.IncomingMessage, tunnel: net.Socket, head: Buffer) => {
      request.setTimeout(0);
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        // Bytes the broker sent right after the proxy's answer belong to the tunnel.
        if (head.length > 0) tunnel.unshift(head);
        resolve(tunnel);
        return;
      }
      tunnel.destroy();
      const answer = `HTTP ${status}: ${status === 407 ? 'proxy authentication required' : (response.statusMessage ?? 'no reason given').toLowerCase()}`;
      // 407 is the standard answer; tinyproxy, among others, answers wrong credentials with 401.
      if (status === 407 || status === 401) {
        const hint = proxy.username ? 'Check the proxy user name and password.' : 'Set "Proxy username" and "Proxy password".';
        reject(proxyFailure(proxy, 'PROXY_AUTH_FAILED', `proxy refused the connection (${answer}). ${hint}`, answer));
      } else if (status === 500 || status === 502 || status === 503 || status === 504) {
        // What proxies answer when their own connection to the target fails (tinyproxy: "500 Unable to connect").
        reject(proxyFailure(proxy, 'PROXY_REFUSED', `the proxy cannot reach the broker at ${where} (${answer}). Check the broker host and port.`, answer));
      } else {
        reject(proxyFailure(proxy, 'PROXY_REFUSED', `proxy refused the connection to ${where} (${answer}).`, answer));
      }
    });
    request.end();
  });
}
