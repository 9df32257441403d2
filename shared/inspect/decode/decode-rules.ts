/**
 * Which decoder reads a topic's payloads ("Decode as"), and the rules a profile keeps
 * for it. Pure: the renderer asks this for the message it shows, and the core parses the
 * same schemas when a profile is saved or a payload is decoded.
 *
 * The order, first match wins: a user rule whose filter matches the topic (in list
 * order), then the MQTT 5 content type the publisher sent, then Sparkplug B for
 * `spBv1.0/#` (its STATE messages are JSON, so they are left to sniffing), else `auto`.
 */
import { z } from 'zod';
import { topicFilterProblem, topicMatchesFilter } from '../../mqtt/mqtt-topic';
import { utf8ByteLength } from '../payload-format';
import type { DecoderKind } from './decoded-payload';

/** Every decoder a rule can name, in the order a "Decode as" list shows them. */
export const DECODER_KINDS = ['auto', 'sparkplug', 'protobuf', 'cbor', 'msgpack', 'gzip', 'deflate', 'base64', 'json', 'text', 'raw'] as const satisfies readonly DecoderKind[];

/** What a gzip or deflate payload holds once inflated. */
export const INNER_KINDS = ['json', 'text', 'cbor', 'msgpack', 'raw'] as const;
export type InnerKind = (typeof INNER_KINDS)[number];

/** Largest `.proto` source, in bytes of UTF-8 (1 MiB). */
export const MAX_PROTO_SOURCE_BYTES = 1024 * 1024;
/** Most `.proto` files a profile keeps. */
export const MAX_PROTO_FILES = 20;
/** Most decode rules a profile keeps: far more than anyone writes by hand. */
export const MAX_DECODE_RULES = 500;

/** A fully qualified Protobuf message name, `package.Message` or `Message` (nested: `pkg.Outer.Inner`). */
const messageTypeSchema = z
  .string()
  .max(512, 'A message type is at most 512 characters.')
  .regex(/^\.?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'A message type is a Protobuf name such as "sensors.Reading".');

/** A `.proto` file's name as the user gave it: one file name, no folders. */
export const protoFileNameSchema = z
  .string()
  .max(100, 'A .proto file name is at most 100 characters.')
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*\.proto$/, 'A .proto file name is letters, digits, "_", "-" and "." ending in ".proto", with no folder.');

export const decoderSpecSchema = z
  .object({
    kind: z.enum(DECODER_KINDS),
    /** Protobuf only: the message type a payload holds. */
    messageType: messageTypeSchema.optional(),
    /** Protobuf only: the profile's `.proto` file that defines it; absent to search them all. */
    protoFile: protoFileNameSchema.optional(),
    /** gzip and deflate only: what the inflated bytes are (default `auto`-like sniffing as JSON, text or bytes). */
    inner: z.enum(INNER_KINDS).optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.kind === 'protobuf' && spec.messageType === undefined) {
      ctx.addIssue({ code: 'custom', path: ['messageType'], message: 'Protobuf needs the message type to decode, such as "sensors.Reading".' });
    }
    if (spec.kind !== 'protobuf' && (spec.messageType !== undefined || spec.protoFile !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['messageType'], message: 'A message type and .proto file only go with the Protobuf decoder.' });
    }
    if (spec.inner !== undefined && spec.kind !== 'gzip' && spec.kind !== 'deflate') {
      ctx.addIssue({ code: 'custom', path: ['inner'], message: 'An inner format only goes with gzip or deflate.' });
    }
  });
export type DecoderSpec = z.output<typeof decoderSpecSchema>;

