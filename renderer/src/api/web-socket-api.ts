/**
 * The contract over browser mode's WebSocket: the same `TopicscopeApi` the Electron
 * preload exposes, so the rest of the renderer cannot tell the two apart. What only a
 * socket can do, get lost, is reported through the separate `HostLink`.
 *
 * Limits agree with the host (web-host.ts): a command whose frame is larger than the
 * host accepts is refused here with an error result instead of being sent (the host
 * would close the socket). A frame from the host that cannot be decoded closes the
 * socket with the reason instead of throwing in the message handler.
 *
 * When the socket closes, the page learns why: from the close frame, or, when the page
 * was frozen and only saw an abnormal closure, by asking the host with its window ID.
 */
import type { Result } from '../../../shared/ipc/app-error';
import type { EventName, EventPayloads, TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import { COMMAND_NAMES } from '../../../shared/ipc/channel-names';
import { CLOSE_CODES, decodeFrame, encodeFrame, MAX_FRAME_BYTES, type WireMessage } from '../../../shared/ipc/wire-codec';

const HOST_GONE = 'The browser-mode host is gone: restart "npm run web" and reload.';
const HOST_UNREACHABLE = 'Cannot reach the browser-mode host: check the URL and its token.';

type Listener = (payload: never) => void;

/** The socket to the host, as the page shows it. */
export interface HostLink {
  /** Calls `listener` once with a sentence for the user when the socket is lost (at once if it already is). */
  onLost(listener: (message: string) => void): () => void;
}

function lostMessage(code: number, reason: string): string | null {
  if (code === CLOSE_CODES.stoppedReading) return `The host closed this window's connection because it ${reason}. Reload to reconnect.`;
  if (code === 1001) return HOST_GONE;
  if (reason && code !== CLOSE_CODES.noRecord) return `The host closed this window's connection: ${reason}. Reload to reconnect.`;
  return null;
}

function randomWindowId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function createWebSocketApi(url: string): { api: TopicscopeApi; link: HostLink } {
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<EventName, Set<Listener>>();
  const lostListeners = new Set<(message: string) => void>();
  let lost: string | null = null;
  let wasOpen = false;
  let nextId = 1;
  const windowUrl = new URL(url);
  windowUrl.searchParams.set('window', randomWindowId());
  const socket = new WebSocket(windowUrl);
  socket.binaryType = 'arraybuffer';
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('socket error')), { once: true });
  });

  // invoke() reports a failed open to its caller; nothing else should see the rejection.
  opened.catch(() => {});
  socket.addEventListener('open', () => (wasOpen = true), { once: true });

  socket.addEventListener('message', (event: { data: ArrayBuffer }) => {
    let message: WireMessage;
    try {
      message = decodeFrame(new Uint8Array(event.data)) as WireMessage;
    } catch (error) {
      // A frame we cannot read may have been a result: waiting on would hang its caller.
      const detail = error instanceof Error ? error.message : String(error);
      console.error('Topicscope: undecodable frame from the host:', detail);
      declareLost(`This window received a message from the host it could not read (${detail}). Reload to reconnect.`);
      socket.close(1008, 'Undecodable frame');
      return;
    }
    if (message.kind === 'result') {
      pending.get(message.id)?.(message.result as Result<unknown>);
      pending.delete(message.id);
    } else if (message.kind === 'event') {
      for (const listener of listeners.get(message.name as EventName) ?? []) listener(message.payload as never);
    }
  });

  socket.addEventListener('close', (event: { code: number; reason: string }) => {
    const known = wasOpen ? lostMessage(event.code, event.reason) : HOST_UNREACHABLE;
    if (known) declareLost(known);
    else askWhy();
    const message = lost ?? HOST_GONE;
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'CONNECTION_LOST', message } });
    pending.clear();
  });

  function declareLost(message: string): void {
    if (lost !== null) return;
    lost = message;
    for (const listener of lostListeners) listener(message);
  }

  /** The close carried no reason (the page could not read it): the host kept it for this window. */
  function askWhy(): void {
    const whyUrl = new URL(windowUrl);
    whyUrl.searchParams.set('why', '1');
    const probe = new WebSocket(whyUrl);
    probe.addEventListener('close', (event: { code: number; reason: string }) => declareLost(lostMessage(event.code, event.reason) ?? HOST_GONE));
  }

  async function invoke(name: string, args: unknown): Promise<Result<unknown>> {
    try {
      await opened;
    } catch {
      return { ok: false, error: { code: 'CONNECTION_LOST', message: HOST_UNREACHABLE } };
    }
    if (socket.readyState !== WebSocket.OPEN) return { ok: false, error: { code: 'CONNECTION_LOST', message: lost ?? HOST_GONE } };
    const id = nextId++;
    const frame = encodeFrame({ kind: 'command', id, name, args } satisfies WireMessage);
    if (frame.byteLength > MAX_FRAME_BYTES) {
      const size = (frame.byteLength / 1024 / 1024).toFixed(1);
      return {
        ok: false,
        error: { code: 'INVALID_INPUT', message: `This command is ${size} MiB once encoded; the host accepts at most ${MAX_FRAME_BYTES / 1024 / 1024} MiB. Nothing was sent.` },
      };
    }
    return new Promise((resolve) => {
      pending.set(id, resolve);
      socket.send(frame);
    });
  }

  const commands = Object.fromEntries(COMMAND_NAMES.map((name) => [name, (args: unknown) => invoke(name, args)]));
  function on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener);
    return () => set.delete(listener);
  }
  const link: HostLink = {
    onLost(listener) {
      if (lost !== null) listener(lost);
      else lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
  };
  return { api: { ...commands, on } as TopicscopeApi, link };
}
