/** The publish form's formats: the bytes each one sends, and the reason it refuses text. */
import { describe, expect, it } from 'vitest';
import { decode as decodeCbor } from 'cbor-x';
import { unpack } from 'msgpackr';
import { byteSizeText, encodePayload, hexToBytes, parseJson, prettyJson } from '../../shared/publish/payload-encoding';

const bytesOf = (text: string, format: Parameters<typeof encodePayload>[1]): number[] => {
  const encoded = encodePayload(text, format);
  if (!encoded.ok) throw new Error(encoded.problem);
  return [...encoded.bytes];
};

describe('payload formats', () => {
  it('Text and JSON send the UTF-8 of what was typed, exactly', () => {
    expect(bytesOf('é ok', 'text')).toEqual([0xc3, 0xa9, 0x20, 0x6f, 0x6b]);
    expect(bytesOf('{ "a": 1 }', 'json')).toEqual([...Buffer.from('{ "a": 1 }')]);
  });

  it('Hex ignores spaces and line breaks, in either case', () => {
    expect(bytesOf('de AD\n be\tef 00', 'hex')).toEqual([0xde, 0xad, 0xbe, 0xef, 0x00]);
    expect(bytesOf('', 'hex')).toEqual([]);
  });

  it('Hex refuses an odd number of digits and a character that is not hex, saying which', () => {
    expect(hexToBytes('abc')).toEqual({ ok: false, problem: 'Not hex: 3 digits is an odd number; each byte takes two.' });
    expect(hexToBytes('0g')).toEqual({ ok: false, problem: 'Not hex: "g" is not a hex digit (0-9, a-f).' });
  });

  it('Base64 sends the bytes it spells and refuses what is not Base64', () => {
    expect(bytesOf('AAH+/w==', 'base64')).toEqual([0, 1, 0xfe, 0xff]);
    expect(encodePayload('ab$c', 'base64')).toEqual({ ok: false, problem: 'Not Base64: "$" (character 3) is not a base64 character.' });
  });

  it('CBOR and MessagePack are encoded from JSON and decode back to it with cbor-x and msgpackr', () => {
    const json = '{"temp": 21.5, "ok": true, "tags": ["a", "b"], "n": null, "count": 3}';
    const cbor = encodePayload(json, 'cbor');
    const msgpack = encodePayload(json, 'msgpack');
    if (!cbor.ok || !msgpack.ok) throw new Error('not encoded');
    expect(decodeCbor(cbor.bytes)).toEqual(JSON.parse(json));
    expect(unpack(msgpack.bytes)).toEqual(JSON.parse(json));
    // Maps, not records, with the shortest header: a CBOR map of five entries, a MessagePack fixmap of five.
    expect(cbor.bytes[0]).toBe(0xa5);
    expect(msgpack.bytes[0]).toBe(0x85);
  });

  it('CBOR and MessagePack refuse text that is not JSON, with the JSON reason', () => {
    const result = encodePayload('{"a": }', 'cbor');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toMatch(/^Not valid JSON: .* \(line 1, column 7\)\. CBOR is encoded from JSON\.$/);
  });
});

describe('JSON validation', () => {
  it('says where the JSON breaks, by line and column', () => {
    const parsed = parseJson('{\n  "a": 1,\n}');
    expect(parsed).toMatchObject({ ok: false, line: 3, column: 1 });
    expect(!parsed.ok && parsed.problem).toMatch(/^Not valid JSON: .+ \(line 3, column 1\)\.$/);
  });

  it('finds an unexpected token too, and an unfinished value where it starts', () => {
    expect(parseJson('[1, x]')).toMatchObject({ ok: false, line: 1, column: 5 });
    expect(parseJson('{"a": tru')).toMatchObject({ ok: false, line: 1, column: 7 });
    expect(parseJson('')).toMatchObject({ ok: false, problem: 'Not valid JSON: the text is empty (line 1, column 1).' });
  });

  it('pretty-prints valid JSON with two spaces, and leaves invalid JSON alone', () => {
    expect(prettyJson('{"a":[1,2],"b":{}}')).toBe('{\n  "a": [\n    1,\n    2\n  ],\n  "b": {}\n}');
    expect(prettyJson('{"a":')).toBeNull();
  });
});

describe('byte size', () => {
  it('shows exact bytes, and binary units from 1 KiB', () => {
    expect(byteSizeText(0)).toBe('0 bytes');
    expect(byteSizeText(1)).toBe('1 byte');
    expect(byteSizeText(12)).toBe('12 bytes');
    expect(byteSizeText(1_234)).toBe('1,234 bytes (1.2 KiB)');
    expect(byteSizeText(1_048_576)).toBe('1,048,576 bytes (1.0 MiB)');
  });
});
