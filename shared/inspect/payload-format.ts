/**
 * How a payload is shown: pretty JSON when it parses, text when it is valid UTF-8
 * without control characters, and a hex dump otherwise. Pure, so later payload
 * decoders can be added and tested beside it.
 */

export type PayloadView =
  | { kind: 'empty' }
  | { kind: 'json'; text: string; pretty: string }
  | { kind: 'text'; text: string }
  | { kind: 'binary'; hex: string };

import { allRows, runToEnd, safeCut } from './display-lines';
import { JsonPrettyPrinter } from './json-pretty';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8, or null when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

// Tab, line feed and carriage return are normal in text payloads; other C0 controls
// (and DEL) mean the bytes are binary that happens to be valid UTF-8.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** What a payload is, found without formatting it: cheap enough for 1 MiB. */
export type PayloadClass =
  | { kind: 'empty' }
  | { kind: 'binary' }
  /** `maybeJson`: starts like a JSON object or array; only formatting tells for sure. */
  | { kind: 'text'; text: string; maybeJson: boolean };

export function classifyPayload(bytes: Uint8Array): PayloadClass {
  if (bytes.byteLength === 0) return { kind: 'empty' };
  const text = decodeUtf8(bytes);
  if (text === null || CONTROL.test(text)) return { kind: 'binary' };
  const trimmed = text.trimStart();
  return { kind: 'text', text, maybeJson: trimmed.startsWith('{') || trimmed.startsWith('[') };
}

/** The whole view at once; for small payloads (large ones are formatted in slices). */
export function viewPayload(bytes: Uint8Array): PayloadView {
  const found = classifyPayload(bytes);
  if (found.kind === 'empty') return found;
  if (found.kind === 'binary') return { kind: 'binary', hex: hexDump(bytes) };
  if (found.maybeJson) {
    const printer = new JsonPrettyPrinter(found.text, Infinity);
    runToEnd(printer);
    // Not JSON after all: shown as text.
    if (!printer.failed) return { kind: 'json', text: found.text, pretty: allRows(printer.lines).join('\n') };
  }
  return { kind: 'text', text: found.text };
}

/** The kind of value a row's preview shows, as a short hint beside it. */
export type PayloadTypeHint = 'JSON' | 'number' | 'text' | 'binary' | 'empty';

/** Payloads up to this size are parsed to tell JSON from text that only looks like it. */
const JSON_PARSE_MAX_BYTES = 4_096;
/** Bytes decoded from the head of a larger payload to tell text from binary. */
const HINT_HEAD_BYTES = 256;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const isSpace = (byte: number): boolean => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/**
 * What a payload holds, cheaply enough for every row in view: JSON objects and arrays
 * (what the value pane pretty-prints), a number, other text, binary, or nothing. A
 * small payload is parsed; a larger one is judged by its head (text or binary, as the
 * preview does) and whether its last byte closes what its first opened.
 */
export function payloadTypeHint(bytes: Uint8Array): PayloadTypeHint {
  if (bytes.byteLength === 0) return 'empty';
  const small = bytes.byteLength <= JSON_PARSE_MAX_BYTES;
  const head = small ? bytes : bytes.subarray(0, HINT_HEAD_BYTES);
  const text = small ? decodeUtf8(head) : decodeUtf8Prefix(head);
  if (text === null || CONTROL.test(text)) return 'binary';
  const trimmed = text.trim();
  if (small && NUMBER.test(trimmed)) return 'number';
  const open = trimmed[0];
  if (open !== '{' && open !== '[') return 'text';
  if (small) return parsesAsJson(text) ? 'JSON' : 'text';
  let end = bytes.byteLength - 1;
  while (end > 0 && isSpace(bytes[end] ?? 0)) end--;
  return bytes[end] === (open === '{' ? 0x7d : 0x5d) ? 'JSON' : 'text';
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Decodes a prefix cut from longer UTF-8: an incomplete last character is held back, invalid bytes still fail. */
function decodeUtf8Prefix(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return null;
  }
}

/** A one-line preview for the tree and lists, at most `maxChars` characters; decodes only the head of a big payload. */
export function payloadPreview(bytes: Uint8Array, maxChars = 80): string {
  if (bytes.byteLength === 0) return '';
  // Decoding a few bytes more than needed is enough for a preview of a large payload.
  const head = bytes.subarray(0, maxChars * 4);
  const text = head.byteLength < bytes.byteLength ? decodeUtf8Prefix(head) : decodeUtf8(head);
  if (text === null || CONTROL.test(text)) {
    return `${bytes.byteLength} bytes: ${hexBytes(bytes.subarray(0, 16))}${bytes.byteLength > 16 ? ' …' : ''}`;
  }
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= maxChars) return line;
  return `${line.slice(0, safeCut(line, maxChars - 1))}…`;
}

/** Bytes as lower-case hex pairs separated by spaces ("0a ff 10"). */
export function hexBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += (out ? ' ' : '') + b.toString(16).padStart(2, '0');
  return out;
}

/** Classic hex dump: offset, 16 bytes in hex, printable ASCII. */
export function hexDump(bytes: Uint8Array, maxBytes = 4096): string {
  const lines: string[] = [];
  const rows = hexRowCount(Math.min(bytes.byteLength, maxBytes));
  for (let i = 0; i < rows; i++) lines.push(hexRow(bytes.subarray(0, maxBytes), i));
  if (bytes.byteLength > maxBytes) lines.push(`… ${bytes.byteLength - maxBytes} more bytes`);
  return lines.join('\n');
}

/** Bytes per row of a hex dump. */
export const HEX_ROW_BYTES = 16;

/** Rows of the hex dump of `byteLength` bytes. */
export function hexRowCount(byteLength: number): number {
  return Math.ceil(byteLength / HEX_ROW_BYTES);
}

/** One row of the hex dump, made on demand: a viewer asks only for the rows in view. */
export function hexRow(bytes: Uint8Array, index: number): string {
  const offset = index * HEX_ROW_BYTES;
  const row = bytes.subarray(offset, offset + HEX_ROW_BYTES);
  let ascii = '';
  for (const b of row) ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  return `${offset.toString(16).padStart(8, '0')}  ${hexBytes(row).padEnd(47)}  ${ascii}`;
}

const encoder = new TextEncoder();

/** Bytes of `text` in UTF-8, as it is published (a lone surrogate becomes the 3 bytes of U+FFFD). */
export function utf8ByteLength(text: string): number {
  // Native encoding beats a character loop by far on large text, even with the copy.
  return encoder.encode(text).byteLength;
}
