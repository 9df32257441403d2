/**
 * The flood publisher, a separate process so it does not share an event loop with
 * the subscriber under test. Broker from TOPICSCOPE_TEST_BROKER (harness format).
 *
 *   burst: --messages N --topics T --depth D --payload B
 *     every topic once per round, shuffled rounds (as the model scenario), as fast as
 *     the broker takes them; pre-encoded before the clock starts.
 *   paced: --rate R --seconds S --topics T --depth D --payload B --probe TOPIC --probe-every-ms M
 *     R messages/s over the topics, plus a message on TOPIC every M ms whose payload
 *     carries the send time: {"t":<epoch ms>,...}.
 *
 * Prints RESULT_MARKER + JSON: published, startedAt/endedAt (epoch ms, endedAt once the
 * last byte was handed to the kernel).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { brokerInfoFromEnv } from '../test/harness/mosquitto';
import { connectRawPublisher, encodePublish, type RawPublisher } from './mqtt-wire';
import { RESULT_MARKER } from './result';
import { benchTopics, messageOrder, payloadText } from './topics';

/** Bytes per socket write: large enough to amortize syscalls, small enough to interleave. */
const CHUNK_BYTES = 64 * 1024;

export interface PublisherResult {
  published: number;
  probes: number;
  startedAt: number;
  /** When the last PUBLISH was handed to the socket (epoch ms). */
  lastWriteAt: number;
  endedAt: number;
}

function integer(values: Record<string, string | boolean | undefined>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer (got "${String(raw)}").`);
  return value;
}

function encodeBurst(messages: number, topics: string[], payloadBytes: number): Buffer[] {
  const order = messageOrder(messages, topics.length);
  const chunks: Buffer[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for (let i = 0; i < messages; i++) {
    const packet = encodePublish(topics[order[i]!]!, Buffer.from(payloadText(i, payloadBytes), 'ascii'));
    pending.push(packet);
    pendingBytes += packet.length;
    if (pendingBytes >= CHUNK_BYTES) {
      chunks.push(Buffer.concat(pending));
      pending = [];
      pendingBytes = 0;
    }
  }
  if (pending.length > 0) chunks.push(Buffer.concat(pending));
  return chunks;
}

async function burst(publisher: RawPublisher, chunks: Buffer[]): Promise<void> {
  for (const chunk of chunks) await publisher.write(chunk);
}

async function paced(
  publisher: RawPublisher,
  topics: string[],
  options: { rate: number; seconds: number; payload: number; probe: string; probeEveryMs: number },
): Promise<{ published: number; probes: number }> {
  const total = options.rate * options.seconds;
  const order = messageOrder(total, topics.length, 0x5eed);
  const startedAt = performance.now();
  let published = 0;
  let probes = 0;
  let nextProbeAt = startedAt;
  while (published < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - startedAt) / 1000) * options.rate));
    const packets: Buffer[] = [];
    for (; published < due; published++) {
      packets.push(encodePublish(topics[order[published]!]!, Buffer.from(payloadText(published, options.payload), 'ascii')));
    }
    if (now >= nextProbeAt) {
      const stamp = `{"t":${Date.now()},"probe":${probes}}`;
      packets.push(encodePublish(options.probe, Buffer.from(stamp, 'ascii')));
      probes++;
      nextProbeAt += options.probeEveryMs;
    }
    if (packets.length > 0) await publisher.write(Buffer.concat(packets));
    // A short sleep: 5 ms slices keep the rate smooth without spinning a core.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { published, probes };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string' },
      messages: { type: 'string' },
      topics: { type: 'string' },
      depth: { type: 'string' },
      payload: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      probe: { type: 'string' },
      'probe-every-ms': { type: 'string' },
    },
    strict: true,
  });
  const broker = brokerInfoFromEnv();
  const topicCount = integer(values, 'topics', 50_000);
  const depth = integer(values, 'depth', 5);
  const payload = integer(values, 'payload', 64);
  const topics = benchTopics(topicCount, depth);
  const clientId = `bench_pub_${randomBytes(4).toString('hex')}`;

  let result: PublisherResult;
  if (values.mode === 'burst') {
    const messages = integer(values, 'messages', 500_000);
    const chunks = encodeBurst(messages, topics, payload);
    const publisher = await connectRawPublisher(broker.host, broker.ports.mqtt, clientId, broker.username, broker.password);
    const startedAt = Date.now();
    await burst(publisher, chunks);
    const lastWriteAt = Date.now();
    await publisher.end();
    result = { published: messages, probes: 0, startedAt, lastWriteAt, endedAt: Date.now() };
  } else if (values.mode === 'paced') {
    if (!values.probe) throw new Error('--probe TOPIC is required in paced mode.');
    const publisher = await connectRawPublisher(broker.host, broker.ports.mqtt, clientId, broker.username, broker.password);
    const startedAt = Date.now();
    const counts = await paced(publisher, topics, {
      rate: integer(values, 'rate', 20_000),
      seconds: integer(values, 'seconds', 5),
      payload,
      probe: values.probe,
      probeEveryMs: integer(values, 'probe-every-ms', 50),
    });
    const lastWriteAt = Date.now();
    await publisher.end();
    result = { ...counts, startedAt, lastWriteAt, endedAt: Date.now() };
  } else {
    throw new Error(`--mode must be "burst" or "paced" (got "${values.mode ?? ''}").`);
  }
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`publisher: ${(error as Error).message}\n`);
  process.exit(1);
});
