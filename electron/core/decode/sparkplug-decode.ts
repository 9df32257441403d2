/**
 * Sparkplug B payloads (NBIRTH, NDATA, DBIRTH, DDATA, NDEATH, DDEATH, NCMD, DCMD) read with
 * protobufjs's Reader: Payload, Metric and Template by hand, straight into the result
 * (no intermediate messages, no `Long` objects: this runs for every metric of every
 * payload a history holds), the rare nested messages by protobufjs's generated decoders
 * from our own schema (sparkplug-schema.ts). Every metric's value is taken by its
 * datatype as the specification says: Int8 to Int32 from `int_value` as two's complement,
 * 64-bit integers exact (a decimal string past 2^53), arrays unpacked from `bytes_value`
 * (little endian), data sets and templates as JSON. Alias-only metrics (NDATA/DDATA) stay
 * alias-only here: the state that resolves names from the births lives with the viewer.
 */
import type { DecodedJson, DecodeResult, SparkplugMetric, SparkplugPayload } from '../../../shared/inspect/decode/decoded-payload';
import { bytesValue, DecodeBudget, DecodedTooLarge, integerValue, setField, toDecodedJson } from '../../../shared/inspect/decode/decoded-json';
import protobuf from 'protobufjs';
import { sparkplugDatatypeName, sparkplugTypes } from './sparkplug-schema';

export const SPARKPLUG_FORMAT = 'Sparkplug B';

/** protobufjs's 64-bit integers (the `long` package), as its generated decoders give them. */
interface WireLong {
  low: number;
  high: number;
}
type WireInteger = number | WireLong;

/** A value as protobufjs's generated decoders give it (parameters, property values, data set cells). */
interface WireValue {
  intValue?: number;
  longValue?: WireInteger;
  floatValue?: number;
  doubleValue?: number;
  booleanValue?: boolean;
  stringValue?: string;
  bytesValue?: Uint8Array;
  datasetValue?: WireDataSet;
  propertysetValue?: WirePropertySet;
  propertysetsValue?: { propertyset?: WirePropertySet[] };
}
interface WireDataSet {
  columns?: string[];
  types?: number[];
  rows?: { elements?: WireValue[] }[];
}
interface WirePropertySet {
  keys?: string[];
  values?: (WireValue & { type?: number; isNull?: boolean })[];
}

/**
 * The value fields of one metric, parameter, property value or data set cell, as read:
 * undefined when not sent, a 64-bit value as its two 32-bit halves (exact, and no object
 * made for it). One fixed shape, so reading them is fast whatever the payload sent.
 */
class ValueFields {
  int: number | undefined = undefined;
  hasLong = false;
  longLow = 0;
  longHigh = 0;
  float: number | undefined = undefined;
  double: number | undefined = undefined;
  boolean: boolean | undefined = undefined;
  string: string | undefined = undefined;
  bytes: Uint8Array | undefined = undefined;
  dataSet: WireDataSet | undefined = undefined;
  /** A template, already in decoded form (the metric reader reads it as it goes). */
  template: DecodedJson | undefined = undefined;
  propertySet: WirePropertySet | undefined = undefined;
  propertySets: WirePropertySet[] | undefined = undefined;

  /** Forgets what the last metric at this level sent (the same object serves every metric of a level). */
  clear(): this {
    this.int = this.float = this.double = this.boolean = this.string = undefined;
    this.hasLong = false;
    this.longLow = this.longHigh = 0;
    this.bytes = this.dataSet = this.template = this.propertySet = this.propertySets = undefined;
    return this;
  }
}

/**
 * One ValueFields per nesting level of metrics (a template's metrics sit below the
 * metric that holds the template), reused for every metric at that level: a payload's
 * metrics are read one after another, and a fresh object each would be most of what
 * decoding allocates.
 */
const fieldsByDepth: ValueFields[] = [];

function blankFields(depth: number): ValueFields {
  return (fieldsByDepth[depth] ??= new ValueFields()).clear();
}

/** Names what is being read, for an error message: made only when one is needed. */
type Describe = () => string;

/** A payload that decoded as protobuf but breaks a Sparkplug rule; its message is shown after "Not a Sparkplug B payload: ". */
class SparkplugProblem extends Error {}

const TWO_POW_32 = 4294967296;

