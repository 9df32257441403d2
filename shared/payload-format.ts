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

export function viewPayload(bytes: Uint8Array): PayloadView {
  if (bytes.byteLength === 0) return { kind: 'empty' };
  const text = decodeUtf8(bytes);
  if (text === null || CONTROL.test(text)) return { kind: 'binary', hex: hexDump(bytes) };
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { kind: 'json', text, pretty: JSON.stringify(JSON.parse(text), null, 2) };
    } catch {
      // Not JSON after all: show it as text.
    }
  }
  return { kind: 'text', text };
}

/** A one-line preview for the tree and lists, at most `maxChars` characters. */
/** Decodes a prefix cut from longer UTF-8: an incomplete last character is held back, invalid bytes still fail. */
function decodeUtf8Prefix(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return null;
  }
}

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
  // Never cut between the two halves of a surrogate pair (emoji and the like).
  const high = line.charCodeAt(maxChars - 2);
  const end = high >= 0xd800 && high <= 0xdbff ? maxChars - 2 : maxChars - 1;
  return `${line.slice(0, end)}…`;
}

function hexBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += (out ? ' ' : '') + b.toString(16).padStart(2, '0');
  return out;
}

/** Classic hex dump: offset, 16 bytes in hex, printable ASCII. */
export function hexDump(bytes: Uint8Array, maxBytes = 4096): string {
  const lines: string[] = [];
  const end = Math.min(bytes.byteLength, maxBytes);
  for (let offset = 0; offset < end; offset += 16) {
    const row = bytes.subarray(offset, Math.min(offset + 16, end));
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hexBytes(row).padEnd(47)}  ${ascii}`);
  }
  if (bytes.byteLength > maxBytes) lines.push(`… ${bytes.byteLength - maxBytes} more bytes`);
  return lines.join('\n');
}
