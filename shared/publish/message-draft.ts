/**
 * What the publish form holds, as one plain object: what the user typed, before
 * variables are expanded and the payload encoded (compose-message.ts does both). It is
 * JSON-serializable on purpose, so saved messages can store it and the publish history
 * can put it back in the form as it was; `messageDraftSchema` checks one read back.
 * A file chosen as the payload is not part of it: its bytes are not text to keep.
 */
import { z } from 'zod';
import { qosSchema } from '../connection/connection-config';
import type { QoS } from '../mqtt/mqtt-message';

/** How the payload text becomes bytes. */
export const PAYLOAD_FORMATS = ['text', 'json', 'hex', 'base64', 'cbor', 'msgpack'] as const;
export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];

/** The options of the "Format" select, exactly as the form shows them. */
export const PAYLOAD_FORMAT_LABELS: Readonly<Record<PayloadFormat, string>> = {
  text: 'Text',
  json: 'JSON',
  hex: 'Hex',
  base64: 'Base64',
  cbor: 'CBOR',
  msgpack: 'MessagePack',
};

/** Formats whose bytes are UTF-8 text: the payload format indicator follows them unless the user sets it. */
export function isUtf8Format(format: PayloadFormat): boolean {
  return format === 'text' || format === 'json';
}

/** One MQTT 5 user property as typed: a name and a value (names may repeat). */
export interface DraftUserProperty {
  name: string;
  value: string;
}

/** How the correlation data field is read: as UTF-8 text, or as hex bytes. */
export type CorrelationFormat = 'text' | 'hex';

/**
 * The MQTT 5 properties as typed. Empty text means "not sent"; numbers stay the text
 * typed, so a half-typed value survives a save and is reported, not dropped.
 */
export interface DraftProperties {
  /** In order; repeated names allowed. */
  userProperties: DraftUserProperty[];
  contentType: string;
  /** Payload format indicator 1 ("UTF-8 text"); false sends none (bytes). */
  payloadIsUtf8: boolean;
  /** Message expiry interval in seconds, 0 to 4,294,967,295; '' for none. */
  messageExpiry: string;
  /** 1 to the broker's Topic Alias Maximum; '' for none. */
  topicAlias: string;
  responseTopic: string;
  correlationData: string;
  correlationFormat: CorrelationFormat;
}

export interface MessageDraft {
  /** May hold variables ({{timestamp}}…), expanded when the message is made. */
  topic: string;
  /** The payload as typed, in `format`; may hold variables. */
  payload: string;
  format: PayloadFormat;
  qos: QoS;
  retain: boolean;
  /** Sent only on an MQTT 5 connection. */
  properties: DraftProperties;
}

export function emptyDraftProperties(): DraftProperties {
  return { userProperties: [], contentType: '', payloadIsUtf8: false, messageExpiry: '', topicAlias: '', responseTopic: '', correlationData: '', correlationFormat: 'text' };
}

export function emptyDraft(): MessageDraft {
  return { topic: '', payload: '', format: 'text', qos: 0, retain: false, properties: emptyDraftProperties() };
}

/** Whether any MQTT 5 property is set (the form says so when they are hidden). */
export function hasProperties(properties: DraftProperties): boolean {
  const { userProperties, contentType, payloadIsUtf8, messageExpiry, topicAlias, responseTopic, correlationData } = properties;
  return userProperties.length > 0 || payloadIsUtf8 || [contentType, messageExpiry, topicAlias, responseTopic, correlationData].some((text) => text.trim() !== '');
}

/** Long enough for any MQTT string field as typed (65,535 bytes at most on the wire). */
const draftText = z.string().max(65_535);

/** A draft read back from storage (saved messages, history, an import): checked field by field, unknown fields dropped. */
export const messageDraftSchema = z.object({
  topic: draftText,
  // The payload is what a publish may carry (32 MiB as UTF-8 at most; checked again on publish).
  payload: z.string().max(32 * 1024 * 1024),
  format: z.enum(PAYLOAD_FORMATS),
  qos: qosSchema,
  retain: z.boolean(),
  properties: z.object({
    userProperties: z.array(z.object({ name: draftText, value: draftText })).max(100),
    contentType: draftText,
    payloadIsUtf8: z.boolean(),
    messageExpiry: z.string().max(20),
    topicAlias: z.string().max(20),
    responseTopic: draftText,
    correlationData: draftText,
    correlationFormat: z.enum(['text', 'hex']),
  }),
}) satisfies z.ZodType<MessageDraft>;
