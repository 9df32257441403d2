import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupLabel, JsonFileStorage, makeFolder } from '../../electron/core/storage/document-storage';

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

  it('keeps a file changed on disk since it was read aside before replacing it, and only then', () => {
    const storage = new JsonFileStorage(join(dir, 'profiles.json'), 0o600, () => Date.UTC(2026, 10, 21, 21, 5, 39, 123));
    expect(storage.read()).toEqual({ state: 'missing' });
    expect(storage.write({ version: 2, profiles: ['mine'] })).toEqual({ keptChange: null });
    expect(storage.changedOnDisk()).toBeNull();
    expect(storage.write({ version: 2, profiles: ['mine', 'more'] })).toEqual({ keptChange: null });

    writeFileSync(storage.path, '{ "version": 2, "profiles": ["hand edit"] }');
    expect(storage.changedOnDisk()).toEqual({ state: 'found', data: { version: 2, profiles: ['hand edit'] } });
    // Looking does not count as reading: the write still keeps the hand edit.
    const { keptChange } = storage.write({ version: 2, profiles: ['mine'] });
    expect(keptChange).toBe(join(dir, 'profiles.json.changed-2026-11-21T21-05-39.123Z'));
    expect(readFileSync(keptChange ?? '', 'utf8')).toBe('{ "version": 2, "profiles": ["hand edit"] }');
    expect(storage.read()).toEqual({ state: 'found', data: { version: 2, profiles: ['mine'] } });
    expect(storage.write({ version: 2, profiles: [] })).toEqual({ keptChange: null });
  });

  it('sees an edit that keeps the size, and reports an edit that is not JSON', () => {
    const storage = new JsonFileStorage(join(dir, 'profiles.json'));
    storage.write({ name: 'aaaa' });
    writeFileSync(storage.path, readFileSync(storage.path, 'utf8').replace('aaaa', 'bbbb'));
    expect(storage.changedOnDisk()).toEqual({ state: 'found', data: { name: 'bbbb' } });
    writeFileSync(storage.path, 'not json');
    expect(storage.changedOnDisk()).toMatchObject({ state: 'unparsable' });
  });

  it('keeps a file it never read, and one created after it found none; a deleted file needs no copy', () => {
    writeFileSync(join(dir, 'profiles.json'), '{"unseen": true}');
    const unseen = new JsonFileStorage(join(dir, 'profiles.json'));
    expect(unseen.write({}).keptChange).toMatch(/profiles\.json\.changed-/);

    const other = new JsonFileStorage(join(dir, 'secrets.json'));
    expect(other.read()).toEqual({ state: 'missing' });
    writeFileSync(other.path, '{"by": "another host"}');
    expect(other.write({}).keptChange).toMatch(/secrets\.json\.changed-/);
    rmSync(other.path);
    expect(other.changedOnDisk()).toBeNull();
    expect(other.write({}).keptChange).toBeNull();
  });

  it('refuses to write, changing nothing, when a changed file cannot be kept aside', () => {
    const storage = new JsonFileStorage(join(dir, 'profiles.json'), 0o600, () => 0);
    storage.read();
    writeFileSync(storage.path, 'hand edit');
    mkdirSync(`${storage.path}.${backupLabel('changed', 0)}`); // the copy's name is taken
    expect(() => storage.write({})).toThrow(/EEXIST/);
    expect(readFileSync(storage.path, 'utf8')).toBe('hand edit');
  });
});

describe('makeFolder', () => {
  it('makes missing parents, accepts an existing folder, and refuses a path under a file', () => {
    makeFolder(join(dir, 'a', 'b', 'c'));
    makeFolder(join(dir, 'a', 'b'));
    expect(statSync(join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o700);
    writeFileSync(join(dir, 'file'), '');
    expect(() => makeFolder(join(dir, 'file', 'sub'))).toThrow(/ENOTDIR/);
    expect(() => makeFolder(join(dir, 'file'))).toThrow(/ENOTDIR/);
  });
});
