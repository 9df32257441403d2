/**
 * The browser-mode host under attack, as the real process (`out/main/web-host.js`):
 * anyone on the machine can reach its port, and a page holding the token can still be
 * broken or frozen. Whatever they do, the host stays up, keeps its file descriptors and
 * memory bounded, and keeps serving the pages that behave.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { delay, waitFor } from '../harness/wait-for';
import { HostClient, WebHostProcess } from '../harness/web-host-process';
import { connectionConfig, newPeer, sharedBroker, uniqueConnectionId, uniquePrefix } from './support';

const broker = sharedBroker();
let configDir: string;
let host: WebHostProcess;

beforeAll(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'topicscope-it-attack-'));
  host = await WebHostProcess.start(['--config-dir', configDir]);
});

afterAll(async () => {
  await host.stop();
  await rm(configDir, { recursive: true, force: true });
});

function upgradeRequest(path: string): string {
  return [
    `GET ${path} HTTP/1.1`,
    `Host: ${host.url.host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    `Origin: http://${host.url.host}`,
    '',
    '',
  ].join('\r\n');
}

/** A plain TCP socket to the host; with `allowHalfOpen` it keeps its end open after the host's FIN. */
function rawSocket(allowHalfOpen = false): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port: Number(host.url.port), host: '127.0.0.1', allowHalfOpen }, () => resolve(socket));
    socket.on('error', reject);
  });
}

/** The host is alive and answers a fresh page. */
async function expectServing(): Promise<void> {
  expect(host.running, `host exited; stderr:\n${host.stderr()}`).toBe(true);
  const client = await host.connect();
  expect(await client.command('app:info', {})).toMatchObject({ ok: true, value: { mode: 'browser' } });
  client.close();
}

/** A client frame, written by hand: FIN set, masked unless told otherwise. */
function frame(opcode: number, payload: Buffer, options: { rsv1?: boolean; masked?: boolean } = {}): Buffer {
  const masked = options.masked ?? true;
  const head = Buffer.from([0x80 | (options.rsv1 ? 0x40 : 0) | opcode, (masked ? 0x80 : 0) | payload.length]);
  if (!masked) return Buffer.concat([head, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([head, mask, body]);
}

function rawWrite(client: HostClient, bytes: Buffer): void {
  (client.socket as unknown as { _socket: Socket })._socket.write(bytes);
}

describe('the browser-mode host under attack', () => {
  it('survives clients that send an upgrade without the token and reset before reading the 403', async () => {
    for (let i = 0; i < 40; i++) {
      const socket = await rawSocket();
      socket.write(upgradeRequest('/ipc'));
      // Half reset at once, half once the host has surely read the request and answered.
      if (i % 2 === 1) await delay(10);
      socket.resetAndDestroy();
    }
    await delay(200);
    await expectServing();
  });

  it('lets go of refused sockets: 1,000 refused connections leave the open file descriptors near the baseline', async () => {
    await expectServing();
    const baseline = host.openFds();
    const clients: Socket[] = [];
    onTestFinished(() => clients.forEach((c) => c.destroy()));
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        Array.from({ length: 100 }, async () => {
          const socket = await rawSocket(true);
          clients.push(socket);
          socket.on('error', () => undefined);
          socket.write(upgradeRequest('/ipc?token=wrong'));
          // The client reads its 403 and then just keeps its end open: only the host can let go.
          await once(socket, 'data');
        }),
      );
    }
    await waitFor('the host to close the refused sockets', () => host.openFds() <= baseline + 20, {
      timeoutMs: 20_000,
      diagnostics: () => `open fds: ${host.openFds()}, baseline ${baseline}`,
    });
    await expectServing();
  });

  it('closes a connection that never finishes its headers (slowloris)', async () => {
    const socket = await rawSocket();
    onTestFinished(() => {
      socket.destroy();
    });
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    // Read (and ignore) the host's answer, or the end of the stream would never be seen.
    socket.resume();
    socket.write(`GET / HTTP/1.1\r\nHost: ${host.url.host}\r\nX-Slow: `);
    await waitFor('the host to close the slow request', () => closed, { timeoutMs: 45_000, intervalMs: 200 });
    await expectServing();
  }, 60_000);

  const protocolErrors: [string, Buffer, number][] = [
    ['a text frame with invalid UTF-8', frame(0x1, Buffer.from([0xff, 0xfe, 0xfd])), 1007],
    ['a frame with a reserved bit set', frame(0x2, Buffer.from([1, 2, 3]), { rsv1: true }), 1002],
    ['a frame with the unknown opcode 0x3', frame(0x3, Buffer.from([1])), 1002],
    ['an unmasked frame', frame(0x2, Buffer.from([1, 2, 3]), { masked: false }), 1002],
    ['a close frame with code 999', frame(0x8, Buffer.from([0x03, 0xe7])), 1002],
  ];
  for (const [what, bytes, code] of protocolErrors) {
    it(`closes a page's socket that sends ${what}, and keeps serving`, async () => {
      const client = await host.connect();
      rawWrite(client, bytes);
      const closed = await waitFor('the socket to close', () => client.closed);
      expect(closed.code).toBe(code);
      await expectServing();
    });
  }

  it('closes a socket that announces a frame over the host limit, and keeps serving', async () => {
    const client = await host.connect();
    // Just the header of a 65 MiB binary frame: the host must refuse it on the length alone.
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(65 * 1024 * 1024));
    rawWrite(client, Buffer.concat([Buffer.from([0x82, 0x80 | 127]), length, randomBytes(4)]));
    const closed = await waitFor('the socket to close', () => client.closed);
    expect(closed.code).toBe(1009);
    await expectServing();
  });

  it('answers a publish over the payload limit with a clear error, and closes on a 65 MiB frame without going down', async () => {
    const client = await host.connect();
    onTestFinished(() => client.close());
    const tooBig = await client.command('message:publish', { connectionId: 'c1', topic: 'a/b', payload: new Uint8Array(33 * 1024 * 1024), qos: 0, retain: false });
    expect(tooBig).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('32 MiB') } });
    // A page that skipped its own check: the frame is over the host's limit.
    const huge = await client.command('message:publish', { connectionId: 'c1', topic: 'a/b', payload: new Uint8Array(65 * 1024 * 1024), qos: 0, retain: false });
    expect(huge).toMatchObject({ ok: false });
    expect(client.closed?.code).toBe(1009);
    await expectServing();
  });

  it('keeps a bounded number of commands in flight per page and answers the rest BUSY', async () => {
    // A "broker" that accepts TCP and never answers: each connection:open waits for its CONNACK.
    const accepted: Socket[] = [];
    const silent: Server = createServer((s) => {
      accepted.push(s);
      s.on('error', () => undefined);
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    onTestFinished(() => {
      accepted.forEach((s) => s.destroy());
      silent.close();
    });
    const client = await host.connect();
    onTestFinished(() => client.close());
    const config = { ...connectionConfig(broker, uniquePrefix('busy')), port: (silent.address() as AddressInfo).port, connectTimeoutMs: 60_000, subscriptions: [] };
    const results = Array.from({ length: 80 }, () => client.command('connection:open', { connectionId: uniqueConnectionId(), config }));
    const answered: unknown[] = [];
    results.forEach((r) => void r.then((v) => answered.push(v)));
    await waitFor('the commands over the limit to be answered', () => answered.length >= 16, { timeoutMs: 20_000 });
    await delay(200);
    expect(answered).toHaveLength(16);
    for (const result of answered) expect(result).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    await expectServing();
    // With the "broker" gone the waiting ones fail, and the page may send again.
    accepted.forEach((s) => s.destroy());
    await Promise.all(results);
    expect(await client.command('app:info', {})).toMatchObject({ ok: true });
  });
});

