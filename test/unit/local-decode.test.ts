import { describe, expect, it } from 'vitest';
import { base64ToBytes, decodeLocally, isLocalDecoder } from '../../shared/inspect/decode/local-decode';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('decodeLocally', () => {
  it('auto: JSON objects and arrays as structured values, other text as text, the rest as bytes', () => {
    expect(decodeLocally('auto', utf8('{"temperature": 21.5, "tags": ["a"]}'))).toEqual({ kind: 'structured', format: 'JSON', value: { temperature: 21.5, tags: ['a'] } });
    expect(decodeLocally('auto', utf8('21.5'))).toEqual({ kind: 'text', format: 'Text', text: '21.5' });
    expect(decodeLocally('auto', utf8('{not json'))).toEqual({ kind: 'text', format: 'Text', text: '{not json' });
    expect(decodeLocally('auto', Uint8Array.of(0, 1, 2, 0xff))).toEqual({ kind: 'bytes', format: 'Bytes' });
    expect(decodeLocally('auto', new Uint8Array())).toEqual({ kind: 'text', format: 'Empty', text: '' });
  });

  it('auto keeps a "__proto__" key as data', () => {
    const result = decodeLocally('auto', utf8('{"__proto__": {"polluted": true}}'));
    expect(result.kind === 'structured' && Object.keys(result.value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('json: parses or says why not', () => {
    expect(decodeLocally('json', utf8('[1, 2]'))).toEqual({ kind: 'structured', format: 'JSON', value: [1, 2] });
    expect(decodeLocally('json', utf8('42'))).toEqual({ kind: 'structured', format: 'JSON', value: 42 });
    const broken = decodeLocally('json', utf8('{"a": }'));
    expect(broken.kind === 'error' && broken.message).toMatch(/^Not JSON: /);
    expect(decodeLocally('json', Uint8Array.of(0xff))).toEqual({ kind: 'error', format: 'JSON', message: 'Not JSON: the payload is not valid UTF-8 text.' });
  });

  it('text: UTF-8 as is, or an error for bytes that are not', () => {
    expect(decodeLocally('text', utf8('héllo\n'))).toEqual({ kind: 'text', format: 'Text', text: 'héllo\n' });
    expect(decodeLocally('text', Uint8Array.of(0xc3, 0x28))).toEqual({ kind: 'error', format: 'Text', message: 'Not UTF-8 text: some bytes are not valid UTF-8.' });
  });

  it('raw: bytes whatever they hold', () => {
    expect(decodeLocally('raw', utf8('{"a":1}'))).toEqual({ kind: 'bytes', format: 'Bytes' });
  });

  it('base64: to text when the bytes are text, else to the bytes', () => {
    expect(decodeLocally('base64', utf8(Buffer.from('{"a":1}').toString('base64')))).toEqual({ kind: 'text', format: 'Base64 → text', text: '{"a":1}' });
    expect(decodeLocally('base64', utf8(Buffer.from([0, 1, 0xfe, 0xff]).toString('base64url')))).toEqual({ kind: 'bytes', format: 'Base64 → bytes', bytes: Uint8Array.of(0, 1, 0xfe, 0xff) });
    expect(decodeLocally('base64', utf8('aGVs\r\nbG8='))).toEqual({ kind: 'text', format: 'Base64 → text', text: 'hello' });
  });

  it.each([
    ['a*bc', 'Not base64: "*" (character 2) is not a base64 character.'],
    ['ab=c', 'Not base64: "=" appears before the end.'],
    ['abcde', 'Not base64: 5 characters cannot be base64 (one too many for whole bytes).'],
  ])('base64: refuses %j', (text, message) => {
    expect(decodeLocally('base64', utf8(text))).toEqual({ kind: 'error', format: 'Base64', message });
  });

  it('names an outer layer in the format', () => {
    expect(decodeLocally('json', utf8('{}'), 'gzip → ').format).toBe('gzip → JSON');
  });

  it('refuses JSON nested deeper than the viewer shows, and auto shows it as text', () => {
    const deep = `${'['.repeat(40)}${']'.repeat(40)}`;
    expect(decodeLocally('json', utf8(deep))).toEqual({ kind: 'error', format: 'JSON', message: 'The decoded value is nested deeper than 32 levels, more than Topicscope shows.' });
    expect(decodeLocally('auto', utf8(deep))).toEqual({ kind: 'text', format: 'Text', text: deep });
  });
});

describe('isLocalDecoder', () => {
  it('is true only for what the renderer can run under its CSP', () => {
    expect(['auto', 'json', 'text', 'raw', 'base64'].every((kind) => isLocalDecoder(kind as never))).toBe(true);
    expect(['sparkplug', 'protobuf', 'cbor', 'msgpack', 'gzip', 'deflate'].some((kind) => isLocalDecoder(kind as never))).toBe(false);
  });
});

describe('base64ToBytes', () => {
  it('accepts missing padding', () => {
    expect(base64ToBytes('aGk')).toEqual(utf8('hi'));
  });
});
