import { mkdtempSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listRecordings, recordingPath } from '../../electron/web/recording-list';
import { commandSchemas } from '../../shared/ipc/ipc-contract';

const A = 'recording-2026-11-29T03-00-00Z-0000000a.jsonl';
const B = 'recording-2026-11-29T04-00-00Z-0000000b.jsonl.gz';
let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'ts-recording-list-'));
  writeFileSync(join(folder, A), 'a');
  writeFileSync(join(folder, B), 'bb');
  utimesSync(join(folder, A), 1_000, 1_000);
  writeFileSync(join(folder, 'notes.txt'), 'not a recording');
  writeFileSync(join(folder, 'recording-2026-11-29T03-00-00Z.jsonl'), 'desktop-style name, not generated here');
  mkdirSync(join(folder, 'recording-2026-11-29T05-00-00Z-0000000c.jsonl'));
  symlinkSync('/etc/passwd', join(folder, 'recording-2026-11-29T06-00-00Z-0000000d.jsonl'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('browser mode recordings offered for replay', () => {
  it('lists only regular files with generated names, newest first', async () => {
    expect(await listRecordings(folder)).toEqual([
      expect.objectContaining({ name: B, bytes: 2 }),
      expect.objectContaining({ name: A, bytes: 1, modifiedAt: 1_000_000 }),
    ]);
    expect(await listRecordings(join(folder, 'missing'))).toEqual([]);
  });

  it('resolves a listed name inside the folder and refuses paths, other names, folders and symlinks', async () => {
    expect(await recordingPath(folder, A)).toBe(join(folder, A));
    for (const name of [`../${A}`, `x/${A}`, 'notes.txt', 'recording-2026-11-29T05-00-00Z-0000000c.jsonl', 'recording-2026-11-29T06-00-00Z-0000000d.jsonl']) {
      expect(await recordingPath(folder, name)).toBeNull();
    }
  });

  it('the contract takes only generated names and sane replay options', () => {
    const choose = commandSchemas['replay:choose'];
    expect(choose.safeParse({ connectionId: 'c', source: { kind: 'recording', name: A } }).success).toBe(true);
    expect(choose.safeParse({ connectionId: 'c', source: { kind: 'recording', name: `../../${A}` } }).success).toBe(false);
    expect(choose.safeParse({ connectionId: 'c', source: { kind: 'path', path: '/etc/passwd' } }).success).toBe(false);
    const start = commandSchemas['replay:start'];
    expect(start.safeParse({ connectionId: 'c', speed: 'max' }).success).toBe(true);
    expect(start.safeParse({ connectionId: 'c', speed: 0.25 }).success).toBe(false);
    expect(start.safeParse({ connectionId: 'c', speed: 101 }).success).toBe(false);
    expect(start.safeParse({ connectionId: 'c', speed: 1, rewrite: { kind: 'add', prefix: '' } }).success).toBe(false);
    expect(start.safeParse({ connectionId: 'c', speed: 1, rewrite: { kind: 'add', prefix: 'a/#/' } }).success).toBe(false);
  });
});
