/**
 * The built browser-mode host (`out/main/web-host.js`) as a child process, and a
 * WebSocket client that speaks the contract to it the way the renderer does.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import WebSocket from 'ws';
import type { MessageBatch } from '../../shared/mqtt/mqtt-message';
import { decodeFrame, encodeFrame, type WireMessage } from '../../shared/ipc/wire-codec';
import { waitFor } from './wait-for';

/** The built host; HOST_SCRIPT in the environment runs another build (to compare before and after a fix). */
const HOST_SCRIPT = process.env['HOST_SCRIPT'] ?? 'out/main/web-host.js';

export interface ConnectOptions {
  /** The page's window ID (`window=` in the URL), so it can later ask why it was closed. */
  windowId?: string;
  /** Extra query, e.g. `&why=1`. */
  query?: string;
}

export class WebHostProcess {
  readonly process: ChildProcessWithoutNullStreams;
  readonly url: URL;
  readonly token: string;
  readonly stderr: () => string;

  private constructor(child: ChildProcessWithoutNullStreams, url: URL, token: string, stderr: () => string) {
    this.process = child;
    this.url = url;
    this.token = token;
    this.stderr = stderr;
  }

  static async start(args: string[]): Promise<WebHostProcess> {
    if (!existsSync(HOST_SCRIPT)) throw new Error(`${HOST_SCRIPT} is missing: run "npm run build" first (npm test does).`);
    const child = spawn(process.execPath, [HOST_SCRIPT, '--port', '0', ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const match = await waitFor('the host to print its URL', () => /(http:\/\/127\.0\.0\.1:\d+\/)#token=([\w-]+)/.exec(stdout), {
      timeoutMs: 20_000,
      diagnostics: () => `stdout: ${stdout}\nstderr: ${stderr}\nexit code: ${child.exitCode}`,
    });
    return new WebHostProcess(child, new URL(match[1] ?? ''), match[2] ?? '', () => stderr);
  }

  /** SIGTERM, as a user's Ctrl+C; resolves with the exit code. */
  async stop(): Promise<number | null> {
    // A host that already ended (also one killed by a signal: exitCode null) has no exit to wait for.
    if (this.process.exitCode !== null || this.process.signalCode !== null) return this.process.exitCode;
    const exited = once(this.process, 'exit');
    this.process.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    return code;
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** The host's resident memory in bytes (VmRSS from /proc). */
  rssBytes(): number {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'))?.[1];
    return Number(kb) * 1024;
  }

  /** File descriptors the host has open (/proc/<pid>/fd). */
  openFds(): number {
    return readdirSync(`/proc/${this.pid}/fd`).length;
  }

  /** The WebSocket URL with the token, as the page builds it. */
  socketUrl(options: ConnectOptions = {}): string {
    const window = options.windowId ? `&window=${options.windowId}` : '';
    return `ws://${this.url.host}/ipc?token=${this.token}${window}${options.query ?? ''}`;
  }

  async connect(options: ConnectOptions = {}): Promise<HostClient> {
    const socket = new WebSocket(this.socketUrl(options), { origin: `http://${this.url.host}` });
    // A test that attacks the host expects errors on its own socket too.
    socket.on('error', () => undefined);
    await once(socket, 'open');
    return new HostClient(socket);
  }
}

/**
 * Sends commands with their own ids and matches the results; keeps the message batches
 * it receives, and acknowledges them as the renderer does when `autoAcknowledge` is set.
 */
export class HostClient {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, (result: unknown) => void>();
  #nextId = 1;
  readonly batches: MessageBatch[] = [];
  /** Every other event received, in order. */
  readonly events: { name: string; payload: unknown }[] = [];
  autoAcknowledge = false;
  /** The close code and reason once the socket closed. */
  closed: { code: number; reason: string } | null = null;

  constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('close', (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString() };
      for (const resolve of this.#pending.values()) resolve({ ok: false, error: { code: 'SOCKET_CLOSED', message: `closed with ${code}` } });
      this.#pending.clear();
    });
    socket.on('message', (data: Buffer) => {
      const message = decodeFrame(new Uint8Array(data)) as WireMessage;
      if (message.kind === 'event' && message.name === 'messages:batch') {
        const batch = message.payload as MessageBatch;
        this.batches.push(batch);
        if (this.autoAcknowledge) void this.command('messages:ack', { connectionId: batch.connectionId, seq: batch.seq });
      } else if (message.kind === 'event') {
        this.events.push({ name: message.name, payload: message.payload });
      }
      if (message.kind !== 'result') return;
      this.#pending.get(message.id)?.(message.result);
      this.#pending.delete(message.id);
    });
  }

  /** The ws client itself, for tests that write raw bytes or stop reading. */
  get socket(): WebSocket {
    return this.#socket;
  }

  /** Messages the received batches stand for (each counts itself and those it replaced). */
  get represented(): number {
    return this.batches.reduce((sum, b) => sum + b.messages.reduce((s, m) => s + 1 + m.coalesced, 0), 0);
  }

  command(name: string, args: unknown): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#socket.send(encodeFrame({ kind: 'command', id, name, args }));
    });
  }

  close(): void {
    this.#socket.close();
  }
}

/** The value of a command's result that the test expects to succeed; a failure throws with the error. */
export function resultValue<T>(result: unknown): T {
  const r = result as { ok: true; value: T } | { ok: false; error: unknown };
  if (!r.ok) throw new Error(`command failed: ${JSON.stringify(r.error)}`);
  return r.value;
}
