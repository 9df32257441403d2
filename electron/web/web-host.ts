/**
 * Browser mode: the same connection core and renderer as the desktop app, with the
 * IPC contract carried over a WebSocket on 127.0.0.1. An unguessable token in the
 * printed URL (in the fragment, so it never reaches logs or referrers) is required
 * to open the socket, and the socket must come from this host's own page.
 *
 *   node out/main/web-host.js --port 8080 [--config-dir DIR]
 *
 * Profiles live in DIR (see browser-profiles.ts for the default).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocketServer, type WebSocket } from 'ws';
import { ConnectionRegistry } from '../core/connection-registry';
import { dispatchCommand } from '../core/command-dispatch';
import { claimConfigFolderOrExit, openBrowserModeProfiles, resolveConfigDir } from './browser-profiles';
import { decodeFrame, encodeFrame, FrameError, type WireMessage } from '../../shared/wire-codec';
import { serveStatic } from './static-files';

/** Frames larger than this are refused: a publish payload is the biggest thing sent. */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

function parseOptions(): { port: number; configDir: string } {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, 'config-dir': { type: 'string' } }, strict: true });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`--port must be a number from 0 to 65535 (got "${values.port}").\n`);
    process.exit(2);
  }
  return { port, configDir: resolveConfigDir(values['config-dir'], process.env) };
}

function tokenMatches(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function main(): Promise<void> {
  const { port: requestedPort, configDir } = parseOptions();
  // Before anything else: a folder that can't be used, or another host's, ends the start here.
  claimConfigFolderOrExit(configDir);
  const rendererRoot = fileURLToPath(new URL('../renderer', import.meta.url));
  const token = randomBytes(32).toString('base64url');
  const sockets = new Set<WebSocket>();
  let port = requestedPort;

  const registry = new ConnectionRegistry(
    {
      emit: (event, payload) => {
        const frame = encodeFrame({ kind: 'event', name: event, payload } satisfies WireMessage);
        for (const socket of sockets) socket.send(frame);
      },
      mode: 'browser',
      versions: { topicscope: process.env['npm_package_version'] ?? '', node: process.versions.node },
    },
    {},
    openBrowserModeProfiles(configDir),
  );
  // stdout carries only the URL line (scripts and tests parse it).
  process.stderr.write(`Topicscope browser mode: profiles in ${configDir}\n`);

  const server = createServer((request, response) => {
    void serveStatic(rendererRoot, port, request, response);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const originOk = request.headers.origin === `http://127.0.0.1:${port}`;
    if (url.pathname !== '/ipc' || !originOk || !tokenMatches(url.searchParams.get('token'), token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => void onMessage(ws, data as Buffer, isBinary));
    });
  });

  async function onMessage(ws: WebSocket, data: Buffer, isBinary: boolean): Promise<void> {
    let message: WireMessage;
    try {
      if (!isBinary) throw new FrameError('Text frames are not accepted.');
      message = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as WireMessage;
      if (message.kind !== 'command' || !Number.isInteger(message.id)) throw new FrameError('Not a command.');
    } catch (error) {
      // A malformed frame can only come from a broken or hostile client: drop it.
      ws.close(1008, error instanceof FrameError ? error.message : 'Bad frame');
      return;
    }
    const result = await dispatchCommand(registry.handlers, message.name, message.args);
    if (ws.readyState === ws.OPEN) ws.send(encodeFrame({ kind: 'result', id: message.id, result } satisfies WireMessage));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  process.stdout.write(`Topicscope browser mode: http://127.0.0.1:${port}/#token=${token}\n`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await registry.closeAll();
    for (const socket of sockets) socket.close(1001, 'Host stopping');
    wss.close();
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`Topicscope browser mode could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