/** A 64-bit integer from its halves: a number while exact, else its decimal digits. */
function int64Value(low: number, high: number, signed: boolean): number | string {
  if (signed && high >= 0x80000000) {
    // Past -2^53 the product rounds, and lands below MIN_SAFE_INTEGER: exact whenever it is kept.
    const number = (high | 0) * TWO_POW_32 + low;
    return number >= Number.MIN_SAFE_INTEGER ? number : BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(low)).toString();
  }
  const number = high * TWO_POW_32 + low;
  return number <= Number.MAX_SAFE_INTEGER ? number : ((BigInt(high) << 32n) | BigInt(low)).toString();
}

/** A time in milliseconds since the epoch (uint64): a number, which every real date is. */
function timeValue(low: number, high: number): number {
  return high * TWO_POW_32 + low;
}

function has<K extends keyof WireValue>(value: WireValue, key: K): value is WireValue & Required<Pick<WireValue, K>> {
  return Object.hasOwn(value, key);
}

/**
 * The field if the payload sent it. protobufjs puts proto2 defaults ("" and 0) on the
 * message's prototype, so a plain read cannot tell a field sent as 0 from one not sent.
 */
function sent<T extends object, K extends keyof T>(message: T, key: K): T[K] | undefined {
  return Object.hasOwn(message, key) ? message[key] : undefined;
}

/** The value fields of a message protobufjs's generated decoder made. */
function fieldsOf(wire: WireValue): ValueFields {
  const fields = new ValueFields();
  if (has(wire, 'intValue')) fields.int = wire.intValue;
  if (has(wire, 'longValue')) {
    const long = wire.longValue;
    fields.hasLong = true;
    fields.longLow = typeof long === 'number' ? long >>> 0 : long.low >>> 0;
    fields.longHigh = typeof long === 'number' ? Math.floor(long / TWO_POW_32) >>> 0 : long.high >>> 0;
  }
  if (has(wire, 'floatValue')) fields.float = wire.floatValue;
  if (has(wire, 'doubleValue')) fields.double = wire.doubleValue;
  if (has(wire, 'booleanValue')) fields.boolean = wire.booleanValue;
  if (has(wire, 'stringValue')) fields.string = wire.stringValue;
  if (has(wire, 'bytesValue')) fields.bytes = wire.bytesValue;
  if (has(wire, 'datasetValue')) fields.dataSet = wire.datasetValue;
  if (has(wire, 'propertysetValue')) fields.propertySet = wire.propertysetValue;
  if (has(wire, 'propertysetsValue')) fields.propertySets = wire.propertysetsValue.propertyset ?? [];
  return fields;
}

/** Reads a value by datatype from whichever field carries it (writers differ on UInt32's field). */
function valueOf(datatype: number, fields: ValueFields, budget: DecodeBudget, depth: number, what: Describe): DecodedJson {
  budget.take(depth);
  const int = fields.int;
  switch (datatype) {
    case 10: // Double, first: what most metrics are
      return fields.double !== undefined && Number.isFinite(fields.double) ? fields.double : fallback(fields, budget, depth);
    case 1: // Int8
      return int !== undefined ? (int << 24) >> 24 : fields.hasLong ? int64Value(fields.longLow, fields.longHigh, true) : fallback(fields, budget, depth);
    case 2: // Int16
      return int !== undefined ? (int << 16) >> 16 : fields.hasLong ? int64Value(fields.longLow, fields.longHigh, true) : fallback(fields, budget, depth);
    case 3: // Int32
      return int !== undefined ? int | 0 : fields.hasLong ? int64Value(fields.longLow, fields.longHigh, true) : fallback(fields, budget, depth);
    case 4: // Int64
      return fields.hasLong ? int64Value(fields.longLow, fields.longHigh, true) : int !== undefined ? int | 0 : fallback(fields, budget, depth);
    case 5: // UInt8
    case 6: // UInt16
    case 7: // UInt32
      return int !== undefined ? int >>> 0 : fields.hasLong ? int64Value(fields.longLow, fields.longHigh, false) : fallback(fields, budget, depth);
    case 8: // UInt64
    case 13: // DateTime
      return fields.hasLong ? int64Value(fields.longLow, fields.longHigh, false) : int !== undefined ? int >>> 0 : fallback(fields, budget, depth);
    case 16: // DataSet
      return fields.dataSet ? dataSetValue(fields.dataSet, budget, depth, what) : fallback(fields, budget, depth);
    case 19: // Template
      return fields.template !== undefined ? fields.template : fallback(fields, budget, depth);
    case 20: // PropertySet
      return fields.propertySet ? propertySetValue(fields.propertySet, budget, depth + 1) : fallback(fields, budget, depth);
    case 21: // PropertySetList
      return fields.propertySets ? fields.propertySets.map((set) => propertySetValue(set, budget, depth + 1)) : fallback(fields, budget, depth);
    default:
      if (datatype >= 22 && datatype <= 34 && fields.bytes) return arrayValue(datatype, fields.bytes, budget, depth, what);
      return fallback(fields, budget, depth);
  }
}

