/**
 * Security invariants of the preload script, checked on the bundle that ships
 * (out/preload/index.cjs): it can load nothing but `electron`, exposes exactly one API
 * object, never hands `ipcRenderer` (or a send-anything function) to the page, and binds
 * each command and event to its own contract channel. How the source may use
 * `ipcRenderer` and `contextBridge` is the lint rule boundary/preload-bridge-shape.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, EVENT_NAMES } from '../../shared/ipc/ipc-contract';

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

  it('uses ipcRenderer only to invoke, listen and stop listening', () => {
    const code = stripComments(readBundle());
    const methods = [...code.matchAll(/\bipcRenderer\s*\.\s*(\w+)/g)].map((m) => m[1]);
    expect(methods.length).toBeGreaterThan(0);
    expect(new Set(methods)).toEqual(new Set(['invoke', 'on', 'removeListener']));
  });
});

type Listener = (...args: unknown[]) => void;

/** Runs the bundle as Electron's sandboxed preload would, with a recording stand-in for `electron`. */
function runBundle() {
  const exposed: Array<[key: string, api: unknown]> = [];
  const invoked: Array<[channel: string, args: unknown[]]> = [];
  const listeners = new Map<string, Set<Listener>>();
  const touched = new Set<string | symbol>();
  const methods: Record<string, unknown> = {
    invoke: (channel: string, ...args: unknown[]) => {
      invoked.push([channel, args]);
      return Promise.resolve({ ok: true, value: null });
    },
    on: (channel: string, listener: Listener) => {
      const set = listeners.get(channel) ?? new Set<Listener>();
      listeners.set(channel, set.add(listener));
    },
    removeListener: (channel: string, listener: Listener) => {
      listeners.get(channel)?.delete(listener);
    },
  };
  const ipcRenderer = new Proxy(methods, {
    get: (target, key) => {
      touched.add(key);
      return target[key as string];
    },
  });
  const electron = {
    ipcRenderer,
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
  };
  const module = { exports: {} };
  const requireElectron = (id: string): unknown => {
    if (id !== 'electron') throw new Error(`the preload required ${id}`);
    return electron;
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the built bundle is the point of this test.
  const preload = new Function('require', 'module', 'exports', readBundle()) as (require: (id: string) => unknown, module: { exports: object }, exports: object) => void;
  preload(requireElectron, module, module.exports);
  return { exposed, invoked, listeners, touched, ipcRenderer };
}

describe('preload bundle, run against a stand-in electron', () => {
  it('exposes one object, "topicscope", holding one function per command and `on`, nothing else', () => {
    const { exposed, ipcRenderer } = runBundle();
    expect(exposed.map(([key]) => key)).toEqual(['topicscope']);
    const api = exposed[0]![1] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...COMMAND_NAMES, 'on'].sort());
    for (const value of Object.values(api)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(ipcRenderer);
      expect(Object.values(ipcRenderer)).not.toContain(value);
    }
  });

  it('each command invokes its own channel, whatever channel-like arguments the page passes', async () => {
    const { exposed, invoked } = runBundle();
    const api = exposed[0]![1] as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of COMMAND_NAMES) await api[name]!({ probe: name }, 'app:evil', 'connection:open');
    expect(invoked).toEqual(COMMAND_NAMES.map((name) => [name, [{ probe: name }]]));
  });

  it('`on` listens only to contract events, passes the payload alone, and its unsubscribe stops it', () => {
    const { exposed, listeners, touched } = runBundle();
    const on = (exposed[0]![1] as { on: (event: string, listener: Listener) => () => void }).on;
    for (const notAnEvent of ['connection:open', 'ipc-message', '__proto__']) {
      expect(() => on(notAnEvent, () => undefined), notAnEvent).toThrow(/Unknown event/);
    }
    expect(listeners.size).toBe(0);
    for (const event of EVENT_NAMES) {
      const received: unknown[][] = [];
      const off = on(event, (...args) => received.push(args));
      const registered = [...(listeners.get(event) ?? [])];
      expect(registered).toHaveLength(1);
      registered[0]!({ sender: 'the IpcRendererEvent' }, { payload: event });
      expect(received).toEqual([[{ payload: event }]]);
      off();
      expect(listeners.get(event)?.size).toBe(0);
    }
    expect([...touched].filter((key) => !['invoke', 'on', 'removeListener'].includes(String(key))), 'ipcRenderer members the bundle reached').toEqual([]);
  });
});
