/**
 * The end-to-end passes, shared by the `end-to-end` and `record` scenarios: a bare
 * mqtt.js subscriber that only counts, and the app's core (MqttSession with its
 * batcher, every batch acknowledged at once, a TopicTree ingesting it), both fed by a
 * separate publisher process flooding the harness Mosquitto. See end-to-end.ts.
 */
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { connectionConfigSchema } from '../shared/connection/connection-config';
import type { MessageBatch } from '../shared/mqtt/mqtt-message';
import { TopicTree } from '../shared/explorer/topic-tree';
import { MqttSession, type SessionListener } from '../electron/core/connection/mqtt-session';
import type { MosquittoBroker } from '../test/harness/mosquitto';
import { peerClientOptions } from '../test/harness/mqtt-peer';
import { startPublisher } from './publisher-process';
import type { PublisherResult } from './publisher';

export const FLOOD_DEFAULTS = { messages: 500_000, topics: 50_000, depth: 5, payload: 64 };
export type FloodFlags = typeof FLOOD_DEFAULTS;
/** Give up on a pass when no message arrived for this long after the publisher finished. */
const STALL_MS = 15_000;
const FILTER = 'bench/#';

export interface PassResult {
  received: number;
  firstAt: number;
  lastAt: number;
  firstCpu: number;
  lastCpu: number;
  msgsPerSec: number;
  /** Messages per second of this process's CPU time: the subscriber's cost, whatever else ran. */
  msgsPerCpuSec: number;
  publisher: PublisherResult;
  /** Extra figures of the pass (batches, coalesced...). */
  extra: Record<string, number>;
}

export interface Counter {
  received: number;
  firstAt: number;
  lastAt: number;
  /** process.cpuUsage() at the first message and at the last (µs, user + system). */
  firstCpu: number;
  lastCpu: number;
}