/** Whatever value field is set, as it is: Float, Double, Boolean, String, Text, UUID, Bytes, File, and any mismatch. */
function fallback(fields: ValueFields, budget: DecodeBudget, depth: number): DecodedJson {
  if (fields.float !== undefined) return toDecodedJson(fields.float, budget, depth + 1);
  if (fields.double !== undefined) return toDecodedJson(fields.double, budget, depth + 1);
  if (fields.boolean !== undefined) return fields.boolean;
  if (fields.string !== undefined) return fields.string;
  if (fields.bytes) return bytesValue(fields.bytes);
  if (fields.int !== undefined) return fields.int;
  if (fields.hasLong) return int64Value(fields.longLow, fields.longHigh, false);
  if (fields.dataSet) return dataSetValue(fields.dataSet, budget, depth, () => 'A data set');
  if (fields.template !== undefined) return fields.template;
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
    const type = sparkplugDatatypeName(datatype);
    throw new SparkplugProblem(`${what()} is ${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type} of ${bytes.length} bytes, not a whole number of ${size}-byte values.`);
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
    return (row.elements ?? []).map((cell, c) => valueOf(types[c] ?? 0, fieldsOf(cell), budget, depth + 3, () => `${what()}, row ${r + 1}, column ${c + 1}`));
  });
  return { columns, types: types.map(sparkplugDatatypeName), rows };
}

function propertySetValue(set: WirePropertySet, budget: DecodeBudget, depth: number): DecodedJson {
  budget.take(depth);
  const out: Record<string, DecodedJson> = {};
  const values = set.values ?? [];
  (set.keys ?? []).forEach((key, i) => {
    const value = values[i];
    if (!value) return;
    const type = value.type ?? 0;
    setField(out, key, { type: sparkplugDatatypeName(type), value: value.isNull ? null : valueOf(type, fieldsOf(value), budget, depth + 2, () => `Property "${key}"`) });
  });
  return out;
}

// Protobuf wire types.
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/** The halves of the last 64-bit varint `readVarint64` read (module state: no object per value). */
let varintLow = 0;
let varintHigh = 0;

/** Reads a varint of up to 64 bits into `varintLow` and `varintHigh`, as unsigned 32-bit halves. */
function readVarint64(reader: protobuf.Reader): void {
  const buf = reader.buf;
  const len = reader.len;
  let pos = reader.pos;
  let low = 0;
  let high = 0;
  // Ten bytes at most, seven bits each: bits 0-27 in the first four, 28-34 across the fifth, the rest high.
  for (let index = 0; ; index++) {
    if (index === 10) throw new Error('invalid varint encoding');
    if (pos >= len) throw outOfRange(pos, 1, len);
    const bits = buf[pos++]! & 127;
    if (index < 4) low |= bits << (7 * index);
    else if (index === 4) {
      low |= bits << 28;
      high = bits >> 4;
    } else high |= bits << (7 * index - 32);
    if (buf[pos - 1]! < 128) break;
  }
  reader.pos = pos;
  varintLow = low >>> 0;
  varintHigh = high >>> 0;
}

/** protobufjs's own words for reading past the end. */
function outOfRange(pos: number, length: number, len: number): RangeError {
  return new RangeError(`index out of range: ${pos} + ${length} > ${len}`);
}

/**
 * Starts reading the length-delimited field at the reader's position: keeps the reader
 * inside it (as protobufjs's generated decoders do) and returns where it ends; the
 * caller keeps the reader's limit to restore after.
 */
