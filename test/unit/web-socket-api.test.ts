import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWebSocketApi } from '../../renderer/src/api/web-socket-api';
import { decodeFrame, encodeFrame } from '../../shared/ipc/wire-codec';

type Handler = (event: unknown) => void;

/** Stands in for the browser's WebSocket: the test opens, answers and closes it. */
class FakeWebSocket {
  static readonly OPEN = 1;
  static instances: FakeWebSocket[] = [];
  readonly url: string;
  readyState = 0;
  binaryType = 'blob';
  readonly sent: Uint8Array[] = [];
  closedWith: [number | undefined, string | undefined] | null = null;
  readonly #handlers = new Map<string, Set<Handler>>();

  constructor(url: URL | string) {
    this.url = String(url);
    FakeWebSocket.instances.push(this);
  }

  addEventListener(type: string, handler: Handler): void {
    const set = this.#handlers.get(type) ?? new Set();
    set.add(handler);
    this.#handlers.set(type, set);
  }

  send(data: Uint8Array): void {
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = [code, reason];
  }

  emit(type: string, event: unknown = {}): void {
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const handler of this.#handlers.get(type) ?? []) handler(event);
  }
}

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function open(): { socket: FakeWebSocket; api: ReturnType<typeof createWebSocketApi>['api']; link: ReturnType<typeof createWebSocketApi>['link'] } {
  const { api, link } = createWebSocketApi('ws://127.0.0.1:1234/ipc?token=t');
  const socket = FakeWebSocket.instances[0]!;
  socket.emit('open');
  return { socket, api, link };
}

describe('the browser-mode socket API', () => {
  it('refuses to send a command larger than the host accepts, with an error result', async () => {
    const { socket, api } = open();
    const result = await api['message:publish']({ connectionId: 'c1', topic: 'a', payload: new Uint8Array(65 * 1024 * 1024), qos: 0, retain: false });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('Nothing was sent') } });
    expect(socket.sent).toHaveLength(0);
  });

  it('sends its window ID, so it can ask why it lost the socket', () => {
    const { socket } = open();
    expect(new URL(socket.url).searchParams.get('window')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('does not throw on a frame it cannot decode: it closes with a reason and reports it', async () => {
    const { socket, api, link } = open();
    const lost: string[] = [];
    link.onLost((message) => lost.push(message));
    const pending = api['app:info']({});
    await Promise.resolve();
    expect(() => socket.emit('message', { data: new Uint8Array([1, 2, 3]).buffer })).not.toThrow();
    expect(socket.closedWith?.[0]).toBe(1008);
    socket.emit('close', { code: 1008, reason: 'Undecodable frame' });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CONNECTION_LOST' } });
    expect(lost).toHaveLength(1);
    expect(lost[0]).toContain('could not read');
  });

  it('shows why the host closed the socket of a page that stopped reading', () => {
    const { socket, link } = open();
    const lost: string[] = [];
    link.onLost((message) => lost.push(message));
    socket.emit('close', { code: 4008, reason: 'stopped reading (64.0 MB queued)' });
    expect(lost).toEqual(["The host closed this window's connection because it stopped reading (64.0 MB queued). Reload to reconnect."]);
  });

  it('after an abnormal closure, asks the host why with its window ID', () => {
    const { socket, link } = open();
    const lost: string[] = [];
    link.onLost((message) => lost.push(message));
    socket.emit('close', { code: 1006, reason: '' });
    const probe = FakeWebSocket.instances[1]!;
    const probeUrl = new URL(probe.url);
    expect(probeUrl.searchParams.get('why')).toBe('1');
    expect(probeUrl.searchParams.get('window')).toBe(new URL(socket.url).searchParams.get('window'));
    probe.emit('close', { code: 4008, reason: 'stopped reading (12.5 MB queued)' });
    expect(lost).toEqual(["The host closed this window's connection because it stopped reading (12.5 MB queued). Reload to reconnect."]);
  });

  it('says the host is gone when it cannot be asked', () => {
    const { socket, link } = open();
    socket.emit('close', { code: 1006, reason: '' });
    FakeWebSocket.instances[1]!.emit('close', { code: 1006, reason: '' });
    const lost: string[] = [];
    link.onLost((message) => lost.push(message));
    expect(lost).toEqual(['The browser-mode host is gone: restart "npm run web" and reload.']);
  });

  it('still carries commands and events', async () => {
    const { socket, api } = open();
    const events: unknown[] = [];
    api.on('connection:status', (payload) => events.push(payload));
    const pending = api['app:info']({});
    await Promise.resolve();
    const command = decodeFrame(socket.sent[0]!) as { id: number; name: string };
    expect(command.name).toBe('app:info');
    // A WebSocket hands each frame over as an ArrayBuffer of its own; encodeFrame's view
    // may sit inside a larger buffer, so copy it out as the browser would deliver it.
    socket.emit('message', { data: encodeFrame({ kind: 'event', name: 'connection:status', payload: { connectionId: 'c1' } }).slice().buffer });
    socket.emit('message', { data: encodeFrame({ kind: 'result', id: command.id, result: { ok: true, value: { mode: 'browser' } } }).slice().buffer });
    expect(await pending).toEqual({ ok: true, value: { mode: 'browser' } });
    expect(events).toEqual([{ connectionId: 'c1' }]);
  });
});
