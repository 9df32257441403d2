/**
 * What a decoder makes of a payload, as it crosses from the core (which decodes: it
 * runs protobufjs, whose generated decoders need `Function`, which the renderer's CSP
 * refuses) to the views that show it. Plain data, so it crosses IPC and the browser
 * host's codec unchanged.
 */

/** The decoders a rule can pick ("Decode as"). */
export type DecoderKind = 'auto' | 'sparkplug' | 'protobuf' | 'cbor' | 'msgpack' | 'gzip' | 'deflate' | 'base64' | 'json' | 'text' | 'raw';

/**
 * A value in decoded form: what JSON can hold. 64-bit integers beyond 2^53 arrive as
 * decimal strings; byte fields as `{ "$bytes": "<hex>" }` so they never pass for text.
 */
export type DecodedJson = null | boolean | number | string | DecodedJson[] | { [key: string]: DecodedJson };

/** The outcome of decoding one payload. */
export type DecodeResult =
  /** Structured data (JSON, CBOR, MessagePack, Protobuf, Sparkplug), shown as JSON. `format` names what it was, e.g. "Sparkplug B", "Protobuf sensors.Reading". */
  | { kind: 'structured'; format: string; value: DecodedJson; sparkplug?: SparkplugPayload }
  /** Text (UTF-8, or base64 turned into text). */
  | { kind: 'text'; format: string; text: string }
  /**
   * Bytes with no better form: the viewer shows hex. `bytes` is set when they are not the
   * payload itself (base64 or gzip turned into bytes); absent, the payload is meant.
   */
  | { kind: 'bytes'; format: string; bytes?: Uint8Array }
  /** The payload did not decode as asked: `message` says why, for the user; the raw bytes are still shown. */
  | { kind: 'error'; format: string; message: string };

/** Sparkplug B metric datatypes (Sparkplug 3.0, section 6.4.16), by number. */
export type SparkplugDataType = number;

/** One metric of a Sparkplug B payload, as decoded (names only where the message carries them: NDATA/DDATA often send only the alias). */
export interface SparkplugMetric {
  name?: string;
  alias?: number;
  /** Milliseconds since the epoch. */
  timestamp?: number;
  datatype: SparkplugDataType;
  /** The datatype's name from the specification, e.g. "Double", "Int32", "String". */
  datatypeName: string;
  isNull?: boolean;
  isHistorical?: boolean;
  isTransient?: boolean;
  /** Scalars as numbers, booleans or strings (UInt64/Int64 beyond 2^53 as decimal strings); DataSet, Template and arrays as JSON. */
  value: DecodedJson;
}

/** A Sparkplug B payload (NBIRTH, NDATA, DBIRTH, DDATA, NDEATH, DDEATH, NCMD, DCMD). */
export interface SparkplugPayload {
  /** Milliseconds since the epoch. */
  timestamp?: number;
  /** 0 to 255, one sequence per edge node across its node and device messages (absent on NDEATH). */
  seq?: number;
  uuid?: string;
  metrics: SparkplugMetric[];
}
