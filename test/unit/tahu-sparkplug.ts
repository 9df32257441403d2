/**
 * Sparkplug payloads made by Eclipse Tahu's encoder (what real gateways run), read back
 * with Tahu's decoder and put in our `SparkplugPayload` shape: Longs (seq, aliases,
 * timestamps, 64-bit values) become numbers, or decimal strings past 2^53, as the core's
 * decoder hands them over. Test-only: the app never runs Tahu.
 */
import * as sparkplug from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import type { DecodedJson, SparkplugMetric, SparkplugPayload } from '../../shared/inspect/decode/decoded-payload';

const tahu = sparkplug.get('spBv1.0')!;

/** Sparkplug 3.0, section 6.4.16: datatype numbers by name. */
const DATATYPES = ['Unknown', 'Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'Float', 'Double', 'Boolean', 'String', 'DateTime', 'Text', 'UUID', 'DataSet', 'Bytes', 'File', 'Template', 'PropertySet', 'PropertySetList'];

export type { UPayload };

/** The bytes a gateway running Tahu would publish. */
export function tahuEncode(payload: UPayload): Uint8Array {
  return tahu.encodePayload(payload);
}

/** Tahu's reading of `bytes`, in our shape. */
export function tahuDecode(bytes: Uint8Array): SparkplugPayload {
  const decoded = tahu.decodePayload(bytes);
  const timestamp = optionalNumber(decoded.timestamp);
  const seq = optionalNumber(decoded.seq);
  return {
    ...(timestamp !== undefined && { timestamp }),
    ...(seq !== undefined && { seq }),
    ...(decoded.uuid ? { uuid: decoded.uuid } : {}),
    metrics: (decoded.metrics ?? []).map(metricOf),
  };
}

/** Encoded by Tahu, then decoded by Tahu into our shape. */
export function tahuPayload(payload: UPayload): SparkplugPayload {
  return tahuDecode(tahuEncode(payload));
}

function metricOf(metric: UMetric): SparkplugMetric {
  const alias = optionalNumber(metric.alias);
  const timestamp = optionalNumber(metric.timestamp);
  const datatype = Math.max(0, DATATYPES.indexOf(metric.type));
  return {
    ...(metric.name !== undefined && metric.name !== null && { name: metric.name }),
    ...(alias !== undefined && { alias }),
    ...(timestamp !== undefined && { timestamp }),
    datatype,
    datatypeName: DATATYPES[datatype]!,
    ...(metric.isNull ? { isNull: true } : {}),
    value: valueOf(metric.value),
  };
}

interface LongLike {
  toNumber(): number;
  toString(): string;
}

function isLong(value: unknown): value is LongLike {
  return typeof value === 'object' && value !== null && 'toNumber' in value && 'high' in value;
}

function optionalNumber(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  return isLong(value) ? value.toNumber() : Number(value);
}

function valueOf(value: unknown): DecodedJson {
  if (value === undefined || value === null) return null;
  if (isLong(value)) {
    const n = value.toNumber();
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('hex') };
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return JSON.parse(JSON.stringify(value)) as DecodedJson;
}