function enterNested(reader: protobuf.Reader): number {
  const length = reader.size();
  const end = reader.pos + length;
  if (end > reader.len) throw outOfRange(reader.pos, length, reader.len);
  reader.len = end;
  return end;
}

/**
 * Metrics as read, and as the JSON view shows them: the same objects in the same array
 * (which saves what a batch of results allocates, the garbage collector's work), until a
 * metric has properties or metadata, which only the JSON view shows.
 */
interface MetricList {
  metrics: SparkplugMetric[];
  /** The JSON view's own array, once it differs from `metrics`. */
  views: DecodedJson[] | undefined;
}

function metricViews(list: MetricList): DecodedJson[] {
  return list.views ?? (list.metrics as unknown as DecodedJson[]);
}

/**
 * Reads one metric (Sparkplug 3.0, section 6.4.4) straight into its decoded form, into
 * `list`. `depth` is the metric's own level; its value is counted one below it.
 */
function readMetric(reader: protobuf.Reader, budget: DecodeBudget, depth: number, list: MetricList): void {
  const outerLen = reader.len;
  const end = enterNested(reader);
  let name: string | undefined;
  let hasAlias = false;
  let aliasLow = 0;
  let aliasHigh = 0;
  let hasTimestamp = false;
  let timestamp = 0;
  let datatype = 0;
  let isHistorical = false;
  let isTransient = false;
  let isNull = false;
  let properties: WirePropertySet | undefined;
  let metadata: object | undefined;
  const fields = blankFields(depth);
  while (reader.pos < end) {
    const tag = reader.uint32();
    const wireType = tag & 7;
    const field = tag >>> 3;
    if (wireType === VARINT) {
      switch (field) {
        case 2:
          readVarint64(reader);
          hasAlias = true;
          aliasLow = varintLow;
          aliasHigh = varintHigh;
          continue;
        case 3:
          readVarint64(reader);
          hasTimestamp = true;
          timestamp = timeValue(varintLow, varintHigh);
          continue;
        case 4:
          datatype = reader.uint32();
          continue;
        case 5:
          isHistorical = reader.bool();
          continue;
        case 6:
          isTransient = reader.bool();
          continue;
        case 7:
          isNull = reader.bool();
          continue;
        case 10:
          fields.int = reader.uint32();
          continue;
        case 11:
          readVarint64(reader);
          fields.hasLong = true;
          fields.longLow = varintLow;
          fields.longHigh = varintHigh;
          continue;
        case 14:
          fields.boolean = reader.bool();
          continue;
      }
    } else if (wireType === FIXED64 && field === 13) {
      fields.double = reader.double();
      continue;
    } else if (wireType === FIXED32 && field === 12) {
      fields.float = reader.float();
      continue;
    } else if (wireType === LENGTH_DELIMITED) {
      switch (field) {
        case 1:
          name = reader.string();
          continue;
        case 8:
          metadata = sparkplugTypes.metaData.decode(reader, reader.size());
          continue;
        case 9:
          properties = sparkplugTypes.propertySet.decode(reader, reader.size()) as unknown as WirePropertySet;
          continue;
        case 15:
          fields.string = reader.string();
          continue;
        case 16:
          fields.bytes = reader.bytes();
          continue;
        case 17:
          fields.dataSet = sparkplugTypes.dataSet.decode(reader, reader.size()) as unknown as WireDataSet;
          continue;
        case 18:
          fields.template = readTemplate(reader, budget, depth + 1);
          continue;
      }
    }
    reader.skipType(wireType, 0, field);
  }
  reader.len = outerLen;

  const alias = hasAlias ? int64Value(aliasLow, aliasHigh, false) : undefined;
  // Aliases are uint64; one past 2^53 cannot be a key anyone sent on purpose.
  if (typeof alias === 'string') throw new SparkplugProblem(`${describeMetric(name, alias)} has the alias ${alias}, beyond the largest exact number.`);
  // A label only for the values whose errors name the metric (data sets, arrays): no closure per plain metric.
  const what = datatype === 16 || datatype >= 22 ? () => describeMetric(name, alias) : describeAnyMetric;
  const datatypeName = sparkplugDatatypeName(datatype);
  const value = isNull ? null : valueOf(datatype, fields, budget, depth + 1, what);
  let metric: SparkplugMetric;
  if (alias !== undefined && hasTimestamp) {
    // The usual shapes (data by alias, births) cloned whole from their template: see DATA_METRIC.
    metric = name === undefined ? { ...DATA_METRIC } : { ...BIRTH_METRIC };
    metric.datatype = datatype;
    metric.datatypeName = datatypeName;
    metric.value = value;
    if (name !== undefined) metric.name = name;
    metric.alias = alias;
    metric.timestamp = timestamp;
  } else if (name !== undefined && hasTimestamp) {
    // Data and births of a node that uses no aliases.
    metric = { ...NAMED_METRIC };
    metric.datatype = datatype;
    metric.datatypeName = datatypeName;
    metric.value = value;
    metric.name = name;
    metric.timestamp = timestamp;
  } else {
    metric = { ...BARE_METRIC };
    metric.datatype = datatype;
    metric.datatypeName = datatypeName;
    metric.value = value;
    if (name !== undefined) metric.name = name;
    if (alias !== undefined) metric.alias = alias;
    if (hasTimestamp) metric.timestamp = timestamp;
  }
  if (isNull) metric.isNull = true;
  if (isHistorical) metric.isHistorical = true;
  if (isTransient) metric.isTransient = true;
  list.metrics.push(metric);
  if (properties || metadata) list.views ??= list.metrics.slice(0, -1) as unknown as DecodedJson[];
  list.views?.push(properties || metadata ? metricWithExtras(metric, properties, metadata, budget, depth) : (metric as unknown as Record<string, DecodedJson>));
}

