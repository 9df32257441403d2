/**
 * Sparkplug B payloads (NBIRTH, NDATA, DBIRTH, DDATA, NDEATH, DDEATH, NCMD, DCMD) read with
 * protobufjs and our own schema (sparkplug-schema.ts), every metric's value taken by its
 * datatype as the specification says: Int8 to Int32 from `int_value` as two's complement,
 * 64-bit integers exact (a decimal string past 2^53), arrays unpacked from `bytes_value`
 * (little endian), data sets and templates as JSON. Alias-only metrics (NDATA/DDATA) stay
 * alias-only here: the state that resolves names from the births lives with the viewer.
 */
import type { DecodedJson, DecodeResult, SparkplugMetric, SparkplugPayload } from '../../../shared/inspect/decode/decoded-payload';
import { bytesValue, DecodeBudget, DecodedTooLarge, integerValue, setField, toDecodedJson } from '../../../shared/inspect/decode/decoded-json';
import { sparkplugDatatypeName, sparkplugPayloadType } from './sparkplug-schema';

export const SPARKPLUG_FORMAT = 'Sparkplug B';

/** protobufjs's 64-bit integers (the `long` package), as far as this module uses them. */
interface WireLong {
  toNumber(): number;
  toString(): string;
  toSigned(): WireLong;
  toUnsigned(): WireLong;
}
type WireInteger = number | WireLong;

interface WireValue {
  intValue?: number;
  longValue?: WireInteger;
  floatValue?: number;
  doubleValue?: number;
  booleanValue?: boolean;
  stringValue?: string;
  bytesValue?: Uint8Array;
  datasetValue?: WireDataSet;
  templateValue?: WireTemplate;
  propertysetValue?: WirePropertySet;
  propertysetsValue?: { propertyset?: WirePropertySet[] };
}
interface WireMetric extends WireValue {
  name?: string;
  alias?: WireInteger;
  timestamp?: WireInteger;
  datatype?: number;
  isHistorical?: boolean;
  isTransient?: boolean;
  isNull?: boolean;
  metadata?: Record<string, unknown>;
  properties?: WirePropertySet;
}
interface WireDataSet {
  numOfColumns?: WireInteger;
  columns?: string[];
  types?: number[];
  rows?: { elements?: WireValue[] }[];
}
interface WireTemplate {
  version?: string;
  metrics?: WireMetric[];
  parameters?: (WireValue & { name?: string; type?: number })[];
  templateRef?: string;
  isDefinition?: boolean;
}
interface WirePropertySet {
  keys?: string[];
  values?: (WireValue & { type?: number; isNull?: boolean })[];
}
interface WirePayload {
  timestamp?: WireInteger;
  metrics?: WireMetric[];
  seq?: WireInteger;
  uuid?: string;
  body?: Uint8Array;
}

/** Names what is being read, for an error message: made only when one is needed (this runs per metric). */
type Describe = () => string;

/** A payload that decoded as protobuf but breaks a Sparkplug rule; its message is shown after "Not a Sparkplug B payload: ". */
class SparkplugProblem extends Error {}

function wireNumber(value: WireInteger, signed: boolean): number | string {
  if (typeof value === 'number') return value;
  const exact = signed ? value.toSigned() : value.toUnsigned();
  const number = exact.toNumber();
  return Number.isSafeInteger(number) ? number : exact.toString();
}

/** A time in milliseconds since the epoch (uint64): a number, which every real date is. */
function wireTime(value: WireInteger): number {
  return typeof value === 'number' ? value : value.toUnsigned().toNumber();
}

function has<K extends keyof WireValue>(value: WireValue, key: K): value is WireValue & Required<Pick<WireValue, K>> {
  return Object.hasOwn(value, key);
}

/**
 * The field if the payload sent it. protobufjs puts proto2 defaults ("" and 0) on the
 * message's prototype, so a plain read cannot tell an NDEATH without seq from seq 0.
 */
function sent<T extends object, K extends keyof T>(message: T, key: K): T[K] | undefined {
  return Object.hasOwn(message, key) ? message[key] : undefined;
}

