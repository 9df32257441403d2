/**
 * Browser mode: the same connection core and renderer as the desktop app, with the
 * IPC contract carried over a WebSocket on 127.0.0.1. An unguessable token in the
 * printed URL (in the fragment, so it never reaches logs or referrers) is required
 * to open the socket, and the socket must come from this host's own page.
 *
 *   node out/main/web-host.js --port 8080 [--config-dir DIR]
 *
 * Profiles and settings.json live in DIR (see browser-profiles.ts for the default).
 *
 * Anyone on the machine can reach the port, so nothing a client does may stop the host
 * or hold its resources: every socket has an error listener; a refused socket gets its
 * 403 and is destroyed; headers must arrive within HEADERS_TIMEOUT_MS (no slowloris);
 * connections are capped. A page holding the token is trusted with commands, not with
 * the host's life: a WebSocket protocol error or an over-size frame closes that page's
 * socket only, each page has a bounded number of commands running, and what the host
 * queues for a page is bounded by its PageOutbox (page-outbox.ts): a page that falls
 * behind gets coalesced batches, and one that stops reading is closed with code 4008
 * and the reason. Acknowledgements from every page reach the core's batcher, where the
 * fastest page's drive flow control; laggards are coalesced per page, not waited for.
 *
 * A page whose socket was closed while it could not read (frozen, in the debugger)
 * never sees the close frame, so it may come back with only "1006 abnormal closure".
 * It then opens a socket with `why` and its window ID, and the host closes that one
 * with the code and reason it kept for the window.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocketServer, type WebSocket } from 'ws';
import { ConnectionRegistry } from '../core/connection/connection-registry';
import { dispatchCommand } from '../core/ipc/command-dispatch';
import { claimConfigFolderOrExit, openBrowserModeProfiles, resolveConfigDir } from './browser-profiles';
import { openSettingsFile } from '../core/settings/settings-file';
import { openPublishHistoryFile } from '../core/publish/publish-history-store';
import { CLOSE_CODES, decodeFrame, encodeFrame, FrameError, MAX_FRAME_BYTES, type WireMessage } from '../../shared/ipc/wire-codec';
import type { MessageBatch } from '../../shared/mqtt/mqtt-message';
import { PageOutbox, type Stalled } from './page-outbox';
import { createStaticFiles } from './static-files';
import { addRecording, createRecordingDownloads, newRecordingTarget, recordingsFolder } from './recording-downloads';
import { folderRecordingSources } from './recording-list';

/** Commands one page may have running at once; more are answered BUSY at once. */
const MAX_IN_FLIGHT_COMMANDS = 64;
/** Open TCP connections at once: a page needs a handful, a flood gets refused. */
const MAX_CONNECTIONS = 512;
/** An HTTP request (or WebSocket upgrade) must send its headers within this many ms. */
const HEADERS_TIMEOUT_MS = 10_000;
/** ...and all of it within this many ms. */
const REQUEST_TIMEOUT_MS = 20_000;
/** How often the server looks for requests past those timeouts (Node's default is 30 s). */
const TIMEOUT_CHECK_MS = 2_000;
/** A refused socket gets this long to take its 403 before it is destroyed. */
const REFUSAL_LINGER_MS = 2_000;
/** How often pages that fell behind are checked (backlog sent, or stalled page closed). */
const OUTBOX_CHECK_MS = 250;
/** Close reasons kept for pages that ask why they lost the socket (see `why` below). */
const MAX_CLOSE_RECORDS = 128;

const WINDOW_ID = /^[A-Za-z0-9_-]{8,64}$/;

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

/** Answers 403 and makes sure the socket is gone soon after, whatever the client does. */
function refuse(socket: Duplex): void {
  const destroy = (): void => {
    socket.destroy();
  };
  socket.once('finish', destroy);
  // The upgrade hands over the request's net.Socket, typed only as a Duplex.
  if (socket instanceof Socket) socket.setTimeout(REFUSAL_LINGER_MS, destroy);
  socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
}

/** One page's socket and what the host keeps for it. */
interface Page {
  ws: WebSocket;
  /** The page's own random ID, so it can ask why it lost the socket; null if it sent none. */
  windowId: string | null;
  outbox: PageOutbox;
  inFlight: number;
}

