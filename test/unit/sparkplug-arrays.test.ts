/**
 * Sparkplug 3.0's array datatypes (section 6.4.17: packed little-endian values in
 * `bytes_value`) as the core's decoder reads them. Eclipse Tahu's JavaScript encoder
 * (sparkplug-payload 1.0.3, the devDependency) predates them: its datatype list stops at
 * PropertySetList, and a metric of type "Int8Array" comes out as datatype 0 (Unknown)
 * with no value at all. So the payload is encoded by the
 * protobuf module Tahu ships, generated from sparkplug_b.proto, with `datatype` and
 * `bytes_value` set by hand; the bytes are the specification's own examples where they
 * are right, and Node's Buffer writers (writeFloatLE...) where the specification's are
 * not (its Int8Array example gives 0xEF for -23, which is 0xE9; its FloatArray and
 * DoubleArray examples are big-endian; its DateTimeArray example is 12 bytes for two
 * 8-byte values).
 */
import tahuProto from 'sparkplug-payload/lib/sparkplugPayloadProto';
import { describe, expect, it } from 'vitest';
import { PayloadDecoder } from '../../electron/core/decode/payload-decoder';
import type { DecodeResult, SparkplugMetric } from '../../shared/inspect/decode/decoded-payload';
import { SparkplugNodeState } from '../../shared/inspect/sparkplug/sparkplug-node-state';
import { parseSparkplugTopic, type SparkplugDeviceTopic } from '../../shared/inspect/sparkplug/sparkplug-topic';
import { metricValueText } from '../../shared/inspect/sparkplug/sparkplug-text';

const TahuPayload = tahuProto.org.eclipse.tahu.protobuf.Payload;

/** Sparkplug 3.0, section 6.4.16. */
const DATATYPE = {
  Int8Array: 22,
  Int16Array: 23,
  Int32Array: 24,
  Int64Array: 25,
  UInt8Array: 26,
  UInt16Array: 27,
  UInt32Array: 28,
  UInt64Array: 29,
  FloatArray: 30,
  DoubleArray: 31,
  BooleanArray: 32,
  StringArray: 33,
  DateTimeArray: 34,
} as const;
type ArrayType = keyof typeof DATATYPE;

/** A DBIRTH of one array metric, encoded by Tahu's generated protobuf code. */
function arrayBirth(type: ArrayType, bytes: Uint8Array, name = 'Samples'): Uint8Array {
  return TahuPayload.encode({ timestamp: 1_700_000_000_000, seq: 1, metrics: [{ name, alias: 5, datatype: DATATYPE[type], bytesValue: bytes }] }).finish();
}

function decodeOne(payload: Uint8Array): DecodeResult {
  return new PayloadDecoder().decode({ kind: 'sparkplug' }, [], [payload])[0]!;
}

function onlyMetric(payload: Uint8Array): SparkplugMetric {
  const result = decodeOne(payload);
  if (result.kind !== 'structured' || !result.sparkplug) throw new Error(`expected a Sparkplug payload, got ${JSON.stringify(result)}`);
  return result.sparkplug.metrics[0]!;
}

function littleEndian(size: number, count: number, write: (buffer: Buffer, offset: number, index: number) => void): Uint8Array {
  const buffer = Buffer.alloc(size * count);
  for (let i = 0; i < count; i++) write(buffer, i * size, i);
  return new Uint8Array(buffer);
}

