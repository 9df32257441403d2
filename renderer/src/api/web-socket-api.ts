/**
 * The contract over browser mode's WebSocket: the same `TopicscopeApi` the Electron
 * preload exposes, so the rest of the renderer cannot tell the two apart.
 */
import type { Result } from '../../../shared/app-error';
import type { EventName, EventPayloads, TopicscopeApi } from '../../../shared/ipc-contract';
import { COMMAND_NAMES } from '../../../shared/ipc-contract';
import { decodeFrame, encodeFrame, type WireMessage } from '../../../shared/wire-codec';

type Listener = (payload: never) => void;

export function createWebSocketApi(url: string): TopicscopeApi {
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<EventName, Set<Listener>>();
  let nextId = 1;
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('socket error')), { once: true });
  });

  // invoke() reports a failed open to its caller; nothing else should see the rejection.
  opened.catch(() => {});

  socket.addEventListener('message', (event: MessageEvent<ArrayBuffer>) => {
    const message = decodeFrame(new Uint8Array(event.data)) as WireMessage;
    if (message.kind === 'result') {
      pending.get(message.id)?.(message.result as Result<unknown>);
      pending.delete(message.id);
    } else if (message.kind === 'event') {
      for (const listener of listeners.get(message.name as EventName) ?? []) listener(message.payload as never);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) {
      resolve({ ok: false, error: { code: 'CONNECTION_LOST', message: 'The browser-mode host is gone: restart "npm run web" and reload.' } });
    }
    pending.clear();
  });

  async function invoke(name: string, args: unknown): Promise<Result<unknown>> {
    try {
      await opened;
    } catch {
      return { ok: false, error: { code: 'CONNECTION_LOST', message: 'Cannot reach the browser-mode host: check the URL and its token.' } };
    }
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      socket.send(encodeFrame({ kind: 'command', id, name, args } satisfies WireMessage));
    });
  }

  const commands = Object.fromEntries(COMMAND_NAMES.map((name) => [name, (args: unknown) => invoke(name, args)]));
  function on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }
  return { ...commands, on } as TopicscopeApi;
}
