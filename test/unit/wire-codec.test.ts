import { describe, expect, it } from 'vitest';
import { FrameError, decodeFrame, encodeFrame } from '../../shared/wire-codec';

const encoder = new TextEncoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);

/** A frame built by hand: [u32 LE header length][header text][trailing bytes]. */
function rawFrame(header: string, trailing: Uint8Array = new Uint8Array(0), declaredLength?: number): Uint8Array {
  const headerBytes = bytes(header);
  const frame = new Uint8Array(4 + headerBytes.byteLength + trailing.byteLength);
  new DataView(frame.buffer).setUint32(0, declaredLength ?? headerBytes.byteLength, true);
  frame.set(headerBytes, 4);
  frame.set(trailing, 4 + headerBytes.byteLength);
  return frame;
}

/** A frame with a well-formed header carrying `json` and blob sizes `sizes`. */
function frameWith(json: string, sizes: unknown[], trailing: Uint8Array = new Uint8Array(0)): Uint8Array {
  return rawFrame(JSON.stringify({ j: json, s: sizes }), trailing);
}

function roundTrip(value: unknown): unknown {
  return decodeFrame(encodeFrame(value));
}

/** Reads a property path from decoded data, failing clearly when a step is missing. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') throw new Error(`no ${String(key)} in ${JSON.stringify(current)}`);
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function expectBytes(value: unknown, expected: number[]): void {
  expect(value).toBeInstanceOf(Uint8Array);
  expect(Array.from(value as Uint8Array)).toEqual(expected);
}

describe('wire codec round trip', () => {
  it('restores nested values with several byte arrays, empty ones and views included', () => {
    const backing = Uint8Array.from({ length: 64 }, (_, i) => i);
    const view = backing.subarray(10, 14); // non-zero byteOffset into a larger buffer
    expect(view.byteOffset).toBe(10);
    const value = {
      kind: 'event',
      name: 'messages:batch',
      payload: {
        connectionId: 'conn-1',
        messages: [
          {
            topic: 'sensors/1',
            payload: bytes('21.5'),
            properties: { correlationData: Uint8Array.of(0, 255, 7), contentType: 'text/plain' },
            retain: true,
            qos: 2,
          },
          { topic: 'empty', payload: new Uint8Array(0), retain: false, qos: 0 },
          { topic: 'view', payload: view, extra: null },
        ],
        nested: [[new Uint8Array(0), Uint8Array.of(1)], { deeper: { blob: Uint8Array.of(9, 8) } }],
        coalesced: 3,
        text: 'température 日本 😀',
      },
    };

    const decoded = roundTrip(value);

    expectBytes(at(decoded, 'payload', 'messages', 0, 'payload'), [0x32, 0x31, 0x2e, 0x35]);
    expectBytes(at(decoded, 'payload', 'messages', 0, 'properties', 'correlationData'), [0, 255, 7]);
    expectBytes(at(decoded, 'payload', 'messages', 1, 'payload'), []);
    expectBytes(at(decoded, 'payload', 'messages', 2, 'payload'), [10, 11, 12, 13]);
    expectBytes(at(decoded, 'payload', 'nested', 0, 0), []);
    expectBytes(at(decoded, 'payload', 'nested', 0, 1), [1]);
    expectBytes(at(decoded, 'payload', 'nested', 1, 'deeper', 'blob'), [9, 8]);
    expect(at(decoded, 'payload', 'messages', 0, 'properties', 'contentType')).toBe('text/plain');
    expect(at(decoded, 'payload', 'messages', 0, 'retain')).toBe(true);
    expect(at(decoded, 'payload', 'messages', 2, 'extra')).toBeNull();
    expect(at(decoded, 'payload', 'coalesced')).toBe(3);
    expect(at(decoded, 'payload', 'text')).toBe('température 日本 😀');
    // Structurally identical to the input apart from byte arrays being views.
    expect(JSON.stringify(decoded, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v))).toBe(
      JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v)),
    );
  });

  it('sends the byte arrays raw after the header, not as text', () => {
    const big = new Uint8Array(10_000).fill(0xab);
    const frame = encodeFrame({ payload: big });
    // Raw bytes: the frame is barely larger than the payload (base64 or JSON numbers would be 1.3x-4x).
    expect(frame.byteLength).toBeLessThan(10_000 + 100);
    expectBytes(at(decodeFrame(frame), 'payload'), Array.from(big));
  });

  it('restores a byte array given as the whole value', () => {
    expectBytes(roundTrip(Uint8Array.of(5, 6, 7)), [5, 6, 7]);
  });

  it('keeps plain values without byte arrays unchanged', () => {
    for (const value of [null, 0, 'text', true, [], {}, { a: [1, 'b', null, { c: false }] }]) {
      expect(roundTrip(value)).toEqual(value);
    }
  });

  it('keeps user properties named "$b" (or like the marker) as they are', () => {
    const value = {
      userProperties: { $b: '0', b: '1', '\\u0000b': 'escaped text', list: ['$b', 'x'] },
      lookalike: { $b: 0 },
      markerText: '\u0000b',
    };
    expect(roundTrip(value)).toEqual(value);
  });

  it('decodes a frame that sits at an offset inside a larger buffer (as Node socket buffers do)', () => {
    const frame = encodeFrame({ topic: 't', payload: bytes('abc'), more: Uint8Array.of(1, 2) });
    const pool = new Uint8Array(frame.byteLength + 23).fill(0xee);
    pool.set(frame, 17);
    const decoded = decodeFrame(pool.subarray(17, 17 + frame.byteLength));
    expect(at(decoded, 'topic')).toBe('t');
    expectBytes(at(decoded, 'payload'), [0x61, 0x62, 0x63]);
    expectBytes(at(decoded, 'more'), [1, 2]);
  });
});

describe('wire codec refuses malformed frames with FrameError', () => {
  const cases: Array<[name: string, frame: Uint8Array]> = [
    ['an empty frame', new Uint8Array(0)],
    ['a frame shorter than the length prefix', Uint8Array.of(1, 0, 0)],
    ['a header length beyond the frame', rawFrame('{"j":"1","s":[]}', new Uint8Array(0), 100)],
    ['a huge header length', rawFrame('{"j":"1","s":[]}', new Uint8Array(0), 0xffff_ffff)],
    ['a header that is not JSON', rawFrame('not json')],
    ['a header cut in the middle of its JSON', rawFrame('{"j":"1"')],
    ['a header with invalid UTF-8', (() => {
      const f = rawFrame('{"j":"1","s":[]}');
      f[6] = 0xff;
      return f;
    })()],
    ['a header that is null', rawFrame('null')],
    ['a header that is an array', rawFrame('[]')],
    ['a header without "s"', rawFrame('{"j":"1"}')],
    ['a header whose "j" is not a string', rawFrame('{"j":1,"s":[]}')],
    ['a header whose "s" is not an array', rawFrame('{"j":"1","s":{"0":1}}')],
    ['a negative blob size', frameWith('1', [-1])],
    ['a fractional blob size', frameWith('1', [1.5], Uint8Array.of(1, 2))],
    ['a blob size given as text', frameWith('1', ['1'], Uint8Array.of(1))],
    ['blob sizes beyond the frame', frameWith('{"\\u0000b":0}', [10], Uint8Array.of(1, 2, 3))],
    ['blob sizes that together exceed the frame', frameWith('1', [2, 2], Uint8Array.of(1, 2, 3))],
    ['a marker index out of range', frameWith('{"\\u0000b":1}', [1], Uint8Array.of(1))],
    ['a marker without any blob', frameWith('{"p":{"\\u0000b":0}}', [])],
    ['a negative marker index', frameWith('{"\\u0000b":-1}', [1], Uint8Array.of(1))],
    ['a fractional marker index', frameWith('{"\\u0000b":0.5}', [1], Uint8Array.of(1))],
    ['a body that is not JSON', frameWith('{', [])],
  ];

  it.each(cases)('%s', (_name, frame) => {
    let thrown: unknown;
    try {
      decodeFrame(frame);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FrameError);
    expect((thrown as FrameError).message).not.toBe('');
  });

  it('accepts the smallest well-formed frame built by hand', () => {
    expect(decodeFrame(frameWith('"ok"', []))).toBe('ok');
    expectBytes(decodeFrame(frameWith('{"\\u0000b":0}', [2], Uint8Array.of(7, 8))), [7, 8]);
  });
});