describe('a page that stops reading', () => {
  it('is closed with the reason while a healthy page keeps receiving, and the host memory stays bounded', async () => {
    const prefix = uniquePrefix('stall');
    const healthy = await host.connect();
    healthy.autoAcknowledge = true;
    onTestFinished(() => healthy.close());
    const connectionId = uniqueConnectionId();
    expect(await healthy.command('connection:open', { connectionId, config: connectionConfig(broker, prefix) })).toMatchObject({ ok: true });
    onTestFinished(async () => {
      await healthy.command('connection:close', { connectionId });
    });
    const windowId = randomBytes(12).toString('hex');
    const stalled = await host.connect({ windowId });
    onTestFinished(() => stalled.socket.terminate());
    const peer = await newPeer(broker);
    // Both pages see the connection's messages before one of them freezes.
    // (The subscription may not be in place yet for the first messages.)
    for (let i = 0; i < 100 && !(healthy.batches.length > 0 && stalled.batches.length > 0); i++) {
      await peer.publish(`${prefix}/warm`, 'x', { qos: 1 });
      await delay(100);
    }
    expect(stalled.batches.length).toBeGreaterThan(0);
    (stalled.socket as unknown as { _socket: Socket })._socket.pause();

    const baseline = host.rssBytes();
    let peak = baseline;
    const payload = randomBytes(1024);
    let sent = 0;
    // About 5,000 messages/s of 1 KiB over 200 topics.
    const flood = setInterval(() => {
      for (let i = 0; i < 50; i++) peer.client.publish(`${prefix}/t${sent++ % 200}`, payload, { qos: 0 });
    }, 10);
    onTestFinished(() => clearInterval(flood));
    const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
    const bound = baseline + 100 * 1024 * 1024;
    await waitFor(
      'the host to close the page that stopped reading',
      () => {
        peak = Math.max(peak, host.rssBytes());
        if (peak > bound) throw new Error(`Host RSS grew from ${mb(baseline)} MB to ${mb(peak)} MB after ${sent} messages.`);
        return /stopped reading/.test(host.stderr());
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    const before = healthy.represented;
    await waitFor('the healthy page to keep receiving', () => healthy.represented > before + 1_000, { timeoutMs: 20_000 });
    clearInterval(flood);
    console.info(`stalled reader: host RSS ${mb(baseline)} MB before the flood, at most ${mb(peak)} MB, ${sent} messages sent`);
    expect(peak).toBeLessThan(bound);

    // The page comes back: it reads what was queued, then learns why it was closed, from
    // the close frame or, if that was lost with the socket, by asking as the page does.
    (stalled.socket as unknown as { _socket: Socket })._socket.resume();
    const closed = await waitFor('the stalled page to see its socket closed', () => stalled.closed, { timeoutMs: 60_000 });
    if (closed.code === 4008) expect(closed.reason).toMatch(/^stopped reading \(\d+\.\d MB queued\)$/);
    const why = new WebSocket(host.socketUrl({ windowId, query: '&why=1' }), { origin: `http://${host.url.host}` });
    why.on('error', () => undefined);
    const [code, reason] = (await once(why, 'close')) as [number, Buffer];
    expect(code).toBe(4008);
    expect(reason.toString()).toMatch(/^stopped reading \(\d+\.\d MB queued\)$/);
    expect(host.running).toBe(true);
  }, 240_000);
});
