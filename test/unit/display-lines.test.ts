import { describe, expect, it } from 'vitest';
import { allRows, DisplayLines, ROW_CHARS, runToEnd, TextLineSplitter, U32List } from '../../shared/inspect/display-lines';
import { hexDump, hexRow, hexRowCount, utf8ByteLength } from '../../shared/inspect/payload-format';

function split(text: string, rowChars = ROW_CHARS, budget = 5): TextLineSplitter {
  const splitter = new TextLineSplitter(text, rowChars);
  while (!splitter.step(budget));
  return splitter;
}

describe('TextLineSplitter', () => {
  it('splits at line feeds, drops the carriage return of CRLF, and keeps empty lines', () => {
    const splitter = split('one\r\ntwo\n\nthree\n');
    expect(allRows(splitter.lines)).toEqual(['one', 'two', '', 'three', '']);
    expect(splitter.lines.lineCount).toBe(5);
    expect(splitter.progress).toBe(1);
    expect(allRows(split('').lines)).toEqual(['']);
  });

  it('cuts a 1 MiB single line into rows of ROW_CHARS characters, in slices', () => {
    const line = 'abcdefghij'.repeat(104_858).slice(0, 1 << 20);
    const splitter = new TextLineSplitter(line);
    // One step handles one line however long, but the rows are only numbers until shown.
    expect(splitter.step(16_384)).toBe(true);
    const lines = splitter.lines;
    expect(lines.lineCount).toBe(1);
    expect(lines.rowCount).toBe(Math.ceil((1 << 20) / ROW_CHARS));
    expect(lines.widest).toBe(ROW_CHARS);
    expect(lines.row(0)).toBe(line.slice(0, ROW_CHARS));
    expect(lines.isContinuation(0)).toBe(false);
    expect(lines.isContinuation(1)).toBe(true);
    const last = lines.rowCount - 1;
    expect(lines.row(last)).toBe(line.slice(last * ROW_CHARS));
    expect(allRows(lines).join('')).toBe(line);
  });

  it('reports progress between slices of many lines', () => {
    const splitter = new TextLineSplitter('line\n'.repeat(1000));
    expect(splitter.step(100)).toBe(false);
    expect(splitter.progress).toBeGreaterThan(0);
    expect(splitter.progress).toBeLessThan(0.1);
    runToEnd(splitter);
    expect(splitter.lines.lineCount).toBe(1001);
  });

  it('never cuts a character made of two UTF-16 units in half', () => {
    const rows = allRows(split('a😀😀😀', 2).lines);
    expect(rows.join('')).toContain('😀😀😀');
    for (const row of rows) expect(row, JSON.stringify(rows)).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});

describe('DisplayLines', () => {
  it('asks for a line text only when one of its rows is read, and once for all of its rows', () => {
    const asked: number[] = [];
    const lines = new DisplayLines((line) => {
      asked.push(line);
      return `line ${line} `.repeat(3);
    }, 8);
    for (let i = 0; i < 1000; i++) lines.pushLine(`line ${i} `.repeat(3).length);
    expect(asked).toEqual([]);
    expect(lines.row(lines.rowCount)).toBe('');
    expect([lines.row(3), lines.row(4), lines.row(5)]).toEqual(['line 1 l', 'ine 1 li', 'ne 1 ']);
    expect(asked).toEqual([1]);
  });
});

describe('U32List', () => {
  it('grows past its first capacity', () => {
    const list = new U32List();
    for (let i = 0; i < 5000; i++) list.push(i * 3);
    expect(list.length).toBe(5000);
    expect(list.get(4999)).toBe(14_997);
    expect(list.get(5000)).toBe(0);
  });
});

describe('hexRow', () => {
  it('makes any row of the dump on demand, the same as the whole dump', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
    const dump = hexDump(bytes, Infinity).split('\n');
    expect(hexRowCount(bytes.byteLength)).toBe(dump.length);
    for (const index of [0, 1, 30, dump.length - 1]) expect(hexRow(bytes, index)).toBe(dump[index]);
    expect(hexRow(bytes, 62)).toMatch(/^000003e0 {2}/);
  });
});

describe('utf8ByteLength', () => {
  it('counts UTF-8 bytes as published', () => {
    expect(utf8ByteLength('')).toBe(0);
    expect(utf8ByteLength('{"small": "é"}')).toBe(15);
    expect(utf8ByteLength('€😀')).toBe(7);
    expect(utf8ByteLength('\uD800')).toBe(3);
  });
});
