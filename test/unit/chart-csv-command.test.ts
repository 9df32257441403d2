/**
 * Saving a chart series as CSV: a narrow command, not a generic file write. The window
 * suggests a plain file name and gives the text; main picks the path with its dialog.
 */
import { describe, expect, it, vi } from 'vitest';
import { dispatchCommand } from '../../electron/core/ipc/command-dispatch';
import { ConnectionRegistry } from '../../electron/core/connection/connection-registry';
import { MAX_CSV_BYTES } from '../../shared/inspect/chart/series-csv';

const CSV = 'time_iso,time_ms,value\r\n2026-01-02T03:04:05.006Z,1767323045006,21.5\r\n';

describe('chart:export-csv', () => {
  it('in the desktop app, main saves the text through its dialog and says where', async () => {
    const saveFile = vi.fn(async (_name: string, _text: string) => '/home/u/home-temp.csv');
    const registry = new ConnectionRegistry({ emit: () => {}, mode: 'electron', versions: {}, saveFile });
    const result = await dispatchCommand(registry.handlers, 'chart:export-csv', { fileName: 'home-temp.csv', csv: CSV });
    expect(result).toEqual({ ok: true, value: { fileName: 'home-temp.csv', savedTo: '/home/u/home-temp.csv', csv: null } });
    expect(saveFile).toHaveBeenCalledWith('home-temp.csv', CSV);
  });

  it('says nothing was saved when the user cancels the dialog', async () => {
    const registry = new ConnectionRegistry({ emit: () => {}, mode: 'electron', versions: {}, saveFile: async () => null });
    expect(await dispatchCommand(registry.handlers, 'chart:export-csv', { fileName: 'a.csv', csv: CSV })).toMatchObject({ ok: true, value: { savedTo: null, csv: null } });
  });

  it('in browser mode, returns the text for the page to download', async () => {
    const registry = new ConnectionRegistry({ emit: () => {}, mode: 'browser', versions: {} });
    expect(await dispatchCommand(registry.handlers, 'chart:export-csv', { fileName: 'a.csv', csv: CSV })).toEqual({ ok: true, value: { fileName: 'a.csv', savedTo: null, csv: CSV } });
  });

  it.each(['../etc/passwd.csv', '/tmp/x.csv', 'dir/x.csv', 'C:\\x.csv', 'x.json', 'x.csv.sh', '.csv', 'x y.csv', `${'a'.repeat(101)}.csv`])(
    'refuses the file name %j before any dialog opens',
    async (fileName) => {
      const saveFile = vi.fn(async () => '/never');
      const registry = new ConnectionRegistry({ emit: () => {}, mode: 'electron', versions: {}, saveFile });
      const result = await dispatchCommand(registry.handlers, 'chart:export-csv', { fileName, csv: CSV });
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('fileName') } });
      expect(saveFile).not.toHaveBeenCalled();
    },
  );

  it('refuses text over 16 MiB, counting UTF-8 bytes, and anything but text', async () => {
    const saveFile = vi.fn(async () => '/never');
    const registry = new ConnectionRegistry({ emit: () => {}, mode: 'electron', versions: {}, saveFile });
    const tooLarge = 'é'.repeat(MAX_CSV_BYTES / 2 + 1);
    expect(await dispatchCommand(registry.handlers, 'chart:export-csv', { fileName: 'a.csv', csv: tooLarge })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('16 MiB') } });
    expect(await dispatchCommand(registry.handlers, 'chart:export-csv', { fileName: 'a.csv', csv: new Uint8Array(3) })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(saveFile).not.toHaveBeenCalled();
  });
});
