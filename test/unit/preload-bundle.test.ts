/**
 * Security invariants of the preload script: the sandboxed preload can load nothing
 * but `electron`, exposes exactly one API object, and never hands `ipcRenderer` (or a
 * send-anything function) to the page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BUNDLE = resolve('out/preload/index.cjs');
const SOURCE = resolve('electron/preload/index.ts');

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

/** The text between the parentheses of the call whose "(" is at `open`. */
function callArguments(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error(`unbalanced call at ${open}`);
}

function firstArgument(args: string): string {
  let depth = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i]!;
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) return args.slice(0, i).trim();
  }
  return args.trim();
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

describe('preload source (electron/preload/index.ts)', () => {
  const source = stripComments(readFileSync(SOURCE, 'utf8'));

  it('does not pass ipcRenderer (or electron itself) to exposeInMainWorld', () => {
    const calls = [...source.matchAll(/exposeInMainWorld\s*\(/g)];
    expect(calls).toHaveLength(1);
    for (const call of calls) {
      const args = callArguments(source, call.index + call[0].length - 1);
      expect(args).not.toMatch(/ipcRenderer|contextBridge|require|electron/);
    }
  });

  it('mentions ipcRenderer only in the import and as ipcRenderer.invoke / .on / .removeListener calls', () => {
    const uses = [...source.matchAll(/\bipcRenderer\b(\s*\.\s*(\w+)\s*\()?/g)];
    const bare = uses.filter((m) => m[2] === undefined);
    const methods = uses.filter((m) => m[2] !== undefined).map((m) => m[2]);
    // The one bare mention is the import; anything else could hand the object out
    // (a property value, an argument, a spread, a return value).
    expect(bare).toHaveLength(1);
    expect(source.slice(0, bare[0]!.index)).toMatch(/import\s*\{[^}]*$/);
    expect(new Set(methods)).toEqual(new Set(['invoke', 'on', 'removeListener']));
    expect(source).not.toMatch(/\b(send|sendSync|sendTo|sendToHost|postMessage)\s*\(/);
  });

  it('invokes only channels taken from COMMAND_NAMES, never a channel the page supplies', () => {
    const invokes = [...source.matchAll(/ipcRenderer\s*\.\s*invoke\s*\(/g)];
    expect(invokes.length).toBeGreaterThan(0);
    for (const call of invokes) {
      const channel = firstArgument(callArguments(source, call.index + call[0].length - 1));
      // The channel is the parameter of the COMMAND_NAMES.map callback that encloses the call.
      const before = source.slice(0, call.index);
      const mapStart = before.lastIndexOf('COMMAND_NAMES.map(');
      expect(mapStart, `ipcRenderer.invoke(${channel}) is not inside COMMAND_NAMES.map(...)`).toBeGreaterThanOrEqual(0);
      const mapArgs = callArguments(source, mapStart + 'COMMAND_NAMES.map'.length);
      expect(mapStart + 'COMMAND_NAMES.map('.length + mapArgs.length, 'the call lies within the map callback').toBeGreaterThan(call.index);
      const parameter = /^\s*\(?\s*(\w+)/.exec(mapArgs)?.[1];
      expect(channel).toBe(parameter);
      // No inner function in between re-binds that name to something the page passes.
      const between = source.slice(mapStart + 'COMMAND_NAMES.map('.length, call.index);
      const innerParams = [...between.matchAll(/\(([^()]*)\)\s*=>/g)].slice(1).flatMap((m) => m[1]!.split(',').map((p) => p.trim().split(/[\s:]/)[0]));
      expect(innerParams).not.toContain(channel);
    }
  });

  it('subscribes only to contract events, checked against EVENT_NAMES first', () => {
    const listens = [...source.matchAll(/ipcRenderer\s*\.\s*on\s*\(/g)];
    expect(listens.length).toBeGreaterThan(0);
    for (const call of listens) {
      const event = firstArgument(callArguments(source, call.index + call[0].length - 1));
      const fnStart = source.lastIndexOf('function ', call.index);
      expect(fnStart).toBeGreaterThanOrEqual(0);
      const guard = new RegExp(`if\\s*\\(\\s*!\\s*EVENT_NAMES\\.includes\\(\\s*${event}\\s*\\)\\s*\\)\\s*throw`);
      expect(source.slice(fnStart, call.index)).toMatch(guard);
    }
  });
});
