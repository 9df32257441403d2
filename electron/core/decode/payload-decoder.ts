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

// Records (structures a payload defines) are off: the publisher controls the bytes, and
// records are how these libraries would compile readers. cbor-x's no-eval build has that
// code removed; 64-bit integers arrive as BigInt and are made exact strings past 2^53.
const cbor = new CborDecoder({ mapsAsObjects: true, useRecords: false });
const msgpack = new Unpackr({ mapsAsObjects: true, useRecords: false, int64AsType: 'bigint' });

export class PayloadDecoder {
  readonly #protobuf = new ProtobufSchemas();

  /** Decodes each payload with `spec`; one result per payload, in order. */
  decode(spec: DecoderSpec, protoFiles: readonly ProtoFile[], payloads: readonly Uint8Array[]): DecodeResult[] {
    if (spec.kind === 'protobuf') {
      const reader = this.#protobuf.reader(spec, protoFiles);
      return payloads.map((payload) => guarded(reader.format, () => decodeProtobuf(reader, payload)));
    }
    return payloads.map((payload) => guarded(spec.kind, () => decodeOne(spec, payload)));
  }
}

function decodeOne(spec: DecoderSpec, payload: Uint8Array): DecodeResult {
  const kind = spec.kind;
  if (isLocalDecoder(kind)) return decodeLocally(kind, payload);
  switch (kind) {
    case 'sparkplug':
      return decodeSparkplug(payload);
    case 'cbor':
      return decodeStructured('CBOR', payload, (bytes) => cbor.decode(bytes) as unknown);
    case 'msgpack':
      return decodeStructured('MessagePack', payload, (bytes) => msgpack.unpack(bytes) as unknown);
    case 'gzip':
    case 'deflate':
      return decodeCompressed(kind, spec.inner, payload);
    case 'protobuf':
      // Decoded by PayloadDecoder.decode with the profile's schemas; never reached.
      return { kind: 'error', format: 'Protobuf', message: 'Protobuf needs the message type to decode.' };
  }
}

function decodeStructured(name: 'CBOR' | 'MessagePack', payload: Uint8Array, decode: (bytes: Uint8Array) => unknown, prefix = ''): DecodeResult {
  const format = `${prefix}${name}`;
  if (payload.byteLength === 0) return { kind: 'error', format, message: `Not ${name}: the payload is empty.` };
  let raw: unknown;
  try {
    raw = decode(payload);
  } catch (error) {
    return { kind: 'error', format, message: `Not ${name}: ${(error as Error).message}.` };
  }
  try {
    return { kind: 'structured', format, value: toDecodedJson(raw, new DecodeBudget()) };
  } catch (error) {
    if (error instanceof DecodedTooLarge) return { kind: 'error', format, message: error.message };
    throw error;
  }
}

function decodeCompressed(kind: 'gzip' | 'deflate', inner: InnerKind | undefined, payload: Uint8Array): DecodeResult {
  const label = kind === 'gzip' ? 'gzip' : 'deflate';
  const options = { maxOutputLength: MAX_INFLATED_BYTES };
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
    const message =
      code === 'ERR_BUFFER_TOO_LARGE'
        ? `The ${label} payload inflates to more than ${MAX_INFLATED_BYTES / 1024 / 1024} MiB, the most Topicscope inflates (a compression bomb?).`
        : `Not ${label} data: ${(error as Error).message}.`;
    return { kind: 'error', format: label, message };
  }
  const bytes = inflated;
  const prefix = `${label} → `;
  let result: DecodeResult;
  if (inner === 'cbor') result = decodeStructured('CBOR', bytes, (b) => cbor.decode(b) as unknown, prefix);
  else if (inner === 'msgpack') result = decodeStructured('MessagePack', bytes, (b) => msgpack.unpack(b) as unknown, prefix);
  else result = decodeLocally(inner ?? 'auto', bytes, prefix);
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
