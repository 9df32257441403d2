import { describe, expect, it } from 'vitest';
import { decodePlain, diffPayloads, STRUCTURED_MAX_BYTES, type DiffSide } from '../../shared/inspect/diff/payload-diff';
import { jsonChanges } from '../../shared/inspect/diff/json-changes';
import { lineDiff } from '../../shared/inspect/diff/line-diff';

const encoder = new TextEncoder();
const side = (text: string): DiffSide => {
  const bytes = encoder.encode(text);
  return { bytes, decoded: decodePlain(bytes) };
};
const bytesSide = (...values: number[]): DiffSide => {
  const bytes = new Uint8Array(values);
  return { bytes, decoded: decodePlain(bytes) };
};

describe('jsonChanges', () => {
  it('names a changed key by its path with the old and new values', () => {
    expect(jsonChanges({ t: 1, h: 5 }, { t: 2, h: 5 }).changes).toEqual([{ path: '$.t', kind: 'changed', before: '1', after: '2' }]);
  });

  it('lists added and removed keys, nested, with their paths', () => {
    const { changes, total } = jsonChanges({ a: { b: { c: 1, gone: 'x' } } }, { a: { b: { c: 1, d: [1] } } });
    expect(total).toBe(2);
    expect(changes).toContainEqual({ path: '$.a.b.gone', kind: 'removed', before: '"x"' });
    expect(changes).toContainEqual({ path: '$.a.b.d', kind: 'added', after: '[1]' });
  });

  it('writes keys that are not identifiers in brackets', () => {
    expect(jsonChanges({ 'odd key': 1 }, { 'odd key': 2 }).changes[0]?.path).toBe('$["odd key"]');
  });

  it('matches array items by value: an inserted item is one addition at its index', () => {
    expect(jsonChanges({ list: [1, 2, 3] }, { list: [1, 9, 2, 3] }).changes).toEqual([{ path: '$.list[1]', kind: 'added', after: '9' }]);
    expect(jsonChanges([1, 2, 3], [1, 3]).changes).toEqual([{ path: '$[1]', kind: 'removed', before: '2' }]);
  });

  it('compares objects inside arrays by position, naming the inner key', () => {
    expect(jsonChanges({ m: [{ v: 1 }, { v: 2 }] }, { m: [{ v: 1 }, { v: 3 }] }).changes).toEqual([{ path: '$.m[1].v', kind: 'changed', before: '2', after: '3' }]);
  });

  it('lists at most the changes asked for and counts all of them', () => {
    const before = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    const after = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i + 1]));
    const { changes, total } = jsonChanges(before, after, 10);
    expect(changes).toHaveLength(10);
    expect(total).toBe(50);
  });
});

