/**
 * THE FALLBACK until the decoders land: what the viewer shows when nobody decoded the
 * payload, found the way the value pane always did (shared/inspect/payload-format.ts):
 * text when the bytes are UTF-8 without control characters (the viewer pretty-prints it
 * when it is JSON), raw bytes otherwise. The decoders replace this with their own
 * `DecodeResult`; the viewer takes either.
 */
import type { DecodeResult } from '../../../../shared/inspect/decode/decoded-payload';
import { classifyPayload } from '../../../../shared/inspect/payload-format';

export function fallbackDecode(payload: Uint8Array): DecodeResult {
  const found = classifyPayload(payload);
  if (found.kind === 'binary') return { kind: 'bytes', format: 'Binary' };
  if (found.kind === 'empty') return { kind: 'text', format: 'Empty', text: '' };
  return { kind: 'text', format: 'Text', text: found.text };
}