describe('Sparkplug array datatypes', () => {
  const cases: [ArrayType, number[], unknown[]][] = [
    ['Int8Array', [0xe9, 0x7b], [-23, 123]],
    ['Int16Array', [0xd0, 0x8a, 0x30, 0x75], [-30000, 30000]],
    ['Int32Array', [0xff, 0xff, 0xff, 0xff, 0xfa, 0xaf, 0xcb, 0x12], [-1, 315338746]],
    // Past 2^53 a 64-bit value is kept exact, as its decimal digits.
    ['Int64Array', [0xce, 0x06, 0x72, 0xac, 0x18, 0x9c, 0xba, 0xc4, 0xc4, 0xba, 0x9c, 0x18, 0xac, 0x72, 0x06, 0xce], ['-4270929666821191986', '-3601064768563266876']],
    ['UInt8Array', [0x17, 0xfa], [23, 250]],
    ['UInt16Array', [0x1e, 0x00, 0x88, 0xcc], [30, 52360]],
    ['UInt32Array', [0x34, 0x00, 0x00, 0x00, 0x49, 0xfb, 0x55, 0xc4], [52, 3293969225]],
    ['UInt64Array', [0x34, 0, 0, 0, 0, 0, 0, 0, 0xd9, 0x9e, 0x02, 0xd1, 0xb2, 0x76, 0x37, 0xe4], [52, '16444743074749521625']],
    ['BooleanArray', [0x0c, 0x00, 0x00, 0x00, 0x34, 0xd0], [false, false, true, true, false, true, false, false, true, true, false, true]],
    ['StringArray', [0x41, 0x42, 0x43, 0x00, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x00], ['ABC', 'hello']],
  ];

  it.each(cases)('reads the specification’s %s example', (type, bytes, values) => {
    expect(onlyMetric(arrayBirth(type, Uint8Array.from(bytes)))).toMatchObject({ name: 'Samples', alias: 5, datatype: DATATYPE[type], datatypeName: type, value: values });
  });

  it('reads FloatArray and DoubleArray as the numbers written (a float as its 32-bit value)', () => {
    const floats = [1.23, 89.341];
    const doubles = [12.354213, 1022.9123213, -0.5];
    expect(onlyMetric(arrayBirth('FloatArray', littleEndian(4, 2, (b, o, i) => b.writeFloatLE(floats[i]!, o)))).value).toEqual(floats.map(Math.fround));
    expect(onlyMetric(arrayBirth('DoubleArray', littleEndian(8, 3, (b, o, i) => b.writeDoubleLE(doubles[i]!, o)))).value).toEqual(doubles);
  });

  it('reads DateTimeArray as milliseconds since the epoch', () => {
    const times = [1256102875335, 1656107875000];
    expect(onlyMetric(arrayBirth('DateTimeArray', littleEndian(8, 2, (b, o, i) => b.writeBigInt64LE(BigInt(times[i]!), o)))).value).toEqual(times);
  });

  it('reads empty arrays as empty', () => {
    expect(onlyMetric(arrayBirth('DoubleArray', new Uint8Array())).value).toEqual([]);
    expect(onlyMetric(arrayBirth('BooleanArray', Uint8Array.of(0, 0, 0, 0))).value).toEqual([]);
  });

  it('shows an array in the metrics table as its values, and follows data that sends it by alias', () => {
    const state = new SparkplugNodeState('g', 'n');
    const dbirth = parseSparkplugTopic('spBv1.0/g/DBIRTH/n/d') as SparkplugDeviceTopic;
    const ddata = parseSparkplugTopic('spBv1.0/g/DDATA/n/d') as SparkplugDeviceTopic;
    const birth = decodeOne(arrayBirth('Int16Array', Uint8Array.of(0xd0, 0x8a, 0x30, 0x75), 'Levels'));
    const data = decodeOne(TahuPayload.encode({ seq: 2, metrics: [{ alias: 5, datatype: DATATYPE.Int16Array, bytesValue: Uint8Array.of(0x01, 0x00, 0xff, 0xff) }] }).finish());
    if (birth.kind !== 'structured' || data.kind !== 'structured') throw new Error('expected both to decode');
    state.feed(dbirth, birth.sparkplug!, 1, 0);
    state.feed(ddata, data.sparkplug!, 2, 0);
    const row = state.view().devices[0]!.rows[0]!;
    expect([row.key, row.datatypeName, metricValueText(row)]).toEqual(['Levels', 'Int16Array', '[1,-1]']);
  });

  it('says which metric is malformed when the bytes do not fit the array type', () => {
    const message = (type: ArrayType, bytes: number[]): string => {
      const result = decodeOne(arrayBirth(type, Uint8Array.from(bytes)));
      return result.kind === 'error' ? result.message : `decoded: ${JSON.stringify(result)}`;
    };
    expect(message('Int16Array', [1, 2, 3])).toBe('Not a Sparkplug B payload: Metric "Samples" is an Int16Array of 3 bytes, not a whole number of 2-byte values.');
    expect(message('BooleanArray', [9, 0, 0, 0, 0xff])).toBe('Not a Sparkplug B payload: Metric "Samples" is a BooleanArray of 9 values in only 1 bytes.');
    expect(message('StringArray', [0x41, 0x00, 0x42])).toBe('Not a Sparkplug B payload: Metric "Samples" is a StringArray whose last string has no terminating zero byte.');
  });
});
