/**
 * Browser mode's settings file (and the core rules the desktop shares): loaded with
 * defaults filled in, a damaged file kept as a backup and replaced by the defaults,
 * saves written atomically, and a file that can't be kept aside never overwritten.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSettingsFile } from '../../electron/core/settings/settings-file';
import { DEFAULT_SETTINGS, type AppSettings } from '../../shared/settings/app-settings';

let dir: string;
let file: string;
const NOW = Date.UTC(2026, 10, 28, 21, 5, 39, 123);
const now = () => NOW;
const chosen: AppSettings = { theme: 'dark', historyPerTopic: 3, historyBudgetMiB: 64, timeFormat: 'utc', defaultMqttVersion: '3.1.1', density: 'compact' };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'topicscope-settings-'));
  file = join(dir, 'settings.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const onDisk = (): unknown => JSON.parse(readFileSync(file, 'utf8'));

describe('settings.json', () => {
  it('starts from the defaults without writing a file, and keeps what is saved for the next start', () => {
    const store = openSettingsFile(dir, now);
    expect(store.get()).toEqual({ settings: DEFAULT_SETTINGS, recovery: null });
    expect(existsSync(file)).toBe(false);

    expect(store.set(chosen)).toEqual({ ok: true, value: { settings: chosen } });
    expect(store.get().settings).toEqual(chosen);
    expect(onDisk()).toEqual(chosen);
    // Written through a temporary file, none left behind.
    expect(readdirSync(dir)).toEqual(['settings.json']);
    expect(openSettingsFile(dir, now).get()).toEqual({ settings: chosen, recovery: null });
  });

  it('fills a missing or invalid field with its default and keeps the rest, with no recovery to report', () => {
    writeFileSync(file, JSON.stringify({ theme: 'light', historyPerTopic: 0, somethingNewer: 1 }));
    const store = openSettingsFile(dir, now);
    expect(store.get()).toEqual({ settings: { ...DEFAULT_SETTINGS, theme: 'light' }, recovery: null });
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it.each([
    ['not JSON', '{ "theme": "dark", trunc', /^it is not valid JSON/],
    ['a list', '["dark"]', /^it holds a list, not a settings object$/],
    ['null', 'null', /^it holds null, not a settings object$/],
  ])('keeps a file holding %s as a backup, loads the defaults, writes them, and says so once', (_kind, text, problem) => {
    writeFileSync(file, text);
    const store = openSettingsFile(dir, now);
    const backupPath = `${file}.corrupt-2026-11-28T21-05-39.123Z`;
    const { settings, recovery } = store.get();
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(recovery).toEqual({ backupPath, problem: expect.stringMatching(problem) });
    expect(readFileSync(backupPath, 'utf8')).toBe(text);
    expect(onDisk()).toEqual(DEFAULT_SETTINGS);
    // The next start finds a sound file: nothing more to report.
    expect(openSettingsFile(dir, () => NOW + 1).get().recovery).toBeNull();
    expect(readdirSync(dir).sort()).toEqual(['settings.json', 'settings.json.corrupt-2026-11-28T21-05-39.123Z']);
  });

  it('never overwrites a file it can neither read nor copy aside: defaults are used and saving says what to do', () => {
    // A folder where the file should be: unreadable as a file, and not copyable.
    mkdirSync(file);
    writeFileSync(join(file, 'inside'), 'keep me');
    const store = openSettingsFile(dir, now);
    expect(store.get()).toEqual({ settings: DEFAULT_SETTINGS, recovery: null });
    const saved = store.set(chosen);
    expect(saved).toMatchObject({ ok: false, error: { code: 'STORE_WRITE_FAILED' } });
    expect(!saved.ok && saved.error.message).toMatch(/settings\.json could not be read .* Fix or move that file, then restart/);
    expect(readFileSync(join(file, 'inside'), 'utf8')).toBe('keep me');
    expect(store.get().settings).toEqual(DEFAULT_SETTINGS);
  });

  it('reports a failed save as data and keeps the settings it had', () => {
    const store = openSettingsFile(dir, now);
    store.set(chosen);
    // The folder gone and a file in its place: the write cannot happen.
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'not a folder');
    try {
      const saved = store.set({ ...chosen, theme: 'light' });
      expect(saved).toMatchObject({ ok: false, error: { code: 'STORE_WRITE_FAILED', message: expect.stringContaining('nothing was changed') } });
      expect(store.get().settings).toEqual(chosen);
    } finally {
      rmSync(dir, { force: true });
      mkdirSync(dir);
    }
  });
});
