/**
 * Turning a message into the number a chart plots. Decided here, for every series:
 * - A payload cut by the core (`payload.length < payloadSize`) carries no value: a cut
 *   "123456" must not plot as 123.
 * - Number text is JSON's number grammar with a leading "+" also allowed, surrounded by
 *   any whitespace: "21.5", " -3\n", "1e3". Infinity, NaN, hex and "12 °C" are not numbers.
 * - "true" and "false" (any case) plot as 1 and 0, as switches and binary sensors publish
 *   them; "on"/"off" and other words do not (they mean different things to different devices).
 * - At a JSON path: a JSON number, a boolean (1/0), or a string holding number text.
 * - Anything else is no value: the series skips the message and counts it.
 * This module reads payloads as received; payloads with a decoder (CBOR, Protobuf,
 * Sparkplug B metrics...) are read by decoded-readers.ts, with the same rules for what a
 * number is. Pure.
 */
import type { ReceivedMessage } from '../../mqtt/mqtt-message';
import type { ChartSource, JsonPathStep } from './chart-source';

/** Reads one message's value for one series. */
export interface ValueExtractor {
  /** The number the message carries for this series, or null when it carries none. */
  extract(message: ReceivedMessage): number | null;
}

/** Makes the extractor of a source; null when this factory cannot chart such a source. */
export type ExtractorFactory = (source: ChartSource) => ValueExtractor | null;

/** Longer text is not a number, so a large payload on a charted topic is not decoded. */
const MAX_NUMBER_TEXT_BYTES = 64;
const NUMBER_TEXT = /^\s*[-+]?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?\s*$/;
const decoder = new TextDecoder();

/** The number `text` reads as (see the module comment), or null. */
export function numberFromText(text: string): number | null {
  if (NUMBER_TEXT.test(text)) {
    const value = Number(text);
    return Number.isFinite(value) ? value : null;
  }
  const word = text.trim().toLowerCase();
  return word === 'true' ? 1 : word === 'false' ? 0 : null;
}

/** The value at `path` inside a parsed JSON value, as a number (see the module comment), or null. */
export function numberAtPath(json: unknown, path: readonly JsonPathStep[]): number | null {
  let at: unknown = json;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(at)) return null;
      at = at[step];
    } else {
      if (at === null || typeof at !== 'object' || Array.isArray(at) || !Object.hasOwn(at, step)) return null;
      at = (at as Record<string, unknown>)[step];
    }
  }
  if (typeof at === 'number') return Number.isFinite(at) ? at : null;
  if (typeof at === 'boolean') return at ? 1 : 0;
  if (typeof at === 'string') return numberFromText(at);
  return null;
}

function whole(message: ReceivedMessage): boolean {
  return message.payload.length >= message.payloadSize;
}

/** The whole payload as number text. */
export const payloadNumber: ValueExtractor = {
  extract(message) {
    if (!whole(message) || message.payload.length > MAX_NUMBER_TEXT_BYTES) return null;
    return numberFromText(decoder.decode(message.payload));
  },
};

/** The number at `path` in a JSON payload. */
export function jsonPathNumber(path: readonly JsonPathStep[]): ValueExtractor {
  return {
    extract(message) {
      if (!whole(message)) return null;
      let json: unknown;
      try {
        json = JSON.parse(decoder.decode(message.payload));
      } catch {
        // Not JSON: this message has no value at the path, and the series counts it as skipped.
        return null;
      }
      return numberAtPath(json, path);
    },
  };
}

/** The payload cases: a plain number or a JSON path; null for a Sparkplug metric (decoded-readers.ts does those). */
export const payloadExtractorFor: ExtractorFactory = (source) => {
  if (source.metric !== undefined) return null;
  return source.path && source.path.length > 0 ? jsonPathNumber(source.path) : payloadNumber;
};
