import { describe, expect, it } from 'vitest';
import { commandSchemas } from '../../shared/ipc/ipc-contract';
import type { MessageBatch } from '../../shared/mqtt/mqtt-message';
import { packBatch, RECORD_BYTES, type PackedBatch } from '../../shared/ipc/batch-packing';
import { FrameError, MAX_DEPTH, MAX_FRAME_BYTES, decodeFrame, encodeFrame, type WireMessage } from '../../shared/ipc/wire-codec';
import { seededRandom } from '../support/seeded-random';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const hex = (text: string): Uint8Array => Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16));

function roundTrip(value: WireMessage): unknown {
  return decodeFrame(encodeFrame(value));
}

/** An object with own data properties, `__proto__` included (a literal would set the prototype). */
function plainObject(entries: [string, unknown][]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

/**
 * Exact equality, stricter than toEqual: same own keys (an undefined field is not a
 * missing one), byte arrays are plain Uint8Array with the same bytes, objects have
 * Object.prototype, numbers compare with Object.is.
 */
function differences(actual: unknown, expected: unknown, path = '$'): string[] {
  if (expected instanceof Uint8Array) {
    if (!(actual instanceof Uint8Array) || Object.getPrototypeOf(actual) !== Uint8Array.prototype) return [`${path}: not a plain Uint8Array`];
    return actual.byteLength === expected.byteLength && actual.every((b, i) => b === expected[i]) ? [] : [`${path}: other bytes`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${path}: not an array of ${expected.length}`];
    return expected.flatMap((item, i) => differences(actual[i], item, `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: not an object`];
    if (Object.getPrototypeOf(actual) !== Object.prototype) return [`${path}: prototype is not Object.prototype`];
    const keys = Object.keys(expected);
    const actualKeys = Object.keys(actual);
    if (keys.length !== actualKeys.length || keys.some((k) => !Object.hasOwn(actual, k))) {
      return [`${path}: keys ${JSON.stringify(actualKeys)} instead of ${JSON.stringify(keys)}`];
    }
    return keys.flatMap((k) => differences((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return Object.is(actual, expected) ? [] : [`${path}: ${String(actual)} instead of ${String(expected)}`];
}

function expectExactly(actual: unknown, expected: unknown): void {
  expect(differences(actual, expected)).toEqual([]);
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

function expectFrameError(action: () => unknown, message?: RegExp): void {
  const error = thrownBy(action);
  expect(error).toBeInstanceOf(FrameError);
  expect((error as Error).message).not.toBe('');
  if (message) expect((error as Error).message).toMatch(message);
}

function batchEvent(batch: MessageBatch): WireMessage {
  return { kind: 'event', name: 'messages:batch', payload: batch };
}

const sampleBatch = (): MessageBatch => ({
  connectionId: 'conn-1',
  messages: [
    {
      topic: 'sensors/1/temperature',
      payload: bytes('21.5'),
      payloadSize: 4,
      qos: 1,
      retain: true,
      receivedAt: 1_790_000_000_123,
      coalesced: 0,
      properties: {
        payloadFormatIndicator: true,
        messageExpiryInterval: 3600,
        contentType: 'text/plain',
        responseTopic: 'replies/1',
        correlationData: Uint8Array.of(0, 255, 7),
        userProperties: { site: 'plant 7', tags: ['a', 'b'], 'température 日本 😀': 'ok' },
        subscriptionIdentifier: [1, 268_435_455],
      },
    },
    { topic: 'empty', payload: new Uint8Array(0), payloadSize: 0, qos: 0, retain: false, receivedAt: 1, coalesced: 3 },
  ],
  coalesced: 3,
  truncated: 0,
  seq: 42,
  rendererBehind: false,
});

describe('wire codec round trips every contract shape', () => {
  it('a messages:batch event with payload bytes and MQTT 5 properties', () => {
    const event = batchEvent(sampleBatch());
    expectExactly(roundTrip(event), event);
  });

  it('commands, with bytes and with fields left undefined', () => {
    const commands: WireMessage[] = [
      { kind: 'command', id: 1, name: 'message:publish', args: { connectionId: 'c', topic: 't', payload: Uint8Array.of(0, 1, 2), qos: 2, retain: false } },
      { kind: 'command', id: 2, name: 'message:publish', args: { connectionId: 'c', topic: 't', payload: 'text', qos: 0, retain: true } },
      { kind: 'command', id: 3, name: 'profile:export', args: { ids: undefined, includeSecrets: undefined } },
      { kind: 'command', id: 4, name: 'connection:attach', args: undefined },
      { kind: 'command', id: 5, name: 'app:info', args: {} },
    ];
    for (const command of commands) expectExactly(roundTrip(command), command);
  });

  it('leaves arguments the schemas accept as they were: bytes stay bytes, undefined fields take defaults', () => {
    const publish = roundTrip({
      kind: 'command',
      id: 1,
      name: 'message:publish',
      args: { connectionId: 'c', topic: 't', payload: Uint8Array.of(9, 8), qos: 1, retain: false },
    }) as { args: unknown };
    const parsed = commandSchemas['message:publish'].parse(publish.args);
    expect(parsed.payload).toBeInstanceOf(Uint8Array);
    expectExactly(parsed.payload, Uint8Array.of(9, 8));

    const exported = roundTrip({ kind: 'command', id: 2, name: 'profile:export', args: { ids: undefined, includeSecrets: undefined } }) as { args: unknown };
    expect(commandSchemas['profile:export'].parse(exported.args)).toEqual({ ids: [], includeSecrets: false });
  });

  it('results, ok and error (with a reason code), and a result whose value is undefined', () => {
    const results: WireMessage[] = [
      { kind: 'result', id: 7, result: { ok: true, value: { sessionPresent: false } } },
      { kind: 'result', id: 8, result: { ok: false, error: { code: 'NOT_AUTHORIZED', message: 'Connection refused: Not authorized', reasonCode: 135 } } },
      { kind: 'result', id: 9, result: { ok: true, value: undefined } },
      { kind: 'result', id: 10, result: { ok: true, value: { fileName: 'x.json', count: 2, savedTo: null, json: '{"a":1}' } } },
    ];
    for (const result of results) expectExactly(roundTrip(result), result);
  });

  it('status and log events', () => {
    const events: WireMessage[] = [
      { kind: 'event', name: 'connection:status', payload: { connectionId: 'c', status: { state: 'reconnecting', attempt: 3, nextRetryMs: 2000 } } },
      { kind: 'event', name: 'connection:log', payload: { connectionId: 'c', entry: { at: 1, level: 'error', text: 'ECONNRESET' } } },
    ];
    for (const event of events) expectExactly(roundTrip(event), event);
  });

  it('numbers of every kind the contract uses, and ones it might', () => {
    const numbers = [0, 1, -1, 23, 24, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, Date.now(), -(2 ** 40), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 64, 0.1, -1.5, 1e300, NaN, Infinity, -Infinity];
    const event: WireMessage = { kind: 'event', name: 'n', payload: numbers };
    expectExactly(roundTrip(event), event);
  });

  it('decodes byte arrays as plain Uint8Array, also from a Node Buffer, also at an offset in a larger buffer', () => {
    const event: WireMessage = { kind: 'event', name: 'b', payload: { buffer: Buffer.from('abc'), view: Uint8Array.from({ length: 64 }, (_, i) => i).subarray(10, 14) } };
    const frame = encodeFrame(event);
    const pool = new Uint8Array(frame.byteLength + 23).fill(0xee);
    pool.set(frame, 17);
    const decoded = decodeFrame(pool.subarray(17, 17 + frame.byteLength)) as { payload: { buffer: Uint8Array; view: Uint8Array } };
    expectExactly(decoded.payload.buffer, bytes('abc'));
    expectExactly(decoded.payload.view, Uint8Array.of(10, 11, 12, 13));
    expect(Buffer.isBuffer(decoded.payload.buffer)).toBe(false);
  });

  it('sends byte arrays raw, not as text', () => {
    const big = new Uint8Array(10_000).fill(0xab);
    const frame = encodeFrame({ kind: 'event', name: 'b', payload: big });
    expect(frame.byteLength).toBeLessThan(10_000 + 64);
    expectExactly((decodeFrame(frame) as { payload: unknown }).payload, big);
  });

  it('turns a lone UTF-16 surrogate, which UTF-8 cannot carry, into U+FFFD (as TextEncoder does)', () => {
    for (const text of ['a\uD800b', 'x'.repeat(100) + '\uDC00', '\uD83D']) {
      const decoded = roundTrip({ kind: 'event', name: 's', payload: { [text]: text } }) as { payload: Record<string, string> };
      const expected = new TextDecoder().decode(bytes(text));
      expect(decoded.payload).toEqual({ [expected]: expected });
    }
    expect(roundTrip({ kind: 'event', name: 's', payload: '😀 \uD83D\uDE00' })).toEqual({ kind: 'event', name: 's', payload: '😀 😀' });
  });
});

describe('data the broker controls stays data', () => {
  it('a user property named like the old byte-array marker stays a user property, and the payloads stay payloads', () => {
    const batch = sampleBatch();
    batch.messages[0]!.properties!.userProperties = { '\u0000b': '0' };
    batch.messages[1]!.properties = { userProperties: { '\u0000b': '5', $b: '1', '\\u0000b': 'text' } };
    const event = batchEvent(batch);
    // The JSON codec showed the first payload as these properties, or threw on the whole batch.
    expectExactly(roundTrip(event), event);
    const frame = encodeFrame({ kind: 'event', name: 'x', payload: { '\u0000b': 0 } });
    expectExactly(decodeFrame(frame), { kind: 'event', name: 'x', payload: { '\u0000b': 0 } });
  });

  it('keys like __proto__, constructor and prototype are own data properties; no prototype is set or polluted', () => {
    const properties = plainObject([
      ['__proto__', 'polluted?'],
      ['constructor', 'c'],
      ['prototype', { isAdmin: true }],
      ['toString', 'x'],
      ['hasOwnProperty', 'y'],
    ]);
    const nested = plainObject([['__proto__', plainObject([['isAdmin', true]])]]);
    const event: WireMessage = { kind: 'event', name: 'p', payload: { userProperties: properties, nested, list: [nested] } };
    const decoded = roundTrip(event) as { payload: { userProperties: Record<string, unknown>; nested: Record<string, unknown> } };
    expectExactly(decoded, event);
    expect(Object.getOwnPropertyDescriptor(decoded.payload.userProperties, '__proto__')?.value).toBe('polluted?');
    expect(Object.getPrototypeOf(decoded.payload.nested)).toBe(Object.prototype);
    expect((decoded.payload.nested as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('isAdmin');
  });

  it('a __proto__ key written with a longer length header than needed is still kept as data', () => {
    // {kind: "event", name: "p", payload: {"__proto__" (as text with a 1-byte length): 1}}
    const frame = hex('a3646b696e64656576656e74646e616d656170677061796c6f6164a1' + '7809' + '5f5f70726f746f5f5f' + '01');
    const decoded = decodeFrame(frame) as { payload: object };
    expect(Object.getOwnPropertyDescriptor(decoded.payload, '__proto__')?.value).toBe(1);
    expect(Object.getPrototypeOf(decoded.payload)).toBe(Object.prototype);
  });
});

describe('a messages:batch event travels packed in columns', () => {
  /** A frame carrying `payload` as a batch event's payload as it is, without packing it (a hostile or broken host). */
  function rawBatchFrame(payload: unknown): Uint8Array {
    // Encoded under a name of the same length, then renamed in place: encodeFrame packs a real batch event.
    const frame = encodeFrame({ kind: 'event', name: 'messages:batcX', payload });
    const at = Buffer.from(frame).indexOf('messages:batcX');
    frame[at + 'messages:batc'.length] = 'h'.charCodeAt(0);
    return frame;
  }

  it('round-trips exactly: cut payloads, empty ones, QoS and retain, large counts, properties on some messages, any text', () => {
    const batch = sampleBatch();
    batch.truncated = 1;
    batch.rendererBehind = true;
    batch.messages.push(
      { topic: 'cut/off', payload: bytes('first bytes'), payloadSize: 268_435_455, qos: 2, retain: true, receivedAt: 1_790_000_000_999.5, coalesced: 2 ** 40 },
      { topic: 'température/日本/😀', payload: Uint8Array.of(0, 255), payloadSize: 2, qos: 0, retain: true, receivedAt: 0, coalesced: 0, properties: { contentType: 'a' } },
      { topic: '', payload: new Uint8Array(0), payloadSize: 0, qos: 2, retain: false, receivedAt: 5, coalesced: 1 },
    );
    const event = batchEvent(batch);
    expectExactly(roundTrip(event), event);
    expectExactly(roundTrip(batchEvent({ ...batch, messages: [] })), batchEvent({ ...batch, messages: [] }));
  });

  it('gives each topic its own lone surrogates as U+FFFD, even where two topics would pair them', () => {
    const batch = sampleBatch();
    batch.messages[0]!.topic = 'ends/high\uD83D';
    batch.messages[1]!.topic = '\uDE00starts/low';
    const decoded = roundTrip(batchEvent(batch)) as { payload: MessageBatch };
    expect(decoded.payload.messages.map((m) => m.topic)).toEqual(['ends/high\uFFFD', '\uFFFDstarts/low']);
  });

  it('costs a few items per batch, not a map per message: 2,000 messages with 64-byte payloads take under 50 bytes each besides payload and topic', () => {
    const messages = Array.from({ length: 2_000 }, (_, i) => ({ ...sampleBatch().messages[1]!, topic: `site/${i}`, payload: new Uint8Array(64), payloadSize: 64 }));
    const frame = encodeFrame(batchEvent({ ...sampleBatch(), messages }));
    const payloadAndTopics = messages.reduce((sum, m) => sum + 64 + m.topic.length, 0);
    expect((frame.byteLength - payloadAndTopics) / messages.length).toBeLessThan(RECORD_BYTES + 10);
    const decoded = decodeFrame(frame) as { payload: MessageBatch };
    expect(decoded.payload.messages).toHaveLength(2_000);
    expect(decoded.payload.messages[1_999]!.topic).toBe('site/1999');
  });

  const packed = (): PackedBatch => packBatch(sampleBatch());
  const withRecord = (change: (view: DataView) => void): PackedBatch => {
    const value = packed();
    change(new DataView(value.records.buffer, value.records.byteOffset, value.records.byteLength));
    return value;
  };
  const hostile: [string, () => unknown][] = [
    ['a batch of per-message maps (not packed)', () => sampleBatch()],
    ['no packing at all', () => 'batch'],
    ['an extra field', () => ({ ...packed(), messages: [] })],
    ['no connection ID', () => ({ ...packed(), connectionId: 7 })],
    ['a negative sequence number', () => ({ ...packed(), seq: -1 })],
    ['a fractional count', () => ({ ...packed(), coalesced: 1.5 })],
    ['no rendererBehind', () => ({ ...packed(), rendererBehind: 'no' })],
    ['records for one message fewer than topics', () => ({ ...packed(), records: packed().records.subarray(RECORD_BYTES) })],
    ['a record cut short', () => ({ ...packed(), records: packed().records.subarray(1) })],
    ['a topic that is not text', () => ({ ...packed(), topics: ['a', 5] })],
    ['payload lengths beyond the payload bytes', () => withRecord((view) => view.setUint32(RECORD_BYTES, 1, true))],
    ['a payload longer than its size on the wire', () => withRecord((view) => view.setUint32(4, 3, true))],
    ['a payload length of 4 billion', () => withRecord((view) => view.setUint32(0, 0xffff_ffff, true))],
    ['payload bytes no message uses', () => ({ ...packed(), payloads: Uint8Array.of(...packed().payloads, 1) })],
    ['QoS 3', () => withRecord((view) => view.setUint8(24, 3))],
    ['an unknown flag', () => withRecord((view) => view.setUint8(RECORD_BYTES + 24, 0b1000))],
    ['a negative coalesced count', () => withRecord((view) => view.setFloat64(16, -1, true))],
    ['a coalesced count that is not a number', () => withRecord((view) => view.setFloat64(16, NaN, true))],
    ['properties for a message past the end', () => ({ ...packed(), properties: [2, { contentType: 'x' }] })],
    ['properties for a message twice', () => ({ ...packed(), properties: [0, {}, 0, {}] })],
    ['properties that are not an object', () => ({ ...packed(), properties: [0, Uint8Array.of(1)] })],
    ['an index without properties', () => ({ ...packed(), properties: [1] })],
  ];
  it.each(hostile)('refuses %s with FrameError', (_name, payload) => {
    expectFrameError(() => decodeFrame(rawBatchFrame(payload())), /batch/);
  });

  it('the renaming helper carries a valid packed batch as is', () => {
    expectExactly(decodeFrame(rawBatchFrame(packed())), batchEvent(sampleBatch()));
  });

  it('mutated batch frames are refused with FrameError or decode to a batch that round-trips', () => {
    const random = seededRandom(0xba7c4);
    const outcomes = { refused: 0, decoded: 0 };
    const valid = Array.from(encodeFrame(batchEvent(sampleBatch())));
    for (let i = 0; i < 5_000; i++) {
      const frame = valid.slice();
      for (let m = 1 + Math.floor(random() * 2); m > 0; m--) frame[Math.floor(random() * frame.length)] = Math.floor(random() * 256);
      outcomes[checkDecodes(Uint8Array.from(frame))]++;
    }
    expect(outcomes.refused).toBeGreaterThan(500);
    expect(outcomes.decoded).toBeGreaterThan(500);
  });
});

describe('encodeFrame refuses what it cannot carry faithfully', () => {
  class Point {
    x = 1;
  }
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  let deep: unknown = 'bottom';
  for (let i = 0; i < MAX_DEPTH + 1; i++) deep = [deep];
  const cases: [string, unknown][] = [
    ['a Date', new Date(0)],
    ['a Map', new Map([['a', 1]])],
    ['a Set', new Set([1])],
    ['a class instance', new Point()],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['a BigInt', 10n],
    ['another typed array', new Uint16Array(2)],
    ['an ArrayBuffer', new ArrayBuffer(2)],
    ['a cycle', cyclic],
    ['nesting past MAX_DEPTH', deep],
  ];
  it.each(cases)('%s', (_name, value) => {
    expectFrameError(() => encodeFrame({ kind: 'event', name: 'e', payload: { value } }));
  });

  it('accepts nesting up to the limit the decoder also accepts', () => {
    let value: unknown = 'bottom';
    for (let i = 0; i < MAX_DEPTH - 2; i++) value = [value];
    const event: WireMessage = { kind: 'event', name: 'e', payload: value };
    expectExactly(roundTrip(event), event);
  });
});

describe('decodeFrame refuses malformed and hostile frames with FrameError', () => {
  const valid = encodeFrame(batchEvent(sampleBatch()));
  const envelope = (payloadHex: string): Uint8Array => hex('a3646b696e64656576656e74646e616d656178677061796c6f6164' + payloadHex);

  it('the envelope helper builds a valid frame', () => {
    expect(decodeFrame(envelope('f6'))).toEqual({ kind: 'event', name: 'x', payload: null });
  });

  const cases: [string, Uint8Array][] = [
    ['an empty frame', new Uint8Array(0)],
    ['a frame with bytes after its value', Uint8Array.from([...valid, 0])],
    ['two values', Uint8Array.from([...valid, ...valid])],
    ['an array declaring 4 billion items in 5 bytes', hex('9affffffff')],
    ['an array declaring 2^64 items', hex('9bffffffffffffffff')],
    ['a map declaring 4 billion entries', envelope('baffffffff')],
    ['a byte string declaring 4 GB', envelope('5affffffff00')],
    ['a text string longer than the frame', envelope('7a0000ffff41')],
    ['nested arrays each declaring more items than remain', envelope('9a000fffff9a000fffff9a000fffff')],
    ['nesting 100,000 arrays deep', Uint8Array.from([...Array(100_000).fill(0x81), 0xf6])],
    ['nesting just past MAX_DEPTH', envelope('81'.repeat(MAX_DEPTH) + 'f6')],
    ['a CBOR tag (a date)', envelope('c11a5f5e1000')],
    ['a CBOR tag 64 byte array', envelope('d84043010203')],
    ['an indefinite-length array', envelope('9f01ff')],
    ['an indefinite-length map', envelope('bf6161' + '01ff')],
    ['a stray break', envelope('ff')],
    ['a 64-bit integer (would be a BigInt)', envelope('1b0000000100000000')],
    ['a reserved additional info', envelope('1c')],
    ['a simple value other than false/true/null/undefined', envelope('f0')],
    ['a map with a number key', envelope('a10102')],
    ['a map with a byte-string key', envelope('a1410102')],
    ['a string that is not UTF-8', envelope('62c328')],
    ['a truncated float', envelope('fb3ff0')],
    ['top level null', hex('f6')],
    ['top level number', hex('01')],
    ['top level array', hex('80')],
    ['top level bytes', hex('43010203')],
    ['top level empty map', hex('a0')],
    ['an unknown kind', hex('a1646b696e646378797a')],
    ['a command without id', hex('a3646b696e6467636f6d6d616e64646e616d6561786461726773f6')],
    ['a command with a negative id', hex('a4646b696e6467636f6d6d616e6462696420646e616d6561786461726773f6')],
    ['a command with a fractional id', hex('a4646b696e6467636f6d6d616e64626964fb3ff8000000000000646e616d6561786461726773f6')],
    ['a result with a text id', hex('a3646b696e6466726573756c74626964613166726573756c74f6')],
    ['an event without a name', hex('a2646b696e64656576656e74677061796c6f6164f6')],
    ['an event with an extra field', hex('a4646b696e64656576656e74646e616d656178677061796c6f6164f6626964 01'.replace(' ', ''))],
  ];

  it.each(cases)('%s', (_name, frame) => {
    expectFrameError(() => decodeFrame(frame));
  });

  it('every truncation of a valid frame', () => {
    for (let length = 0; length < valid.byteLength; length++) expectFrameError(() => decodeFrame(valid.subarray(0, length)));
  });

  it('a frame larger than MAX_FRAME_BYTES, before reading it', () => {
    expectFrameError(() => decodeFrame(new Uint8Array(MAX_FRAME_BYTES + 1)), /larger than/);
  });

  it('things that are not frames', () => {
    for (const notAFrame of [null, undefined, 'a3', 42, new ArrayBuffer(4), [0xf6], { byteLength: 1 }]) {
      expectFrameError(() => decodeFrame(notAFrame as unknown as Uint8Array));
    }
  });

  it('accepts half- and single-precision floats', () => {
    expect(decodeFrame(envelope('82f93e00fa3fc00000'))).toEqual({ kind: 'event', name: 'x', payload: [1.5, 1.5] });
  });
});

// ---- fuzz ------------------------------------------------------------------------

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const KEYS = ['topic', 'payload', '__proto__', 'constructor', 'prototype', '\u0000b', '$b', '', 'k', 'température', '日本', '😀', 'toString', 'valueOf'];

function randomString(random: Random): string {
  if (random() < 0.3) return pick(random, KEYS);
  const length = Math.floor(random() * (random() < 0.9 ? 12 : 300));
  let text = '';
  for (let i = 0; i < length; i++) {
    const r = random();
    text += r < 0.7 ? String.fromCharCode(32 + Math.floor(random() * 95)) : r < 0.9 ? String.fromCharCode(0x80 + Math.floor(random() * 0xd000)) : r < 0.95 ? '\u0000' : '😀';
  }
  return text;
}

function randomNumber(random: Random): number {
  const r = random();
  if (r < 0.4) return Math.floor(random() * 300);
  if (r < 0.6) return -Math.floor(random() * 2 ** 40);
  if (r < 0.75) return Math.floor(random() * Number.MAX_SAFE_INTEGER);
  if (r < 0.95) return (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
  return pick(random, [NaN, Infinity, -Infinity, 2 ** 64, Number.MIN_VALUE]);
}

function randomValue(random: Random, depth: number): unknown {
  const r = random();
  if (depth > 6 || r < 0.45) {
    const s = random();
    if (s < 0.3) return randomString(random);
    if (s < 0.55) return randomNumber(random);
    if (s < 0.7) return Uint8Array.from({ length: Math.floor(random() * (random() < 0.9 ? 40 : 3000)) }, () => Math.floor(random() * 256));
    return pick(random, [true, false, null, undefined]);
  }
  const size = Math.floor(random() * 6);
  if (r < 0.7) return Array.from({ length: size }, () => randomValue(random, depth + 1));
  return plainObject(Array.from({ length: size }, () => [randomString(random), randomValue(random, depth + 1)] as [string, unknown]));
}

function randomMessage(random: Random): WireMessage {
  const r = random();
  const id = Math.floor(random() * 1_000_000);
  if (r < 0.33) return { kind: 'command', id, name: randomString(random), args: randomValue(random, 0) };
  if (r < 0.66) return { kind: 'result', id, result: randomValue(random, 0) };
  return { kind: 'event', name: randomString(random), payload: randomValue(random, 0) };
}

/** decodeFrame either refuses with FrameError, or returns a message that round-trips exactly. */
function checkDecodes(frame: Uint8Array): 'refused' | 'decoded' {
  let decoded: unknown;
  try {
    decoded = decodeFrame(frame);
  } catch (error) {
    if (!(error instanceof FrameError)) throw new Error(`decodeFrame threw ${String(error)} for ${Buffer.from(frame).toString('hex').slice(0, 200)}`);
    return 'refused';
  }
  expectExactly(decodeFrame(encodeFrame(decoded)), decoded);
  return 'decoded';
}

describe('wire codec fuzz (seeded)', () => {
  it('random messages round-trip exactly', () => {
    const random = seededRandom(0x5eed_c0de);
    for (let i = 0; i < 2_000; i++) {
      const message = randomMessage(random);
      expectExactly(roundTrip(message), message);
    }
  });

  it('random bytes are refused with FrameError or decode to a message that round-trips', () => {
    const random = seededRandom(0xb17e5);
    for (let i = 0; i < 20_000; i++) {
      const frame = Uint8Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      checkDecodes(frame);
    }
  });

  it('mutated valid frames are refused with FrameError or decode to a message that round-trips', () => {
    const random = seededRandom(0x3a7e);
    const outcomes = { refused: 0, decoded: 0 };
    for (let i = 0; i < 5_000; i++) {
      const frame = Array.from(encodeFrame(randomMessage(random)));
      for (let m = 1 + Math.floor(random() * 3); m > 0; m--) {
        const at = Math.floor(random() * frame.length);
        const op = random();
        if (op < 0.5) frame[at] = Math.floor(random() * 256);
        else if (op < 0.65) frame.splice(at, 1);
        else if (op < 0.8) frame.splice(at, 0, Math.floor(random() * 256));
        else if (op < 0.9) frame.length = at;
        else frame[at] = pick(random, [0x1b, 0x5a, 0x7a, 0x9a, 0xba, 0xbf, 0xff, 0xc1, 0xf7]);
      }
      outcomes[checkDecodes(Uint8Array.from(frame))]++;
    }
    // Both paths are exercised: some mutations still decode, most are refused.
    expect(outcomes.refused).toBeGreaterThan(1_000);
    expect(outcomes.decoded).toBeGreaterThan(100);
  });
});
