/**
 * The viewer's own reading of a payload, for the automatic decoder (which DecodingState
 * leaves to the views) and while the core is still decoding: text when the bytes are
 * UTF-8 without control characters (the viewer pretty-prints its text when it is JSON,
 * in slices, its numbers exact), raw bytes otherwise (shared/inspect/payload-format.ts).
 */
import type { DecodeResult } from '../../../../shared/inspect/decode/decoded-payload';
import { classifyPayload } from '../../../../shared/inspect/payload-format';

export function fallbackDecode(payload: Uint8Array): DecodeResult {
  const found = classifyPayload(payload);
  if (found.kind === 'binary') return { kind: 'bytes', format: 'Binary' };
  if (found.kind === 'empty') return { kind: 'text', format: 'Empty', text: '' };
  return { kind: 'text', format: 'Text', text: found.text };
}