/** Why the host closed a page's socket, kept (bounded) for the page to ask once it is back. */
class CloseRecords {
  readonly #records = new Map<string, { code: number; reason: string }>();

  note(windowId: string | null, code: number, reason: string): void {
    if (windowId === null) return;
    this.#records.delete(windowId);
    this.#records.set(windowId, { code, reason });
    if (this.#records.size > MAX_CLOSE_RECORDS) this.#records.delete(this.#records.keys().next().value!);
  }

  get(windowId: string | null): { code: number; reason: string } | undefined {
    return windowId === null ? undefined : this.#records.get(windowId);
  }
}

/** A close reason is at most 123 bytes of UTF-8. */
function closeReason(text: string): string {
  const bytes = Buffer.from(text);
  return bytes.byteLength <= 123 ? text : bytes.subarray(0, 120).toString('utf8').replace(/\uFFFD$/, '') + '...';
}

async function main(): Promise<void> {
  const { port: requestedPort, configDir } = parseOptions();
  // Before anything else: a folder that can't be used, or another host's, ends the start here.
  claimConfigFolderOrExit(configDir);
  const rendererRoot = fileURLToPath(new URL('../renderer', import.meta.url));
  const token = randomBytes(32).toString('base64url');
  const pages = new Set<Page>();
  const closeRecords = new CloseRecords();
  let port = requestedPort;

  function closePage(page: Page, code: number, reason: string): void {
    closeRecords.note(page.windowId, code, reason);
    pages.delete(page);
    page.ws.close(code, closeReason(reason));
  }

  function onStalled(page: Page, stalled: Stalled): void {
    const reason = `stopped reading (${(stalled.queuedBytes / 1024 / 1024).toFixed(1)} MB queued)`;
    process.stderr.write(`Topicscope browser mode: closed a page's socket that ${reason}.\n`);
    closePage(page, CLOSE_CODES.stoppedReading, reason);
  }

  // Every page that keeps up gets the same batch: encode it once, not once per page.
  let sharedBatch: { batch: MessageBatch; frame: Uint8Array } | null = null;
  function batchFrame(batch: MessageBatch): Uint8Array {
    if (sharedBatch?.batch !== batch) sharedBatch = { batch, frame: encodeFrame({ kind: 'event', name: 'messages:batch', payload: batch } satisfies WireMessage) };
    return sharedBatch.frame;
  }

  const registry = new ConnectionRegistry(
    {
      emit: (event, payload) => {
        // Status and log events are few and small, and a page must not miss a status
        // change: sent as they are. Batches go through each page's outbox (backpressure).
        if (event !== 'messages:batch') {
          const frame = encodeFrame({ kind: 'event', name: event, payload } satisfies WireMessage);
          for (const page of pages) page.ws.send(frame);
          return;
        }
        for (const page of pages) {
          const stalled = page.outbox.batch(payload as MessageBatch);
          if (stalled) onStalled(page, stalled);
        }
        sharedBatch = null;
      },
      recordingTarget: async (_fileName, gzip) => newRecordingTarget(recordingsFolder(configDir), Date.now(), gzip),
      recordingSources: { ...folderRecordingSources(recordingsFolder(configDir)), add: (bytes, gzip) => addRecording(recordingsFolder(configDir), bytes, gzip, Date.now()) },
      mode: 'browser',
      versions: { topicscope: process.env['npm_package_version'] ?? '', node: process.versions.node },
    },
    {},
    openBrowserModeProfiles(configDir),
  );
  registry.useSettings(openSettingsFile(configDir));
  registry.usePublishHistory(openPublishHistoryFile(configDir));
  // stdout carries only the URL line (scripts and tests parse it).
  process.stderr.write(`Topicscope browser mode: profiles and settings in ${configDir}\n`);

  const serveStatic = createStaticFiles(rendererRoot, () => port);
  // Finished recordings, for the page holding the token to download (the same token as the socket).
  const serveRecording = createRecordingDownloads(recordingsFolder(configDir), (given) => tokenMatches(given, token));
  const server = createServer(
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: TIMEOUT_CHECK_MS },
    (request, response) => void serveRecording(request, response).then((served) => (served ? undefined : serveStatic(request, response))),
  );
  server.maxConnections = MAX_CONNECTIONS;
  // A client that resets mid-request or sends garbage must cost nothing but its socket.
  server.on('clientError', (_error, socket) => {
    if (socket.writable && !socket.writableEnded) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    socket.destroy();
  });
  server.on('connection', (socket) => {
    socket.on('error', () => undefined);
  });
  // Larger frames are refused (ws closes the socket with 1009); the page checks the same
  // number before it sends, and the contract's MAX_PAYLOAD_BYTES fits in it twice over.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  wss.on('error', (error) => process.stderr.write(`Topicscope browser mode: WebSocket server error: ${error.message}\n`));

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // The socket is ours now: an error on it (a reset) must not reach the process.
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const originOk = request.headers.origin === `http://127.0.0.1:${port}`;
    if (url.pathname !== '/ipc' || !originOk || !tokenMatches(url.searchParams.get('token'), token)) {
      refuse(socket);
      return;
    }
    const given = url.searchParams.get('window');
    const windowId = given !== null && WINDOW_ID.test(given) ? given : null;
    const why = url.searchParams.has('why');
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', (error) => {
        // ws closes the socket itself (1002, 1007, 1009...); the host only notes why.
        closeRecords.note(windowId, 1002, closeReason(error.message));
      });
      if (why) {
        // A page that lost its socket asks why: answer with the close code and reason kept for it.
        const record = closeRecords.get(windowId);
        ws.close(record?.code ?? CLOSE_CODES.noRecord, record?.reason ?? 'No record of this window.');
        return;
      }
      const page: Page = {
        ws,
        windowId,
        inFlight: 0,
        outbox: new PageOutbox(
          {
            get bufferedAmount() {
              return ws.bufferedAmount;
            },
            sendBatch: (batch) => ws.send(batchFrame(batch)),
          },
          Date.now,
        ),
      };
      pages.add(page);
      ws.on('close', () => pages.delete(page));
      ws.on('message', (data, isBinary) => void onMessage(page, data as Buffer, isBinary));
    });
  });

  const outboxTimer = setInterval(() => {
    for (const page of pages) {
      const stalled = page.outbox.check();
      if (stalled) onStalled(page, stalled);
    }
    sharedBatch = null;
  }, OUTBOX_CHECK_MS);
  outboxTimer.unref();

  async function onMessage(page: Page, data: Buffer, isBinary: boolean): Promise<void> {
    const { ws } = page;
    let message: WireMessage;
    try {
      if (!isBinary) throw new FrameError('Text frames are not accepted.');
      message = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as WireMessage;
      if (message.kind !== 'command' || !Number.isInteger(message.id)) throw new FrameError('Not a command.');
    } catch (error) {
      // A malformed frame can only come from a broken or hostile client: drop it.
      closePage(page, 1008, error instanceof FrameError ? error.message : 'Bad frame');
      return;
    }
    if (page.inFlight >= MAX_IN_FLIGHT_COMMANDS) {
      const result = { ok: false, error: { code: 'BUSY', message: `This window has ${MAX_IN_FLIGHT_COMMANDS} commands running: wait for them, then try again.` } };
      ws.send(encodeFrame({ kind: 'result', id: message.id, result } satisfies WireMessage));
      return;
    }
    page.inFlight++;
    try {
      const result = await dispatchCommand(registry.handlers, message.name, message.args);
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame({ kind: 'result', id: message.id, result } satisfies WireMessage));
    } finally {
      page.inFlight--;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, '127.0.0.1', () => resolve());
  });
  server.on('error', (error) => process.stderr.write(`Topicscope browser mode: server error: ${error.message}\n`));
  port = (server.address() as AddressInfo).port;
  process.stdout.write(`Topicscope browser mode: http://127.0.0.1:${port}/#token=${token}\n`);
  // A page in a normal browser tab never receives the keys the browser keeps for its tabs.
  process.stderr.write(
    'Topicscope browser mode: in a browser tab, Ctrl+T, Ctrl+W and Ctrl+1…9 stay the browser\'s; ' +
      `open it as an app window to have them, e.g. chromium --app='http://127.0.0.1:${port}/#token=${token}'\n`,
  );

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    clearInterval(outboxTimer);
    await registry.closeAll();
    for (const page of pages) page.ws.close(1001, 'Host stopping');
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
