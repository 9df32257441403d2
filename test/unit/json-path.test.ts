import { jsonLanguage } from '@codemirror/lang-json';
import { Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { formatJsonPath, jsonPathAt, numberAt } from '../../renderer/src/inspect/viewer/json-path';

function at(json: string, marker: string): { tree: ReturnType<typeof jsonLanguage.parser.parse>; doc: Text; pos: number } {
  const pos = json.indexOf(marker);
  expect(pos).toBeGreaterThanOrEqual(0);
  const doc = Text.of(json.split('\n'));
  return { tree: jsonLanguage.parser.parse(json), doc, pos };
}

const SENSORS = JSON.stringify({ site: 'north', sensors: [{ temp: 20.5 }, { temp: 21 }, { temp: 22.25, 'odd key': [1, 2, 37] }] }, null, 2);

describe('json paths from the syntax tree', () => {
  it('names a field inside an array of objects, as users write it', () => {
    const { tree, doc, pos } = at(SENSORS, '22.25');
    const path = jsonPathAt(tree, doc, pos);
    expect(path).toEqual(['sensors', 2, 'temp']);
    expect(formatJsonPath(path ?? [])).toBe('$.sensors[2].temp');
  });

  it('gives the path of a key when the key is clicked, and brackets keys that are not identifiers', () => {
    const onKey = at(SENSORS, '"site"');
    expect(jsonPathAt(onKey.tree, onKey.doc, onKey.pos + 2)).toEqual(['site']);
    const odd = at(SENSORS, '37');
    expect(formatJsonPath(jsonPathAt(odd.tree, odd.doc, odd.pos) ?? [])).toBe('$.sensors[2]["odd key"][2]');
  });

  it('a click at the end of a token is still on it; the top value has the path $', () => {
    const end = at(SENSORS, '"north"');
    expect(jsonPathAt(end.tree, end.doc, end.pos + '"north"'.length)).toEqual(['site']);
    const top = at('[1, 2]', '[');
    expect(formatJsonPath(jsonPathAt(top.tree, top.doc, top.pos) ?? ['wrong'])).toBe('$');
  });

  it('picks numbers with their path and value, and nothing else', () => {
    const number = at(SENSORS, '21\n');
    expect(numberAt(number.tree, number.doc, number.pos + 1)).toEqual({ path: ['sensors', 1, 'temp'], value: 21 });
    const text = at(SENSORS, '"north"');
    expect(numberAt(text.tree, text.doc, text.pos + 1)).toBeNull();
  });
});