export function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** Resolves once `counter.received` reaches `expected`, or stalls after the publisher finished. */
export async function waitForAll(counter: Counter, expected: number, publisherDone: Promise<PublisherResult>): Promise<PublisherResult> {
  let publisher: PublisherResult | null = null;
  // Set by the callback below; `as` keeps TypeScript from narrowing it to null for the loop.
  let publisherError = null as Error | null;
  publisherDone.then(
    (r) => (publisher = r),
    (e: unknown) => (publisherError = e instanceof Error ? e : new Error(String(e))),
  );
  let lastCount = -1;
  let lastProgressAt = Date.now();
  for (;;) {
    if (publisherError) throw publisherError;
    if (counter.received >= expected && publisher) return publisher;
    if (counter.received !== lastCount) {
      lastCount = counter.received;
      lastProgressAt = Date.now();
    } else if (publisher && Date.now() - lastProgressAt > STALL_MS) {
      return publisher;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function publisherArgs(flags: FloodFlags): string[] {
  return ['--mode', 'burst', '--messages', String(flags.messages), '--topics', String(flags.topics), '--depth', String(flags.depth), '--payload', String(flags.payload)];
}

export async function barePass(broker: MosquittoBroker, flags: FloodFlags): Promise<PassResult> {
  const client = await mqtt.connectAsync(peerClientOptions(broker.info(), 'bench_bare_'));
  try {
    const counter: Counter = { received: 0, firstAt: 0, lastAt: 0, firstCpu: 0, lastCpu: 0 };
    client.on('message', () => {
      const now = Date.now();
      if (counter.received === 0) {
        counter.firstAt = now;
        counter.firstCpu = cpuMicros();
      }
      counter.lastAt = now;
      counter.received++;
      // Reading the CPU clock per message would cost more than counting: every 1,000th and the last.
      if (counter.received % 1_000 === 0 || counter.received === flags.messages) counter.lastCpu = cpuMicros();
    });
    await client.subscribeAsync(FILTER, { qos: 0 });
    const publisher = await waitForAll(counter, flags.messages, startPublisher(broker, publisherArgs(flags)).done);
    return { ...counter, msgsPerSec: rate(counter), msgsPerCpuSec: cpuRate(counter), publisher, extra: {} };
  } finally {
    await client.endAsync(true);
  }
}

/**
 * Something riding along a core pass (a recording): started once subscribed, handed every
 * message whole as the session's listener gets it, finished after the last message; its
 * figures join the pass's.
 */
export interface PassRider {
  start(): Promise<void>;
  received: NonNullable<SessionListener['received']>;
  finish(): Promise<Record<string, number>>;
}

export async function corePass(broker: MosquittoBroker, flags: FloodFlags, rider?: PassRider): Promise<PassResult> {
  const config = connectionConfigSchema.parse({
    protocol: 'mqtt',
    host: broker.host,
    port: broker.ports.mqtt,
    clientId: `bench_core_${randomBytes(4).toString('hex')}`,
    username: broker.username,
    password: broker.password,
    reconnect: { enabled: false },
    subscriptions: [{ filter: FILTER, qos: 0 }],
  });
  const tree = new TopicTree();
  const counter: Counter = { received: 0, firstAt: 0, lastAt: 0, firstCpu: 0, lastCpu: 0 };
  let batches = 0;
  let coalesced = 0;
  let largestBatch = 0;
  let behindBatches = 0;
  let subscribed: () => void = () => {};
  const subscription = new Promise<void>((resolve) => (subscribed = resolve));
  const onBatch = (batch: MessageBatch): void => {
    tree.noteBatch(batch.coalesced, batch.truncated);
    tree.ingest(batch.messages);
    acknowledge(batch);
    if (counter.received === 0) {
      counter.firstAt = batch.messages[0]?.receivedAt ?? Date.now();
      // The first batch's messages were received before this point: their CPU is not
      // counted, a small bias in the core's favour (one batch of the 500,000 messages).
      counter.firstCpu = cpuMicros();
    }
    // A coalesced message stands for 1 + coalesced received ones; the model counts the same way.
    for (const message of batch.messages) counter.received += 1 + message.coalesced;
    counter.lastAt = Date.now();
    counter.lastCpu = cpuMicros();
    batches++;
    coalesced += batch.coalesced;
    largestBatch = Math.max(largestBatch, batch.messages.length);
  };
  const session = new MqttSession('bench', config, {
    status: () => {},
    log: (entry) => {
      if (entry.kind === 'suback') subscribed();
    },
    messages: onBatch,
    ...(rider ? { received: rider.received } : {}),
  });
  // Acknowledging is how a renderer tells the core it keeps up; done at once here.
  const acknowledge = (batch: MessageBatch): void => {
    const acked = session.acknowledgeBatch(batch.seq);
    if (!acked.ok) throw new Error(`Acknowledging batch ${batch.seq} failed: ${acked.error.message}`);
    if (batch.rendererBehind) behindBatches++;
  };
  try {
    const opened = await session.open();
    if (!opened.ok) throw new Error(`The core could not connect: ${opened.error.message}`);
    await subscription;
    await rider?.start();
    const publisher = await waitForAll(counter, flags.messages, startPublisher(broker, publisherArgs(flags)).done);
    const riderFigures = rider ? await rider.finish() : {};
    const stats = tree.stats;
    if (stats.messages !== counter.received) throw new Error(`The model counted ${stats.messages} messages, the batches carried ${counter.received}.`);
    return {
      ...counter,
      msgsPerSec: rate(counter),
      msgsPerCpuSec: cpuRate(counter),
      publisher,
      extra: { batches, coalesced, behindBatches, largestBatch, modelTopics: stats.topics, ...riderFigures },
    };
  } finally {
    await session.close();
  }
}

export function rate(counter: Counter): number {
  const seconds = (counter.lastAt - counter.firstAt) / 1000;
  return seconds > 0 ? counter.received / seconds : 0;
}

export function cpuRate(counter: Counter): number {
  const seconds = (counter.lastCpu - counter.firstCpu) / 1e6;
  return seconds > 0 ? counter.received / seconds : 0;
}

export function describePass(name: string, pass: PassResult, expected: number): string {
  const publisherRate = pass.publisher.published / ((pass.publisher.endedAt - pass.publisher.startedAt) / 1000);
  return (
    `${name}: ${pass.received.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} in ${pass.lastAt - pass.firstAt} ms = ` +
    `${Math.round(pass.msgsPerSec).toLocaleString('en-US')} msg/s, ${Math.round(pass.msgsPerCpuSec).toLocaleString('en-US')} msg per CPU second (publisher sent at ${Math.round(publisherRate).toLocaleString('en-US')} msg/s)` +
    Object.entries(pass.extra).map(([k, v]) => `, ${k} ${v.toLocaleString('en-US')}`).join('')
  );
}
