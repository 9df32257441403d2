import { describe, expect, it } from 'vitest';
import { CLIENT_ID_PREFIX, clientIdProblem, randomClientId } from '../../shared/mqtt/client-id';

const FORMAT = /^topicscope_[0-9a-f]{8}$/;

function fixedBytes(...values: number[]): (bytes: Uint8Array) => void {
  return (bytes) => {
    bytes.set(values.slice(0, bytes.length));
  };
}

describe('randomClientId', () => {
  it('has the form topicscope_ + 8 lowercase hex characters', () => {
    expect(CLIENT_ID_PREFIX).toBe('topicscope_');
    for (let i = 0; i < 50; i++) expect(randomClientId()).toMatch(FORMAT);
  });

  it('is deterministic with an injected random source', () => {
    expect(randomClientId(fixedBytes(0xde, 0xad, 0xbe, 0xef))).toBe('topicscope_deadbeef');
    expect(randomClientId(fixedBytes(0xde, 0xad, 0xbe, 0xef))).toBe('topicscope_deadbeef');
  });

  it('pads each byte to two hex digits, so small bytes keep the length', () => {
    expect(randomClientId(fixedBytes(0, 0, 0, 0))).toBe('topicscope_00000000');
    expect(randomClientId(fixedBytes(0x01, 0x0a, 0x10, 0xff))).toBe('topicscope_010a10ff');
  });

  it('asks the random source for exactly 4 bytes', () => {
    const lengths: number[] = [];
    randomClientId((bytes) => {
      lengths.push(bytes.length);
    });
    expect(lengths).toEqual([4]);
  });

  it('gives a different ID on each call with the real random source', () => {
    const a = randomClientId();
    const b = randomClientId();
    expect(a).toMatch(FORMAT);
    expect(b).toMatch(FORMAT);
    expect(a).not.toBe(b);
  });
});

describe('clientIdProblem', () => {
  it('refuses an empty client ID without a clean session, telling how to fix it', () => {
    expect(clientIdProblem('', false)).toMatch(/empty client ID needs a clean session/);
  });

  it('accepts an empty client ID with a clean session (the broker assigns one)', () => {
    expect(clientIdProblem('', true)).toBeNull();
  });

  it('accepts an ordinary ID with and without clean session', () => {
    expect(clientIdProblem('topicscope_deadbeef', false)).toBeNull();
    expect(clientIdProblem('topicscope_deadbeef', true)).toBeNull();
  });

  it('refuses a NUL character, saying where', () => {
    expect(clientIdProblem('a\u0000b', true)).toBe('The client ID contains an invisible control character (U+0000) at position 2: retype it.');
  });

  it.each([
    ['a control character', 'sensor\u0001', 'invisible control character (U+0001) at position 7'],
    ['a bidi override', 'ops-\u202Eclient', 'invisible text-direction character (U+202E) at position 5'],
    ['a zero-width space', 'client\u200B1', 'invisible zero-width character (U+200B) at position 7'],
  ])('refuses %s, which would make the ID in broker logs and ACLs differ from what is shown', (_, id, expected) => {
    expect(clientIdProblem(id, true)).toContain(expected);
  });

  it('accepts non-ASCII letters', () => {
    expect(clientIdProblem('capteur-température-été', true)).toBeNull();
  });

  it('refuses more than 65,535 UTF-8 bytes, counting bytes not characters', () => {
    expect(clientIdProblem('x'.repeat(65_535), true)).toBeNull();
    expect(clientIdProblem('x'.repeat(65_536), true)).toMatch(/65,535 bytes/);
    expect(clientIdProblem('€'.repeat(21_846), true)).toMatch(/65,535 bytes/);
  });
});
