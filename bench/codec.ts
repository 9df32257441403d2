/**
 * `codec` scenario: how fast browser mode's wire codec (shared/ipc/wire-codec.ts) encodes
 * and decodes `messages:batch` events, the bulk of what crosses its WebSocket.
 *
 * Four codecs take turns: `wire-codec` as shipped (a batch packed in columns, see
 * shared/ipc/batch-packing.ts) and `maps`, the same codec with each message as a CBOR
 * map, as before packing; `ipc-clone` and `ipc-clone-maps`, the desktop app's batch
 * through V8's serializer (what Electron's IPC uses), packed and as before.
 *
 * Each workload is 40 batches of 2,000 messages (80,000 messages), all generated before
 * the clock starts, with `--payload`-sized payloads (64 bytes and 1 KiB by default) and
 * one message in four carrying MQTT 5 properties (content type, expiry, correlation
 * data, two user properties). Encoding turns each batch event into a frame; decoding
 * turns those frames back into events (limits, structure scan and shape check included,
 * as the page and the host pay them). Every pass is timed separately after a warm-up
 * pass; the figures are the medians of `--passes` passes in this process. With more
 * than one codec in CODECS, passes take turns, so load from other work on the machine
 * falls on all of them alike.
 *
 * MB/s counts frame bytes (what the socket carries); msg/s counts MQTT messages. Both
 * come from the wall clock and, as `...PerCpuSec`, from this process's CPU time, which
 * other work on a shared machine barely moves.
 */
import { deserialize, serialize } from 'node:v8';
import { unpackBatch, wirePayload } from '../shared/ipc/batch-packing';
import { decodeFrame, encodeFrame } from '../shared/ipc/wire-codec';
import type { MessageBatch, ReceivedMessage } from '../shared/mqtt/mqtt-message';
import { seededRandom } from '../test/support/seeded-random';
import { parseIntegerFlags } from './args';
import { runMain } from './cleanup';
import { emitResult, metricRow, progress, type MetricRow } from './result';
import { MB, machineInfo, median, round } from './stats';
import { benchTopic, payloadText } from './topics';

const BATCH_SIZE = 2_000;
const BATCHES = 40;
const CODEC_DEFAULTS = { passes: 7 };
/** Payload sizes measured, in bytes: a small sensor reading and a larger JSON document. */
const PAYLOAD_SIZES = [64, 1024];

/** A codec under test: the module's two functions (others can be added to compare). */
interface Codec {
  name: string;
  encode: (value: unknown) => Uint8Array;
  decode: (frame: Uint8Array) => unknown;
}

/**
 * The same event under another name, which the codec does not pack: each message goes
 * as a CBOR map, as every batch did before batch-packing.ts. Kept as a reference.
 */
function unpackedEvent(event: unknown): unknown {
  return { ...(event as object), name: 'messages:unpacked' };
}

/** A batch event's payload, as the desktop app hands it to Electron's IPC. */
const batchOf = (event: unknown): MessageBatch => (event as { payload: MessageBatch }).payload;

const CODECS: Codec[] = [
  { name: 'wire-codec', encode: encodeFrame, decode: decodeFrame },
  { name: 'maps', encode: (event) => encodeFrame(unpackedEvent(event)), decode: decodeFrame },
  // The desktop app's path: Electron's IPC clones with V8's serializer, as node:v8 does.
  { name: 'ipc-clone', encode: (event) => serialize(wirePayload('messages:batch', batchOf(event))), decode: (frame) => unpackBatch(deserialize(frame)) },
  { name: 'ipc-clone-maps', encode: (event) => serialize(batchOf(event)), decode: (frame) => deserialize(frame) as unknown },
];

function generateEvents(payloadBytes: number): unknown[] {
  const random = seededRandom(0xc0dec);
  const encoder = new TextEncoder();
  const receivedAt = Date.now();
  const events: unknown[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const messages: ReceivedMessage[] = [];
    for (let i = 0; i < BATCH_SIZE; i++) {
      const n = b * BATCH_SIZE + i;
      const payload = new Uint8Array(payloadBytes);
      encoder.encodeInto(payloadText(n, payloadBytes), payload);
      const message: ReceivedMessage = {
        topic: benchTopic(Math.floor(random() * 20_000), 5),
        payload,
        payloadSize: payloadBytes,
        qos: n % 3 === 0 ? 1 : 0,
        retain: n % 10 === 0,
        receivedAt: receivedAt + n,
        coalesced: 0,
      };
      if (n % 4 === 0) {
        message.properties = {
          contentType: 'application/json',
          messageExpiryInterval: 3600,
          correlationData: Uint8Array.of(n & 0xff, (n >> 8) & 0xff, 0, 255),
          userProperties: { site: 'plant-7', line: String(n % 12) },
        };
      }
      messages.push(message);
    }
    const batch: MessageBatch = { connectionId: 'bench', messages, coalesced: 0, truncated: 0, seq: b, rendererBehind: false };
    events.push({ kind: 'event', name: 'messages:batch', payload: batch });
  }
  return events;
}

