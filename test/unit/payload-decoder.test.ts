import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { encode as cborEncode } from 'cbor-x';
import { pack } from 'msgpackr';
import Long from 'long';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_INFLATED_BYTES, PayloadDecoder } from '../../electron/core/decode/payload-decoder';
import type { DecodeResult, SparkplugMetric } from '../../shared/inspect/decode/decoded-payload';
import type { DecoderSpec, ProtoFile } from '../../shared/inspect/decode/decode-rules';
import { dbirth, ddata, ddataDoubles, DEVICE_METRICS, encodeReading, encodeSensorMessage, encodeSparkplug, nbirth, ndeath, SAMPLE_READING, SENSORS_PROTO, SPARKPLUG_TIME } from '../harness/decode-payloads';

const utf8 = (text: string) => new TextEncoder().encode(text);

let decoder: PayloadDecoder;
beforeEach(() => {
  decoder = new PayloadDecoder();
});

function decodeOne(spec: DecoderSpec, payload: Uint8Array, protoFiles: ProtoFile[] = []): DecodeResult {
  const [result] = decoder.decode(spec, protoFiles, [payload]);
  return result!;
}

function structured(result: DecodeResult): Extract<DecodeResult, { kind: 'structured' }> {
  if (result.kind !== 'structured') throw new Error(`expected a structured result, got ${JSON.stringify(result)}`);
  return result;
}

