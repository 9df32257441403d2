import { describe, expect, it } from 'vitest';
import { decodeUtf8, hexDump, payloadPreview, payloadTypeHint, viewPayload } from '../../shared/inspect/payload-format';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const range = (from: number, to: number): Uint8Array => Uint8Array.from({ length: to - from }, (_, i) => from + i);

/** True when the string holds half of a surrogate pair, which renders as "�". */
const hasLoneSurrogate = (text: string): boolean => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('viewPayload', () => {
  it('reports an empty payload as empty', () => {
    expect(viewPayload(new Uint8Array(0))).toEqual({ kind: 'empty' });
  });

  it('pretty-prints JSON objects and arrays with two spaces, keeping the original text', () => {
    const raw = '{"temp":21.5,"tags":["a","b"],"ok":true}';
    expect(viewPayload(bytes(raw))).toEqual({
      kind: 'json',
      text: raw,
      pretty: '{\n  "temp": 21.5,\n  "tags": [\n    "a",\n    "b"\n  ],\n  "ok": true\n}',
    });
    expect(viewPayload(bytes('  \n[1, {"x": null}]'))).toEqual({
      kind: 'json',
      text: '  \n[1, {"x": null}]',
      pretty: '[\n  1,\n  {\n    "x": null\n  }\n]',
    });
  });

  it('shows broken JSON as text', () => {
    expect(viewPayload(bytes('{not json'))).toEqual({ kind: 'text', text: '{not json' });
    expect(viewPayload(bytes('[1, 2'))).toEqual({ kind: 'text', text: '[1, 2' });
  });

  it('shows plain values and UTF-8 text as text, tabs and line breaks included', () => {
    expect(viewPayload(bytes('21.5'))).toEqual({ kind: 'text', text: '21.5' });
    expect(viewPayload(bytes('on'))).toEqual({ kind: 'text', text: 'on' });
    expect(viewPayload(bytes('col1\tcol2\r\nline 2\n'))).toEqual({ kind: 'text', text: 'col1\tcol2\r\nline 2\n' });
    expect(viewPayload(bytes('température 日本 😀'))).toEqual({ kind: 'text', text: 'température 日本 😀' });
  });

  it('shows invalid UTF-8 as binary with a hex dump', () => {
    const data = Uint8Array.of(0x48, 0x69, 0xff, 0xfe);
    expect(viewPayload(data)).toEqual({ kind: 'binary', hex: hexDump(data) });
    expect(viewPayload(data)).toMatchObject({ hex: expect.stringContaining('48 69 ff fe') });
    // A lone continuation byte and a truncated sequence are invalid too.
    expect(viewPayload(Uint8Array.of(0x80)).kind).toBe('binary');
    expect(viewPayload(Uint8Array.of(0x61, 0xe2, 0x82)).kind).toBe('binary');
  });

  it.each([
    ['NUL', '\u0000'],
    ['SOH', '\u0001'],
    ['vertical tab', '\u000b'],
    ['form feed', '\u000c'],
    ['escape', '\u001b'],
    ['unit separator', '\u001f'],
    ['DEL', '\u007f'],
  ])('shows valid UTF-8 containing the control character %s as binary', (_name, control) => {
    const data = bytes(`abc${control}def`);
    expect(viewPayload(data)).toEqual({ kind: 'binary', hex: hexDump(data) });
  });

  it('treats a JSON-looking payload with a raw control character as binary', () => {
    expect(viewPayload(bytes('{"a":"\u0001"}')).kind).toBe('binary');
    // Escaped in the JSON text, it is ordinary JSON.
    expect(viewPayload(bytes('{"a":"\\u0001"}')).kind).toBe('json');
  });
});

describe('decodeUtf8', () => {
  it('decodes valid UTF-8 and returns null for invalid bytes', () => {
    expect(decodeUtf8(bytes('€'))).toBe('€');
    expect(decodeUtf8(Uint8Array.of(0xe2, 0x82))).toBeNull();
    expect(decodeUtf8(Uint8Array.of(0xc0, 0xaf))).toBeNull(); // overlong "/"
  });
});

