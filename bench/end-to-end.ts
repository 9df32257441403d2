/**
 * `end-to-end` scenario: how much of a bare mqtt.js subscriber's throughput the app's
 * connection core keeps once it batches every message and the model ingests them.
 *
 * A separate publisher process floods the harness Mosquitto with 500,000 QoS 0
 * messages over 50,000 topics (pre-encoded, so it is not the bottleneck). Pass 1: a
 * bare mqtt.js client that only counts. Pass 2: MqttSession from electron/core (its
 * batcher included), every batch acknowledged at once as a fast renderer would, and a
 * TopicTree ingesting every batch. Throughput is messages / time from the first to the
 * last message received; bare and core passes alternate twice and the best of each
 * counts. cpuRatio compares the subscriber process's CPU time per message instead (the
 * publisher and the broker are other processes): it shows what the core costs even
 * when other work on the machine blurs the wall clock. Counts must be exact: a lost message is reported, not hidden.
 * The broker's per-client queue limits are lifted so that a limit can never be why a
 * message is missing (in runs here no backlog built up either way: on two cores the
 * publisher's rate follows the subscriber's, all three processes compete for the CPU).
 */
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { connectionConfigSchema } from '../shared/connection/connection-config';
import type { MessageBatch } from '../shared/mqtt/mqtt-message';
import { TopicTree } from '../shared/explorer/topic-tree';
import { MqttSession } from '../electron/core/connection/mqtt-session';
import { startMosquitto, type MosquittoBroker } from '../test/harness/mosquitto';
import { peerClientOptions } from '../test/harness/mqtt-peer';
import { parseIntegerFlags } from './args';
import { runMain, trackStop } from './cleanup';
import { startPublisher } from './publisher-process';
import type { PublisherResult } from './publisher';
import { emitResult, metricRow, progress } from './result';
import { machineInfo, round } from './stats';

const DEFAULTS = { messages: 500_000, topics: 50_000, depth: 5, payload: 64 };
const TARGET_RATIO = 0.8;
/** Give up on a pass when no message arrived for this long after the publisher finished. */
const STALL_MS = 15_000;
const FILTER = 'bench/#';
/** Bare and core passes alternate this many times; the best of each is reported. */
const ROUNDS = 2;

