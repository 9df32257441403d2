/**
 * How a `messages:batch` event crosses into the renderer: in columns, not as one object
 * per message. Both transports carry it packed and unpack it before a listener sees it:
 * browser mode's wire codec packs every batch it encodes and unpacks every batch it
 * decodes; in the desktop app main packs it (`wirePayload`, in ipc-main.ts) and the
 * renderer unpacks what the preload hands over (topicscope-api.ts).
 *
 * In Electron a batch is copied twice on its way: by the IPC's structured clone, then by
 * the context bridge into the page's world, both object by object. Packed, they copy a
 * few arrays. Through V8's serializer, the one Electron's IPC uses, a batch of 64-byte
 * messages serializes 2.5 times as fast and deserializes 2.8 times as fast packed,
 * packing and unpacking included (the codec scenario's `ipc-clone` rows; bench/README.md).
 *
 * Why: a batch is almost all of what the socket carries, and per message the map costs
 * seven keys and seven values to write, to check and to read back (in the `codec`
 * scenario, 2.1 µs to encode and 3.5 µs to decode a message with a 64-byte payload).
 * Packed, a batch is a handful of CBOR items whatever its size:
 * - `topics`: an array of text strings, one per message. Kept as strings of their own,
 *   not one joined string cut into slices: a slice of 13 or more characters would keep
 *   the whole batch's string alive in V8 for as long as the tree keeps the slice.
 * - `payloads`: every payload's bytes, one after the other, in one byte string. The page
 *   gets views into the frame, as it did from the per-message maps.
 * - `records`: RECORD_BYTES per message, little-endian: the payload's length here
 *   (uint32), its size on the wire (uint32; MQTT's largest packet is under 2^28),
 *   receivedAt (float64), coalesced (float64: a count, kept exact) and a flags byte
 *   (QoS in bits 0-1, retain in bit 2).
 * - `properties`: only the messages that have MQTT 5 properties, as index, properties,
 *   index, properties... (most messages have none).
 *
 * Unpacking trusts nothing the frame says: every count, length and index must agree
 * with the bytes present, or it throws FrameError. The frame's structure was already
 * checked by the codec's scan.
 */
import type { MessageBatch, MessageProperties, QoS, ReceivedMessage } from '../mqtt/mqtt-message';
import { FrameError } from './frame-error';
import type { BridgedApi, EventName, EventPayloads, TopicscopeApi, WireEventPayloads } from './ipc-contract';

/** Bytes per message in `records`. */
export const RECORD_BYTES = 25;
const RETAIN_FLAG = 0b100;
const QOS_BITS = 0b11;

/** A MessageBatch as it travels packed (see the header). */
export interface PackedBatch {
  connectionId: string;
  seq: number;
  coalesced: number;
  truncated: number;
  rendererBehind: boolean;
  topics: string[];
  payloads: Uint8Array;
  records: Uint8Array;
  properties: (number | MessageProperties)[];
}

const PACKED_KEYS: readonly (keyof PackedBatch)[] = ['connectionId', 'seq', 'coalesced', 'truncated', 'rendererBehind', 'topics', 'payloads', 'records', 'properties'];

export function packBatch(batch: MessageBatch): PackedBatch {
  const { messages } = batch;
  const count = messages.length;
  let payloadBytes = 0;
  for (let i = 0; i < count; i++) payloadBytes += messages[i]!.payload.byteLength;
  const payloads = new Uint8Array(payloadBytes);
  const records = new Uint8Array(count * RECORD_BYTES);
  const view = new DataView(records.buffer);
  const topics = new Array<string>(count);
  const properties: (number | MessageProperties)[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const message = messages[i]!;
    const { payload } = message;
    topics[i] = message.topic;
    payloads.set(payload, offset);
    offset += payload.byteLength;
    const at = i * RECORD_BYTES;
    view.setUint32(at, payload.byteLength, true);
    view.setUint32(at + 4, message.payloadSize, true);
    view.setFloat64(at + 8, message.receivedAt, true);
    view.setFloat64(at + 16, message.coalesced, true);
    view.setUint8(at + 24, message.qos | (message.retain ? RETAIN_FLAG : 0));
    if (message.properties !== undefined) properties.push(i, message.properties);
  }
  const { connectionId, seq, coalesced, truncated, rendererBehind } = batch;
  return { connectionId, seq, coalesced, truncated, rendererBehind, topics, payloads, records, properties };
}

