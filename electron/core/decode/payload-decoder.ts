/**
 * Every decoder, in the core, for `payload:decode`: the ones the renderer could run too
 * (auto, JSON, text, raw, base64; shared/inspect/decode/local-decode.ts), and those that
 * need a library that generates code or Node itself: Sparkplug B and Protobuf
 * (protobufjs), CBOR (cbor-x), MessagePack (msgpackr), gzip and deflate (node:zlib, then
 * the inner format). Whatever a payload holds, the answer is a DecodeResult: a failure is
 * `kind: 'error'` with a sentence for the user, never a throw across the boundary.
 */
import { inflateRawSync, inflateSync, gunzipSync } from 'node:zlib';
import { Decoder as CborDecoder } from 'cbor-x/index-no-eval';
import { Unpackr } from 'msgpackr';
import type { DecodeResult } from '../../../shared/inspect/decode/decoded-payload';
import type { DecoderSpec, InnerKind, ProtoFile } from '../../../shared/inspect/decode/decode-rules';
import { DecodeBudget, DecodedTooLarge, toDecodedJson } from '../../../shared/inspect/decode/decoded-json';
import { decodeLocally, isLocalDecoder } from '../../../shared/inspect/decode/local-decode';
import { decodeProtobuf, ProtobufSchemas } from './protobuf-decode';
import { decodeSparkplug } from './sparkplug-decode';

/** Largest size a gzip or deflate payload may inflate to (16 MiB): past it, a compression bomb is refused rather than filling memory. */
export const MAX_INFLATED_BYTES = 16 * 1024 * 1024;
/** Most bytes all the gzip and deflate payloads of one call may inflate to together (32 MiB), so the answer fits the browser host's frames. */
export const MAX_INFLATED_BYTES_PER_CALL = 32 * 1024 * 1024;
/** Most decoded values (objects, arrays, leaves) one call makes, all payloads together: bounds the core's memory and the answer's size. */
export const MAX_DECODED_NODES_PER_CALL = 2_000_000;

/** What one call has used so far, across its payloads. */
interface CallUse {
  inflatedBytes: number;
  nodes: number;
}

// Records (structures a payload defines) are off: the publisher controls the bytes, and
// records are how these libraries would compile readers. cbor-x's no-eval build has that
// code removed; 64-bit integers arrive as BigInt and are made exact strings past 2^53.
const cbor = new CborDecoder({ mapsAsObjects: true, useRecords: false });
const msgpack = new Unpackr({ mapsAsObjects: true, useRecords: false, int64AsType: 'bigint' });

export class PayloadDecoder {
  readonly #protobuf = new ProtobufSchemas();

  /** Decodes each payload with `spec`; one result per payload, in order. */
  decode(spec: DecoderSpec, protoFiles: readonly ProtoFile[], payloads: readonly Uint8Array[]): DecodeResult[] {
    const reader = spec.kind === 'protobuf' ? this.#protobuf.reader(spec, protoFiles) : null;
    const format = reader?.format ?? spec.kind;
    const use: CallUse = { inflatedBytes: 0, nodes: 0 };
    const results: DecodeResult[] = [];
    for (const payload of payloads) {
      if (use.nodes >= MAX_DECODED_NODES_PER_CALL) {
        const message = `Not decoded: the payloads before it in this request already made ${MAX_DECODED_NODES_PER_CALL.toLocaleString('en-US')} values. Ask for fewer at once.`;
        results.push({ kind: 'error', format, message });
        continue;
      }
      const budget = new DecodeBudget();
      results.push(guarded(format, () => (reader ? decodeProtobuf(reader, payload, budget) : decodeOne(spec, payload, budget, use))));
      use.nodes += budget.nodes;
    }
    return results;
  }
}