/**
 * The metric shapes, each with every field it has, that a metric is cloned from
 * (`{ ...DATA_METRIC }`, then its fields set) rather than written as an object literal.
 * A literal is an allocation site, and V8 pretenures a site whose objects mostly survive
 * a scavenge: a call's metrics all do (they live until the reply is sent), so it then
 * made every later metric in the old generation, where they die as garbage only a full
 * collection reclaims; the decode benchmark ran at a fifth of its speed in about half
 * its processes (`node --trace-pretenuring` shows the decisions). A clone has no
 * allocation site, and takes its template's layout: the fields inside the object.
 */
const DATA_METRIC: SparkplugMetric = { datatype: 0, datatypeName: '', value: null, alias: 0, timestamp: 0 };
const BIRTH_METRIC: SparkplugMetric = { datatype: 0, datatypeName: '', value: null, name: '', alias: 0, timestamp: 0 };
const NAMED_METRIC: SparkplugMetric = { datatype: 0, datatypeName: '', value: null, name: '', timestamp: 0 };
const BARE_METRIC: SparkplugMetric = { datatype: 0, datatypeName: '', value: null };

function describeMetric(name: string | undefined, alias: number | string | undefined): string {
  return name !== undefined ? `Metric "${name}"` : alias !== undefined ? `Metric with alias ${alias}` : 'A metric';
}

function describeAnyMetric(): string {
  return 'A metric';
}

/** A metric in the payload's JSON view with its properties and metadata, which SparkplugMetric does not hold. */
function metricWithExtras(metric: SparkplugMetric, properties: WirePropertySet | undefined, metadata: object | undefined, budget: DecodeBudget, depth: number): DecodedJson {
  const out: Record<string, DecodedJson> = { ...(metric as unknown as Record<string, DecodedJson>) };
  if (properties) out['properties'] = propertySetValue(properties, budget, depth + 1);
  if (metadata) out['metadata'] = toDecodedJson({ ...metadata }, budget, depth + 1);
  return out;
}

