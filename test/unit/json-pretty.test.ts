import { describe, expect, it } from 'vitest';
import { allRows, runToEnd } from '../../shared/inspect/display-lines';
import { JsonLinePrinter, JsonPrettyPrinter } from '../../shared/inspect/json-pretty';

/** Formats in slices of `budget` characters, as the renderer does, and returns the lines. */
function pretty(text: string, budget = 7, rowChars = Infinity): { failed: boolean; text: string; steps: number } {
  const printer = new JsonPrettyPrinter(text, rowChars);
  let steps = 0;
  while (!printer.step(budget)) steps++;
  return { failed: printer.failed, text: allRows(printer.lines).join('\n'), steps };
}

describe('JsonPrettyPrinter', () => {
  it.each([
    '{"temp":21.5,"tags":["a","b"],"ok":true,"none":null}',
    '[1,{"x":null},[],{},[[]],{"a":{}}]',
    '  \n{ "spaced" :  [ 1 , 2 ] ,\r\n\t"empty" : { } }  ',
    '"just a string"',
    '-0.5e+10',
    '{"esc":"quote \\" backslash \\\\ slash \\/ \\u00e9 \\n","k\\"ey":"v"}',
    '{"nested":{"deeper":{"deepest":[1,2,{"z":"🌡 température"}]}}}',
  ])('lays out %s as JSON.stringify(JSON.parse(text), null, 2) does, in any slices', (text) => {
    const expected = JSON.stringify(JSON.parse(text), null, 2)
      // Values are kept as received; JSON.stringify would write the escape back as the character.
      .replace('"quote \\" backslash \\\\ slash / é \\n"', '"quote \\" backslash \\\\ slash \\/ \\u00e9 \\n"')
      .replace('-5000000000', '-0.5e+10');
    for (const budget of [1, 3, 64, 1 << 20]) expect(pretty(text, budget).text, `budget ${budget}`).toBe(expected);
  });

  it('keeps numbers exactly as received', () => {
    expect(pretty('[1.0,1e2,-0,12345678901234567890]').text).toBe('[\n  1.0,\n  1e2,\n  -0,\n  12345678901234567890\n]');
  });

  it.each([
    '{not json',
    '[1, 2',
    '[1,]',
    '{"a" 1}',
    '{"a":1,}',
    '{1:2}',
    '[01]',
    '[1.]',
    '[.5]',
    '[1e]',
    '[-]',
    '[tru]',
    '[truex]',
    '["unterminated]',
    '["bad \\x escape"]',
    '["bad \\u12 escape"]',
    '["raw\ttab"]',
    '{"a":1}}',
    '[1] [2]',
    '[}',
    '{]',
    '',
  ])('reports %j as not JSON', (text) => {
    expect(pretty(text).failed).toBe(true);
    expect(pretty(text, 1 << 20).failed).toBe(true);
  });

  it('works through a 1 MiB array in slices of about the budget, line by line', () => {
    const items = Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `sensor-${i}`, ok: i % 2 === 0 }));
    const text = JSON.stringify(items);
    const printer = new JsonPrettyPrinter(text);
    let steps = 0;
    while (!printer.step(16_384)) {
      steps++;
      expect(printer.progress).toBeGreaterThan(0);
      expect(printer.progress).toBeLessThan(1);
    }
    expect(steps).toBeGreaterThanOrEqual(Math.floor(text.length / 16_384) - 1);
    expect(printer.failed).toBe(false);
    expect(printer.progress).toBe(1);
    const expected = JSON.stringify(items, null, 2).split('\n');
    expect(printer.lines.lineCount).toBe(expected.length);
    // Any row is made on demand from where its line lies in the input.
    for (const index of [0, 1, 2, 1234, 50_001, expected.length - 2, expected.length - 1]) expect(printer.lines.row(index)).toBe(expected[index]);
  });

  it('cuts a long line into rows, the later ones marked as continuations', () => {
    const printer = new JsonPrettyPrinter(`{"long":"${'x'.repeat(25)}"}`, 10);
    runToEnd(printer);
    // `  "long": "xxx…x"` is 2 + 8 + 27 = 37 characters: 4 rows.
    expect(allRows(printer.lines)).toEqual(['{', '  "long": ', `"${'x'.repeat(9)}`, 'x'.repeat(10), `${'x'.repeat(6)}"`, '}']);
    expect(printer.lines.lineCount).toBe(3);
    expect([0, 1, 2, 3, 4, 5].map((i) => printer.lines.isContinuation(i))).toEqual([false, false, true, true, true, false]);
    expect(printer.lines.widest).toBe(10);
  });
});

describe('JsonLinePrinter', () => {
  /** The lines as strings, taken after every slice of `budget` characters, as the value viewer does. */
  function lines(text: string, budget: number): { failed: boolean; text: string } {
    const printer = new JsonLinePrinter(text);
    const out: string[] = [];
    let done = false;
    while (!done) {
      done = printer.step(budget);
      out.push(...printer.takeLines());
    }
    return { failed: printer.failed, text: out.join('\n') };
  }

  it.each([
    '{"temp":21.5,"tags":["a","b"],"ok":true,"none":null}',
    '  \n{ "spaced" :  [ 1 , 2 ] ,\r\n\t"empty" : { } }  ',
    '{"esc":"quote \\" backslash \\\\ \\u00e9","n":[1.0,12345678901234567890]}',
    '"just a string"',
  ])('makes the same lines as the row printer from %s, in any slices', (text) => {
    for (const budget of [1, 5, 1 << 20]) {
      const rows = pretty(text, budget);
      expect(lines(text, budget), `budget ${budget}`).toEqual({ failed: false, text: rows.text });
    }
  });

  it.each(['[1,]', '{"a" 1}', '[1] [2]', ''])('reports %j as not JSON', (text) => {
    expect(lines(text, 3).failed).toBe(true);
  });
});
