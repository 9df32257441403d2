/**
 * Encodes contract values for the browser-mode WebSocket, where Electron's structured
 * clone is not available. A frame is one CBOR data item (RFC 8949): byte arrays travel
 * as CBOR byte strings, strings as text strings, objects as maps with text keys. Nothing
 * in the data is given a meaning by the codec, so no topic, payload or user property a
 * broker sends can be mistaken for structure (the JSON codec this replaces marked byte
 * arrays with a `{"\u0000b": n}` object, which a user property could forge).
 *
 * Why cbor-x 1.6.9 (pinned) rather than msgpackr 2.1.4: both are by the same author,
 * released within weeks (Nov 2026), run on Node 20 and in the page, and have no-eval
 * builds. Speed (`npm run bench -- --scenario codec`, see bench/README.md; medians of 3
 * runs of 7 passes, frame bytes per CPU second, the machine shared and loaded):
 *
 *                           64 B payloads        1 KiB payloads
 *                           encode   decode      encode   decode
 *     old JSON codec          62.3     43.3       147.3    226.2   MB per CPU second
 *     cbor-x (raw)           158.0    157.1       279.7    839.2
 *     msgpackr (raw)         102.1    168.9       401.2    775.6
 *     wire-codec (cbor-x     138.4     64.8       254.9    351.1
 *       + checks, shipped)
 *
 * Raw speed is a draw (cbor-x ahead on small-message encoding and large decoding,
 * msgpackr on the other two); cbor-x adds less to the renderer bundle (93.6 kB, 19.4 kB
 * gzipped, against 103.9 kB and 21.0 kB), and CBOR is an IETF standard (RFC 8949) whose
 * exact well-formedness rules keep the structure scan below small. The scan and checks
 * bring decoding to about 40% of raw cbor-x; it stays faster than the JSON codec.
 *
 * CSP: the page runs under `script-src 'self'` without 'unsafe-eval'. cbor-x compiles
 * record readers with `new Function` (and probes for it when loaded); its
 * `index-no-eval` build has that call removed, and records are off anyway
 * (`useRecords: false`). The same build runs in Node (no native string addon to ship).
 *
 * A `messages:batch` event's payload, most of what the socket carries, travels packed
 * in columns (batch-packing.ts): encodeFrame packs it and decodeFrame unpacks it, so
 * callers on both sides still see a MessageBatch.
 *
 * Decoding trusts nothing: before cbor-x sees a frame, `scan` checks that it is exactly
 * one well-formed item made of the types below (no tags, no indefinite lengths, no
 * 64-bit integers that would come back as BigInt, map keys only text, text valid UTF-8),
 * no deeper than MAX_DEPTH, with every declared length and count fitting in the bytes
 * that remain (so a tiny frame cannot make the decoder allocate a huge array or
 * string), no bytes after it, and at most MAX_FRAME_BYTES in all. Then the result must
 * be a WireMessage. Anything else is a FrameError; no other error leaves decodeFrame.
 *
 * What round-trips, exactly: null, booleans, numbers (-0 becomes 0, as with JSON),
 * strings (a lone UTF-16 surrogate, which UTF-8 cannot carry, becomes U+FFFD as
 * TextEncoder does), `undefined` (kept, also as an object's field: structured clone in
 * the desktop app keeps it too, and zod's `.optional()` and `.default()` treat a field
 * set to undefined like a missing one), byte arrays (decoded as plain Uint8Array views
 * into the frame), arrays, and plain objects with any string keys, `__proto__` and
 * `constructor` included, as own data properties (no prototype is ever set). Anything
 * else (Date, Map, class instances, functions, BigInt, cycles...) makes encodeFrame
 * throw FrameError rather than send something the other side would read differently.
 */
import { Decoder, Encoder } from 'cbor-x/index-no-eval';
import type { MessageBatch } from '../mqtt/mqtt-message';
import { packBatch, unpackBatch } from './batch-packing';
import { FrameError } from './frame-error';

export { FrameError };

