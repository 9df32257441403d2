/**
 * Payloads made by real encoders, for the decoder tests and the decode benchmark, and for
 * any other test that needs a Sparkplug B or Protobuf message: Eclipse Tahu's
 * `sparkplug-payload` (the reference Sparkplug encoder), protobufjs with
 * test/fixtures/decode/sensors.proto. Never the app's own code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Long from 'long';
import protobuf from 'protobufjs';
import { get as sparkplugNamespace } from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';

const tahu = sparkplugNamespace('spBv1.0')!;

/** Tahu's encoder, for payloads a test builds itself. */
export function encodeSparkplug(payload: UPayload): Uint8Array {
  return tahu.encodePayload(payload);
}

/** The time every fixture payload carries: 2026-01-02T03:04:05.678Z. */
export const SPARKPLUG_TIME = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

/** NBIRTH of an edge node: bdSeq 7, the rebirth control, a node metric; seq 0. */
export function nbirth(options: { bdSeq?: number; seq?: number } = {}): Uint8Array {
  return encodeSparkplug({
    timestamp: SPARKPLUG_TIME,
    seq: options.seq ?? 0,
    metrics: [
      { name: 'bdSeq', type: 'UInt64', value: options.bdSeq ?? 7, timestamp: SPARKPLUG_TIME },
      { name: 'Node Control/Rebirth', alias: 1, type: 'Boolean', value: false, timestamp: SPARKPLUG_TIME },
      { name: 'Properties/Hardware', alias: 2, type: 'String', value: 'gateway-x', timestamp: SPARKPLUG_TIME },
    ],
  });
}

/** NDEATH with the bdSeq of the birth it ends (no seq, as the specification says). */
export function ndeath(bdSeq = 7): Uint8Array {
  return encodeSparkplug({ timestamp: SPARKPLUG_TIME, metrics: [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }] });
}

/** The DBIRTH metrics of a device: name, alias, Sparkplug type and birth value; aliases from 10 on. */
export const DEVICE_METRICS: readonly { name: string; alias: number; type: UMetric['type']; value: UMetric['value'] }[] = [
  { name: 'Temperature', alias: 10, type: 'Double', value: 21.5 },
  { name: 'Humidity', alias: 11, type: 'Float', value: 40.25 },
  { name: 'Running', alias: 12, type: 'Boolean', value: true },
  { name: 'Mode', alias: 13, type: 'String', value: 'auto' },
  { name: 'Offset', alias: 14, type: 'Int8', value: -5 },
  { name: 'Pressure', alias: 15, type: 'Int16', value: -300 },
  { name: 'Position', alias: 16, type: 'Int32', value: -70_000 },
  { name: 'Energy', alias: 17, type: 'Int64', value: -1_099_511_627_776 },
  { name: 'Counter', alias: 18, type: 'UInt64', value: Long.fromString('18446744073709551615', true) },
  { name: 'Started', alias: 19, type: 'DateTime', value: SPARKPLUG_TIME },
  { name: 'Level', alias: 20, type: 'UInt8', value: 200 },
  { name: 'Serial', alias: 21, type: 'Bytes', value: Uint8Array.of(0xde, 0xad, 0xbe, 0xef) },
];

/** DBIRTH with every DEVICE_METRICS entry by name and alias, and a data set; seq 1 by default. */
export function dbirth(options: { seq?: number } = {}): Uint8Array {
  return encodeSparkplug({
    timestamp: SPARKPLUG_TIME,
    seq: options.seq ?? 1,
    metrics: [
      ...DEVICE_METRICS.map((m) => ({ ...m, timestamp: SPARKPLUG_TIME })),
      {
        name: 'Recipe',
        alias: 30,
        type: 'DataSet',
        value: { numOfColumns: 2, columns: ['step', 'temperature'], types: ['Int32', 'Double'], rows: [[1, 80.5], [2, 95]] },
      },
    ],
  });
}

/** DDATA sending only aliases (no names), as a device does after its birth; seq 2 by default. */
export function ddata(values: readonly { alias: number; type: UMetric['type']; value: UMetric['value'] }[], options: { seq?: number } = {}): Uint8Array {
  return encodeSparkplug({
    timestamp: SPARKPLUG_TIME + 1_000,
    seq: options.seq ?? 2,
    metrics: values.map((v) => ({ alias: v.alias, type: v.type, value: v.value, timestamp: SPARKPLUG_TIME + 1_000 })),
  });
}

/** DDATA with `count` Double metrics by alias only (aliases 100 on), values `base + i`: the benchmark's message. */
export function ddataDoubles(count: number, base = 20, seq = 2): Uint8Array {
  return ddata(Array.from({ length: count }, (_, i) => ({ alias: 100 + i, type: 'Double' as const, value: base + i })), { seq });
}

// Beside this module in the repository; from the repository's root when bundled elsewhere (the benchmarks run from out/bench).
const besideThis = fileURLToPath(new URL('../fixtures/decode/sensors.proto', import.meta.url));
const sensorsProtoPath = existsSync(besideThis) ? besideThis : resolve('test/fixtures/decode/sensors.proto');
/** test/fixtures/decode/sensors.proto as a profile keeps it. */
export const SENSORS_PROTO = { name: 'sensors.proto', source: readFileSync(sensorsProtoPath, 'utf8') };

let sensorsRoot: protobuf.Root | null = null;

/** A message of sensors.proto (`sensors.Reading`, `sensors.Location`) encoded by protobufjs from `fields` (camelCase names). */
export function encodeSensorMessage(typeName: string, fields: Record<string, unknown>): Uint8Array {
  sensorsRoot ??= protobuf.loadSync(sensorsProtoPath);
  const type = sensorsRoot.lookupType(typeName);
  return type.encode(type.fromObject(fields)).finish();
}

/** A sensors.Reading encoded by protobufjs. */
export function encodeReading(fields: Record<string, unknown>): Uint8Array {
  return encodeSensorMessage('sensors.Reading', fields);
}

/** A full sensors.Reading: every field set, a counter past 2^53. */
export const SAMPLE_READING = {
  deviceId: 'th-12',
  value: 21.5,
  unit: 'CELSIUS',
  counter: '18446744073709551615',
  offset: '-5',
  raw: Uint8Array.of(1, 2, 255),
  location: { latitude: 48.5, longitude: 9.25 },
  samples: [1.5, 2.5],
  labels: { room: 'lab' },
  takenAt: { seconds: '1767323045', nanos: 678_000_000 },
  ok: true,
};