function decodeOne(spec: DecoderSpec, payload: Uint8Array, budget: DecodeBudget, use: CallUse): DecodeResult {
  const kind = spec.kind;
  if (isLocalDecoder(kind)) return decodeLocally(kind, payload, '', budget);
  switch (kind) {
    case 'sparkplug':
      return decodeSparkplug(payload, budget);
    case 'cbor':
      return decodeStructured('CBOR', payload, (bytes) => cbor.decode(bytes) as unknown, budget);
    case 'msgpack':
      return decodeStructured('MessagePack', payload, (bytes) => msgpack.unpack(bytes) as unknown, budget);
    case 'gzip':
    case 'deflate':
      return decodeCompressed(kind, spec.inner, payload, budget, use);
    case 'protobuf':
      // Decoded by PayloadDecoder.decode with the profile's schemas; never reached.
      return { kind: 'error', format: 'Protobuf', message: 'Protobuf needs the message type to decode.' };
  }
}

function decodeStructured(name: 'CBOR' | 'MessagePack', payload: Uint8Array, decode: (bytes: Uint8Array) => unknown, budget: DecodeBudget, prefix = ''): DecodeResult {
  const format = `${prefix}${name}`;
  if (payload.byteLength === 0) return { kind: 'error', format, message: `Not ${name}: the payload is empty.` };
  let raw: unknown;
  try {
    raw = decode(payload);
  } catch (error) {
    return { kind: 'error', format, message: `Not ${name}: ${(error as Error).message}.` };
  }
  try {
    return { kind: 'structured', format, value: toDecodedJson(raw, budget) };
  } catch (error) {
    if (error instanceof DecodedTooLarge) return { kind: 'error', format, message: error.message };
    throw error;
  }
}

function decodeCompressed(kind: 'gzip' | 'deflate', inner: InnerKind | undefined, payload: Uint8Array, budget: DecodeBudget, use: CallUse): DecodeResult {
  const label = kind === 'gzip' ? 'gzip' : 'deflate';
  const left = MAX_INFLATED_BYTES_PER_CALL - use.inflatedBytes;
  const options = { maxOutputLength: Math.max(1, Math.min(MAX_INFLATED_BYTES, left)) };
  let inflated: Uint8Array;
  try {
    if (kind === 'gzip') inflated = gunzipSync(payload, options);
    else {
      // "deflate" is zlib-wrapped by the book (RFC 1950), but devices often send the bare stream (RFC 1951).
      try {
        inflated = inflateSync(payload, options);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'Z_DATA_ERROR') throw error;
        inflated = inflateRawSync(payload, options);
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    let message = `Not ${label} data: ${(error as Error).message}.`;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      message =
        left < MAX_INFLATED_BYTES
          ? `Not decoded: the payloads before it in this request already inflated to ${MAX_INFLATED_BYTES_PER_CALL / 1024 / 1024} MiB. Ask for fewer at once.`
          : `The ${label} payload inflates to more than ${MAX_INFLATED_BYTES / 1024 / 1024} MiB, the most Topicscope inflates (a compression bomb?).`;
    }
    return { kind: 'error', format: label, message };
  }
  use.inflatedBytes += inflated.byteLength;
  const bytes = inflated;
  const prefix = `${label} → `;
  let result: DecodeResult;
  if (inner === 'cbor') result = decodeStructured('CBOR', bytes, (b) => cbor.decode(b) as unknown, budget, prefix);
  else if (inner === 'msgpack') result = decodeStructured('MessagePack', bytes, (b) => msgpack.unpack(b) as unknown, budget, prefix);
  else result = decodeLocally(inner ?? 'auto', bytes, prefix, budget);
  // A copy, as a plain Uint8Array of its own: a Node Buffer may be a view into a larger pool, all of which IPC would clone.
  return result.kind === 'bytes' ? { ...result, bytes: new Uint8Array(bytes) } : result;
}

/** Runs a decoder; anything it throws becomes an error result naming the decoder. */
function guarded(format: string, run: () => DecodeResult): DecodeResult {
  try {
    return run();
  } catch (error) {
    return { kind: 'error', format, message: `The payload could not be decoded: ${error instanceof Error ? error.message : String(error)}` };
  }
}
