/** A file chosen in main's dialog, read as a payload: its bytes and base name, never more than a publish carries. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPayloadFile } from '../../electron/core/publish/payload-file';
import { ConnectionRegistry } from '../../electron/core/connection/connection-registry';
import { dispatchCommand } from '../../electron/core/ipc/command-dispatch';

let dir = '';
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'payload-file-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('reading a payload file', () => {
  it('returns the exact bytes and only the base name', async () => {
    const path = join(dir, 'frame.bin');
    await writeFile(path, Uint8Array.of(0, 1, 0xfe, 0xff));
    const read = await readPayloadFile(path);
    expect(read.ok && read.value.name).toBe('frame.bin');
    expect(read.ok && [...read.value.bytes]).toEqual([0, 1, 0xfe, 0xff]);
  });

  it('refuses a file over the limit without reading it, saying its size', async () => {
    const path = join(dir, 'big.bin');
    await writeFile(path, new Uint8Array(11));
    const read = await readPayloadFile(path, 10);
    expect(read.ok ? 'read' : read.error.code).toBe('INVALID_INPUT');
    expect(read.ok ? '' : read.error.message).toMatch(/^"big\.bin" is 11 bytes, more than the .* MiB Topicscope publishes\. Nothing was read\.$/);
    expect((await readPayloadFile(join(dir, 'exactly.bin'), 10)).ok).toBe(false);
    await writeFile(join(dir, 'exactly.bin'), new Uint8Array(10));
    expect((await readPayloadFile(join(dir, 'exactly.bin'), 10)).ok).toBe(true);
  });

  it('a missing file is FILE_UNREADABLE, named', async () => {
    const read = await readPayloadFile(join(dir, 'gone.bin'));
    expect(read.ok ? 'read' : read.error.code).toBe('FILE_UNREADABLE');
    expect(read.ok ? '' : read.error.message).toMatch(/^"gone\.bin" could not be opened/);
  });
});

describe('publish:pick-file', () => {
  it('reads only the file chosen in the dialog: a path sent by the window is ignored', async () => {
    const chosen = join(dir, 'chosen.txt');
    await writeFile(chosen, 'picked');
    const registry = new ConnectionRegistry({ emit: () => {}, mode: 'electron', versions: {}, pickPayloadFile: async () => chosen });
    const result = await dispatchCommand(registry.handlers, 'publish:pick-file', { path: '/etc/passwd' });
    expect(result).toEqual({ ok: true, value: { file: { name: 'chosen.txt', bytes: new Uint8Array(Buffer.from('picked')) } } });
  });

  it('a cancelled dialog is no file; browser mode has no dialog', async () => {
    const desktop = new ConnectionRegistry({ emit: () => {}, mode: 'electron', versions: {}, pickPayloadFile: async () => null });
    expect(await dispatchCommand(desktop.handlers, 'publish:pick-file', {})).toEqual({ ok: true, value: { file: null } });
    const browser = new ConnectionRegistry({ emit: () => {}, mode: 'browser', versions: {} });
    const refused = await dispatchCommand(browser.handlers, 'publish:pick-file', {});
    expect(refused.ok ? 'picked' : refused.error.code).toBe('UNSUPPORTED');
  });
});