/** Reads a value by datatype from whichever oneof field carries it (writers differ on UInt32's field). */
function valueOf(datatype: number, wire: WireValue, budget: DecodeBudget, depth: number, what: Describe): DecodedJson {
  budget.take(depth);
  const int = has(wire, 'intValue') ? wire.intValue : undefined;
  const long = has(wire, 'longValue') ? wire.longValue : undefined;
  switch (datatype) {
    case 1: // Int8
      return int !== undefined ? (int << 24) >> 24 : long !== undefined ? wireNumber(long, true) : fallback(wire, budget, depth);
    case 2: // Int16
      return int !== undefined ? (int << 16) >> 16 : long !== undefined ? wireNumber(long, true) : fallback(wire, budget, depth);
    case 3: // Int32
      return int !== undefined ? int | 0 : long !== undefined ? wireNumber(long, true) : fallback(wire, budget, depth);
    case 4: // Int64
      return long !== undefined ? wireNumber(long, true) : int !== undefined ? int | 0 : fallback(wire, budget, depth);
    case 5: // UInt8
    case 6: // UInt16
    case 7: // UInt32
      return int !== undefined ? int >>> 0 : long !== undefined ? wireNumber(long, false) : fallback(wire, budget, depth);
    case 8: // UInt64
    case 13: // DateTime
      return long !== undefined ? wireNumber(long, false) : int !== undefined ? int >>> 0 : fallback(wire, budget, depth);
    case 16: // DataSet
      return wire.datasetValue ? dataSetValue(wire.datasetValue, budget, depth, what) : fallback(wire, budget, depth);
    case 19: // Template
      return wire.templateValue ? templateValue(wire.templateValue, budget, depth) : fallback(wire, budget, depth);
    case 20: // PropertySet
      return wire.propertysetValue ? propertySetValue(wire.propertysetValue, budget, depth + 1) : fallback(wire, budget, depth);
    case 21: // PropertySetList
      return wire.propertysetsValue
        ? (wire.propertysetsValue.propertyset ?? []).map((set) => propertySetValue(set, budget, depth + 1))
        : fallback(wire, budget, depth);
    default:
      if (datatype >= 22 && datatype <= 34 && wire.bytesValue) return arrayValue(datatype, wire.bytesValue, budget, depth, what);
      return fallback(wire, budget, depth);
  }
}

/** Whatever value field is set, as it is: Float, Double, Boolean, String, Text, UUID, Bytes, File, and any mismatch. */
function fallback(wire: WireValue, budget: DecodeBudget, depth: number): DecodedJson {
  if (has(wire, 'floatValue')) return toDecodedJson(wire.floatValue, budget, depth + 1);
  if (has(wire, 'doubleValue')) return toDecodedJson(wire.doubleValue, budget, depth + 1);
  if (has(wire, 'booleanValue')) return wire.booleanValue;
  if (has(wire, 'stringValue')) return wire.stringValue;
  if (has(wire, 'bytesValue')) return bytesValue(wire.bytesValue);
  if (has(wire, 'intValue')) return wire.intValue;
  if (has(wire, 'longValue')) return wireNumber(wire.longValue, false);
  if (has(wire, 'datasetValue')) return dataSetValue(wire.datasetValue, budget, depth, () => 'A data set');
  if (has(wire, 'templateValue')) return templateValue(wire.templateValue, budget, depth);
  return null;
}

const ARRAY_ELEMENT_BYTES: Record<number, number> = { 22: 1, 23: 2, 24: 4, 25: 8, 26: 1, 27: 2, 28: 4, 29: 8, 30: 4, 31: 8, 34: 8 };

/** Sparkplug 3.0 arrays (section 6.4.17): packed little-endian values in `bytes_value`. */
function arrayValue(datatype: number, bytes: Uint8Array, budget: DecodeBudget, depth: number, what: Describe): DecodedJson {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (datatype === 33) {
    // StringArray: UTF-8 strings, each ended by a zero byte.
    const decoder = new TextDecoder();
    const strings: DecodedJson[] = [];
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] !== 0) continue;
      budget.take(depth + 1);
      strings.push(decoder.decode(bytes.subarray(start, i)));
      start = i + 1;
    }
    if (start !== bytes.length) throw new SparkplugProblem(`${what()} is a StringArray whose last string has no terminating zero byte.`);
    return strings;
  }
  if (datatype === 32) {
    // BooleanArray: a little-endian uint32 count, then the booleans one bit each, first in the high bit.
    if (bytes.length < 4) throw new SparkplugProblem(`${what()} is a BooleanArray of ${bytes.length} bytes, too short for its count.`);
    const count = view.getUint32(0, true);
    if (Math.ceil(count / 8) > bytes.length - 4) throw new SparkplugProblem(`${what()} is a BooleanArray of ${count} values in only ${bytes.length - 4} bytes.`);
    const values: DecodedJson[] = [];
    for (let i = 0; i < count; i++) {
      budget.take(depth + 1);
      values.push(((bytes[4 + (i >> 3)]! >> (7 - (i & 7))) & 1) === 1);
    }
    return values;
  }
  const size = ARRAY_ELEMENT_BYTES[datatype]!;
  if (bytes.length % size !== 0) {
    throw new SparkplugProblem(`${what()} is a ${sparkplugDatatypeName(datatype)} of ${bytes.length} bytes, not a whole number of ${size}-byte values.`);
  }
  const values: DecodedJson[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    budget.take(depth + 1);
    values.push(arrayElement(datatype, view, offset));
  }
  return values;
}

