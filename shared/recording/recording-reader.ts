/**
 * Reads recording files (recording-format.ts) back, line by line, into messages shaped
 * like the ones the app receives. Made for files that went wrong: a line that does not
 * parse, or is longer than the limit, is skipped and counted with its line number; a
 * last line cut short (no "\n" after it: the writer was stopped mid-line) is counted
 * as truncated, not as corrupt. Pure: feed it text as it comes (`push`, then `finish`),
 * in Node (electron/core/recording/recording-file.ts reads files and gzip) or a page.
 */
import type { MessageProperties, ReceivedMessage } from '../mqtt/mqtt-message';
import {
  MAX_RECORDING_LINE_BYTES,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type RecordingEnd,
  type RecordingGap,
  type RecordingHeader,
  type RecordingStopReason,
} from './recording-format';
import { binaryStringToBytes } from '../mqtt/binary-string';

/** A message read back: a ReceivedMessage (never cut, never coalesced) and its line number. */
export interface RecordedMessage extends ReceivedMessage {
  /** 1-based line number in the file. */
  line: number;
}

/** Why a line was skipped. */
export type SkipReason = 'not-json' | 'not-a-recording-line' | 'too-long' | 'bad-payload' | 'bad-header';

export interface SkippedLine {
  line: number;
  reason: SkipReason;
  /** In words, for the user. */
  detail: string;
}

/** What the reader made of a file so far: enough to tell the user what was kept and what was not. */
export interface RecordingSummary {
  header: RecordingHeader | null;
  messages: number;
  /** Every skipped line counted; `skipped` lists only the first MAX_LISTED_SKIPS. */
  skippedCount: number;
  skipped: SkippedLine[];
  /** The last line had no "\n" and did not parse: the file was cut mid-line. */
  truncatedLastLine: boolean;
  /** Messages the writer itself said it missed (gap lines). */
  gaps: RecordingGap[];
  /** The trailer; null when the file has none (cut short, or still being written). */
  end: RecordingEnd | null;
}

export type RecordingLine =
  | { kind: 'header'; header: RecordingHeader }
  | { kind: 'message'; message: RecordedMessage }
  | { kind: 'gap'; gap: RecordingGap }
  | { kind: 'end'; end: RecordingEnd }
  | { kind: 'skipped'; skipped: SkippedLine };

export interface RecordingReaderOptions {
  /** Longest line accepted, in UTF-16 code units as a cheap bound of its bytes. Default MAX_RECORDING_LINE_BYTES. */
  maxLineLength?: number;
  /** Base64 → bytes; Node passes Buffer's, which is faster. Default: a strict atob-based decoder. */
  fromBase64?: (text: string) => Uint8Array | null;
}

/** Skipped lines listed individually; the rest are only counted. */
export const MAX_LISTED_SKIPS = 100;

