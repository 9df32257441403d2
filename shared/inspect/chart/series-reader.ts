/**
 * How a series reads the messages of its topic. A payload the renderer can read at once
 * (number text, JSON, base64) gives its value at once; one whose decoder runs in the core
 * (Sparkplug B, Protobuf, CBOR, MessagePack, gzip, deflate: generated decoders and
 * libraries the renderer's CSP or bundle do not allow) says so, and the series decodes it
 * later, in order (see decode-queue.ts). Pure interface; the readers are in
 * value-extractor.ts (the payload cases) and decoded-readers.ts (through a decoder).
 */
import type { DecodeResult } from '../decode/decoded-payload';
import type { ReceivedMessage } from '../../mqtt/mqtt-message';
import type { ChartSource } from './chart-source';
import type { ValueExtractor } from './value-extractor';

/** What `read` answers for a message whose decoder runs in the core. */
export const NEEDS_DECODING = Symbol('needs decoding');

export interface SeriesReader {
  /** Other topics whose messages the reader must see, in order with the series' own (a Sparkplug data topic's birth topic). */
  readonly alsoTopics?: readonly string[];
  /** The message's value now; null when it has none; NEEDS_DECODING when only the core can decode it. */
  read(message: ReceivedMessage): number | null | typeof NEEDS_DECODING;
  /** Decodes messages `read` could not: one result per message, in the same order. Never rejects for one bad payload. */
  decode(messages: readonly ReceivedMessage[]): Promise<readonly DecodeResult[]>;
  /** The value of a decoded message; called in message order (a Sparkplug reader learns aliases from births here). */
  valueOf(message: ReceivedMessage, decoded: DecodeResult): number | null;
  /** Never dropped while the decoder is busy (a Sparkplug birth: it names the metrics of the messages after it). */
  essential?(message: ReceivedMessage): boolean;
}

/** Makes the reader of a source; null when this factory cannot chart such a source. */
export type ReaderFactory = (source: ChartSource) => SeriesReader | null;

/** A reader that never needs the core: the extractor's answer, at once. */
export function readerOf(extractor: ValueExtractor): SeriesReader {
  return {
    read: (message) => extractor.extract(message),
    decode: (messages) => Promise.resolve(messages.map(() => ({ kind: 'error', format: 'none', message: 'Read at once; never decoded.' }) as const)),
    valueOf: () => null,
  };
}