function arrayElement(datatype: number, view: DataView, offset: number): DecodedJson {
  switch (datatype) {
    case 22:
      return view.getInt8(offset);
    case 23:
      return view.getInt16(offset, true);
    case 24:
      return view.getInt32(offset, true);
    case 25:
    case 34: // DateTimeArray: milliseconds since the epoch, as int64
      return integerValue(view.getBigInt64(offset, true));
    case 26:
      return view.getUint8(offset);
    case 27:
      return view.getUint16(offset, true);
    case 28:
      return view.getUint32(offset, true);
    case 29:
      return integerValue(view.getBigUint64(offset, true));
    case 30:
      return toDecodedJson(view.getFloat32(offset, true));
    default:
      return toDecodedJson(view.getFloat64(offset, true));
  }
}

function dataSetValue(dataSet: WireDataSet, budget: DecodeBudget, depth: number, what: Describe): DecodedJson {
  const types = dataSet.types ?? [];
  const columns = dataSet.columns ?? [];
  const rows = (dataSet.rows ?? []).map((row, r) => {
    budget.take(depth + 2);
    return (row.elements ?? []).map((cell, c) => valueOf(types[c] ?? 0, cell, budget, depth + 3, () => `${what()}, row ${r + 1}, column ${c + 1}`));
  });
  return { columns, types: types.map(sparkplugDatatypeName), rows };
}

function templateValue(template: WireTemplate, budget: DecodeBudget, depth: number): DecodedJson {
  const out: Record<string, DecodedJson> = {};
  const version = sent(template, 'version');
  const templateRef = sent(template, 'templateRef');
  const isDefinition = sent(template, 'isDefinition');
  if (version !== undefined) out['version'] = version;
  if (templateRef !== undefined) out['templateRef'] = templateRef;
  if (isDefinition !== undefined) out['isDefinition'] = isDefinition;
  if (template.parameters?.length) {
    out['parameters'] = template.parameters.map((parameter) => ({
      name: sent(parameter, 'name') ?? null,
      type: sparkplugDatatypeName(parameter.type ?? 0),
      value: valueOf(parameter.type ?? 0, parameter, budget, depth + 3, () => `Parameter "${sent(parameter, 'name') ?? ''}"`),
    }));
  }
  out['metrics'] = (template.metrics ?? []).map((metric) => metricJson(toMetric(metric, budget, depth + 2), metric, budget, depth + 2));
  return out;
}

function propertySetValue(set: WirePropertySet, budget: DecodeBudget, depth: number): DecodedJson {
  budget.take(depth);
  const out: Record<string, DecodedJson> = {};
  const values = set.values ?? [];
  (set.keys ?? []).forEach((key, i) => {
    const value = values[i];
    if (!value) return;
    const type = value.type ?? 0;
    setField(out, key, { type: sparkplugDatatypeName(type), value: value.isNull ? null : valueOf(type, value, budget, depth + 2, () => `Property "${key}"`) });
  });
  return out;
}

