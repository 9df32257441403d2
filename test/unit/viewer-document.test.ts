import { EditorState, Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { buildDocument, cachedDocument, documentChange, documentChanges, documentHead, keepDocument } from '../../renderer/src/inspect/viewer/viewer-document';

/** A JSON array of small objects of about `bytes`, as a device might send. */
function jsonArray(bytes: number): string {
  const items: string[] = [];
  for (let i = 0, length = 2; length < bytes; i++) {
    const item = JSON.stringify({ id: i, name: `sensor-${i}`, value: Math.round(i * 7.3) / 10, ok: i % 3 === 0 });
    items.push(item);
    length += item.length + 1;
  }
  return `[${items.join(',')}]`;
}

const noYield = async (): Promise<void> => {};

/** `after` made from `before` by the changes, as the viewer applies them (and by the single change, which must agree). */
function applied(before: Text, after: Text): Text {
  const state = EditorState.create({ doc: before });
  const single = documentChange(before, after);
  const changes = documentChanges(before, after);
  expect(changes === null).toBe(single === null);
  if (single) expect(state.update({ changes: single }).state.doc.toString()).toBe(after.toString());
  return changes ? state.update({ changes }).state.doc : before;
}

describe('buildDocument', () => {
  it('lays out a 1 MiB JSON value as JSON.stringify(…, null, 2) does, in slices, saying how far it got', async () => {
    const text = jsonArray(1024 * 1024);
    const progress: number[] = [];
    const built = await buildDocument(text, true, { yieldToMain: noYield, progress: (done) => progress.push(done) });
    expect(built?.language).toBe('json');
    expect(built?.doc.toString()).toBe(JSON.stringify(JSON.parse(text), null, 2));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('keeps numbers as received, and shows text that is not JSON line by line', async () => {
    expect((await buildDocument('{"big":12345678901234567890,"f":1.0}', true, { yieldToMain: noYield }))?.doc.toString()).toBe(
      '{\n  "big": 12345678901234567890,\n  "f": 1.0\n}',
    );
    const notJson = await buildDocument('[1, 2\r\nthree', true, { yieldToMain: noYield });
    expect(notJson).toEqual({ doc: Text.of(['[1, 2', 'three']), language: 'text' });
  });

  it('stops between slices when abandoned', async () => {
    const abort = new AbortController();
    let clock = 0;
    let slices = 0;
    const built = buildDocument(jsonArray(256 * 1024), true, {
      yieldToMain: async () => {
        if (++slices === 2) abort.abort();
      },
      // Every check of the clock finds the slice over.
      now: () => (clock += 100),
      signal: abort.signal,
    });
    expect(await built).toBeNull();
    expect(slices).toBe(2);
  });
});

describe('documentHead', () => {
  it('is the first lines of the document a big value will have, enough to fill the viewer', async () => {
    const text = jsonArray(1024 * 1024);
    const head = documentHead(text, true);
    const full = await buildDocument(text, true, { yieldToMain: noYield });
    expect(head?.language).toBe('json');
    expect(head!.doc.lines).toBeGreaterThan(100);
    expect(head!.doc.lines).toBeLessThan(full!.doc.lines);
    expect(full!.doc.sliceString(0, head!.doc.length)).toBe(head!.doc.toString());
  });

  it('is text when the value stops being JSON in its first lines', () => {
    const head = documentHead(`[1, oops\n${'x'.repeat(100_000)}`, true);
    expect(head?.language).toBe('text');
    expect(head?.doc.line(1).text).toBe('[1, oops');
  });
});

describe('documentChange', () => {
  const doc = (text: string): Text => Text.of(text.split('\n'));

  it('is nothing for an equal value', () => {
    expect(documentChange(doc('{\n  "t": 1\n}'), doc('{\n  "t": 1\n}'))).toBeNull();
  });

  it('replaces only the characters that changed in a new reading', () => {
    const before = doc('{\n  "id": 7,\n  "temp": 21.5,\n  "unit": "C"\n}');
    const after = doc('{\n  "id": 7,\n  "temp": 19.0,\n  "unit": "C"\n}');
    const change = documentChange(before, after);
    expect(change).toMatchObject({ from: before.toString().indexOf('21.5'), to: before.toString().indexOf('21.5') + 4 });
    expect(change?.insert.toString()).toBe('19.0');
  });

  it('changes each changed line of a new reading of the same fields, and nothing between them', () => {
    const reading = (n: number): Text => doc(['{', `  "reading": ${n},`, ...Array.from({ length: 50 }, (_, i) => `  "s${i}": ${i === 25 ? n : i},`), '  "end": true', '}'].join('\n'));
    const before = reading(1);
    const changes = documentChanges(before, reading(2));
    expect(changes).toEqual([
      { from: before.line(2).from + '  "reading": '.length, to: before.line(2).from + '  "reading": 1'.length, insert: '2' },
      { from: before.line(28).from + '  "s25": '.length, to: before.line(28).from + '  "s25": 1'.length, insert: '2' },
    ]);
    expect(applied(before, reading(2)).toString()).toBe(reading(2).toString());
  });

  it('is one change when very many lines changed', () => {
    const before = doc(Array.from({ length: 3000 }, (_, i) => `${i}`).join('\n'));
    const after = doc(Array.from({ length: 3000 }, (_, i) => `${i + 1}`).join('\n'));
    expect(documentChanges(before, after)).toHaveLength(1);
    expect(applied(before, after).toString()).toBe(after.toString());
  });

  it('adds the rest to a document that was its first lines', () => {
    const head = doc('[\n  {\n    "id": 0');
    const full = doc('[\n  {\n    "id": 0\n  }\n]');
    expect(documentChange(head, full)).toMatchObject({ from: head.length, to: head.length });
    expect(applied(head, full).toString()).toBe(full.toString());
  });

  it.each([
    ['', 'a'],
    ['a', ''],
    ['a\nb\nc', 'a\nc'],
    ['a\nc', 'a\nb\nc'],
    ['same\nsame\nsame', 'same\nsame'],
    ['x\ny', 'p\nq\nr'],
    ['ab\nab', 'ab\nabab\nab'],
    ['{\n}', '[\n]'],
  ])('turns %j into %j', (before, after) => {
    expect(applied(doc(before), doc(after)).toString()).toBe(after);
  });

  it('turns any document into any other (random edits of lines)', () => {
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const pieces = ['a', 'b', '', 'ab', '{', '}', '  "k": 1,'];
    for (let round = 0; round < 500; round++) {
      const lines = Array.from({ length: random(8) }, () => pieces[random(pieces.length)]!);
      const edited = lines.slice();
      for (let edits = random(3); edits >= 0; edits--) edited.splice(random(edited.length + 1), random(2), ...(random(2) ? [pieces[random(pieces.length)]!] : []));
      const before = lines.join('\n');
      const after = edited.join('\n');
      expect(applied(doc(before), doc(after)).toString(), `${JSON.stringify(before)} → ${JSON.stringify(after)}`).toBe(after);
    }
  });
});

describe('cachedDocument', () => {
  it('finds the document of an earlier payload with the same bytes: a repeated value is not made again', () => {
    const made = { doc: Text.of(['{', '  "t": 1', '}']), language: 'json' as const };
    keepDocument(new TextEncoder().encode('{"t":1}'), '{"t":1}', 'pretty', made);
    expect(cachedDocument(new TextEncoder().encode('{"t":1}'), '{"t":1}', 'pretty')).toBe(made);
    expect(cachedDocument(new TextEncoder().encode('{"t":2}'), '{"t":2}', 'pretty')).toBeUndefined();
    expect(cachedDocument(new TextEncoder().encode('{"t":1}'), '{"t":1}', 'raw')).toBeUndefined();
  });
});
