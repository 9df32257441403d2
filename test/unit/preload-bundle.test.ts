/**
 * Security invariants of the preload script: the sandboxed preload can load nothing
 * but `electron`, exposes exactly one API object, and never hands `ipcRenderer` (or a
 * send-anything function) to the page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { unpackingBatches, wirePayload } from '../../shared/ipc/batch-packing';
import { COMMAND_NAMES, EVENT_NAMES } from '../../shared/ipc/channel-names';
import type { BridgedApi } from '../../shared/ipc/ipc-contract';
import type { MessageBatch } from '../../shared/mqtt/mqtt-message';

const BUNDLE = resolve('out/preload/index.cjs');

function readBundle(): string {
  if (!existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: run \`npm run build\` before the unit tests (npm test does).`);
  }
  return readFileSync(BUNDLE, 'utf8');
}

/** Source text without comments, so documentation mentioning APIs does not count. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

describe('preload bundle (out/preload/index.cjs)', () => {
  it('requires nothing but "electron"', () => {
    const code = readBundle();
    const literal = [...code.matchAll(/\brequire\s*\(\s*(['"`])([^'"`]*)\1\s*\)/g)].map((m) => m[2]);
    const anyRequire = code.match(/\brequire\s*\(/g) ?? [];
    expect(literal.length, 'every require() names a module literally').toBe(anyRequire.length);
    expect([...new Set(literal)]).toEqual(['electron']);
    expect(code, 'no dynamic import in a sandboxed preload').not.toMatch(/\bimport\s*\(/);
  });

  it('calls exposeInMainWorld exactly once', () => {
    const calls = stripComments(readBundle()).match(/exposeInMainWorld\s*\(/g) ?? [];
    expect(calls).toHaveLength(1);
  });

  it('does not carry zod or the contract\'s schemas: only the channel names', () => {
    const code = stripComments(readBundle());
    expect(code).not.toMatch(/zod|ZodError|safeParse|superRefine|\$ZodType/i);
    expect(code).not.toMatch(/commandSchemas|MAX_PAYLOAD_BYTES/);
    // The names, the bridge and nothing more; zod alone was ~200 kB.
    expect(code.length).toBeLessThan(8 * 1024);
  });

  it('uses ipcRenderer only to invoke, listen and stop listening', () => {
    const code = stripComments(readBundle());
    const methods = [...code.matchAll(/\bipcRenderer\s*\.\s*(\w+)/g)].map((m) => m[1]);
    expect(methods.length).toBeGreaterThan(0);
    expect(new Set(methods)).toEqual(new Set(['invoke', 'on', 'removeListener']));
  });
});

type Listener = (...args: unknown[]) => unknown;

/** Stand-ins for the two Electron objects a sandboxed preload gets, recording every use. */
function standIns() {
  const invoked: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const other: string[] = [];
  const exposed: { key: string; api: unknown }[] = [];
  const ipcRenderer = {
    invoke(channel: string, ...args: unknown[]) {
      invoked.push({ channel, args });
      return Promise.resolve({ ok: true, value: { channel } });
    },
    on(channel: string, listener: Listener) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return ipcRenderer;
    },
    removeListener(channel: string, listener: Listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  // Anything else the preload touches on ipcRenderer is recorded, and fails the test.
  for (const name of ['send', 'sendSync', 'sendTo', 'sendToHost', 'postMessage', 'once', 'addListener', 'removeAllListeners', 'off']) {
    Object.assign(ipcRenderer, { [name]: () => void other.push(name) });
  }
  const contextBridge = {
    exposeInMainWorld(key: string, api: unknown) {
      exposed.push({ key, api });
    },
  };
  const electron = { ipcRenderer, contextBridge };
  /** Delivers a main → renderer event the way Electron does: an event object first, carrying the sender. */
  const emit = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: ipcRenderer, senderId: 0 }, payload);
  };
  return { electron, ipcRenderer, invoked, listeners, other, exposed, emit };
}

