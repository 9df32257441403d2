/**
 * The diff of two messages, as rows a view only has to render. The entry point takes
 * each side as a decoded value (the `DecodeResult` a decoder gave, or `decodePlain` for
 * payloads with no decoder) plus its raw bytes: structured values are compared
 * structurally (changes named by their JSONPath), text by lines, anything else as hex
 * dumps by lines. Identical bytes say so without any diffing.
 *
 * Bounded work, so comparing never stalls the window: structured values above
 * `STRUCTURED_MAX_BYTES` are compared by lines of their pretty JSON instead, line diffs
 * stop at a line count and a deadline, hex dumps cover the first `HEX_MAX_BYTES`.
 */
import type { DecodedJson, DecodeResult } from '../decode/decoded-payload';
import { classifyPayload, hexRow, hexRowCount } from '../payload-format';
import { jsonChanges, type ValueChange } from './json-changes';
import { DEFAULT_LINE_LIMITS, lineDiff, type LineRow } from './line-diff';

/** One message as the diff sees it. */
export interface DiffSide {
  readonly decoded: DecodeResult;
  /** The payload as received. */
  readonly bytes: Uint8Array;
}

export type PayloadDiff =
  | { readonly kind: 'identical'; readonly note: string }
  | { readonly kind: 'structured'; readonly changes: readonly ValueChange[]; readonly total: number; readonly note: string | null }
  | { readonly kind: 'lines'; readonly of: 'text' | 'hex'; readonly rows: readonly LineRow[]; readonly added: number; readonly removed: number; readonly note: string | null };

/** Payload bytes (per side) up to which structured values are compared structurally. */
export const STRUCTURED_MAX_BYTES = 64 * 1024;
/** Payload bytes (per side) compared as hex. */
export const HEX_MAX_BYTES = 16 * 1024;
/** Changes listed at most; the count still says how many there are. */
export const MAX_CHANGES = 1_000;

/** What a payload is without a decoder: JSON when it parses, text when it is UTF-8, else bytes. */
export function decodePlain(bytes: Uint8Array): DecodeResult {
  const found = classifyPayload(bytes);
  if (found.kind === 'empty') return { kind: 'text', format: 'Text', text: '' };
  if (found.kind === 'binary') return { kind: 'bytes', format: 'Binary' };
  // Larger JSON would not be compared structurally anyway: its text is compared by lines.
  if (bytes.byteLength <= STRUCTURED_MAX_BYTES) {
    try {
      return { kind: 'structured', format: 'JSON', value: JSON.parse(found.text) as DecodedJson };
    } catch {
      // Not JSON: text.
    }
  }
  return { kind: 'text', format: 'Text', text: found.text };
}

/** The differences from `before` to `after`. */
export function diffPayloads(before: DiffSide, after: DiffSide): PayloadDiff {
  if (sameBytes(before.bytes, after.bytes)) return { kind: 'identical', note: 'The two messages are identical.' };
  const [a, b] = [before.decoded, after.decoded];
  if (a.kind === 'structured' && b.kind === 'structured') {
    if (before.bytes.byteLength <= STRUCTURED_MAX_BYTES && after.bytes.byteLength <= STRUCTURED_MAX_BYTES) {
      const { changes, total } = jsonChanges(a.value, b.value, MAX_CHANGES);
      if (total === 0) return { kind: 'identical', note: 'The values are the same; only their encoding differs (spacing or key order).' };
      const note = total > changes.length ? `Showing the first ${changes.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} changes.` : null;
      return { kind: 'structured', changes, total, note };
    }
    return linesOf(pretty(a.value), pretty(b.value), 'text', `Too large to compare structurally (over ${STRUCTURED_MAX_BYTES / 1024} KiB): compared by lines.`);
  }
  const textA = asText(a);
  const textB = asText(b);
  if (textA !== null && textB !== null) {
    const large = before.bytes.byteLength > STRUCTURED_MAX_BYTES || after.bytes.byteLength > STRUCTURED_MAX_BYTES;
    const looksStructured = [textA, textB].some((text) => /^\s*[[{]/.test(text.slice(0, 64)));
    return linesOf(textA, textB, 'text', large && looksStructured ? `Too large to compare structurally (over ${STRUCTURED_MAX_BYTES / 1024} KiB): compared by lines.` : null);
  }
  return hexLines(before.bytes, after.bytes);
}

function asText(decoded: DecodeResult): string | null {
  if (decoded.kind === 'text') return decoded.text;
  // Structured values above the structural bound are compared as pretty JSON.
  if (decoded.kind === 'structured') return pretty(decoded.value);
  return null;
}

function pretty(value: DecodedJson): string {
  return JSON.stringify(value, null, 2);
}

/** `partial`: only the start of each side was given, so equal lines do not make equal messages. */
function linesOf(before: string, after: string, of: 'text' | 'hex', reason: string | null, partial = false): PayloadDiff {
  const diff = lineDiff(before, after);
  const cut = partial || diff.cut;
  const notes = [reason, diff.cut ? `Only the first ${DEFAULT_LINE_LIMITS.maxLines.toLocaleString('en-US')} lines of each are compared.` : null];
  if (diff.added === 0 && diff.removed === 0) {
    if (!cut) return { kind: 'identical', note: 'The two messages differ only in line endings.' };
    notes.push('The compared part is the same; they differ after it.');
  }
  const note = notes.filter((n) => n !== null).join(' ');
  return { kind: 'lines', of, rows: diff.rows, added: diff.added, removed: diff.removed, note: note === '' ? null : note };
}

function hexLines(before: Uint8Array, after: Uint8Array): PayloadDiff {
  const dump = (bytes: Uint8Array): string => {
    const head = bytes.subarray(0, HEX_MAX_BYTES);
    const rows: string[] = [];
    for (let i = 0; i < hexRowCount(head.byteLength); i++) rows.push(hexRow(head, i));
    return rows.join('\n');
  };
  const cut = before.byteLength > HEX_MAX_BYTES || after.byteLength > HEX_MAX_BYTES;
  return linesOf(dump(before), dump(after), 'hex', cut ? `Binary: the first ${HEX_MAX_BYTES / 1024} KiB of each compared as hex.` : 'Binary: compared as hex.', cut);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