describe('lineDiff', () => {
  it('gives a unified, line-numbered diff', () => {
    const { rows, added, removed } = lineDiff('a\nb\nc', 'a\nB\nc\nd');
    expect(rows).toEqual([
      { kind: 'same', oldLine: 1, newLine: 1, text: 'a' },
      { kind: 'removed', oldLine: 2, newLine: null, text: 'b' },
      { kind: 'added', oldLine: null, newLine: 2, text: 'B' },
      { kind: 'same', oldLine: 3, newLine: 3, text: 'c' },
      { kind: 'added', oldLine: null, newLine: 4, text: 'd' },
    ]);
    expect([added, removed]).toEqual([2, 1]);
  });

  it('folds long runs of unchanged lines around the changes', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`);
    const changed = [...lines];
    changed[50] = 'changed';
    const { rows } = lineDiff(lines.join('\n'), changed.join('\n'), { context: 2 });
    expect(rows.map((r) => (r.kind === 'gap' ? r.text : `${r.kind} ${r.text}`))).toEqual([
      '48 unchanged lines',
      'same line 48',
      'same line 49',
      'removed line 50',
      'added changed',
      'same line 51',
      'same line 52',
      '47 unchanged lines',
    ]);
  });

  it('compares only the first lines of a long text, and says so', () => {
    const long = Array.from({ length: 30 }, (_, i) => `${i}`).join('\n');
    const diff = lineDiff(long, `x\n${long}`, { maxLines: 10 });
    expect(diff.cut).toBe(true);
    expect(Math.max(...diff.rows.map((r) => r.newLine ?? 0))).toBeLessThanOrEqual(10);
  });
});

describe('diffPayloads', () => {
  it('compares JSON payloads structurally', () => {
    const diff = diffPayloads(side('{"t":1,"h":5}'), side('{"t":2,"h":5}'));
    expect(diff).toEqual({ kind: 'structured', changes: [{ path: '$.t', kind: 'changed', before: '1', after: '2' }], total: 1, note: null });
  });

  it('says identical messages are identical', () => {
    expect(diffPayloads(side('{"t":1}'), side('{"t":1}')).kind).toBe('identical');
    expect(diffPayloads(side('hello'), side('hello')).kind).toBe('identical');
  });

  it('says when JSON values are the same but the bytes differ', () => {
    const diff = diffPayloads(side('{"a":1,"b":2}'), side('{ "b": 2, "a": 1 }'));
    expect(diff.kind).toBe('identical');
    expect(diff.kind === 'identical' && diff.note).toMatch(/only their encoding differs/);
  });

  it('compares text payloads by lines', () => {
    const diff = diffPayloads(side('status: ok\nuptime: 5'), side('status: failing\nuptime: 5'));
    expect(diff.kind).toBe('lines');
    if (diff.kind !== 'lines') return;
    expect(diff.of).toBe('text');
    expect(diff.rows.filter((r) => r.kind !== 'same').map((r) => `${r.kind} ${r.text}`)).toEqual(['removed status: ok', 'added status: failing']);
  });

  it('says when texts differ only in line endings', () => {
    const diff = diffPayloads(side('a\r\nb\r\n'), side('a\nb'));
    expect(diff).toEqual({ kind: 'identical', note: 'The two messages differ only in line endings.' });
  });

  it('compares binary payloads as hex dumps', () => {
    const diff = diffPayloads(bytesSide(0x00, 0xff, 0x01), bytesSide(0x00, 0xfe, 0x01));
    expect(diff.kind).toBe('lines');
    if (diff.kind !== 'lines') return;
    expect(diff.of).toBe('hex');
    expect(diff.rows.map((r) => `${r.kind} ${r.text.replace(/ +/g, ' ')}`)).toEqual(['removed 00000000 00 ff 01 ...', 'added 00000000 00 fe 01 ...']);
  });

  it('compares a JSON payload with a text one by lines', () => {
    expect(diffPayloads(side('{"a":1}'), side('not json')).kind).toBe('lines');
  });

  it('compares large JSON by lines, and says why', () => {
    const big = (v: number): string => JSON.stringify({ v, filler: 'x'.repeat(STRUCTURED_MAX_BYTES) }, null, 2);
    const diff = diffPayloads(side(big(1)), side(big(2)));
    expect(diff.kind).toBe('lines');
    if (diff.kind !== 'lines') return;
    expect(diff.note).toMatch(/Too large to compare structurally/);
    expect(diff.rows.filter((r) => r.kind === 'added').map((r) => r.text)).toEqual(['  "v": 2,']);
  });

  it('compares a large decoded value by lines of its pretty JSON', () => {
    const bytes = (v: number): Uint8Array => new Uint8Array(STRUCTURED_MAX_BYTES + 1).fill(v);
    const value = (v: number): { kind: 'structured'; format: string; value: { v: number; list: number[] } } => ({ kind: 'structured', format: 'CBOR', value: { v, list: [1, 2] } });
    const diff = diffPayloads({ bytes: bytes(1), decoded: value(1) }, { bytes: bytes(2), decoded: value(2) });
    expect(diff.kind === 'lines' && diff.rows.filter((r) => r.kind === 'added' || r.kind === 'removed').map((r) => r.text)).toEqual(['  "v": 1,', '  "v": 2,']);
  });

  it('takes decoded values from a decoder, not only plain JSON', () => {
    const bytes = new Uint8Array([0xa1, 0x61, 0x74, 0x01]);
    const later = new Uint8Array([0xa1, 0x61, 0x74, 0x02]);
    const diff = diffPayloads({ bytes, decoded: { kind: 'structured', format: 'CBOR', value: { t: 1 } } }, { bytes: later, decoded: { kind: 'structured', format: 'CBOR', value: { t: 2 } } });
    expect(diff.kind === 'structured' && diff.changes[0]?.path).toBe('$.t');
  });
});