const topicFilterSchema = z.string().superRefine((value, ctx) => {
  const problem = topicFilterProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** One "Decode as" rule: payloads on topics matching `filter` are read with `decoder`. */
export const decodeRuleSchema = z.object({ filter: topicFilterSchema, decoder: decoderSpecSchema });
export type DecodeRule = z.output<typeof decodeRuleSchema>;

export const decodeRulesSchema = z.array(decodeRuleSchema).max(MAX_DECODE_RULES, `A profile keeps at most ${MAX_DECODE_RULES} decode rules.`);

/** A `.proto` file the user added to a profile, kept as its text. */
export const protoFileSchema = z.object({
  name: protoFileNameSchema,
  source: z
    .string()
    .refine((source) => utf8ByteLength(source) <= MAX_PROTO_SOURCE_BYTES, `A .proto file is at most ${MAX_PROTO_SOURCE_BYTES / 1024 / 1024} MiB.`),
});
export type ProtoFile = z.output<typeof protoFileSchema>;

export const protoFilesSchema = z
  .array(protoFileSchema)
  .max(MAX_PROTO_FILES, `A profile keeps at most ${MAX_PROTO_FILES} .proto files.`)
  .superRefine((files, ctx) => {
    const seen = new Set<string>();
    files.forEach((file, index) => {
      if (seen.has(file.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `Two .proto files are named "${file.name}": give each its own name.` });
      seen.add(file.name);
    });
  });

/** Why the decoder was chosen, so a "Decode as" control can say "automatic (content type)". */
export type DecoderReason = 'rule' | 'content-type' | 'sparkplug-topic' | 'auto';

export interface DecoderChoice {
  decoder: DecoderSpec;
  reason: DecoderReason;
  /** The index of the rule that matched, when `reason` is `rule`. */
  ruleIndex?: number;
}

const SPARKPLUG_B_NAMESPACE = 'spBv1.0';

/** Whether a topic is in the Sparkplug B namespace and carries a protobuf payload (every message type but STATE, which is JSON). */
export function isSparkplugPayloadTopic(topic: string): boolean {
  if (!topicMatchesFilter(`${SPARKPLUG_B_NAMESPACE}/#`, topic) || topic === SPARKPLUG_B_NAMESPACE) return false;
  return !topic.startsWith(`${SPARKPLUG_B_NAMESPACE}/STATE/`) && topic !== `${SPARKPLUG_B_NAMESPACE}/STATE`;
}

/** The decoder for a payload on `topic` sent with MQTT 5 `contentType` (if any), and why. */
export function chooseDecoder(
  topic: string,
  contentType: string | undefined,
  rules: readonly DecodeRule[],
  protoFiles: readonly ProtoFile[] = [],
): DecoderChoice {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (topicMatchesFilter(rule.filter, topic)) return { decoder: rule.decoder, reason: 'rule', ruleIndex: i };
  }
  if (contentType !== undefined) {
    const decoder = decoderForContentType(contentType, protoFiles);
    if (decoder) return { decoder, reason: 'content-type' };
  }
  if (isSparkplugPayloadTopic(topic)) return { decoder: { kind: 'sparkplug' }, reason: 'sparkplug-topic' };
  return { decoder: { kind: 'auto' }, reason: 'auto' };
}

/** The decoder alone; see chooseDecoder. */
export function decoderFor(topic: string, contentType: string | undefined, rules: readonly DecodeRule[], protoFiles: readonly ProtoFile[] = []): DecoderSpec {
  return chooseDecoder(topic, contentType, rules, protoFiles).decoder;
}

const MSGPACK_TYPES = new Set(['application/msgpack', 'application/x-msgpack', 'application/vnd.msgpack']);
const PROTOBUF_TYPES = new Set(['application/x-protobuf', 'application/protobuf', 'application/vnd.google.protobuf', 'application/x-google-protobuf']);

/**
 * The decoder an MQTT 5 content type names (RFC 2045 syntax: `type/subtype; name=value`,
 * case-insensitive type, parameter values possibly quoted), or null for one it doesn't
 * name (the next rule in line decides).
 */
export function decoderForContentType(contentType: string, protoFiles: readonly ProtoFile[] = []): DecoderSpec | null {
  const [head = '', ...parameters] = contentType.split(';');
  const mediaType = head.trim().toLowerCase();
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return { kind: 'json' };
  if (mediaType.startsWith('text/')) return { kind: 'text' };
  if (mediaType === 'application/cbor' || mediaType.endsWith('+cbor')) return { kind: 'cbor' };
  if (MSGPACK_TYPES.has(mediaType)) return { kind: 'msgpack' };
  if (mediaType === 'application/gzip' || mediaType === 'application/x-gzip') return { kind: 'gzip' };
  if (mediaType === 'application/octet-stream') return { kind: 'raw' };
  if (PROTOBUF_TYPES.has(mediaType)) {
    const messageType = parameterValue(parameters, 'messagetype') ?? parameterValue(parameters, 'proto');
    if (messageType === undefined || !messageTypeSchema.safeParse(messageType).success) return { kind: 'raw' };
    const protoFile = protoFileDefining(protoFiles, messageType);
    // Without a schema defining the type there is nothing to decode with: the bytes are shown.
    return protoFile === undefined ? { kind: 'raw' } : { kind: 'protobuf', messageType: messageType.replace(/^\./, ''), protoFile };
  }
  return null;
}

function parameterValue(parameters: readonly string[], wanted: string): string | undefined {
  for (const parameter of parameters) {
    const equals = parameter.indexOf('=');
    if (equals === -1 || parameter.slice(0, equals).trim().toLowerCase() !== wanted) continue;
    const value = parameter.slice(equals + 1).trim();
    return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
  }
  return undefined;
}

/**
 * The name of the first `.proto` file that appears to define `messageType`: its package
 * is the type's prefix and it declares a message of the type's last name. A cheap text
 * check (the renderer cannot run protobufjs's decoders, and parsing every file per
 * message would cost more than the decode); the core reports a type that is not there.
 */
export function protoFileDefining(protoFiles: readonly ProtoFile[], messageType: string): string | undefined {
  const parts = messageType.replace(/^\./, '').split('.');
  const name = parts[parts.length - 1] ?? '';
  for (const file of protoFiles) {
    const packageName = protoPackageOf(file.source);
    const qualifier = parts.slice(0, -1).join('.');
    if (packageName !== '' && !qualifier.startsWith(packageName)) continue;
    if (new RegExp(`\\bmessage\\s+${name}\\s*\\{`).test(file.source)) return file.name;
  }
  return undefined;
}

const PACKAGE_LINE = /^\s*package\s+([A-Za-z0-9_.]+)\s*;/m;
const MESSAGE_START = /^\s*message\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{/gm;

function protoPackageOf(source: string): string {
  return PACKAGE_LINE.exec(source)?.[1] ?? '';
}

/**
 * The message types the files appear to define at the top level ("sensors.Reading"), by
 * the same quick text check: suggestions for the "Message type" field; the core's parse
 * decides.
 */
export function protoMessageTypes(protoFiles: readonly ProtoFile[]): string[] {
  const types = new Set<string>();
  for (const file of protoFiles) {
    const packageName = protoPackageOf(file.source);
    for (const match of file.source.matchAll(MESSAGE_START)) types.add(packageName ? `${packageName}.${match[1]}` : match[1]!);
  }
  return [...types].sort();
}

/** A stable key per decoder spec, the same for equal specs whatever their property order: for caches. */
export function decoderKey(spec: DecoderSpec): string {
  return [spec.kind, spec.messageType ?? '', spec.protoFile ?? '', spec.inner ?? ''].join('|');
}

/**
 * Why a profile's rules and `.proto` files do not go together (a Protobuf rule names a
 * file the profile does not have), in words for the user; null when they do.
 */
export function decodeSetupProblem(rules: readonly DecodeRule[], protoFiles: readonly ProtoFile[]): string | null {
  const names = new Set(protoFiles.map((file) => file.name));
  for (let i = 0; i < rules.length; i++) {
    const protoFile = rules[i]!.decoder.protoFile;
    if (protoFile !== undefined && !names.has(protoFile)) {
      return `Decode rule ${i + 1} (${rules[i]!.filter}) reads ${protoFile}, which is not among the profile's .proto files: add the file or change the rule.`;
    }
  }
  return null;
}