interface PassFigures {
  encodeMs: number;
  decodeMs: number;
  encodeCpuMs: number;
  decodeCpuMs: number;
  frameBytes: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function onePass(codec: Codec, events: unknown[]): PassFigures {
  const frames: Uint8Array[] = [];
  let cpu = process.cpuUsage();
  let start = performance.now();
  for (const event of events) frames.push(codec.encode(event));
  const encodeMs = performance.now() - start;
  const encodeCpuMs = cpuMs(cpu);
  // Decoding must not read frames the encoder may reuse: copy them first, untimed.
  const copies = frames.map((frame) => frame.slice());
  cpu = process.cpuUsage();
  start = performance.now();
  let decoded = 0;
  for (const frame of copies) if (codec.decode(frame) !== undefined) decoded++;
  const decodeMs = performance.now() - start;
  const decodeCpuMs = cpuMs(cpu);
  if (decoded !== events.length) throw new Error(`${codec.name} decoded ${decoded} of ${events.length} frames.`);
  return { encodeMs, decodeMs, encodeCpuMs, decodeCpuMs, frameBytes: copies.reduce((sum, f) => sum + f.byteLength, 0) };
}

async function main(): Promise<void> {
  const { passes } = parseIntegerFlags(process.argv.slice(2), CODEC_DEFAULTS);
  const messages = BATCH_SIZE * BATCHES;
  const rows: MetricRow[] = [];
  const fields: Record<string, number> = { passes, batchSize: BATCH_SIZE, messages };
  for (const payloadBytes of PAYLOAD_SIZES) {
    const events = generateEvents(payloadBytes);
    for (const codec of CODECS) onePass(codec, events); // warm-up: V8 compiles the codecs on their first calls
    const runs = new Map<Codec, PassFigures[]>(CODECS.map((codec) => [codec, []]));
    for (let pass = 0; pass < passes; pass++) for (const codec of CODECS) runs.get(codec)!.push(onePass(codec, events));
    for (const codec of CODECS) {
      const figures = runs.get(codec)!;
      const frameMB = figures[0]!.frameBytes / MB;
      const label = `codec ${codec.name} ${payloadBytes} B`;
      const key = `${codec.name}.${payloadBytes}`;
      // Seconds per pass (medians), by the wall clock and by this process's CPU time.
      const seconds = (field: 'encodeMs' | 'decodeMs' | 'encodeCpuMs' | 'decodeCpuMs'): number => median(figures.map((r) => r[field])) / 1000;
      const [encodeSec, decodeSec, encodeCpuSec, decodeCpuSec] = [seconds('encodeMs'), seconds('decodeMs'), seconds('encodeCpuMs'), seconds('decodeCpuMs')];
      const rates = {
        encodeMBps: frameMB / encodeSec,
        decodeMBps: frameMB / decodeSec,
        encodeMsgsPerSec: messages / encodeSec,
        decodeMsgsPerSec: messages / decodeSec,
        encodeMBPerCpuSec: frameMB / encodeCpuSec,
        decodeMBPerCpuSec: frameMB / decodeCpuSec,
        encodeMsgsPerCpuSec: messages / encodeCpuSec,
        decodeMsgsPerCpuSec: messages / decodeCpuSec,
      };
      for (const [metric, value] of Object.entries(rates)) {
        const perMessage = metric.includes('Msgs');
        const rounded = perMessage ? Math.round(value) : round(value);
        const unit = perMessage ? (metric.includes('Cpu') ? 'msg/CPU s' : 'msg/s') : metric.includes('Cpu') ? 'MB/CPU s' : 'MB/s';
        rows.push(metricRow(label, metric, rounded, unit));
        fields[`${key}.${metric}`] = rounded;
      }
      fields[`${key}.frameMB`] = round(frameMB, 2);
      progress(
        `${codec.name}, ${payloadBytes}-byte payloads: ${round(frameMB, 2)} MB of frames; ` +
          `encode ${round(rates.encodeMBps)} MB/s (${Math.round(rates.encodeMsgsPerSec).toLocaleString('en-US')} msg/s, ${round(rates.encodeMBPerCpuSec)} MB per CPU s), ` +
          `decode ${round(rates.decodeMBps)} MB/s (${Math.round(rates.decodeMsgsPerSec).toLocaleString('en-US')} msg/s, ${round(rates.decodeMBPerCpuSec)} MB per CPU s); median of ${passes}`,
      );
    }
  }
  emitResult({ scenario: 'codec', machine: machineInfo(), fields, rows, problems: [] });
}

runMain(main);
