/**
 * Protobuf with the user's `.proto` files: every file of a profile is parsed into one
 * protobufjs Root (so one file may use another's types, and Google's well-known types
 * such as google.protobuf.Timestamp resolve), once per set of sources, and the few most
 * recent sets are kept. A payload then decodes with protobufjs's generated decoder and
 * is turned into JSON the way proto3's JSON mapping does, roughly: lowerCamelCase field
 * names, enums by name, 64-bit integers as decimal strings past 2^53, bytes as
 * `{ "$bytes": hex }`, fields that were not sent left out.
 */
import { createHash } from 'node:crypto';
import protobuf from 'protobufjs';
import type { DecodedJson, DecodeResult } from '../../../shared/inspect/decode/decoded-payload';
import type { DecoderSpec, ProtoFile } from '../../../shared/inspect/decode/decode-rules';
import { bytesValue, DecodeBudget, DecodedTooLarge, setField, toDecodedJson } from '../../../shared/inspect/decode/decoded-json';

/** Sets of `.proto` sources kept parsed: a profile has one; a few cover switching between profiles. */
const PARSED_SETS_KEPT = 4;

/** A profile's `.proto` files, parsed, or why they could not be. */
type ParsedProtos =
  | { ok: true; root: protobuf.Root; definedIn: Map<string, string> }
  | { ok: false; problem: string };

/** A message type ready to decode payloads, or the error every payload gets. */
export type ProtobufReader = { ok: true; type: protobuf.Type; format: string } | { ok: false; format: string; message: string };

export class ProtobufSchemas {
  /** By a hash of the files' names and sources; insertion order is recency. */
  readonly #parsed = new Map<string, ParsedProtos>();

  /** The reader for `spec` (kind protobuf) given the profile's files. */
  reader(spec: DecoderSpec, files: readonly ProtoFile[]): ProtobufReader {
    const messageType = (spec.messageType ?? '').replace(/^\./, '');
    const format = `Protobuf ${messageType}`;
    if (spec.protoFile !== undefined && !files.some((file) => file.name === spec.protoFile)) {
      return { ok: false, format, message: `Protobuf: there is no .proto file named ${spec.protoFile} in this profile.` };
    }
    if (files.length === 0) return { ok: false, format, message: `Protobuf: add the .proto file that defines ${messageType} to the profile to decode it.` };
    const parsed = this.#parse(files);
    if (!parsed.ok) return { ok: false, format, message: parsed.problem };
    const file = parsed.definedIn.get(messageType);
    const where = spec.protoFile ?? "the profile's .proto files";
    if (file === undefined || (spec.protoFile !== undefined && file !== spec.protoFile)) {
      return { ok: false, format, message: `Protobuf: message type ${messageType} is not defined in ${where}.` };
    }
    return { ok: true, type: parsed.root.lookupType(messageType), format };
  }

  #parse(files: readonly ProtoFile[]): ParsedProtos {
    const hash = createHash('sha256');
    for (const file of files) hash.update(`${file.name}\u0000${file.source}\u0000`);
    const key = hash.digest('hex');
    const cached = this.#parsed.get(key);
    if (cached) {
      this.#parsed.delete(key);
      this.#parsed.set(key, cached);
      return cached;
    }
    const parsed = parseProtos(files);
    this.#parsed.set(key, parsed);
    if (this.#parsed.size > PARSED_SETS_KEPT) this.#parsed.delete(this.#parsed.keys().next().value!);
    return parsed;
  }
}