const STOP_REASONS: readonly RecordingStopReason[] = ['user', 'size-limit', 'time-limit', 'connection-closed', 'write-failed'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextEncoder();

/** Strict standard base64 (padding required), null when it is not. */
export function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return null;
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  return binaryStringToBytes(binary);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

export class RecordingReader {
  readonly #maxLineLength: number;
  readonly #fromBase64: (text: string) => Uint8Array | null;
  /** Text after the last "\n" pushed so far. */
  #partial = '';
  /** The partial line grew past the limit: the rest of it up to the next "\n" is dropped. */
  #overlong = false;
  #lineNumber = 0;
  readonly #summary: RecordingSummary = { header: null, messages: 0, skippedCount: 0, skipped: [], truncatedLastLine: false, gaps: [], end: null };

  constructor(options: RecordingReaderOptions = {}) {
    this.#maxLineLength = options.maxLineLength ?? MAX_RECORDING_LINE_BYTES;
    this.#fromBase64 = options.fromBase64 ?? decodeBase64;
  }

  get summary(): RecordingSummary {
    return this.#summary;
  }

  /** Feeds decoded text; returns the complete lines it finished, parsed. */
  push(text: string): RecordingLine[] {
    const lines: RecordingLine[] = [];
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline === -1) break;
      const piece = text.slice(start, newline);
      start = newline + 1;
      if (this.#overlong) {
        this.#overlong = false;
        this.#partial = '';
        continue;
      }
      const line = this.#partial + piece;
      this.#partial = '';
      lines.push(this.#parse(line));
    }
    const rest = text.slice(start);
    if (this.#overlong) return lines;
    if (this.#partial.length + rest.length > this.#maxLineLength) {
      // Bounded memory: a line past the limit is never held whole.
      this.#overlong = true;
      this.#partial = '';
      lines.push(this.#skip(++this.#lineNumber, 'too-long', `longer than ${this.#maxLineLength.toLocaleString('en-US')} characters`));
      return lines;
    }
    this.#partial += rest;
    return lines;
  }

  /** The end of the file: a last line without "\n" is read if it parses, else counted as truncated. */
  finish(): RecordingLine[] {
    const rest = this.#partial;
    this.#partial = '';
    if (this.#overlong || rest.length === 0) return [];
    const parsed = this.#parse(rest, true);
    return parsed.kind === 'skipped' && parsed.skipped.reason === 'not-json' ? [] : [parsed];
  }

  /** One line without its "\n". `last`: the final line of the file, not ended by "\n". */
  #parse(text: string, last = false): RecordingLine {
    const line = ++this.#lineNumber;
    if (text.length > this.#maxLineLength) return this.#skip(line, 'too-long', `longer than ${this.#maxLineLength.toLocaleString('en-US')} characters`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (last) {
        this.#summary.truncatedLastLine = true;
        return { kind: 'skipped', skipped: { line, reason: 'not-json', detail: 'the last line was cut short' } };
      }
      return this.#skip(line, 'not-json', 'not JSON');
    }
    if (!isRecord(value)) return this.#skip(line, 'not-a-recording-line', 'not a JSON object');
    // A file whose header was lost still gives its messages.
    if ('format' in value) return this.#header(line, value);
    if ('receivedAt' in value) return this.#message(line, value);
    if (isRecord(value['gap'])) return this.#gap(line, value['gap']);
    if (isRecord(value['end'])) return this.#end(line, value['end']);
    return this.#skip(line, 'not-a-recording-line', 'neither a message, a gap nor the end');
  }

  #header(line: number, value: Record<string, unknown>): RecordingLine {
    if (value['format'] !== RECORDING_FORMAT) return this.#skip(line, 'bad-header', `not a Topicscope recording (the first line must name the format "${RECORDING_FORMAT}")`);
    const version = value['version'];
    if (!isCount(version) || version > RECORDING_VERSION) return this.#skip(line, 'bad-header', `format version ${String(version)} is newer than this reader (${RECORDING_VERSION})`);
    const filters = Array.isArray(value['filters']) ? value['filters'].filter((f): f is string => typeof f === 'string') : [];
    const header: RecordingHeader = { format: RECORDING_FORMAT, version, startedAt: isTime(value['startedAt']) ? value['startedAt'] : 0, filters };
    this.#summary.header = header;
    return { kind: 'header', header };
  }

  #message(line: number, value: Record<string, unknown>): RecordingLine {
    const { receivedAt, topic, qos, retain, payload, encoding } = value;
    if (!isTime(receivedAt) || typeof topic !== 'string' || topic === '' || (qos !== 0 && qos !== 1 && qos !== 2) || typeof retain !== 'boolean' || typeof payload !== 'string') {
      return this.#skip(line, 'not-a-recording-line', 'a message line missing receivedAt, topic, qos, retain or payload');
    }
    let bytes: Uint8Array | null;
    if (encoding === 'utf8') bytes = utf8.encode(payload);
    else if (encoding === 'base64') bytes = this.#fromBase64(payload);
    else return this.#skip(line, 'bad-payload', `unknown payload encoding ${JSON.stringify(encoding)}`);
    if (!bytes) return this.#skip(line, 'bad-payload', 'the payload is not valid base64');
    const message: RecordedMessage = { line, topic, payload: bytes, payloadSize: bytes.byteLength, qos, retain, receivedAt, coalesced: 0 };
    if (value['properties'] !== undefined) {
      const properties = isRecord(value['properties']) ? this.#properties(value['properties']) : null;
      if (!properties) return this.#skip(line, 'bad-payload', 'the MQTT 5 properties are malformed');
      if (Object.keys(properties).length > 0) message.properties = properties;
    }
    this.#summary.messages++;
    return { kind: 'message', message };
  }

  /** Null when a property has the wrong type: a line with altered properties must not pass as the broker's. */
  #properties(p: Record<string, unknown>): MessageProperties | null {
    const out: MessageProperties = {};
    const { payloadFormatIndicator, messageExpiryInterval, topicAlias, responseTopic, correlationData, userProperties, subscriptionIdentifier, contentType } = p;
    if (payloadFormatIndicator !== undefined) {
      if (typeof payloadFormatIndicator !== 'boolean') return null;
      out.payloadFormatIndicator = payloadFormatIndicator;
    }
    if (messageExpiryInterval !== undefined) {
      if (!isCount(messageExpiryInterval)) return null;
      out.messageExpiryInterval = messageExpiryInterval;
    }
    if (topicAlias !== undefined) {
      if (!isCount(topicAlias)) return null;
      out.topicAlias = topicAlias;
    }
    if (responseTopic !== undefined) {
      if (typeof responseTopic !== 'string') return null;
      out.responseTopic = responseTopic;
    }
    if (correlationData !== undefined) {
      const bytes = typeof correlationData === 'string' ? this.#fromBase64(correlationData) : null;
      if (!bytes) return null;
      out.correlationData = bytes;
    }
    if (userProperties !== undefined) {
      const pairs = Array.isArray(userProperties) ? userProperties : null;
      if (!pairs?.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string')) return null;
      out.userProperties = userPropertiesRecord(pairs as [string, string][]);
    }
    if (subscriptionIdentifier !== undefined) {
      const ok = isCount(subscriptionIdentifier) || (Array.isArray(subscriptionIdentifier) && subscriptionIdentifier.every(isCount));
      if (!ok) return null;
      out.subscriptionIdentifier = subscriptionIdentifier;
    }
    if (contentType !== undefined) {
      if (typeof contentType !== 'string') return null;
      out.contentType = contentType;
    }
    return out;
  }

  #gap(line: number, gap: Record<string, unknown>): RecordingLine {
    const { missed, from, to } = gap;
    if (!isCount(missed) || !isTime(from) || !isTime(to)) return this.#skip(line, 'not-a-recording-line', 'a malformed gap line');
    const parsed: RecordingGap = { missed, from, to };
    this.#summary.gaps.push(parsed);
    return { kind: 'gap', gap: parsed };
  }

  #end(line: number, end: Record<string, unknown>): RecordingLine {
    const { endedAt, messages, missed, reason } = end;
    if (!isTime(endedAt) || !isCount(messages) || !isCount(missed) || !STOP_REASONS.includes(reason as RecordingStopReason)) {
      return this.#skip(line, 'not-a-recording-line', 'a malformed end line');
    }
    const parsed: RecordingEnd = { endedAt, messages, missed, reason: reason as RecordingStopReason };
    this.#summary.end = parsed;
    return { kind: 'end', end: parsed };
  }

  #skip(line: number, reason: SkipReason, detail: string): RecordingLine {
    const skipped: SkippedLine = { line, reason, detail };
    this.#summary.skippedCount++;
    if (this.#summary.skipped.length < MAX_LISTED_SKIPS) this.#summary.skipped.push(skipped);
    return { kind: 'skipped', skipped };
  }
}