describe('payloadPreview', () => {
  it('is empty for an empty payload', () => {
    expect(payloadPreview(new Uint8Array(0))).toBe('');
  });

  it('collapses whitespace runs and trims, so multi-line JSON fits on one line', () => {
    expect(payloadPreview(bytes('  hello \n\t world  \r\n'))).toBe('hello world');
    expect(payloadPreview(bytes('{\n  "a": 1,\n  "b": 2\n}'))).toBe('{ "a": 1, "b": 2 }');
  });

  it('cuts text longer than maxChars with "…", the result being exactly maxChars long', () => {
    const preview = payloadPreview(bytes('x'.repeat(100)), 10);
    expect(preview).toBe(`${'x'.repeat(9)}…`);
    expect(preview).toHaveLength(10);
    expect(payloadPreview(bytes('0123456789'), 10)).toBe('0123456789');
    expect(payloadPreview(bytes('0123456789A'), 10)).toBe('012345678…');
    // The default is 80 characters.
    expect(payloadPreview(bytes('y'.repeat(200)))).toBe(`${'y'.repeat(79)}…`);
  });

  it('previews binary as the size and the first 16 bytes in hex', () => {
    expect(payloadPreview(Uint8Array.of(1, 2, 0xab))).toBe('3 bytes: 01 02 ab');
    expect(payloadPreview(range(0, 16))).toBe('16 bytes: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f');
    expect(payloadPreview(range(0, 20))).toBe('20 bytes: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f …');
    expect(payloadPreview(bytes('ok\u0000'))).toBe('3 bytes: 6f 6b 00');
  });

  it('previews a payload with invalid bytes at its end as binary, as the details view shows it', () => {
    const data = Uint8Array.of(...bytes('hello'), 0xff);
    expect(viewPayload(data).kind).toBe('binary');
    expect(payloadPreview(data)).toBe('6 bytes: 68 65 6c 6c 6f ff');
    expect(payloadPreview(Uint8Array.of(0xff))).toMatch(/^1 bytes?: ff$/);
  });

  it('reports the full size of a large binary payload', () => {
    const big = new Uint8Array(100_000).fill(0xff);
    expect(payloadPreview(big)).toBe(`100000 bytes: ${'ff '.repeat(16).trim()} …`);
  });

  it.each([0, 1, 2, 3])(
    'still previews as text when a 3-byte character is cut at the decoding boundary (ASCII prefix of %i)',
    (prefixLength) => {
      const prefix = 'abc'.slice(0, prefixLength);
      const payload = bytes(prefix + '€'.repeat(200)); // far more than 80 characters' worth of bytes
      const preview = payloadPreview(payload, 80);
      expect(preview).toBe(`${prefix}${'€'.repeat(79 - prefixLength)}…`);
    },
  );

  it.each([0, 1, 2, 3])(
    'still previews as text when a 4-byte character is cut at the decoding boundary (ASCII prefix of %i)',
    (prefixLength) => {
      const prefix = 'abc'.slice(0, prefixLength);
      const payload = bytes(prefix + '😀'.repeat(200));
      const preview = payloadPreview(payload, 80);
      expect(preview).not.toMatch(/^\d+ bytes:/);
      expect(preview.startsWith(`${prefix}😀😀😀`)).toBe(true);
      expect(preview.endsWith('…')).toBe(true);
    },
  );

  it('does not cut a character made of two UTF-16 units in half before the "…"', () => {
    for (const prefix of ['', 'a']) {
      const preview = payloadPreview(bytes(prefix + '😀'.repeat(50)), 10);
      expect(hasLoneSurrogate(preview), JSON.stringify(preview)).toBe(false);
      expect(preview.endsWith('…')).toBe(true);
      expect(preview.length).toBeLessThanOrEqual(10);
    }
  });
});