/** Largest frame accepted, in bytes (64 MiB); the web host passes it to its WebSocket server as `maxPayload`. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;
/** Deepest nesting of arrays and objects accepted, on both sides (the contract needs about 8). */
export const MAX_DEPTH = 64;

/** WebSocket close codes the host sends (4000-4999 are the application's own). */
export const CLOSE_CODES = {
  /** The page stopped reading: too much queued for it, or behind for too long. */
  stoppedReading: 4008,
  /** The answer to a page asking why it lost its socket, when the host kept no reason. */
  noRecord: 4004,
} as const;

/** Messages on the browser-mode socket. */
export type WireMessage =
  | { kind: 'command'; id: number; name: string; args: unknown }
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'event'; name: string; payload: unknown };

// Options are cbor-x's defaults made explicit where they matter: no records (they need
// `new Function` and would let a frame define structures), Uint8Array as a plain byte
// string rather than RFC 8746 tag 64, no shared string packing.
const encoder = new Encoder({ useRecords: false, tagUint8Array: false, pack: false });
const objectDecoder = new Decoder({ useRecords: false, mapsAsObjects: true });
// cbor-x renames a `__proto__` key to `__proto_` when it builds objects; frames that
// have one are decoded into Maps instead, and turned into objects here (see toObjects).
const mapDecoder = new Decoder({ useRecords: false, mapsAsObjects: false });

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Encodes one value (a WireMessage, for the socket). Throws FrameError for values the
 * codec does not carry (see the header), too deep or cyclic ones included.
 */
export function encodeFrame(value: unknown): Uint8Array<ArrayBuffer> {
  const plain = toEncodable(isBatchEvent(value) ? { ...value, payload: packBatch(value.payload as MessageBatch) } : value, 0);
  try {
    // In Node cbor-x returns a Buffer; hand out a plain view of the same bytes. Each call
    // gets bytes of its own (cbor-x moves on, or to a new buffer, for the next frame), so
    // a frame still queued on a socket is never overwritten.
    const frame = encoder.encode(plain);
    return new Uint8Array(frame.buffer as ArrayBuffer, frame.byteOffset, frame.byteLength);
  } catch (error) {
    throw new FrameError(`The value could not be encoded: ${(error as Error).message}`);
  }
}

/**
 * `String.prototype.isWellFormed` (ES2024; Node 20, Chromium 111 and later): false when
 * the string has a lone surrogate. A builtin that answers at once for a one-byte string,
 * where the regular expression cost a call per string and per key of every message.
 */
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * Checks a value is plain data; returns it, or a copy where lone surrogates became U+FFFD.
 * This walks every message of every batch before it is encoded, so the common case (the
 * value is fine as it is) allocates nothing: objects are walked with `for...in` (no key
 * array; the prototype is checked first, and Object.prototype has no enumerable keys).
 */
function toEncodable(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'undefined':
    case 'boolean':
    case 'number':
      return value;
    case 'string':
      return isWellFormed(value) ? value : value.replace(LONE_SURROGATE, '\uFFFD');
    case 'object':
      break;
    default:
      throw new FrameError(`A ${typeof value} cannot be sent over the wire.`);
  }
  if (value === null || value instanceof Uint8Array) return value;
  if (depth >= MAX_DEPTH) throw new FrameError(`The value is nested deeper than ${MAX_DEPTH} levels (or refers to itself).`);
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const encodable = toEncodable(item, depth + 1);
      if (encodable !== item) (copy ??= value.slice())[i] = encodable;
    }
    return copy ?? value;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    throw new FrameError(`A ${typeof name === 'string' && name ? name : 'non-plain object'} cannot be sent over the wire.`);
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (toEncodable(item, depth + 1) !== item || !isWellFormed(key)) return encodableCopy(record, depth);
  }
  return value;
}