/** [name, value] pairs in the form mqtt.js delivers: a name seen more than once maps to all its values, in order. */
export function userPropertiesRecord(pairs: readonly [string, string][]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of pairs) {
    const existing = out[name];
    if (existing === undefined) out[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[name] = [existing, value];
  }
  return { ...out };
}

/** Reads a whole recording held as text: every message, and what was skipped. */
export function readRecordingText(text: string, options: RecordingReaderOptions = {}): { messages: RecordedMessage[]; summary: RecordingSummary } {
  const reader = new RecordingReader(options);
  const messages: RecordedMessage[] = [];
  for (const line of [...reader.push(text), ...reader.finish()]) if (line.kind === 'message') messages.push(line.message);
  return { messages, summary: reader.summary };
}

/** A sentence for the user about what a read left out; null when nothing was. */
export function describeSkipped(summary: RecordingSummary): string | null {
  const parts: string[] = [];
  if (summary.skippedCount > 0) {
    const first = summary.skipped[0];
    parts.push(`${summary.skippedCount.toLocaleString('en-US')} line${summary.skippedCount === 1 ? '' : 's'} skipped${first ? ` (line ${first.line}: ${first.detail})` : ''}`);
  }
  if (summary.truncatedLastLine) parts.push('the last line was cut short');
  const missed = summary.gaps.reduce((sum, gap) => sum + gap.missed, 0);
  if (missed > 0) parts.push(`${missed.toLocaleString('en-US')} messages were missed while recording`);
  if (summary.header && !summary.end) parts.push('the recording has no end line: it was cut short');
  return parts.length > 0 ? `${parts.join('; ')}.` : null;
}
