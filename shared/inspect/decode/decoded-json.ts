/**
 * Turning what a decoder library hands back (BigInt, Map, byte arrays, Date, CBOR tags,
 * NaN...) into DecodedJson, the plain data that crosses IPC and the browser host's codec,
 * within limits: a payload of a few KiB can describe a value nested thousands deep or
 * holding millions of entries, and the viewer (and the wire codec, which stops at 64
 * levels) must never receive one. Pure: the core uses it for every structured decoder,
 * the renderer for JSON.
 */
import type { DecodedJson } from './decoded-payload';

/** Deepest nesting a decoded value may have: leaves room under the wire codec's 64 levels for the result's own envelope. */
export const MAX_DECODED_DEPTH = 32;
/** Most values (objects, arrays and leaves together) in one decoded payload. */
export const MAX_DECODED_NODES = 1_000_000;

/** A decoded value over the limits, with a message for the user. */
export class DecodedTooLarge extends Error {
  override name = 'DecodedTooLarge';
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex, two digits a byte, no separators: the `$bytes` form. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX[byte]!;
  return out;
}

/** A byte field in decoded form: never mistaken for text. */
export function bytesValue(bytes: Uint8Array): DecodedJson {
  return { $bytes: bytesToHex(bytes) };
}

/** A 64-bit integer: a number while exact (|n| ≤ 2^53 - 1), else its decimal digits. */
export function integerValue(value: bigint): DecodedJson {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** A field on a plain object, `__proto__` included, as an own data property (no prototype is ever changed). */
export function setField(target: Record<string, DecodedJson>, key: string, value: DecodedJson): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Counts what a conversion has made, so one budget covers the whole payload. */
export class DecodeBudget {
  #nodes = 0;
  constructor(readonly maxNodes = MAX_DECODED_NODES, readonly maxDepth = MAX_DECODED_DEPTH) {}

  /** Values counted so far. */
  get nodes(): number {
    return this.#nodes;
  }

  /** Counts one value at `depth`; throws DecodedTooLarge past a limit. */
  take(depth: number): void {
    if (depth > this.maxDepth) throw new DecodedTooLarge(`The decoded value is nested deeper than ${this.maxDepth} levels, more than Topicscope shows.`);
    if (++this.#nodes > this.maxNodes) throw new DecodedTooLarge(`The decoded value holds more than ${this.maxNodes.toLocaleString('en-US')} values, more than Topicscope shows.`);
  }
}

/**
 * Any value a decoder library returns, as DecodedJson. Numbers JSON cannot hold (NaN,
 * ±Infinity) become their names as strings, `undefined` becomes null, a Map's keys
 * become strings, a Date its ISO 8601 text, an unknown CBOR tag `{ "value": …, "tag": n }` as cbor-x gives it.
 */
export function toDecodedJson(value: unknown, budget = new DecodeBudget(), depth = 0): DecodedJson {
  budget.take(depth);
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return integerValue(value);
    case 'undefined':
      return null;
    case 'object':
      break;
    default:
      // Functions and symbols never come out of a decoder; named rather than dropped.
      return String(value);
  }
  if (value === null) return null;
  if (value instanceof Uint8Array) return bytesValue(value);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number | bigint>, (item) => toDecodedJson(item, budget, depth + 1));
  if (Array.isArray(value)) return value.map((item) => toDecodedJson(item, budget, depth + 1));
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof Map) {
    const object: Record<string, DecodedJson> = {};
    for (const [key, item] of value) setField(object, typeof key === 'object' && key !== null ? JSON.stringify(toDecodedJson(key, budget, depth + 1)) : String(key), toDecodedJson(item, budget, depth + 1));
    return object;
  }
  if (value instanceof Set) return [...value].map((item) => toDecodedJson(item, budget, depth + 1));
  const object: Record<string, DecodedJson> = {};
  for (const key of Object.keys(value)) setField(object, key, toDecodedJson((value as Record<string, unknown>)[key], budget, depth + 1));
  return object;
}