describe('preload bundle, run against stand-in contextBridge and ipcRenderer', () => {
  let world: ReturnType<typeof standIns>;
  let api: Record<string, unknown>;
  let globalsAdded: string[];
  const required: string[] = [];

  beforeAll(() => {
    world = standIns();
    // As in a sandboxed renderer: a fresh global, and the bundle wrapped like a CommonJS
    // module with a `require` that knows only electron.
    const require = (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require "${name}"`);
      return world.electron;
    };
    const context: Record<string, unknown> = {};
    const wrapped = runInNewContext(`(function (exports, require, module) {${readBundle()}\n})`, context, { filename: BUNDLE }) as (
      exports: object,
      require: (name: string) => unknown,
      module: { exports: object },
    ) => void;
    const module = { exports: {} };
    wrapped(module.exports, require, module);
    globalsAdded = Object.keys(context);
    expect(module.exports, 'the preload exports nothing').toEqual({});
    api = world.exposed[0]?.api as Record<string, unknown>;
  });

  it('loads, requiring only electron, and exposes one object as window.topicscope', () => {
    expect(required).toEqual(['electron']);
    expect(world.exposed.map((e) => e.key)).toEqual(['topicscope']);
    expect(globalsAdded, 'nothing set on the page\'s global besides the bridge').toEqual([]);
  });

  it('exposes exactly one method per contract command, plus on, and nothing else', () => {
    expect(Object.keys(api).sort()).toEqual([...COMMAND_NAMES, 'on'].sort());
    expect(Object.getOwnPropertySymbols(api)).toEqual([]);
    for (const [key, value] of Object.entries(api)) expect(typeof value, key).toBe('function');
  });

  it('each method invokes its own channel with the arguments as given, and returns main\'s answer', async () => {
    for (const name of COMMAND_NAMES) {
      const args = { probe: name };
      const answer = await (api[name] as (a: unknown) => Promise<unknown>)(args);
      expect(world.invoked.at(-1)).toEqual({ channel: name, args: [args] });
      expect(answer).toEqual({ ok: true, value: { channel: name } });
    }
    expect(world.invoked.map((i) => i.channel)).toEqual([...COMMAND_NAMES]);
  });

  it('on listens to a contract event, hands the listener the payload only, and returns an unsubscribe function', () => {
    const on = api['on'] as (event: string, listener: Listener) => unknown;
    for (const event of EVENT_NAMES) {
      const calls: unknown[][] = [];
      const stop = on(event, (...args) => void calls.push(args));
      expect(typeof stop).toBe('function');
      expect(world.listeners.get(event)?.size).toBe(1);
      world.emit(event, { connectionId: 'c1' });
      // Never the IPC event object: its `sender` is ipcRenderer itself.
      expect(calls).toEqual([[{ connectionId: 'c1' }]]);
      expect((stop as () => unknown)()).toBeUndefined();
      expect(world.listeners.get(event)?.size).toBe(0);
      world.emit(event, { connectionId: 'c1' });
      expect(calls).toHaveLength(1);
    }
  });

  it('on refuses a channel that is not a contract event, and listens to nothing for it', () => {
    const on = api['on'] as (event: string, listener: Listener) => unknown;
    for (const event of ['electron-store-get-data', 'connection:open', '__proto__', 'toString', '']) {
      expect(() => on(event, () => undefined)).toThrow(/Unknown event/);
      expect(world.listeners.get(event)?.size ?? 0).toBe(0);
    }
  });

  it('leaks neither ipcRenderer nor contextBridge: not as a value, not as a return value, not to a listener', async () => {
    const leaked = (value: unknown) => value === world.ipcRenderer || value === world.electron.contextBridge || value === world.electron;
    for (const [key, value] of Object.entries(api)) {
      expect(leaked(value), key).toBe(false);
      for (const inner of Object.values(value as object)) expect(leaked(inner), `${key}.*`).toBe(false);
    }
    for (const name of COMMAND_NAMES) expect(leaked(await (api[name] as (a: unknown) => Promise<unknown>)({}))).toBe(false);
    const on = api['on'] as (event: string, listener: Listener) => () => unknown;
    const stop = on('connection:status', (...args) => {
      for (const arg of args) expect(leaked(arg)).toBe(false);
    });
    world.emit('connection:status', { connectionId: 'c1' });
    expect(leaked(stop())).toBe(false);
    expect(world.other, 'no other ipcRenderer method used').toEqual([]);
  });

  it('carries a message batch from main to the page exactly, packed through the IPC and the bridge and unpacked in the page', () => {
    const batch: MessageBatch = {
      connectionId: 'c1',
      messages: [
        { topic: 'plant/7/temp', payload: Uint8Array.of(50, 49), payloadSize: 2, qos: 1, retain: true, receivedAt: 1_790_000_000_123, coalesced: 0 },
        { topic: 'plant/7/cut', payload: Uint8Array.of(1), payloadSize: 9, qos: 0, retain: false, receivedAt: 1_790_000_000_124, coalesced: 4, properties: { contentType: 'text/plain', userProperties: { a: 'b' } } },
      ],
      coalesced: 4,
      truncated: 1,
      seq: 7,
      rendererBehind: true,
    };
    const received: unknown[] = [];
    const statuses: unknown[] = [];
    const page = unpackingBatches(api as unknown as BridgedApi);
    const stops = [page.on('messages:batch', (b) => received.push(b)), page.on('connection:status', (s) => statuses.push(s))];
    // What main's sendEvent hands to webContents.send, through the structured clone Electron's IPC makes (V8's serializer).
    const sent = wirePayload('messages:batch', batch);
    expect(sent).not.toHaveProperty('messages');
    world.emit('messages:batch', deserialize(serialize(sent)));
    const status = { connectionId: 'c1', status: { state: 'connected' } };
    world.emit('connection:status', status);
    expect(received).toEqual([batch]);
    expect(statuses).toEqual([status]);
    for (const stop of stops) stop();
    expect(world.listeners.get('messages:batch')?.size).toBe(0);
  });
});