interface PassResult {
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

interface Counter {
  received: number;
  firstAt: number;
  lastAt: number;
  /** process.cpuUsage() at the first message and at the last (µs, user + system). */
  firstCpu: number;
  lastCpu: number;
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** Resolves once `counter.received` reaches `expected`, or stalls after the publisher finished. */
async function waitForAll(counter: Counter, expected: number, publisherDone: Promise<PublisherResult>): Promise<PublisherResult> {
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

function publisherArgs(flags: typeof DEFAULTS): string[] {
  return ['--mode', 'burst', '--messages', String(flags.messages), '--topics', String(flags.topics), '--depth', String(flags.depth), '--payload', String(flags.payload)];
}

async function barePass(broker: MosquittoBroker, flags: typeof DEFAULTS): Promise<PassResult> {
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

async function corePass(broker: MosquittoBroker, flags: typeof DEFAULTS): Promise<PassResult> {
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
    const publisher = await waitForAll(counter, flags.messages, startPublisher(broker, publisherArgs(flags)).done);
    const stats = tree.stats;
    if (stats.messages !== counter.received) throw new Error(`The model counted ${stats.messages} messages, the batches carried ${counter.received}.`);
    return {
      ...counter,
      msgsPerSec: rate(counter),
      msgsPerCpuSec: cpuRate(counter),
      publisher,
      extra: { batches, coalesced, behindBatches, largestBatch, modelTopics: stats.topics },
    };
  } finally {
    await session.close();
  }
}

function rate(counter: Counter): number {
  const seconds = (counter.lastAt - counter.firstAt) / 1000;
  return seconds > 0 ? counter.received / seconds : 0;
}

function cpuRate(counter: Counter): number {
  const seconds = (counter.lastCpu - counter.firstCpu) / 1e6;
  return seconds > 0 ? counter.received / seconds : 0;
}

function describePass(name: string, pass: PassResult, expected: number): string {
  const publisherRate = pass.publisher.published / ((pass.publisher.endedAt - pass.publisher.startedAt) / 1000);
  return (
    `${name}: ${pass.received.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} in ${pass.lastAt - pass.firstAt} ms = ` +
    `${Math.round(pass.msgsPerSec).toLocaleString('en-US')} msg/s, ${Math.round(pass.msgsPerCpuSec).toLocaleString('en-US')} msg per CPU second (publisher sent at ${Math.round(publisherRate).toLocaleString('en-US')} msg/s)` +
    Object.entries(pass.extra).map(([k, v]) => `, ${k} ${v.toLocaleString('en-US')}`).join('')
  );
}

async function main(): Promise<void> {
  const flags = parseIntegerFlags(process.argv.slice(2), DEFAULTS);
  progress(`end-to-end: ${flags.messages.toLocaleString('en-US')} QoS 0 messages over ${flags.topics.toLocaleString('en-US')} topics, ${flags.payload}-byte payloads`);
  const broker = await startMosquitto({
    logTypes: ['error', 'warning'],
    // 0 = no limit: a queue limit must never be why a message is missing.
    extraConfig: ['max_queued_messages 0', 'max_queued_bytes 0'].join('\n'),
  });
  trackStop('mosquitto', () => broker.stop());

  // Alternating rounds, best of each: the machine is shared, and a burst of someone
  // else's work during one pass should not decide the ratio.
  const bareRuns: PassResult[] = [];
  const coreRuns: PassResult[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const bareRun = await barePass(broker, flags);
    bareRuns.push(bareRun);
    progress(describePass(`round ${round} bare mqtt.js`, bareRun, flags.messages));
    const coreRun = await corePass(broker, flags);
    coreRuns.push(coreRun);
    progress(describePass(`round ${round} core + model`, coreRun, flags.messages));
  }
  const best = (runs: PassResult[]): PassResult => runs.reduce((a, b) => (b.msgsPerSec > a.msgsPerSec ? b : a));
  const bare = best(bareRuns);
  const core = best(coreRuns);

  const problems: string[] = [];
  for (const [name, runs] of [['bare mqtt.js', bareRuns], ['core + model', coreRuns]] as const) {
    runs.forEach((pass, i) => {
      if (pass.received !== flags.messages) {
        problems.push(`${name} (round ${i + 1}) received ${pass.received} of ${flags.messages} messages (${flags.messages - pass.received} lost); see the broker log.`);
      }
    });
  }
  if (problems.length > 0) progress(`broker log tail:\n${broker.logTail(10)}`);
  const ratio = bare.msgsPerSec > 0 ? core.msgsPerSec / bare.msgsPerSec : 0;
  const bareCpu = Math.max(...bareRuns.map((r) => r.msgsPerCpuSec));
  const coreCpu = Math.max(...coreRuns.map((r) => r.msgsPerCpuSec));
  const cpuRatio = bareCpu > 0 ? coreCpu / bareCpu : 0;
  const complete = problems.length === 0;
  emitResult({
    scenario: 'end-to-end',
    machine: machineInfo(),
    fields: {
      messages: flags.messages,
      topics: flags.topics,
      payload: flags.payload,
      bareMsgsPerSec: Math.round(bare.msgsPerSec),
      coreMsgsPerSec: Math.round(core.msgsPerSec),
      ratio: round(ratio, 3),
      bareMsgsPerCpuSec: Math.round(bareCpu),
      coreMsgsPerCpuSec: Math.round(coreCpu),
      cpuRatio: round(cpuRatio, 3),
      bareRunsMsgsPerSec: bareRuns.map((r) => Math.round(r.msgsPerSec)).join(' '),
      coreRunsMsgsPerSec: coreRuns.map((r) => Math.round(r.msgsPerSec)).join(' '),
      bareReceived: bare.received,
      coreReceived: core.received,
      bareMs: bare.lastAt - bare.firstAt,
      coreMs: core.lastAt - core.firstAt,
      barePublisherMsgsPerSec: Math.round(bare.publisher.published / ((bare.publisher.endedAt - bare.publisher.startedAt) / 1000)),
      corePublisherMsgsPerSec: Math.round(core.publisher.published / ((core.publisher.endedAt - core.publisher.startedAt) / 1000)),
      coreBatches: core.extra['batches'] ?? 0,
      coreCoalesced: core.extra['coalesced'] ?? 0,
      countsExact: complete,
    },
    rows: [
      metricRow('end-to-end', 'bareMsgsPerSec', Math.round(bare.msgsPerSec), 'msg/s'),
      metricRow('end-to-end', 'coreMsgsPerSec', Math.round(core.msgsPerSec), 'msg/s'),
      metricRow('end-to-end', 'ratio', round(ratio, 3), '', { op: '>=', value: TARGET_RATIO }, complete),
      metricRow('end-to-end', 'cpuRatio', round(cpuRatio, 3), ''),
    ],
    problems,
  });
}

runMain(main);
