import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupLabel, JsonFileStorage } from '../../electron/core/document-storage';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'topicscope-storage-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('JsonFileStorage', () => {
  it('reports a missing file, then reads back what it wrote, creating the folder', () => {
    const storage = new JsonFileStorage(join(dir, 'nested', 'profiles.json'));
    expect(storage.read()).toEqual({ state: 'missing' });
    storage.write({ version: 2, profiles: [] });
    expect(storage.read()).toEqual({ state: 'found', data: { version: 2, profiles: [] } });
    expect(statSync(storage.path).mode & 0o777).toBe(0o600);
  });

  it('reports a file that is not JSON instead of throwing', () => {
    const storage = new JsonFileStorage(join(dir, 'profiles.json'));
    writeFileSync(storage.path, '{ "version": ');
    const read = storage.read();
    expect(read.state).toBe('unparsable');
    if (read.state === 'unparsable') expect(read.problem).toContain('not valid JSON');
  });

  it('reports a path it cannot read (a folder) instead of throwing', () => {
    const storage = new JsonFileStorage(join(dir, 'profiles.json'));
    mkdirSync(storage.path);
    expect(storage.read()).toMatchObject({ state: 'unparsable', problem: expect.stringContaining('EISDIR') });
  });

  it('keeps the previous document whole when a write fails, and leaves no temporary file', () => {
    const storage = new JsonFileStorage(join(dir, 'profiles.json'));
    storage.write({ version: 2, profiles: ['kept'] });
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(() => storage.write(circular)).toThrow();
    expect(storage.read()).toEqual({ state: 'found', data: { version: 2, profiles: ['kept'] } });
    expect(readdirSync(dir)).toEqual(['profiles.json']);
  });

  it('removes its temporary file when the final rename fails', () => {
    const storage = new JsonFileStorage(join(dir, 'profiles.json'));
    mkdirSync(join(storage.path, 'occupied'), { recursive: true });
    expect(() => storage.write({ version: 2 })).toThrow();
    expect(readdirSync(dir)).toEqual(['profiles.json']);
  });

  it('backs the file up next to it, never over an earlier backup', () => {
    const storage = new JsonFileStorage(join(dir, 'profiles.json'));
    writeFileSync(storage.path, 'broken');
    const label = backupLabel('corrupt', Date.UTC(2026, 10, 21, 21, 5, 39, 123));
    expect(label).toBe('corrupt-2026-11-21T21-05-39.123Z');
    const backup = storage.backUp(label);
    expect(backup).toBe(join(dir, `profiles.json.${label}`));
    expect(readFileSync(backup, 'utf8')).toBe('broken');
    expect(() => storage.backUp(label)).toThrow(/EEXIST/);
  });
});