/** What a transport carries for an event's payload: a message batch packed, anything else as it is. */
export function wirePayload<E extends EventName>(event: E, payload: EventPayloads[E]): WireEventPayloads[E] {
  return (event === 'messages:batch' ? packBatch(payload as MessageBatch) : payload) as WireEventPayloads[E];
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
/** A CBOR map as the codec decodes it: an object (byte strings come as Uint8Array, arrays as arrays). */
const isDecodedMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);

/** The MessageBatch a decoded packed batch stands for; FrameError when any part disagrees. */
export function unpackBatch(value: unknown): MessageBatch {
  if (!isDecodedMap(value)) throw new FrameError('The message batch is not packed.');
  for (const key of Object.keys(value)) {
    if (!(PACKED_KEYS as readonly string[]).includes(key)) throw new FrameError(`The message batch has an unexpected field "${key}".`);
  }
  const { connectionId, seq, coalesced, truncated, rendererBehind, topics, payloads, records, properties } = value;
  if (typeof connectionId !== 'string') throw new FrameError('The message batch has no connection ID.');
  if (!isCount(seq) || !isCount(coalesced) || !isCount(truncated)) throw new FrameError('The message batch has an invalid sequence number or count.');
  if (typeof rendererBehind !== 'boolean') throw new FrameError('The message batch does not say whether the window is behind.');
  if (!Array.isArray(topics) || !(payloads instanceof Uint8Array) || !(records instanceof Uint8Array) || !Array.isArray(properties)) {
    throw new FrameError('The message batch is missing its topics, payloads, records or properties.');
  }
  const count = topics.length;
  if (records.byteLength !== count * RECORD_BYTES) throw new FrameError(`The message batch has ${count} topics but ${records.byteLength} bytes of records.`);
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  const messages = new Array<ReceivedMessage>(count);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const topic: unknown = topics[i];
    if (typeof topic !== 'string') throw new FrameError(`Message ${i} of the batch has no topic.`);
    const at = i * RECORD_BYTES;
    const length = view.getUint32(at, true);
    const payloadSize = view.getUint32(at + 4, true);
    const receivedAt = view.getFloat64(at + 8, true);
    const messageCoalesced = view.getFloat64(at + 16, true);
    const flags = view.getUint8(at + 24);
    const qos = flags & QOS_BITS;
    if (length > payloadSize || length > payloads.byteLength - offset) throw new FrameError(`Message ${i} of the batch declares more payload than there is.`);
    if (qos === 3 || flags & ~(QOS_BITS | RETAIN_FLAG)) throw new FrameError(`Message ${i} of the batch has invalid flags.`);
    if (!isCount(messageCoalesced)) throw new FrameError(`Message ${i} of the batch has an invalid coalesced count.`);
    messages[i] = {
      topic,
      payload: payloads.subarray(offset, offset + length),
      payloadSize,
      qos: qos as QoS,
      retain: (flags & RETAIN_FLAG) !== 0,
      receivedAt,
      coalesced: messageCoalesced,
    };
    offset += length;
  }
  if (offset !== payloads.byteLength) throw new FrameError(`The message batch has ${payloads.byteLength - offset} payload bytes no message uses.`);
  let last = -1;
  for (let p = 0; p < properties.length; p += 2) {
    const index: unknown = properties[p];
    const messageProperties: unknown = properties[p + 1];
    if (!Number.isSafeInteger(index) || (index as number) <= last || (index as number) >= count || !isDecodedMap(messageProperties)) {
      throw new FrameError('The message batch has invalid MQTT 5 properties.');
    }
    last = index as number;
    messages[last]!.properties = messageProperties;
  }
  return { connectionId, messages, coalesced, truncated, seq, rendererBehind };
}

/**
 * The preload's API with message batches unpacked in the page's own world (called by
 * topicscope-api.ts): the preload hands them over packed, so neither Electron's IPC nor
 * its context bridge copies an object per message.
 */
export function unpackingBatches(bridged: BridgedApi): TopicscopeApi {
  function on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    if (event !== 'messages:batch') return bridged.on(event, listener as unknown as (payload: WireEventPayloads[E]) => void);
    return bridged.on('messages:batch', (packed) => (listener as (batch: MessageBatch) => void)(unpackBatch(packed)));
  }
  return { ...bridged, on };
}
