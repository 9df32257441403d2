/**
 * Builds the lines of a recording file (recording-format.ts): the one place a message
 * becomes a line, so what Record writes in the core and what Export writes in the page
 * are the same format to the byte. Pure: the caller brings the UTF-8 check and base64
 * (the core Node's fast ones for its Buffers, the page `webPayloadCodec`).
 */
import type { MessageProperties, QoS } from '../mqtt/mqtt-message';
import {
  RECORDING_FORMAT,
  RECORDING_VERSION,
  recordedProperties,
  type RecordedMessageLine,
  type RecordingEnd,
  type RecordingHeader,
} from './recording-format';
import { bytesToBinaryString } from '../mqtt/binary-string';

/** How a payload becomes a line's text; generic so the core's codec takes its Buffers as they are. */
export interface PayloadCodec<Bytes extends Uint8Array = Uint8Array> {
  /** The payload's text when it is valid UTF-8 (a leading BOM kept as text), else null. */
  utf8Text(payload: Bytes): string | null;
  /** Standard base64 with padding. */
  base64(bytes: Uint8Array): string;
}

/** What a message line holds. */
export interface LineMessage<Bytes extends Uint8Array = Uint8Array> {
  receivedAt: number;
  topic: string;
  payload: Bytes;
  qos: QoS;
  retain: boolean;
  properties?: MessageProperties | undefined;
}

/** A message as its line's object: the payload as text when it is valid UTF-8, base64 otherwise. */
export function recordedMessageLine<Bytes extends Uint8Array>(message: LineMessage<Bytes>, codec: PayloadCodec<Bytes>): RecordedMessageLine {
  const { receivedAt, topic, payload, qos, retain, properties } = message;
  const text = codec.utf8Text(payload);
  const line: RecordedMessageLine = { receivedAt, topic, qos, retain, payload: text ?? codec.base64(payload), encoding: text === null ? 'base64' : 'utf8' };
  if (properties) line.properties = recordedProperties(properties, (bytes) => codec.base64(bytes));
  return line;
}

/**
 * A message's line, "\n" included, written out directly rather than through an object:
 * the RecordedMessageLine fields in their order (a recording runs this per message at the
 * broker's full rate; JSON.stringify escapes the strings, the rest are numbers and booleans).
 */
export function messageLineText<Bytes extends Uint8Array>(message: LineMessage<Bytes>, codec: PayloadCodec<Bytes>): string {
  const { receivedAt, topic, payload, qos, retain, properties } = message;
  const text = codec.utf8Text(payload);
  const body = JSON.stringify(text ?? codec.base64(payload));
  const extra = properties ? `,"properties":${JSON.stringify(recordedProperties(properties, (bytes) => codec.base64(bytes)))}` : '';
  return `{"receivedAt":${receivedAt},"topic":${JSON.stringify(topic)},"qos":${qos},"retain":${retain},"payload":${body},"encoding":"${text === null ? 'base64' : 'utf8'}"${extra}}\n`;
}

/** The first line, "\n" included. */
export function headerLine(startedAt: number, filters: readonly string[]): string {
  const header: RecordingHeader = { format: RECORDING_FORMAT, version: RECORDING_VERSION, startedAt, filters: [...filters] };
  return `${JSON.stringify(header)}\n`;
}

/** The trailer of a file that ended cleanly, "\n" included. */
export function endLine(end: RecordingEnd): string {
  return `${JSON.stringify({ end })}\n`;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The codec for a page (no Buffer): TextDecoder's strict UTF-8 and btoa. */
export const webPayloadCodec: PayloadCodec = {
  utf8Text(payload) {
    try {
      return strictUtf8.decode(payload);
    } catch {
      return null;
    }
  },
  base64(bytes) {
    return btoa(bytesToBinaryString(bytes));
  },
};
