/**
 * Series readers that go through the topic's decoder, so a number can be charted from
 * whatever the viewer shows decoded: a path in CBOR, MessagePack, Protobuf or inflated
 * JSON, a base64 number, or a Sparkplug B metric by name.
 *
 * - The decoder is the one the tab's rules choose for each message (its content type
 *   may differ), as the viewer does. Number text and JSON (the automatic reading) and
 *   base64 are read at once; the core's decoders answer later (see decode-queue.ts).
 * - A Sparkplug metric is found by name, or by the alias the last birth of its topic gave
 *   that name (NDATA: the NBIRTH; DDATA: the DBIRTH of its device), since data messages
 *   usually carry only the alias. The series reads the birth topic too, in order, so a
 *   rebirth's new aliases hold from the messages after it. Historical metrics (values from
 *   the past sent late) and null ones are not points.
 * Pure: the decoding is injected.
 */
import type { ReceivedMessage } from '../../mqtt/mqtt-message';
import type { DecodeResult, SparkplugMetric } from '../decode/decoded-payload';
import { decoderKey, type DecoderSpec } from '../decode/decode-rules';
import { decodeLocally } from '../decode/local-decode';
import { parseSparkplugTopic, SPARKPLUG_NAMESPACE } from '../sparkplug/sparkplug-topic';
import type { ChartSource, JsonPathStep } from './chart-source';
import { NEEDS_DECODING, type ReaderFactory, type SeriesReader } from './series-reader';
import { jsonPathNumber, numberAtPath, numberFromText, payloadNumber } from './value-extractor';

/** How the tab decodes payloads, as the chart needs it. */
export interface ChartDecoding {
  /** The decoder the tab's rules (or the message's MQTT 5 content type) choose for a message on `topic`. */
  decoderFor(topic: string, message: ReceivedMessage): DecoderSpec;
  /** Decodes payloads in the core: one result per payload, in order; a failure as an `error` result, never a rejection. */
  decode(decoder: DecoderSpec, payloads: Uint8Array[]): Promise<readonly DecodeResult[]>;
}

const SPARKPLUG: DecoderSpec = { kind: 'sparkplug' };

/** Readers for every source: paths through the topic's decoder, Sparkplug metrics by name. */
export function decodedReadersFor(decoding: ChartDecoding): ReaderFactory {
  return (source) => (source.metric !== undefined ? sparkplugMetricReader(decoding, source.topic, source.metric) : pathReader(decoding, source));
}

function whole(message: ReceivedMessage): boolean {
  return message.payload.length >= message.payloadSize;
}

/** The number at `path` in what a decoder made of a payload (text is parsed as JSON for a path), or null. */
export function numberInDecoded(decoded: DecodeResult, path: readonly JsonPathStep[]): number | null {
  if (decoded.kind === 'structured') return numberAtPath(decoded.value, path);
  if (decoded.kind !== 'text') return null;
  if (path.length === 0) return numberFromText(decoded.text);
  try {
    return numberAtPath(JSON.parse(decoded.text), path);
  } catch {
    // Text that is not JSON has nothing at a path.
    return null;
  }
}

function pathReader(decoding: ChartDecoding, source: ChartSource): SeriesReader {
  const path = source.path ?? [];
  const atOnce = path.length > 0 ? jsonPathNumber(path) : payloadNumber;
  return {
    read(message) {
      if (!whole(message)) return null;
      const decoder = decoding.decoderFor(source.topic, message);
      switch (decoder.kind) {
        case 'auto':
        case 'json':
          return atOnce.extract(message);
        case 'text':
          return path.length === 0 ? payloadNumber.extract(message) : null;
        case 'raw':
          return null;
        case 'base64':
          return numberInDecoded(decodeLocally('base64', message.payload), path);
        default:
          return NEEDS_DECODING;
      }
    },
    decode: (messages) => decodeEach(decoding, messages, (message) => decoding.decoderFor(source.topic, message)),
    valueOf: (_message, decoded) => numberInDecoded(decoded, path),
  };
}

