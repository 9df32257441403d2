/**
 * The built browser-mode host (`out/main/web-host.js`) as a child process, and a
 * WebSocket client that speaks the contract to it the way the renderer does.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import WebSocket from 'ws';
import { decodeFrame, encodeFrame, type WireMessage } from '../../shared/wire-codec';
import { waitFor } from './wait-for';

const HOST_SCRIPT = 'out/main/web-host.js';

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
    if (this.process.exitCode !== null) return this.process.exitCode;
    const exited = once(this.process, 'exit');
    this.process.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    return code;
  }

  async connect(): Promise<HostClient> {
    const socket = new WebSocket(`ws://${this.url.host}/ipc?token=${this.token}`, { origin: `http://${this.url.host}` });
    await once(socket, 'open');
    return new HostClient(socket);
  }
}

/** Sends commands with their own ids and matches the results, ignoring events in between. */
export class HostClient {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, (result: unknown) => void>();
  #nextId = 1;

  constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data: Buffer) => {
      const message = decodeFrame(new Uint8Array(data)) as WireMessage;
      if (message.kind !== 'result') return;
      this.#pending.get(message.id)?.(message.result);
      this.#pending.delete(message.id);
    });
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