function toMetric(wire: WireMetric, budget: DecodeBudget, depth: number): SparkplugMetric {
  const datatype = sent(wire, 'datatype') ?? 0;
  const name = sent(wire, 'name');
  const wireAlias = sent(wire, 'alias');
  const timestamp = sent(wire, 'timestamp');
  const what = (): string => (name !== undefined ? `Metric "${name}"` : wireAlias !== undefined ? `Metric with alias ${wireNumber(wireAlias, false)}` : 'A metric');
  const metric: SparkplugMetric = {
    datatype,
    datatypeName: sparkplugDatatypeName(datatype),
    value: wire.isNull ? null : valueOf(datatype, wire, budget, depth + 1, what),
  };
  if (name !== undefined) metric.name = name;
  if (wireAlias !== undefined) {
    const alias = wireNumber(wireAlias, false);
    // Aliases are uint64; one past 2^53 cannot be a key anyone sent on purpose.
    if (typeof alias !== 'number') throw new SparkplugProblem(`${what()} has the alias ${alias}, beyond the largest exact number.`);
    metric.alias = alias;
  }
  if (timestamp !== undefined) metric.timestamp = wireTime(timestamp);
  if (wire.isNull) metric.isNull = true;
  if (wire.isHistorical) metric.isHistorical = true;
  if (wire.isTransient) metric.isTransient = true;
  return metric;
}

/**
 * A metric in the payload's JSON view: the metric itself (the two views share it, which
 * halves what a batch allocates), or a copy with its properties and metadata when it has any.
 */
function metricJson(metric: SparkplugMetric, wire: WireMetric, budget: DecodeBudget, depth: number): DecodedJson {
  const properties = sent(wire, 'properties');
  const metadata = sent(wire, 'metadata');
  const view = metric as unknown as Record<string, DecodedJson>;
  if (!properties && !metadata) return view;
  const out: Record<string, DecodedJson> = { ...view };
  if (properties) out['properties'] = propertySetValue(properties, budget, depth + 1);
  if (metadata) out['metadata'] = toDecodedJson({ ...metadata }, budget, depth + 1);
  return out;
}

/** Decodes one Sparkplug B payload; never throws. */
export function decodeSparkplug(payload: Uint8Array, budget = new DecodeBudget()): DecodeResult {
  let wire: WirePayload;
  try {
    wire = sparkplugPayloadType.decode(payload) as unknown as WirePayload;
  } catch (error) {
    return { kind: 'error', format: SPARKPLUG_FORMAT, message: `Not a Sparkplug B payload: ${(error as Error).message}.` };
  }
  const known = ['timestamp', 'metrics', 'seq', 'uuid', 'body'].some((key) => Object.hasOwn(wire, key) && !(key === 'metrics' && wire.metrics?.length === 0));
  if (payload.length > 0 && !known) {
    return { kind: 'error', format: SPARKPLUG_FORMAT, message: 'Not a Sparkplug B payload: it holds none of the fields of one (timestamp, metrics, seq).' };
  }
  try {
    const wireMetrics = wire.metrics ?? [];
    const metrics = wireMetrics.map((metric) => toMetric(metric, budget, 3));
    const sparkplug: SparkplugPayload = { metrics };
    const timestamp = sent(wire, 'timestamp');
    const wireSeq = sent(wire, 'seq');
    const uuid = sent(wire, 'uuid');
    const body = sent(wire, 'body');
    if (timestamp !== undefined) sparkplug.timestamp = wireTime(timestamp);
    if (wireSeq !== undefined) {
      const seq = wireNumber(wireSeq, false);
      if (typeof seq !== 'number' || seq > 255) throw new SparkplugProblem(`its seq is ${seq}; Sparkplug counts from 0 to 255.`);
      sparkplug.seq = seq;
    }
    if (uuid !== undefined) sparkplug.uuid = uuid;
    const value: Record<string, DecodedJson> = {};
    if (sparkplug.timestamp !== undefined) value['timestamp'] = sparkplug.timestamp;
    if (sparkplug.seq !== undefined) value['seq'] = sparkplug.seq;
    if (sparkplug.uuid !== undefined) value['uuid'] = sparkplug.uuid;
    if (body !== undefined) value['body'] = bytesValue(body);
    value['metrics'] = metrics.map((metric, i) => metricJson(metric, wireMetrics[i]!, budget, 2));
    return { kind: 'structured', format: SPARKPLUG_FORMAT, value, sparkplug };
  } catch (error) {
    if (error instanceof DecodedTooLarge) return { kind: 'error', format: SPARKPLUG_FORMAT, message: error.message };
    if (error instanceof SparkplugProblem) return { kind: 'error', format: SPARKPLUG_FORMAT, message: `Not a Sparkplug B payload: ${error.message}` };
    throw error;
  }
}