/** Decodes messages that may need different decoders (content types differ): one request per decoder, answers in message order. */
async function decodeEach(decoding: ChartDecoding, messages: readonly ReceivedMessage[], decoderOf: (message: ReceivedMessage) => DecoderSpec): Promise<DecodeResult[]> {
  const groups = new Map<string, { decoder: DecoderSpec; at: number[]; payloads: Uint8Array[] }>();
  messages.forEach((message, i) => {
    const decoder = decoderOf(message);
    const key = decoderKey(decoder);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { decoder, at: [], payloads: [] }));
    group.at.push(i);
    group.payloads.push(message.payload);
  });
  const results = new Array<DecodeResult>(messages.length);
  await Promise.all(
    [...groups.values()].map(async ({ decoder, at, payloads }) => {
      const answers = await decoding.decode(decoder, payloads);
      at.forEach((index, i) => (results[index] = answers[i] ?? { kind: 'error', format: decoder.kind, message: 'No decoding came back for this payload.' }));
    }),
  );
  return results;
}

/** The birth topic whose aliases name the metrics of a data topic (NDATA: NBIRTH, DDATA: DBIRTH of the device); null for others. */
export function birthTopicOf(topic: string): string | null {
  const parsed = parseSparkplugTopic(topic);
  if (parsed?.kind === 'node' && parsed.type === 'NDATA') return `${SPARKPLUG_NAMESPACE}/${parsed.group}/NBIRTH/${parsed.edgeNode}`;
  if (parsed?.kind === 'device' && parsed.type === 'DDATA') return `${SPARKPLUG_NAMESPACE}/${parsed.group}/DBIRTH/${parsed.edgeNode}/${parsed.device}`;
  return null;
}

function isBirthTopic(topic: string): boolean {
  const parsed = parseSparkplugTopic(topic);
  return parsed !== null && parsed.kind !== 'state' && (parsed.type === 'NBIRTH' || parsed.type === 'DBIRTH');
}

/** A metric's value as a number: numbers, booleans as 1/0, number text (64-bit integers arrive as decimal text); null otherwise. */
function metricNumber(metric: SparkplugMetric): number | null {
  if (metric.isNull === true || metric.isHistorical === true) return null;
  const { value } = metric;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return numberFromText(value);
  return null;
}

function sparkplugMetricReader(decoding: ChartDecoding, topic: string, name: string): SeriesReader {
  const birthTopic = birthTopicOf(topic);
  /** The alias the last birth gave the metric; undefined before any birth, or when it gave none. */
  let alias: number | undefined;
  return {
    alsoTopics: birthTopic ? [birthTopic] : [],
    read: (message) => (whole(message) ? NEEDS_DECODING : null),
    decode: (messages) => decoding.decode(SPARKPLUG, messages.map((m) => m.payload)),
    valueOf(message, decoded) {
      const payload = decoded.kind === 'structured' ? decoded.sparkplug : undefined;
      if (!payload) return null;
      if (isBirthTopic(message.topic)) alias = payload.metrics.find((m) => m.name === name)?.alias;
      // A metric may appear more than once in a message (buffered readings): the last is the newest.
      const metric = payload.metrics.findLast((m) => m.name === name || (m.name === undefined && alias !== undefined && m.alias === alias));
      return metric ? metricNumber(metric) : null;
    },
    essential: (message) => message.topic === birthTopic,
  };
}

/** The name a birth payload gives `alias`, or null when it does not name it (or does not decode). */
export async function metricNameInBirth(decoding: ChartDecoding, birth: ReceivedMessage, alias: number): Promise<string | null> {
  const [decoded] = await decoding.decode(SPARKPLUG, [birth.payload]);
  const payload = decoded?.kind === 'structured' ? decoded.sparkplug : undefined;
  return payload?.metrics.find((m) => m.alias === alias && m.name !== undefined)?.name ?? null;
}

/** What a number picked in the viewer charts: a Sparkplug metric by name, one known only by its alias, or a path. */
export type PickedSource = { source: ChartSource } | { topic: string; alias: number };

/**
 * A number picked at `path` in the viewer's decoded value: a Sparkplug metric's value
 * (`metrics[i].value`) charts the metric by name, wherever later messages put it; any
 * other number charts its path.
 */
export function pickedSource(topic: string, path: readonly JsonPathStep[], decoded: DecodeResult | undefined): PickedSource {
  const sparkplug = decoded?.kind === 'structured' ? decoded.sparkplug : undefined;
  const [first, index, last] = path;
  if (sparkplug && path.length === 3 && first === 'metrics' && typeof index === 'number' && last === 'value') {
    const metric = sparkplug.metrics[index];
    if (metric?.name !== undefined) return { source: { topic, metric: metric.name } };
    if (metric?.alias !== undefined) return { topic, alias: metric.alias };
  }
  return { source: { topic, path } };
}
