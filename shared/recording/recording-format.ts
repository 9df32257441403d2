/**
 * The recording file format, "topicscope-recording" version 1: what Record writes and
 * what Export, Replay and "Open recording…" read (through recording-reader.ts). The
 * full description with examples is docs/recording-format.md; this file is its types.
 *
 * JSON Lines, UTF-8, "\n" after every line, optionally gzip-compressed as a whole
 * (file name ending ".jsonl.gz"; readers go by the gzip magic bytes 1f 8b, not the name).
 *
 * - Line 1, the header: `{"format":"topicscope-recording","version":1,"startedAt":<ms>,"filters":[...]}`.
 *   `filters` is empty when everything received was recorded.
 * - Then one line per message, in the order received (RecordedMessageLine):
 *   `{"receivedAt":<ms>,"topic":"a/b","qos":1,"retain":false,"payload":"21.5","encoding":"utf8"}`.
 *   `encoding` says how `payload` holds the bytes: "utf8" — the payload was valid UTF-8
 *   and `payload` is its text (encode it back as UTF-8 for the exact bytes); "base64" —
 *   anything else, `payload` is standard base64 with padding. An empty payload is "utf8" "".
 *   `properties` (MQTT 5 only, left out when the message had none): as the broker sent
 *   them; `correlationData` is always base64 (it is binary by definition), and
 *   `userProperties` is a list of [name, value] pairs in the order received, so a
 *   name that repeats keeps every value.
 * - A gap line, where the writer fell behind and had to leave messages out:
 *   `{"gap":{"missed":<n>,"from":<ms>,"to":<ms>}}` (receive times of the first and last missed).
 * - Last, the trailer, written when the recording stops cleanly:
 *   `{"end":{"endedAt":<ms>,"messages":<n>,"missed":<n>,"reason":"user"}}`.
 *   A file without one was cut short (the app or the machine stopped mid-write).
 *
 * Readers ignore fields they do not know (a later version 1 writer may add some) and
 * refuse a header whose `version` is higher than they know.
 */
import type { MessageProperties, QoS } from '../mqtt/mqtt-message';

export const RECORDING_FORMAT = 'topicscope-recording';
export const RECORDING_VERSION = 1;

/** Why a recording stopped. */
export type RecordingStopReason = 'user' | 'size-limit' | 'time-limit' | 'connection-closed' | 'write-failed';

export interface RecordingHeader {
  format: typeof RECORDING_FORMAT;
  version: number;
  /** Milliseconds since the epoch, when recording started. */
  startedAt: number;
  /** The topic filters recorded; empty: everything the connection received. */
  filters: string[];
}

/** How a message line's `payload` holds the bytes. */
export type PayloadEncoding = 'utf8' | 'base64';

/** MQTT 5 properties as a line writes them: binary and repeated values in JSON-safe form. */
export interface RecordedProperties {
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  topicAlias?: number;
  responseTopic?: string;
  /** Base64. */
  correlationData?: string;
  /** [name, value] pairs in the order received; a repeated name appears once per value. */
  userProperties?: [string, string][];
  subscriptionIdentifier?: number | number[];
  contentType?: string;
}

export interface RecordedMessageLine {
  receivedAt: number;
  topic: string;
  qos: QoS;
  retain: boolean;
  payload: string;
  encoding: PayloadEncoding;
  properties?: RecordedProperties;
}

export interface RecordingGap {
  /** Messages left out here. */
  missed: number;
  /** Receive time of the first and the last of them (ms since the epoch). */
  from: number;
  to: number;
}

export interface RecordingEnd {
  endedAt: number;
  /** Message lines written. */
  messages: number;
  /** Messages received and matching but not written (the sum of the gaps, and any too large for a line). */
  missed: number;
  reason: RecordingStopReason;
}

/**
 * The longest line a reader accepts, in UTF-8 bytes (48 MiB): a 32 MiB binary payload
 * (the most Topicscope publishes) as base64 with its properties. The writer leaves out,
 * and counts as missed, a message whose line would be longer, so every line it writes
 * can be read back.
 */
export const MAX_RECORDING_LINE_BYTES = 48 * 1024 * 1024;

/** Properties as the line writes them, from the form mqtt.js and ReceivedMessage use. */
export function recordedProperties(properties: MessageProperties, toBase64: (bytes: Uint8Array) => string): RecordedProperties {
  const out: RecordedProperties = {};
  if (properties.payloadFormatIndicator !== undefined) out.payloadFormatIndicator = properties.payloadFormatIndicator;
  if (properties.messageExpiryInterval !== undefined) out.messageExpiryInterval = properties.messageExpiryInterval;
  if (properties.topicAlias !== undefined) out.topicAlias = properties.topicAlias;
  if (properties.responseTopic !== undefined) out.responseTopic = properties.responseTopic;
  if (properties.correlationData !== undefined) out.correlationData = toBase64(properties.correlationData);
  if (properties.userProperties !== undefined) {
    out.userProperties = Object.entries(properties.userProperties).flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((one): [string, string] => [name, one]),
    );
  }
  if (properties.subscriptionIdentifier !== undefined) out.subscriptionIdentifier = properties.subscriptionIdentifier;
  if (properties.contentType !== undefined) out.contentType = properties.contentType;
  return out;
}