function errorMessage(result: DecodeResult): string {
  if (result.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.message;
}

describe('Sparkplug B', () => {
  it('reads an NBIRTH made by Tahu: seq, timestamp, bdSeq and named metrics with aliases', () => {
    const result = structured(decodeOne({ kind: 'sparkplug' }, nbirth({ bdSeq: 7 })));
    expect(result.format).toBe('Sparkplug B');
    expect(result.sparkplug).toMatchObject({ timestamp: SPARKPLUG_TIME, seq: 0 });
    expect(result.sparkplug?.metrics).toEqual([
      { name: 'bdSeq', timestamp: SPARKPLUG_TIME, datatype: 8, datatypeName: 'UInt64', value: 7 },
      { name: 'Node Control/Rebirth', alias: 1, timestamp: SPARKPLUG_TIME, datatype: 11, datatypeName: 'Boolean', value: false },
      { name: 'Properties/Hardware', alias: 2, timestamp: SPARKPLUG_TIME, datatype: 12, datatypeName: 'String', value: 'gateway-x' },
    ]);
    expect(result.value).toMatchObject({ seq: 0, metrics: [{ name: 'bdSeq', datatype: 8, datatypeName: 'UInt64', value: 7 }, {}, {}] });
  });

  it('reads every DBIRTH value by its datatype: signed small ints, 64-bit exact, dates, bytes, a data set', () => {
    const result = structured(decodeOne({ kind: 'sparkplug' }, dbirth()));
    const byName = new Map(result.sparkplug!.metrics.map((m): [string, SparkplugMetric] => [m.name!, m]));
    expect(byName.get('Temperature')).toMatchObject({ alias: 10, datatypeName: 'Double', value: 21.5 });
    expect(byName.get('Humidity')).toMatchObject({ datatypeName: 'Float', value: 40.25 });
    expect(byName.get('Running')?.value).toBe(true);
    expect(byName.get('Mode')?.value).toBe('auto');
    expect(byName.get('Offset')).toMatchObject({ datatypeName: 'Int8', value: -5 });
    expect(byName.get('Pressure')).toMatchObject({ datatypeName: 'Int16', value: -300 });
    expect(byName.get('Position')).toMatchObject({ datatypeName: 'Int32', value: -70_000 });
    expect(byName.get('Energy')).toMatchObject({ datatypeName: 'Int64', value: -1_099_511_627_776 });
    expect(byName.get('Counter')).toMatchObject({ datatypeName: 'UInt64', value: '18446744073709551615' });
    expect(byName.get('Started')).toMatchObject({ datatypeName: 'DateTime', value: SPARKPLUG_TIME });
    expect(byName.get('Level')).toMatchObject({ datatypeName: 'UInt8', value: 200 });
    expect(byName.get('Serial')).toMatchObject({ datatypeName: 'Bytes', value: { $bytes: 'deadbeef' } });
    expect(byName.get('Recipe')).toMatchObject({
      datatypeName: 'DataSet',
      value: { columns: ['step', 'temperature'], types: ['Int32', 'Double'], rows: [[1, 80.5], [2, 95]] },
    });
    expect(result.sparkplug!.metrics).toHaveLength(DEVICE_METRICS.length + 1);
  });

  it('reads a DDATA with aliases only, as sent: no names, the seq kept', () => {
    const result = structured(decodeOne({ kind: 'sparkplug' }, ddata([{ alias: 10, type: 'Double', value: 22.75 }, { alias: 14, type: 'Int8', value: -1 }], { seq: 5 })));
    expect(result.sparkplug?.seq).toBe(5);
    expect(result.sparkplug?.metrics).toEqual([
      { alias: 10, timestamp: SPARKPLUG_TIME + 1000, datatype: 10, datatypeName: 'Double', value: 22.75 },
      { alias: 14, timestamp: SPARKPLUG_TIME + 1000, datatype: 1, datatypeName: 'Int8', value: -1 },
    ]);
  });

  it('reads an NDEATH, which has no seq', () => {
    const result = structured(decodeOne({ kind: 'sparkplug' }, ndeath(9)));
    expect(result.sparkplug?.seq).toBeUndefined();
    expect(result.sparkplug?.metrics[0]).toMatchObject({ name: 'bdSeq', value: 9 });
  });

  it('marks null, historical and transient metrics', () => {
    const payload = encodeSparkplug({ seq: 3, metrics: [{ alias: 10, type: 'Double', value: null, isHistorical: true, isTransient: true }] });
    expect(structured(decodeOne({ kind: 'sparkplug' }, payload)).sparkplug?.metrics[0]).toEqual({
      alias: 10,
      datatype: 10,
      datatypeName: 'Double',
      value: null,
      isNull: true,
      isHistorical: true,
      isTransient: true,
    });
  });

  it('reads a template instance with its parameters and member metrics', () => {
    const payload = encodeSparkplug({
      seq: 4,
      metrics: [
        {
          name: 'Motor 1',
          type: 'Template',
          value: {
            templateRef: 'Motor',
            isDefinition: false,
            parameters: [{ name: 'rating', type: 'Int32', value: 15 }],
            metrics: [{ name: 'RPM', type: 'Int32', value: -1200 }],
          },
        },
      ],
    });
    expect(structured(decodeOne({ kind: 'sparkplug' }, payload)).sparkplug?.metrics[0]).toMatchObject({
      name: 'Motor 1',
      datatypeName: 'Template',
      value: { templateRef: 'Motor', isDefinition: false, parameters: [{ name: 'rating', type: 'Int32', value: 15 }], metrics: [{ name: 'RPM', datatypeName: 'Int32', value: -1200 }] },
    });
  });

  it('keeps 64-bit integers exact on both sides of 2^53, and the most negative Int64', () => {
    const payload = encodeSparkplug({
      seq: 6,
      metrics: [
        { alias: 1, type: 'UInt64', value: Long.fromString('9007199254740991', true) },
        { alias: 2, type: 'UInt64', value: Long.fromString('9007199254740993', true) },
        { alias: 3, type: 'Int64', value: Long.fromString('-9007199254740991') },
        { alias: 4, type: 'Int64', value: Long.fromString('-9007199254740993') },
        { alias: 5, type: 'Int64', value: Long.MIN_VALUE },
        { alias: 6, type: 'DateTime', value: Long.fromNumber(SPARKPLUG_TIME, true) },
      ],
    });
    expect(structured(decodeOne({ kind: 'sparkplug' }, payload)).sparkplug?.metrics.map((m) => m.value)).toEqual([
      9_007_199_254_740_991,
      '9007199254740993',
      -9_007_199_254_740_991,
      '-9007199254740993',
      '-9223372036854775808',
      SPARKPLUG_TIME,
    ]);
  });

  it('shows a metric\'s properties in the JSON view, not in the metrics table', () => {
    const payload = encodeSparkplug({
      seq: 7,
      metrics: [
        { alias: 10, type: 'Double', value: 1.5 },
        { alias: 11, type: 'Double', value: 2.5, properties: { unit: { type: 'String', value: '°C' } } },
      ],
    });
    const result = structured(decodeOne({ kind: 'sparkplug' }, payload));
    expect(result.sparkplug?.metrics[1]).toEqual({ alias: 11, datatype: 10, datatypeName: 'Double', value: 2.5 });
    expect(result.value).toMatchObject({
      seq: 7,
      metrics: [{ alias: 10, value: 1.5 }, { alias: 11, value: 2.5, properties: { unit: { type: 'String', value: '°C' } } }],
    });
  });

  it('says so when a payload is cut short in a metric', () => {
    const whole = ddataDoubles(3);
    expect(errorMessage(decodeOne({ kind: 'sparkplug' }, whole.subarray(0, whole.length - 5)))).toMatch(/^Not a Sparkplug B payload: index out of range/);
  });

  it('decodes a batch, one result per payload in order', () => {
    const results = decoder.decode({ kind: 'sparkplug' }, [], [ddataDoubles(20, 1, 1), ddataDoubles(20, 2, 2)]);
    expect(results.map((r) => structured(r).sparkplug?.metrics[19]?.value)).toEqual([20, 21]);
  });

  it.each([
    [utf8('{"temperature": 21.5}'), 'Not a Sparkplug B payload:'],
    [Uint8Array.of(0x12, 0xff, 0x01), 'Not a Sparkplug B payload:'],
    [Uint8Array.of(0x18, 0xac, 0x02), 'its seq is 300; Sparkplug counts from 0 to 255.'],
  ])('says what is wrong with a payload that is not Sparkplug B (%#)', (payload, message) => {
    expect(errorMessage(decodeOne({ kind: 'sparkplug' }, payload))).toContain(message);
  });
});

describe('Protobuf', () => {
  const reading = { kind: 'protobuf', messageType: 'sensors.Reading', protoFile: 'sensors.proto' } as const;

  it('reads a message encoded by protobufjs with the user\'s .proto: names, enums, 64-bit, bytes, maps, well-known types', () => {
    const result = structured(decodeOne(reading, encodeReading(SAMPLE_READING), [SENSORS_PROTO]));
    expect(result.format).toBe('Protobuf sensors.Reading');
    expect(result.value).toEqual({
      deviceId: 'th-12',
      value: 21.5,
      unit: 'CELSIUS',
      counter: '18446744073709551615',
      offset: -5,
      raw: { $bytes: '0102ff' },
      location: { latitude: 48.5, longitude: 9.25 },
      samples: [1.5, 2.5],
      labels: { room: 'lab' },
      takenAt: { seconds: 1767323045, nanos: 678_000_000 },
      ok: true,
    });
  });

  it('finds the type in any of the profile\'s files when the rule names none', () => {
    const other = { name: 'other.proto', source: 'syntax = "proto3"; package other; message Thing { int32 a = 1; }' };
    const result = decodeOne({ kind: 'protobuf', messageType: 'sensors.Location' }, encodeSensorMessage('sensors.Location', { latitude: 50 }), [other, SENSORS_PROTO]);
    expect(structured(result).value).toEqual({ latitude: 50 });
  });

  it('says when the message type is not defined in the named file', () => {
    const other = { name: 'readings.proto', source: 'syntax = "proto3"; package other; message Thing { int32 a = 1; }' };
    expect(errorMessage(decodeOne({ kind: 'protobuf', messageType: 'sensors.Reading', protoFile: 'readings.proto' }, new Uint8Array(), [other, SENSORS_PROTO]))).toBe(
      'Protobuf: message type sensors.Reading is not defined in readings.proto.',
    );
    expect(errorMessage(decodeOne({ kind: 'protobuf', messageType: 'sensors.Missing' }, new Uint8Array(), [SENSORS_PROTO]))).toBe(
      "Protobuf: message type sensors.Missing is not defined in the profile's .proto files.",
    );
    expect(errorMessage(decodeOne({ kind: 'protobuf', messageType: 'sensors.Reading', protoFile: 'gone.proto' }, new Uint8Array(), [SENSORS_PROTO]))).toBe(
      'Protobuf: there is no .proto file named gone.proto in this profile.',
    );
  });

  it('says which file does not parse, and where', () => {
    const broken = { name: 'broken.proto', source: 'syntax = "proto3";\nmessage A {\n  int32 x = 1\n}\n' };
    expect(errorMessage(decodeOne({ kind: 'protobuf', messageType: 'A' }, new Uint8Array(), [broken]))).toBe(
      "Protobuf: broken.proto does not parse: illegal token '}', ';' expected (line 4).",
    );
  });

  it('says when the payload is not a message of the type', () => {
    expect(errorMessage(decodeOne(reading, Uint8Array.of(0x0a, 0x20, 0x41), [SENSORS_PROTO]))).toMatch(/^Protobuf: the payload is not a sensors\.Reading message \(index out of range/);
  });

  it('parses a set of files once and reuses it', () => {
    const first = decoder.decode(reading, [SENSORS_PROTO], [encodeReading({ deviceId: 'a' })]);
    const second = decoder.decode(reading, [{ ...SENSORS_PROTO }], [encodeReading({ deviceId: 'b' })]);
    expect([first, second].map((r) => structured(r[0]!).value)).toEqual([{ deviceId: 'a' }, { deviceId: 'b' }]);
  });
});

describe('CBOR and MessagePack', () => {
  const document = { temperature: 21.5, tags: ['a', 'b'], big: 2n ** 60n, raw: Uint8Array.of(1, 2), nested: { ok: true, none: null } };
  const expected = { temperature: 21.5, tags: ['a', 'b'], big: '1152921504606846976', raw: { $bytes: '0102' }, nested: { ok: true, none: null } };

  it('reads CBOR encoded by cbor-x', () => {
    expect(decodeOne({ kind: 'cbor' }, cborEncode(document))).toEqual({ kind: 'structured', format: 'CBOR', value: expected });
  });

  it('reads MessagePack packed by msgpackr', () => {
    expect(decodeOne({ kind: 'msgpack' }, pack(document))).toEqual({ kind: 'structured', format: 'MessagePack', value: expected });
  });

  it('says what is wrong with bytes that are neither', () => {
    expect(errorMessage(decodeOne({ kind: 'cbor' }, Uint8Array.of(0xff)))).toMatch(/^Not CBOR: /);
    expect(errorMessage(decodeOne({ kind: 'msgpack' }, Uint8Array.of(0xdd, 0xff, 0xff, 0xff, 0xf0)))).toMatch(/^Not MessagePack: /);
    expect(errorMessage(decodeOne({ kind: 'cbor' }, new Uint8Array()))).toBe('Not CBOR: the payload is empty.');
  });

  it('refuses a value nested deeper than the viewer shows', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(errorMessage(decodeOne({ kind: 'cbor' }, cborEncode(deep)))).toBe('The decoded value is nested deeper than 32 levels, more than Topicscope shows.');
  });
});

describe('gzip and deflate', () => {
  const json = utf8('{"temperature":21.5}');

  it('inflates gzip and reads the inner format: JSON by sniffing, or as the rule says', () => {
    expect(decodeOne({ kind: 'gzip' }, gzipSync(json))).toEqual({ kind: 'structured', format: 'gzip → JSON', value: { temperature: 21.5 } });
    expect(decodeOne({ kind: 'gzip', inner: 'text' }, gzipSync(json))).toEqual({ kind: 'text', format: 'gzip → Text', text: '{"temperature":21.5}' });
    expect(decodeOne({ kind: 'gzip', inner: 'cbor' }, gzipSync(cborEncode({ a: 1 })))).toEqual({ kind: 'structured', format: 'gzip → CBOR', value: { a: 1 } });
    expect(decodeOne({ kind: 'gzip', inner: 'msgpack' }, gzipSync(pack([1, 2])))).toEqual({ kind: 'structured', format: 'gzip → MessagePack', value: [1, 2] });
  });

  it('hands back the inflated bytes when they are bytes', () => {
    const result = decodeOne({ kind: 'gzip', inner: 'raw' }, gzipSync(Uint8Array.of(0, 1, 2)));
    expect(result).toEqual({ kind: 'bytes', format: 'gzip → Bytes', bytes: Uint8Array.of(0, 1, 2) });
    if (result.kind === 'bytes') expect(Object.getPrototypeOf(result.bytes)).toBe(Uint8Array.prototype);
  });

  it('inflates deflate, zlib-wrapped or bare', () => {
    expect(structured(decodeOne({ kind: 'deflate', inner: 'json' }, deflateSync(json))).value).toEqual({ temperature: 21.5 });
    expect(structured(decodeOne({ kind: 'deflate', inner: 'json' }, deflateRawSync(json))).value).toEqual({ temperature: 21.5 });
  });

  it('refuses a compression bomb with a clear error', () => {
    const bomb = gzipSync(new Uint8Array(MAX_INFLATED_BYTES + 1));
    expect(bomb.length).toBeLessThan(100_000);
    expect(decodeOne({ kind: 'gzip' }, bomb)).toEqual({
      kind: 'error',
      format: 'gzip',
      message: 'The gzip payload inflates to more than 16 MiB, the most Topicscope inflates (a compression bomb?).',
    });
  });

  it('says when the bytes are not compressed', () => {
    expect(errorMessage(decodeOne({ kind: 'gzip' }, json))).toBe('Not gzip data: incorrect header check.');
    expect(errorMessage(decodeOne({ kind: 'deflate' }, Uint8Array.of(0xff, 0xff, 0xff)))).toMatch(/^Not deflate data: /);
  });
});

describe('the decoders the renderer runs too', () => {
  it('runs them in the core alike', () => {
    expect(decodeOne({ kind: 'auto' }, utf8('{"a":1}'))).toEqual({ kind: 'structured', format: 'JSON', value: { a: 1 } });
    expect(decodeOne({ kind: 'base64' }, utf8(Buffer.from('hello').toString('base64')))).toEqual({ kind: 'text', format: 'Base64 → text', text: 'hello' });
  });
});

describe('limits of one call', () => {
  it('stops decoding once a call has made 2,000,000 values, and says so for the rest', () => {
    const big = cborEncode(Array.from({ length: 900_000 }, (_, i) => i % 2));
    const results = decoder.decode({ kind: 'cbor' }, [], [big, big, big, cborEncode([1])]);
    expect(results.slice(0, 3).map((r) => r.kind)).toEqual(['structured', 'structured', 'structured']);
    expect(errorMessage(results[3]!)).toBe('Not decoded: the payloads before it in this request already made 2,000,000 values. Ask for fewer at once.');
  });

  it('inflates at most 32 MiB in one call', () => {
    const fifteen = gzipSync(new Uint8Array(15 * 1024 * 1024));
    const results = decoder.decode({ kind: 'gzip', inner: 'raw' }, [], [fifteen, fifteen, fifteen]);
    expect(results.slice(0, 2).map((r) => r.kind)).toEqual(['bytes', 'bytes']);
    expect(errorMessage(results[2]!)).toBe('Not decoded: the payloads before it in this request already inflated to 32 MiB. Ask for fewer at once.');
  });
});
