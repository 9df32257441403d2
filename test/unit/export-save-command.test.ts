/**
 * Saving exported text (a chart series, a topic's history, a subtree): one narrow
 * command, not a generic file write. The window suggests a plain file name and gives
 * the text; main picks the path with its dialog, browser mode has the page download it.
 */
import { describe, expect, it, vi } from 'vitest';
import { dispatchCommand } from '../../electron/core/ipc/command-dispatch';
import { ConnectionRegistry } from '../../electron/core/connection/connection-registry';
import { MAX_EXPORT_BYTES } from '../../shared/export/export-file';

const CSV = 'time_iso,time_ms,value\r\n2026-01-02T03:04:05.006Z,1767323045006,21.5\r\n';

describe('export:save', () => {
  it('in the desktop app, main saves the text through its dialog and says where', async () => {
    const saveFile = vi.fn(async (_name: string, _text: string) => '/home/u/home-temp.csv');
    const registry = new ConnectionRegistry({ emit: () => {}, mode: 'electron', versions: {}, saveFile });
    const result = await dispatchCommand(registry.handlers, 'export:save', { fileName: 'home-temp.csv', text: CSV });
    expect(result).toEqual({ ok: true, value: { fileName: 'home-temp.csv', savedTo: '/home/u/home-temp.csv', download: false } });
    expect(saveFile).toHaveBeenCalledWith('home-temp.csv', CSV);
  });

  it.each(['plant-history.json', 'plant-subtree.jsonl'])('saves %s, a JSON or JSON Lines export, the same way', async (fileName) => {
    const saveFile = vi.fn(async (name: string) => `/home/u/${name}`);
    const registry = new ConnectionRegistry({ emit: () => {}, mode: 'electron', versions: {}, saveFile });
    expect(await dispatchCommand(registry.handlers, 'export:save', { fileName, text: '[]\n' })).toMatchObject({ ok: true, value: { savedTo: `/home/u/${fileName}` } });
  });

  it('says nothing was saved when the user cancels the dialog', async () => {
    const registry = new ConnectionRegistry({ emit: () => {}, mode: 'electron', versions: {}, saveFile: async () => null });
    expect(await dispatchCommand(registry.handlers, 'export:save', { fileName: 'a.csv', text: CSV })).toMatchObject({ ok: true, value: { savedTo: null, download: false } });
  });

  it('in browser mode, tells the page to download the text it has, without sending it back', async () => {
    const registry = new ConnectionRegistry({ emit: () => {}, mode: 'browser', versions: {} });
    expect(await dispatchCommand(registry.handlers, 'export:save', { fileName: 'a.csv', text: CSV })).toEqual({ ok: true, value: { fileName: 'a.csv', savedTo: null, download: true } });
  });

  it.each(['../etc/passwd.csv', '/tmp/x.csv', 'dir/x.csv', 'C:\\x.csv', 'x.txt', 'x.csv.sh', 'x.jsonl.gz', '.csv', 'x y.csv', `${'a'.repeat(101)}.csv`])(
    'refuses the file name %j before any dialog opens',
    async (fileName) => {
      const saveFile = vi.fn(async () => '/never');
      const registry = new ConnectionRegistry({ emit: () => {}, mode: 'electron', versions: {}, saveFile });
      const result = await dispatchCommand(registry.handlers, 'export:save', { fileName, text: CSV });
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('fileName') } });
      expect(saveFile).not.toHaveBeenCalled();
    },
  );

  it('refuses text over 32 MiB, counting UTF-8 bytes, saying to export less, and anything but text', async () => {
    const saveFile = vi.fn(async () => '/never');
    const registry = new ConnectionRegistry({ emit: () => {}, mode: 'electron', versions: {}, saveFile });
    const tooLarge = 'é'.repeat(MAX_EXPORT_BYTES / 2 + 1);
    expect(await dispatchCommand(registry.handlers, 'export:save', { fileName: 'a.csv', text: tooLarge })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/32 MiB.*export fewer topics/) },
    });
    expect(await dispatchCommand(registry.handlers, 'export:save', { fileName: 'a.csv', text: new Uint8Array(3) })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(saveFile).not.toHaveBeenCalled();
  });
});