/** The rare object that needs changes: a copy with every key and value made encodable. */
function encodableCopy(record: Record<string, unknown>, depth: number): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const item = toEncodable(record[key], depth + 1);
    // defineProperty, not assignment: a `__proto__` key stays data here too.
    Object.defineProperty(copy, key.replace(LONE_SURROGATE, '\uFFFD'), { value: item, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/**
 * Decodes a frame into a WireMessage (typed `unknown` for the callers that narrow it
 * further). Throws FrameError on anything malformed: the peer may be hostile.
 */
export function decodeFrame(frame: Uint8Array): unknown {
  if (!(frame instanceof Uint8Array)) throw new FrameError('A frame must be bytes.');
  if (frame.byteLength === 0) throw new FrameError('The frame is empty.');
  if (frame.byteLength > MAX_FRAME_BYTES) throw new FrameError(`The frame is larger than ${MAX_FRAME_BYTES} bytes.`);
  // cbor-x returns byte strings as views of what it is given: make that a plain
  // Uint8Array, so a Node Buffer never comes out as a payload.
  const bytes = Object.getPrototypeOf(frame) === Uint8Array.prototype ? frame : new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
  const scan = new Scan(bytes);
  const end = scan.item(0, 0);
  if (end !== bytes.byteLength) throw new FrameError(`The frame has ${bytes.byteLength - end} bytes after its value.`);
  let value: unknown;
  try {
    value = scan.protoKey ? toObjects(mapDecoder.decode(bytes), 0) : objectDecoder.decode(bytes);
  } catch (error) {
    // The scan accepts only what cbor-x reads; this is a safety net, not a path in use.
    throw new FrameError(`The frame could not be decoded: ${(error as Error).message}`);
  }
  checkWireMessage(value);
  if (isBatchEvent(value)) value.payload = unpackBatch(value.payload);
  return value;
}

/** A `messages:batch` event: its payload travels packed in columns (batch-packing.ts). */
function isBatchEvent(value: unknown): value is WireMessage & { kind: 'event' } {
  const message = value as Partial<Record<'kind' | 'name', unknown>> | null;
  return typeof message === 'object' && message !== null && message.kind === 'event' && message.name === 'messages:batch';
}

/** Turns the Maps of a frame decoded with `mapsAsObjects: false` into plain objects. */
function toObjects(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new FrameError('The frame is nested too deeply.');
  if (Array.isArray(value)) return value.map((item) => toObjects(item, depth + 1));
  if (!(value instanceof Map)) return value;
  const object: Record<string, unknown> = {};
  for (const [key, item] of value as Map<string, unknown>) {
    // defineProperty, not assignment: a `__proto__` key must stay data, not set the prototype.
    Object.defineProperty(object, key, { value: toObjects(item, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return object;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** `__proto__` as UTF-8, to spot the key that needs the slower decoding path. */
const PROTO_KEY = [0x5f, 0x5f, 0x70, 0x72, 0x6f, 0x74, 0x6f, 0x5f, 0x5f];

/**
 * Walks a frame's CBOR structure without building anything, checking the limits and
 * the subset of CBOR that encodeFrame writes (see the header).
 */
class Scan {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  /** Whether some map has a `__proto__` key. */
  protoKey = false;
  /** Where the content of the last text string scanned starts. */
  #textStart = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Checks the item at `at`; returns where the next one starts. */
  item(at: number, depth: number): number {
    const bytes = this.#bytes;
    if (at >= bytes.byteLength) throw new FrameError('The frame ends in the middle of a value.');
    const initial = bytes[at]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (major === 7) return this.#simple(at, info);
    if (major === 6) throw new FrameError('The frame has a CBOR tag; none are used on the wire.');
    if (info > 26) {
      throw new FrameError(info === 31 ? 'The frame has an indefinite length; none are used on the wire.' : 'The frame has an integer or length too large for the wire.');
    }
    const headerEnd = at + 1 + (info < 24 ? 0 : 1 << (info - 24));
    if (headerEnd > bytes.byteLength) throw new FrameError('The frame ends in the middle of a value.');
    const argument = info < 24 ? info : info === 24 ? bytes[at + 1]! : info === 25 ? this.#view.getUint16(at + 1) : this.#view.getUint32(at + 1);
    const remaining = bytes.byteLength - headerEnd;
    switch (major) {
      case 0:
      case 1:
        return headerEnd;
      case 2:
        if (argument > remaining) throw new FrameError(`The frame declares ${argument} bytes where ${remaining} remain.`);
        return headerEnd + argument;
      case 3:
        if (argument > remaining) throw new FrameError(`The frame declares a ${argument}-byte string where ${remaining} bytes remain.`);
        this.#textStart = headerEnd;
        this.#checkText(headerEnd, headerEnd + argument);
        return headerEnd + argument;
      case 4: {
        // Every item takes at least one byte: a count beyond what remains is a lie.
        if (argument > remaining) throw new FrameError(`The frame declares ${argument} items where ${remaining} bytes remain.`);
        if (depth >= MAX_DEPTH) throw new FrameError(`The frame is nested deeper than ${MAX_DEPTH} levels.`);
        let next = headerEnd;
        for (let i = 0; i < argument; i++) next = this.item(next, depth + 1);
        return next;
      }
      default: {
        // major 5, a map: text keys only, each entry at least two bytes.
        if (argument > remaining / 2) throw new FrameError(`The frame declares ${argument} entries where ${remaining} bytes remain.`);
        if (depth >= MAX_DEPTH) throw new FrameError(`The frame is nested deeper than ${MAX_DEPTH} levels.`);
        let next = headerEnd;
        for (let i = 0; i < argument; i++) {
          if (next < bytes.byteLength && bytes[next]! >> 5 !== 3) throw new FrameError('The frame has a map key that is not text.');
          next = this.item(next, depth + 1);
          const keyStart = this.#textStart;
          if (next - keyStart === PROTO_KEY.length && PROTO_KEY.every((b, j) => bytes[keyStart + j] === b)) this.protoKey = true;
          next = this.item(next, depth + 1);
        }
        return next;
      }
    }
  }

  /** false, true, null, undefined and floats; no other simple values, no break. */
  #simple(at: number, info: number): number {
    if (info >= 20 && info <= 23) return at + 1;
    const size = info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size === 0) throw new FrameError('The frame has a CBOR simple value not used on the wire.');
    if (at + 1 + size > this.#bytes.byteLength) throw new FrameError('The frame ends in the middle of a value.');
    return at + 1 + size;
  }

  #checkText(start: number, end: number): void {
    const bytes = this.#bytes;
    for (let i = start; i < end; i++) {
      if (bytes[i]! >= 0x80) {
        try {
          utf8.decode(bytes.subarray(start, end));
        } catch {
          throw new FrameError('The frame has a string that is not valid UTF-8.');
        }
        return;
      }
    }
  }
}

const MESSAGE_KEYS: Record<WireMessage['kind'], readonly string[]> = {
  command: ['kind', 'id', 'name', 'args'],
  result: ['kind', 'id', 'result'],
  event: ['kind', 'name', 'payload'],
};

/** The top level must be one of the WireMessage shapes, with nothing else in it. */
function checkWireMessage(value: unknown): asserts value is WireMessage {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new FrameError('The frame is not a message object.');
  }
  const message = value as Record<string, unknown>;
  const kind = message['kind'];
  if (kind !== 'command' && kind !== 'result' && kind !== 'event') throw new FrameError('The frame is not a command, result or event.');
  const allowed = MESSAGE_KEYS[kind];
  for (const key of Object.keys(message)) {
    if (!allowed.includes(key)) throw new FrameError(`The ${kind} frame has an unexpected field "${key}".`);
  }
  if (kind !== 'event' && !(Number.isSafeInteger(message['id']) && (message['id'] as number) >= 0)) {
    throw new FrameError(`The ${kind} frame has no valid id.`);
  }
  if (kind !== 'result' && typeof message['name'] !== 'string') throw new FrameError(`The ${kind} frame has no name.`);
}
