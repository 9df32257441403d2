/**
 * Payload text, as typed in one of the form's formats, made into the bytes that are
 * sent: Text and JSON as UTF-8, Hex and Base64 as the bytes they spell, CBOR and
 * MessagePack encoded from JSON text. Pure; each problem is one sentence the form shows
 * as the reason Publish is disabled.
 *
 * CBOR comes from cbor-x's no-eval build and MessagePack from msgpackr's packer, both
 * with records off: the renderer's CSP (`script-src 'self'`) forbids generated code,
 * and neither encoder generates any for plain maps. (msgpackr's packer imports its
 * unpacker, whose record reader holds a `new Function`; only unpacking records reaches
 * it, which nothing here does. The e2e specs watch for CSP refusals and see none.)
 */
import { Encoder as CborEncoder } from 'cbor-x/index-no-eval';
import { Packr } from 'msgpackr/pack';
import { base64ToBytes } from '../inspect/decode/local-decode';
import { runToEnd } from '../inspect/display-lines';
import { JsonPrettyPrinter } from '../inspect/json-pretty';
import type { PayloadFormat } from './message-draft';

export type EncodedPayload = { ok: true; bytes: Uint8Array } | { ok: false; problem: string };

const utf8 = new TextEncoder();
// variableMapSize: a map's header says its real size in the fewest bytes (both reserve a
// 16-bit size by default, faster to write, but the bytes a device reads should be canonical).
const cbor = new CborEncoder({ useRecords: false, variableMapSize: true });
const msgpack = new Packr({ useRecords: false, variableMapSize: true });

export function encodePayload(text: string, format: PayloadFormat): EncodedPayload {
  switch (format) {
    case 'text':
      return { ok: true, bytes: utf8.encode(text) };
    case 'json': {
      const parsed = parseJson(text);
      return parsed.ok ? { ok: true, bytes: utf8.encode(text) } : parsed;
    }
    case 'hex':
      return hexToBytes(text);
    case 'base64': {
      const bytes = base64ToBytes(text);
      return bytes instanceof Uint8Array ? { ok: true, bytes } : { ok: false, problem: `Not Base64: ${bytes.problem}` };
    }
    case 'cbor':
    case 'msgpack': {
      const parsed = parseJson(text);
      if (!parsed.ok) return { ok: false, problem: `${parsed.problem} ${format === 'cbor' ? 'CBOR' : 'MessagePack'} is encoded from JSON.` };
      // Both return Node Buffers in Node; a plain view of the same bytes crosses every boundary.
      const encoded = format === 'cbor' ? cbor.encode(parsed.value) : msgpack.pack(parsed.value);
      return { ok: true, bytes: new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength) };
    }
  }
}

/** Hex digits, in pairs; spaces, tabs and line breaks between them are ignored. */
export function hexToBytes(text: string): EncodedPayload {
  const digits = text.replace(/\s+/g, '');
  const wrong = /[^0-9a-fA-F]/.exec(digits);
  if (wrong) return { ok: false, problem: `Not hex: "${wrong[0]}" is not a hex digit (0-9, a-f).` };
  if (digits.length % 2 === 1) return { ok: false, problem: `Not hex: ${digits.length.toLocaleString('en-US')} digits is an odd number; each byte takes two.` };
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  return { ok: true, bytes };
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; problem: string; line: number; column: number };

/** Parses JSON; a failure says what is wrong and where, by line and column (1-based). */
export function parseJson(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = (error as Error).message;
    // V8 names the offset for most errors ("… in JSON at position 8", newer versions add
    // "(line 2 column 1)") but not for an unexpected token; the app's own scanner finds that one.
    const position = /at position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : scannedFailure(text);
    const { line, column } = lineAndColumn(text, offset);
    const what = message
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/,? ?"[^"]*"(\.\.\.)? is not valid JSON$/, '')
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/ of JSON input$/, '');
    const said = text.trim() === '' ? 'the text is empty' : what.charAt(0).toLowerCase() + what.slice(1);
    return { ok: false, problem: `Not valid JSON: ${said} (line ${line}, column ${column}).`, line, column };
  }
}

function scannedFailure(text: string): number {
  const printer = new JsonPrettyPrinter(text, Infinity);
  runToEnd(printer);
  return printer.failedAt ?? text.length;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** JSON text pretty-printed with two spaces, or null when it does not parse. */
export function prettyJson(text: string): string | null {
  const parsed = parseJson(text);
  return parsed.ok ? JSON.stringify(parsed.value, null, 2) : null;
}

/** A size as the form shows it: exact bytes, then from 1 KiB binary units too: "1,234 bytes (1.2 KiB)". */
export function byteSizeText(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024) return exact;
  const units = ['KiB', 'MiB', 'GiB'] as const;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${exact} (${value.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} ${units[unit]})`;
}