/** Reads a template (section 6.4.7) into its decoded form; `depth` is the level of the metric value it is. */
function readTemplate(reader: protobuf.Reader, budget: DecodeBudget, depth: number): DecodedJson {
  // Templates nest in templates: refuse past the deepest level before going further down.
  if (depth > budget.maxDepth) budget.take(depth);
  const outerLen = reader.len;
  const end = enterNested(reader);
  let version: string | undefined;
  let templateRef: string | undefined;
  let isDefinition: boolean | undefined;
  const parameters: (WireValue & { name?: string; type?: number })[] = [];
  const list: MetricList = { metrics: [], views: undefined };
  while (reader.pos < end) {
    const tag = reader.uint32();
    const wireType = tag & 7;
    const field = tag >>> 3;
    if (wireType === LENGTH_DELIMITED && field === 1) version = reader.string();
    else if (wireType === LENGTH_DELIMITED && field === 2) readMetric(reader, budget, depth + 2, list);
    else if (wireType === LENGTH_DELIMITED && field === 3) parameters.push(sparkplugTypes.parameter.decode(reader, reader.size()) as unknown as WireValue & { name?: string; type?: number });
    else if (wireType === LENGTH_DELIMITED && field === 4) templateRef = reader.string();
    else if (wireType === VARINT && field === 5) isDefinition = reader.bool();
    else reader.skipType(wireType, 0, field);
  }
  reader.len = outerLen;
  const out: Record<string, DecodedJson> = {};
  if (version !== undefined) out['version'] = version;
  if (templateRef !== undefined) out['templateRef'] = templateRef;
  if (isDefinition !== undefined) out['isDefinition'] = isDefinition;
  if (parameters.length) {
    out['parameters'] = parameters.map((parameter) => ({
      name: sent(parameter, 'name') ?? null,
      type: sparkplugDatatypeName(parameter.type ?? 0),
      value: valueOf(parameter.type ?? 0, fieldsOf(parameter), budget, depth + 3, () => `Parameter "${sent(parameter, 'name') ?? ''}"`),
    }));
  }
  out['metrics'] = metricViews(list);
  return out;
}

/** Decodes one Sparkplug B payload; never throws. */
export function decodeSparkplug(payload: Uint8Array, budget = new DecodeBudget()): DecodeResult {
  try {
    return readPayload(payload, budget);
  } catch (error) {
    if (error instanceof DecodedTooLarge) return { kind: 'error', format: SPARKPLUG_FORMAT, message: error.message };
    if (error instanceof SparkplugProblem) return { kind: 'error', format: SPARKPLUG_FORMAT, message: `Not a Sparkplug B payload: ${error.message}` };
    // Anything else the reader throws says the bytes are not protobuf (a TypeError would be our mistake: passed on).
    if (error instanceof Error && !(error instanceof TypeError) && !(error instanceof ReferenceError)) {
      return { kind: 'error', format: SPARKPLUG_FORMAT, message: `Not a Sparkplug B payload: ${error.message}.` };
    }
    throw error;
  }
}

/** Reads the payload message (section 6.4.1) straight into both views. */
function readPayload(payload: Uint8Array, budget: DecodeBudget): DecodeResult {
  const reader = protobuf.Reader.create(payload);
  let timestamp: number | undefined;
  let seq: number | string | undefined;
  let uuid: string | undefined;
  let body: Uint8Array | undefined;
  const list: MetricList = { metrics: [], views: undefined };
  const metrics = list.metrics;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const wireType = tag & 7;
    const field = tag >>> 3;
    if (wireType === LENGTH_DELIMITED && field === 2) readMetric(reader, budget, 3, list);
    else if (wireType === VARINT && field === 1) {
      readVarint64(reader);
      timestamp = timeValue(varintLow, varintHigh);
    } else if (wireType === VARINT && field === 3) {
      readVarint64(reader);
      seq = int64Value(varintLow, varintHigh, false);
    } else if (wireType === LENGTH_DELIMITED && field === 4) uuid = reader.string();
    else if (wireType === LENGTH_DELIMITED && field === 5) body = reader.bytes();
    else reader.skipType(wireType, 0, field);
  }
  if (payload.length > 0 && timestamp === undefined && metrics.length === 0 && seq === undefined && uuid === undefined && body === undefined) {
    return { kind: 'error', format: SPARKPLUG_FORMAT, message: 'Not a Sparkplug B payload: it holds none of the fields of one (timestamp, metrics, seq).' };
  }
  if (seq !== undefined && (typeof seq !== 'number' || seq > 255)) throw new SparkplugProblem(`its seq is ${seq}; Sparkplug counts from 0 to 255.`);
  const sparkplug: SparkplugPayload = { metrics };
  const value: Record<string, DecodedJson> = {};
  if (timestamp !== undefined) sparkplug.timestamp = value['timestamp'] = timestamp;
  if (seq !== undefined) sparkplug.seq = value['seq'] = seq;
  if (uuid !== undefined) sparkplug.uuid = value['uuid'] = uuid;
  if (body !== undefined) value['body'] = bytesValue(body);
  value['metrics'] = metricViews(list);
  return { kind: 'structured', format: SPARKPLUG_FORMAT, value, sparkplug };
}