function parseProtos(files: readonly ProtoFile[]): ParsedProtos {
  const root = new protobuf.Root();
  const definedIn = new Map<string, string>();
  const wellKnown = new Set<string>();
  for (const file of files) {
    let imports: string[];
    try {
      imports = protobuf.parse(file.source, root, { keepCase: false }).imports ?? [];
    } catch (error) {
      return { ok: false, problem: `Protobuf: ${file.name} does not parse: ${(error as Error).message}.` };
    }
    for (const name of messageTypeNames(root)) if (!definedIn.has(name)) definedIn.set(name, file.name);
    for (const imported of imports) if (imported.startsWith('google/protobuf/')) wellKnown.add(imported);
  }
  for (const imported of wellKnown) {
    const descriptor = protobuf.common.get(imported);
    if (descriptor?.nested) root.addJSON(descriptor.nested);
  }
  try {
    root.resolveAll();
  } catch (error) {
    return { ok: false, problem: `Protobuf: the .proto files do not fit together: ${(error as Error).message}.` };
  }
  return { ok: true, root, definedIn };
}

/** Every message type's full name (without the leading dot) under `namespace`. */
function messageTypeNames(namespace: protobuf.NamespaceBase): string[] {
  const names: string[] = [];
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Type) names.push(nested.fullName.replace(/^\./, ''));
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) names.push(...messageTypeNames(nested));
  }
  return names;
}

/** Decodes one payload as `reader`'s message type; never throws. */
export function decodeProtobuf(reader: ProtobufReader, payload: Uint8Array, budget = new DecodeBudget()): DecodeResult {
  if (!reader.ok) return { kind: 'error', format: reader.format, message: reader.message };
  let message: protobuf.Message;
  try {
    message = reader.type.decode(payload);
  } catch (error) {
    const name = reader.type.fullName.replace(/^\./, '');
    return { kind: 'error', format: reader.format, message: `Protobuf: the payload is not a ${name} message (${(error as Error).message}).` };
  }
  try {
    return { kind: 'structured', format: reader.format, value: messageJson(reader.type, message as unknown as Record<string, unknown>, budget, 0) };
  } catch (error) {
    if (error instanceof DecodedTooLarge) return { kind: 'error', format: reader.format, message: error.message };
    throw error;
  }
}

const SIGNED_64 = new Set(['int64', 'sint64', 'sfixed64']);
const UNSIGNED_64 = new Set(['uint64', 'fixed64']);

function messageJson(type: protobuf.Type, message: Record<string, unknown>, budget: DecodeBudget, depth: number): DecodedJson {
  budget.take(depth);
  const out: Record<string, DecodedJson> = {};
  for (const field of type.fieldsArray) {
    // protobufjs sets a field on the decoded message only when it was sent (repeated and map fields start empty).
    if (!Object.hasOwn(message, field.name)) continue;
    const value = message[field.name];
    if (field.map) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) continue;
      const map: Record<string, DecodedJson> = {};
      budget.take(depth + 1);
      for (const [key, item] of entries) setField(map, key, fieldValue(field, item, budget, depth + 2));
      setField(out, field.name, map);
    } else if (field.repeated) {
      const items = value as unknown[];
      if (items.length === 0) continue;
      budget.take(depth + 1);
      setField(out, field.name, items.map((item) => fieldValue(field, item, budget, depth + 2)));
    } else {
      setField(out, field.name, fieldValue(field, value, budget, depth + 1));
    }
  }
  return out;
}

interface WireLong {
  toNumber(): number;
  toString(): string;
  toSigned(): WireLong;
  toUnsigned(): WireLong;
}

function fieldValue(field: protobuf.Field, value: unknown, budget: DecodeBudget, depth: number): DecodedJson {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return messageJson(resolved, value as Record<string, unknown>, budget, depth);
  budget.take(depth);
  if (resolved instanceof protobuf.Enum) return resolved.valuesById[value as number] ?? (value as number);
  if (value instanceof Uint8Array) return bytesValue(value);
  if (typeof value === 'object' && value !== null && (SIGNED_64.has(field.type) || UNSIGNED_64.has(field.type))) {
    const long = value as WireLong;
    const exact = SIGNED_64.has(field.type) ? long.toSigned() : long.toUnsigned();
    const number = exact.toNumber();
    return Number.isSafeInteger(number) ? number : exact.toString();
  }
  return toDecodedJson(value, budget, depth);
}
