/**
 * The decoders that need no library and no `Function` (the renderer's CSP allows
 * neither eval nor generated code), so the renderer runs them itself, synchronously:
 * auto (JSON, text or bytes, by sniffing), JSON, text, raw bytes and base64. The core
 * runs the same code for what gzip and deflate inflate.
 */
import { classifyPayload, decodeUtf8 } from '../payload-format';
import type { DecodeResult, DecoderKind } from './decoded-payload';
import { DecodeBudget, DecodedTooLarge, toDecodedJson } from './decoded-json';
import { binaryStringToBytes } from '../../mqtt/binary-string';

/** The decoders this module runs. */
export const LOCAL_DECODER_KINDS = ['auto', 'json', 'text', 'raw', 'base64'] as const satisfies readonly DecoderKind[];
export type LocalDecoderKind = (typeof LOCAL_DECODER_KINDS)[number];

export function isLocalDecoder(kind: DecoderKind): kind is LocalDecoderKind {
  return (LOCAL_DECODER_KINDS as readonly DecoderKind[]).includes(kind);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Decodes `payload` with one of the local decoders; `prefix` names an outer layer in `format` ("gzip → "). Never throws. */
export function decodeLocally(kind: LocalDecoderKind, payload: Uint8Array, prefix = '', budget = new DecodeBudget()): DecodeResult {
  switch (kind) {
    case 'auto':
      return sniff(payload, prefix, budget);
    case 'json':
      return decodeJson(payload, prefix, budget);
    case 'text':
      return decodeText(payload, prefix);
    case 'raw':
      return { kind: 'bytes', format: `${prefix}Bytes` };
    case 'base64':
      return decodeBase64(payload, prefix);
  }
}

/** JSON when it parses, text when it is UTF-8 without control characters, else bytes. */
function sniff(payload: Uint8Array, prefix: string, budget: DecodeBudget): DecodeResult {
  const found = classifyPayload(payload);
  if (found.kind === 'empty') return { kind: 'text', format: `${prefix}Empty`, text: '' };
  if (found.kind === 'binary') return { kind: 'bytes', format: `${prefix}Bytes` };
  // Objects and arrays are shown as JSON; a bare number or word reads best as the text it is.
  if (found.maybeJson) {
    const parsed = parseJson(found.text, prefix, budget);
    if (parsed.kind === 'structured') return parsed;
  }
  return { kind: 'text', format: `${prefix}Text`, text: found.text };
}

function decodeJson(payload: Uint8Array, prefix: string, budget: DecodeBudget): DecodeResult {
  const text = decodeUtf8(payload);
  if (text === null) return { kind: 'error', format: `${prefix}JSON`, message: 'Not JSON: the payload is not valid UTF-8 text.' };
  return parseJson(text, prefix, budget);
}

function parseJson(text: string, prefix: string, budget: DecodeBudget): DecodeResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { kind: 'error', format: `${prefix}JSON`, message: `Not JSON: ${(error as Error).message}` };
  }
  try {
    return { kind: 'structured', format: `${prefix}JSON`, value: toDecodedJson(raw, budget) };
  } catch (error) {
    if (error instanceof DecodedTooLarge) return { kind: 'error', format: `${prefix}JSON`, message: error.message };
    throw error;
  }
}

function decodeText(payload: Uint8Array, prefix: string): DecodeResult {
  const text = decodeUtf8(payload);
  if (text === null) return { kind: 'error', format: `${prefix}Text`, message: 'Not UTF-8 text: some bytes are not valid UTF-8.' };
  return { kind: 'text', format: `${prefix}Text`, text };
}

const BASE64_CHARACTER = /[A-Za-z0-9+/\-_=]/;

/** Standard or URL-safe base64, padding optional, white space (line breaks of MIME) ignored. */
export function base64ToBytes(text: string): Uint8Array | { problem: string } {
  const compact = text.replace(/\s+/g, '');
  for (let i = 0; i < compact.length; i++) {
    if (!BASE64_CHARACTER.test(compact[i]!)) return { problem: `"${compact[i]}" (character ${i + 1}) is not a base64 character.` };
  }
  const body = compact.replace(/=+$/, '');
  if (body.includes('=')) return { problem: '"=" appears before the end.' };
  if (body.length % 4 === 1) return { problem: `${body.length} characters cannot be base64 (one too many for whole bytes).` };
  const standard = body.replace(/-/g, '+').replace(/_/g, '/');
  return binaryStringToBytes(atob(standard + '='.repeat((4 - (standard.length % 4)) % 4)));
}

function decodeBase64(payload: Uint8Array, prefix: string): DecodeResult {
  const text = decodeUtf8(payload);
  if (text === null) return { kind: 'error', format: `${prefix}Base64`, message: 'Not base64: the payload is not text.' };
  const bytes = base64ToBytes(text);
  if (!(bytes instanceof Uint8Array)) return { kind: 'error', format: `${prefix}Base64`, message: `Not base64: ${bytes.problem}` };
  const inner = decodeUtf8(bytes);
  if (inner !== null && !CONTROL.test(inner)) return { kind: 'text', format: `${prefix}Base64 → text`, text: inner };
  return { kind: 'bytes', format: `${prefix}Base64 → bytes`, bytes };
}