describe('hexDump', () => {
  it('prints offset, 16 hex bytes and the printable ASCII per line', () => {
    const data = bytes('Hello, world! 0123');
    const lines = hexDump(data).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('00000000  48 65 6c 6c 6f 2c 20 77 6f 72 6c 64 21 20 30 31  Hello, world! 01');
    // A short last line keeps the ASCII column aligned with the lines above.
    const last = lines[1]!;
    expect(last.startsWith('00000010  32 33 ')).toBe(true);
    expect(last.indexOf('23', 15)).toBe(lines[0]!.indexOf('Hello'));
    expect(last.slice(15, last.indexOf('23', 15)).trim()).toBe('');
  });

  it('shows non-printable bytes as "." in the ASCII column', () => {
    const line = hexDump(Uint8Array.of(0x00, 0x1f, 0x20, 0x41, 0x7e, 0x7f, 0x80, 0xff));
    expect(line).toBe(`00000000  00 1f 20 41 7e 7f 80 ff${' '.repeat(24)}  .. A~...`);
  });

  it('numbers lines by byte offset in hex', () => {
    const lines = hexDump(new Uint8Array(300)).split('\n');
    expect(lines).toHaveLength(19);
    expect(lines.map((l) => l.slice(0, 8))).toEqual(Array.from({ length: 19 }, (_, i) => (i * 16).toString(16).padStart(8, '0')));
    expect(lines[16]!.startsWith('00000100  ')).toBe(true);
  });

  it('stops at maxBytes and says how many bytes are left', () => {
    const lines = hexDump(range(0, 40), 32).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]!.startsWith('00000010  10 11')).toBe(true);
    expect(lines[2]).toBe('… 8 more bytes');
    // Exactly maxBytes: no extra line.
    expect(hexDump(range(0, 32), 32).split('\n')).toHaveLength(2);
    // Default limit is 4 KiB.
    const big = hexDump(new Uint8Array(5_000)).split('\n');
    expect(big).toHaveLength(4_096 / 16 + 1);
    expect(big.at(-1)).toBe('… 904 more bytes');
  });

  it('is empty for no bytes', () => {
    expect(hexDump(new Uint8Array(0))).toBe('');
  });
});

describe('payloadTypeHint', () => {
  it('tells JSON, numbers, text, binary and empty payloads apart, as a row shows them', () => {
    expect(payloadTypeHint(bytes('{"celsius":21.5}'))).toBe('JSON');
    expect(payloadTypeHint(bytes(' [1, 2]\n'))).toBe('JSON');
    expect(payloadTypeHint(bytes('21.5'))).toBe('number');
    expect(payloadTypeHint(bytes('-3'))).toBe('number');
    expect(payloadTypeHint(bytes('1e-3 '))).toBe('number');
    expect(payloadTypeHint(bytes('on'))).toBe('text');
    expect(payloadTypeHint(bytes('12 V'))).toBe('text');
    expect(payloadTypeHint(bytes('{not json}'))).toBe('text');
    expect(payloadTypeHint(bytes('héllo wörld'))).toBe('text');
    expect(payloadTypeHint(Uint8Array.of(0x00, 0x01, 0xff))).toBe('binary');
    expect(payloadTypeHint(bytes('ok\u0000'))).toBe('binary');
    expect(payloadTypeHint(new Uint8Array(0))).toBe('empty');
  });

  it('judges a large payload by its head and its last byte, without parsing it', () => {
    const big = JSON.stringify(Array.from({ length: 2_000 }, (_, i) => ({ i })));
    expect(big.length).toBeGreaterThan(4_096);
    expect(payloadTypeHint(bytes(`${big}\n`))).toBe('JSON');
    expect(payloadTypeHint(bytes(big.slice(0, -1)))).toBe('text');
    expect(payloadTypeHint(bytes('x'.repeat(10_000)))).toBe('text');
    const binary = new Uint8Array(10_000);
    binary[0] = 0x7b;
    expect(payloadTypeHint(binary)).toBe('binary');
  });
});
