/**
 * The browser-mode host as a user (and an attacker on the same machine) meets it:
 * the built `out/main/web-host.js`, started as `npm run web` would.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeFrame, encodeFrame, type WireMessage } from '../../shared/ipc/wire-codec';

const HOST_SCRIPT = 'out/main/web-host.js';
let host: ChildProcessWithoutNullStreams;
let stdout = '';
let url: URL;
let token: string;
let configDir: string;

beforeAll(async () => {
  if (!existsSync(HOST_SCRIPT)) throw new Error(`${HOST_SCRIPT} is missing: run "npm run build" first (npm test does).`);
  // Profiles go to a throwaway folder: tests never touch the user's real config.
  configDir = await mkdtemp(join(tmpdir(), 'topicscope-it-config-'));
  host = spawn(process.execPath, [HOST_SCRIPT, '--port', '0', '--config-dir', configDir]);
  host.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const started = Date.now();
  while (!stdout.includes('\n')) {
    if (Date.now() - started > 20_000) throw new Error(`The host printed nothing within 20 s; stdout: ${stdout}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const match = /(http:\/\/127\.0\.0\.1:\d+\/)#token=([\w-]+)/.exec(stdout);
  if (!match?.[1] || !match[2]) throw new Error(`No URL in the host's output: ${stdout}`);
  url = new URL(match[1]);
  token = match[2];
});

afterAll(async () => {
  if (host.exitCode === null) {
    host.kill('SIGKILL');
    await once(host, 'exit');
  }
  await rm(configDir, { recursive: true, force: true });
});

function openSocket(query: string, origin: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${url.host}/ipc${query}`, origin ? { origin } : {});
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function command(socket: WebSocket, name: string, args: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    socket.once('message', (data: Buffer) => {
      const message = decodeFrame(new Uint8Array(data)) as WireMessage;
      resolve(message.kind === 'result' ? message.result : message);
    });
    socket.send(encodeFrame({ kind: 'command', id: 1, name, args }));
  });
}

describe('browser-mode host', () => {
  it('prints exactly one line: the full URL with a long random token', () => {
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(token.length).toBeGreaterThanOrEqual(40);
  });

  it('serves the renderer with a strict content security policy', async () => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="app">');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('serves nothing outside the renderer folder, even for raw ".." paths', async () => {
    // fetch() would normalize ".." away; a hostile client sends the path as it likes.
    for (const path of ['/../../package.json', '/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/assets/%00']) {
      const status = await new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port: Number(url.port), path }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect([400, 404], path).toContain(status);
    }
  });

  it('refuses a socket without the token, with a wrong token, or from another origin', async () => {
    const origin = `http://${url.host}`;
    await expect(openSocket('', origin)).rejects.toThrow(/403/);
    await expect(openSocket('?token=wrong', origin)).rejects.toThrow(/403/);
    await expect(openSocket(`?token=${token}`, 'http://evil.example')).rejects.toThrow(/403/);
    await expect(openSocket(`?token=${token}`, undefined)).rejects.toThrow(/403/);
  });

  it('carries the contract for its own page, and validates arguments there too', async () => {
    const socket = await openSocket(`?token=${token}`, `http://${url.host}`);
    expect(await command(socket, 'app:info', {})).toMatchObject({ ok: true, value: { mode: 'browser' } });
    expect(await command(socket, 'connection:close', { connectionId: '../../etc' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await command(socket, 'file:pick', { purpose: 'ca' })).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
    // No dialog in browser mode: no file is read on the host's side, the page uploads its own.
    expect(await command(socket, 'publish:pick-file', {})).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
    socket.close();
  });

  it('closes a socket that sends a malformed frame, and keeps serving others', async () => {
    const origin = `http://${url.host}`;
    const bad = await openSocket(`?token=${token}`, origin);
    const closed = once(bad, 'close');
    bad.send(Buffer.from([1, 2, 3]));
    const [code] = (await closed) as [number];
    expect(code).toBe(1008);
    const good = await openSocket(`?token=${token}`, origin);
    expect(await command(good, 'app:info', {})).toMatchObject({ ok: true });
    good.close();
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = once(host, 'exit');
    host.kill('SIGTERM');
    const [code] = (await exited) as [number];
    expect(code).toBe(0);
  });
});
