/**
 * `model` scenario: how fast the pure topic tree ingests messages, and how much memory
 * it holds. Run with `node --expose-gc` (the runner does) so the baseline is clean.
 *
 * Inputs mimic what the connection core hands the model: one ReceivedMessage per
 * message, each with its own topic string (decoded from bytes, as mqtt.js does) and
 * its own payload Uint8Array. They are all generated, and cut into batches of 2,000,
 * before the clock starts; only `tree.ingest` is timed.
 *
 * peakMemoryMB is the largest JS heap plus ArrayBuffers (`modelMemory`) sampled after
 * each batch of a last pass over the same messages made batch by batch, as the app gets
 * them (`streamedPass`), once the pre-generated inputs are gone: the tree copies what it
 * keeps into typed arrays outside the JS heap, so the heap alone would hide most of it,
 * and in the app a batch is garbage once ingested. The timed pass's peak, with every
 * input held up front (75 MB of objects at the default size, as the tree kept them
 * before it copied), is peakMemoryWithInputsMB; treeMemoryMB is that minus the inputs.
 *
 * msgsPerSec uses the wall clock, as the target does. msgsPerCpuSec divides by the
 * process's CPU time while ingesting instead: on a machine shared with other work it
 * shows what the model costs, where the wall clock also shows what the others took.
 */
import { TopicTraffic } from '../shared/explorer/topic-traffic';
import { TopicTree, type TopicTreeLimits, type TreeStats } from '../shared/explorer/topic-tree';
import type { ReceivedMessage } from '../shared/mqtt/mqtt-message';
import { parseIntegerFlags } from './args';
import { runMain } from './cleanup';
import { pageFaultMicros, randomLoadNanos } from './machine-costs';
import { emitResult, metricRow, progress, type MetricRow } from './result';
import { MB, machineInfo, median, round } from './stats';
import { benchTopics, messageOrder, messageOrderRounds, minimumPayloadBytes, payloadText } from './topics';

export const MODEL_DEFAULTS = { messages: 200_000, topics: 20_000, depth: 5, payload: 64 };
const BATCH_SIZE = 2_000;
/**
 * Messages ingested into a separate, discarded tree before timing, so the figure is the
 * model's steady-state rate, as in an app that has been running for a while, and not
 * V8 compiling `ingest` on its first calls (a cold single pass measures ~20% lower here).
 */
const WARMUP = { messages: 20_000, topics: 2_000 };
/** The targets, for the configuration it names. */
const TARGET_MSGS_PER_SEC = 1_000_000;
const TARGET_PEAK_MEMORY_MB = 100;
/**
 * Above this many messages the inputs are not generated up front (10,000,000 messages
 * would be about 3 GB of message objects): each batch is made right before it is
 * ingested, outside the timing, and dropped after (see `streamedRun`).
 */
const STREAM_ABOVE_MESSAGES = 2_000_000;
/** The targets for the million-topic case (10,000,000 messages over 1,000,000 topics). */
const MILLION = { messages: 10_000_000, topics: 1_000_000, msgsPerSec: 500_000, peakMemoryMB: 1024 };
/** The ceiling for what traffic tracking may cost, in % of the model's ingest time. */
const TARGET_TRACKING_COST_PERCENT = 5;
/**
 * Time the tracker is told passes between batches: 2,000 messages every 50 ms is
 * 40,000 msg/s, so a pass spans several of its two-second slots as in the app
 * (the wall clock would fit a whole pass into one or two).
 */
const TRACKED_BATCH_INTERVAL_MS = 50;
/** Passes with and without tracking, taking turns so other load falls on both alike. */
const TRACKING_PASSES = 15;
/** Rows the busiest table shows. */
const BUSIEST_ROWS = 50;

function generateBatches(messages: number, topicCount: number, depth: number, payloadBytes: number): ReceivedMessage[][] {
  if (payloadBytes < minimumPayloadBytes(messages)) {
    throw new RangeError(`--payload must be at least ${minimumPayloadBytes(messages)} bytes to hold a JSON message number up to ${messages}.`);
  }
  const topicBytes = benchTopics(topicCount, depth).map((topic) => Buffer.from(topic, 'utf8'));
  const order = messageOrder(messages, topicCount);
  const encoder = new TextEncoder();
  const receivedAt = Date.now();
  const batches: ReceivedMessage[][] = [];
  for (let start = 0; start < messages; start += BATCH_SIZE) {
    const batch: ReceivedMessage[] = [];
    for (let i = start; i < Math.min(messages, start + BATCH_SIZE); i++) {
      // Like the core's batcher: a payload array of its own, sized to the payload.
      const payload = new Uint8Array(payloadBytes);
      encoder.encodeInto(payloadText(i, payloadBytes), payload);
      batch.push({
        topic: topicBytes[order[i]!]!.toString('utf8'),
        payload,
        payloadSize: payloadBytes,
        qos: 0,
        retain: false,
        receivedAt,
        coalesced: 0,
      });
    }
    batches.push(batch);
  }
  return batches;
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('Run this with `node --expose-gc` (npm run bench does) so the heap baseline is clean.');
  gc();
  gc();
}

/**
 * What the model holds in memory: the JS heap and the ArrayBuffers (the tree keeps its
 * messages' payload bytes and fields in typed arrays, outside the JS heap; leaving them
 * out would hide what the tree costs).
 */
function modelMemory(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Runs `ingest` on a throwaway tree (new topics, then updates); nothing of it stays reachable. */
function warmUp(depth: number, payload: number): void {
  const tree = new TopicTree();
  for (const batch of generateBatches(WARMUP.messages, WARMUP.topics, depth, payload)) tree.ingest(batch);
}

/** The timed pass: one tree, every batch; memory sampled after each (outside the timing). */
function ingestAll(batches: readonly ReceivedMessage[][], inputMemory: number) {
  const tree = new TopicTree();
  let peakMemory = inputMemory;
  let peakExternal = 0;
  let ingestMs = 0;
  let ingestCpuMicros = 0;
  let slowestBatchMs = 0;
  let pageFaults = 0;
  for (const batch of batches) {
    const faultsBefore = process.resourceUsage().minorPageFault;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    tree.ingest(batch);
    const took = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    pageFaults += process.resourceUsage().minorPageFault - faultsBefore;
    ingestCpuMicros += cpu.user + cpu.system;
    ingestMs += took;
    slowestBatchMs = Math.max(slowestBatchMs, took);
    // Sampled outside the timed section: reading memory is not the model's cost.
    const usage = process.memoryUsage();
    peakMemory = Math.max(peakMemory, usage.heapUsed + usage.arrayBuffers);
    // `external` includes `arrayBuffers`.
    peakExternal = Math.max(peakExternal, usage.external);
  }
  return { stats: tree.stats as TreeStats, ingestMs, ingestCpuMicros, slowestBatchMs, peakMemory, peakExternal, pageFaults };
}

interface TrackingPass {
  ms: number;
  cpuMicros: number;
  /** Page faults while ingesting: the fresh memory the pass wrote to. */
  faults: number;
}

/** One pass into a fresh tree, with the traffic tracker following it as in ExplorerState, or without. */
function trackingPass(batches: readonly ReceivedMessage[][], tracked: boolean): TrackingPass & { traffic: TopicTraffic | null; now: number } {
  const tree = new TopicTree();
  const traffic = tracked ? new TopicTraffic(tree, 0) : null;
  let now = 0;
  let ms = 0;
  let cpuMicros = 0;
  let faults = 0;
  for (const batch of batches) {
    now += TRACKED_BATCH_INTERVAL_MS;
    const faultsBefore = process.resourceUsage().minorPageFault;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    traffic?.startBatch(now);
    tree.ingest(batch);
    ms += performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    cpuMicros += cpu.user + cpu.system;
    faults += process.resourceUsage().minorPageFault - faultsBefore;
  }
  return { ms, cpuMicros, faults, traffic, now };
}

/** Milliseconds of one `busiest` call (the view makes one a second while shown): the median of 5, after one to warm up. */
function timeBusiest(traffic: TopicTraffic, now: number, query: Parameters<TopicTraffic['busiest']>[0]): number {
  traffic.busiest(query, now);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    traffic.busiest(query, now);
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * "Ingest with traffic tracking" against ingest alone: passes into fresh trees, taking
 * turns, each after a collection. The cost is the median, over the pairs of passes run
 * back to back, of the tracked pass's extra CPU time: a pair shares the machine's load
 * of the moment, which a difference of two overall medians does not (wall-clock and
 * per-CPU-second rates are reported too). Then, on the last tracked tree, what
 * one refresh of the busiest table costs.
 */
function compareTracking(batches: readonly ReceivedMessage[][]) {
  const plain: TrackingPass[] = [];
  const tracked: TrackingPass[] = [];
  let last: ReturnType<typeof trackingPass> | null = null;
  for (let pass = 0; pass < TRACKING_PASSES; pass++) {
    // Only figures are kept: a tree left alive would make the next passes' collections dearer.
    last = null;
    // Which pass of a pair goes first alternates, so a trend in the machine's load (or a
    // warming JIT) favours neither.
    for (const isTracked of pass % 2 === 0 ? [false, true] : [true, false]) {
      collectGarbage();
      const result = trackingPass(batches, isTracked);
      (isTracked ? tracked : plain).push({ ms: result.ms, cpuMicros: result.cpuMicros, faults: result.faults });
      if (isTracked) last = result;
    }
  }
  const messages = batches.reduce((sum, batch) => sum + batch.length, 0);
  const plainCpu = median(plain.map((p) => p.cpuMicros));
  const trackedCpu = median(tracked.map((p) => p.cpuMicros));
  const { traffic, now } = last!;
  const busiestMs = (sortBy: 'messagesPerSec' | 'messages', scope: Parameters<TopicTraffic['busiest']>[0]['scope']): number =>
    timeBusiest(traffic!, now, { scope, sortBy, descending: true, limit: BUSIEST_ROWS });
  return {
    untrackedMsgsPerSec: messages / (median(plain.map((p) => p.ms)) / 1000),
    trackedMsgsPerSec: messages / (median(tracked.map((p) => p.ms)) / 1000),
    untrackedMsgsPerCpuSec: messages / (plainCpu / 1e6),
    trackedMsgsPerCpuSec: messages / (trackedCpu / 1e6),
    untrackedMedianMs: median(plain.map((p) => p.ms)),
    // These passes reuse memory the collector freed from the pass before, where the
    // timed pass wrote to fresh memory: their faults say how much.
    untrackedMedianFaults: median(plain.map((p) => p.faults)),
    pairedDifferencePercent: median(tracked.map((t, i) => (t.cpuMicros / plain[i]!.cpuMicros - 1) * 100)),
    busiestTopicsByRateMs: busiestMs('messagesPerSec', { kind: 'topics' }),
    busiestTopicsByTotalMs: busiestMs('messages', { kind: 'topics' }),
    busiestSubtreesAllLevelsMs: busiestMs('messagesPerSec', { kind: 'subtrees', level: 'all' }),
  };
}

/**
 * The tracker's own work, timed apart from the rest of ingest. The batches go into an
 * untracked tree once; then each pass walks every batch's messages as ingest does
 * (the topic looked up, the node read) and, in a tracked pass, gives the tracker what
 * ingest gives it (the slot of each batch; per topic first updated in the batch the
 * tree's slot compare and, on a difference, `willUpdate`). Time runs on across the
 * passes, one tracker follows them all, and a first tracked pass is not counted: the
 * app follows a broker for hours, so what counts is the tracker with its buckets grown,
 * not their growing in its first ten seconds. The cost is the median over back-to-back
 * pairs of the difference between the two passes: both are short (a fraction of
 * ingest), so the machine's noise on them is small next to that on two whole ingest
 * passes (±5-10% per pair on a shared machine, more than the figure itself). Returns
 * ms per pass.
 */
function trackerOwnMs(batches: readonly ReceivedMessage[][]): number {
  const tree = new TopicTree();
  for (const batch of batches) tree.ingest(batch);
  const traffic = new TopicTraffic(tree, 0);
  tree.observe(null);
  let now = 0;
  let stamp = 0;
  let touched = 0;
  const walk = (tracked: boolean): number => {
    const start = performance.now();
    for (const batch of batches) {
      now += TRACKED_BATCH_INTERVAL_MS;
      stamp++;
      if (tracked) traffic.startBatch(now);
      const slot = tracked ? traffic.slot : 0;
      for (let i = 0; i < batch.length; i++) {
        const node = tree.find(batch[i]!.topic)!;
        touched += node.ownCount;
        // As TopicTree.ingest does for each topic the first time a batch updates it.
        if (node.ingestStamp === stamp) continue;
        node.ingestStamp = stamp;
        if (tracked && node.trafficSlot !== slot) traffic.willUpdate(node);
      }
    }
    return performance.now() - start;
  };
  walk(true);
  const differences: number[] = [];
  for (let pass = 0; pass < TRACKING_PASSES; pass++) {
    const [first, second] = pass % 2 === 0 ? [false, true] : [true, false];
    const a = walk(first);
    const b = walk(second);
    differences.push(first ? a - b : b - a);
  }
  if (touched < 0) throw new Error('unreachable: keeps the reads from being optimised away');
  return median(differences);
}

/**
 * Every topic's UTF-8 bytes in one Buffer with their offsets: a streamed message's topic
 * is decoded from bytes, a string of its own as the core makes it, and the bench holds
 * no per-topic object of its own. The Buffer counts in `arrayBuffers`, so the streamed
 * peak includes it (about 22 MB at a million topics, on the high side); `heldBytes`,
 * measured once it is gone, does not.
 */
function topicTable(topicCount: number, depth: number): { bytes: Buffer; offsets: Uint32Array } {
  const encoded = benchTopics(topicCount, depth).map((topic) => Buffer.from(topic, 'utf8'));
  const offsets = new Uint32Array(topicCount + 1);
  for (let i = 0; i < topicCount; i++) offsets[i + 1] = offsets[i]! + encoded[i]!.length;
  return { bytes: Buffer.concat(encoded), offsets };
}

/** The messages `generateBatches` makes, a batch at a time (each made when asked for, then the caller's). */
function* streamedBatches(messages: number, topicCount: number, depth: number, payloadBytes: number): Generator<ReceivedMessage[]> {
  if (payloadBytes < minimumPayloadBytes(messages)) {
    throw new RangeError(`--payload must be at least ${minimumPayloadBytes(messages)} bytes to hold a JSON message number up to ${messages}.`);
  }
  const { bytes, offsets } = topicTable(topicCount, depth);
  const encoder = new TextEncoder();
  const receivedAt = Date.now();
  let batch: ReceivedMessage[] = [];
  let n = 0;
  for (const round of messageOrderRounds(messages, topicCount)) {
    for (let r = 0; r < round.length; r++) {
      const topicIndex = round[r]!;
      const payload = new Uint8Array(payloadBytes);
      encoder.encodeInto(payloadText(n++, payloadBytes), payload);
      batch.push({
        topic: bytes.toString('utf8', offsets[topicIndex], offsets[topicIndex + 1]),
        payload,
        payloadSize: payloadBytes,
        qos: 0,
        retain: false,
        receivedAt,
        coalesced: 0,
      });
      if (batch.length === BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * One streamed pass into a tree with `limits`: batches made as they go (not timed),
 * memory (`modelMemory`) sampled after each. `heldBytes` is the memory after ingest (and
 * a collection, the tree still alive) minus the memory before the tree: what the tree
 * holds, the messages it keeps (latest values and history) included.
 */
function streamedPass(messages: number, topicCount: number, depth: number, payload: number, limits: Partial<TopicTreeLimits>) {
  collectGarbage();
  const baseline = modelMemory();
  const tree = new TopicTree(limits);
  let peakMemory = baseline;
  let ingestMs = 0;
  let ingestCpuMicros = 0;
  let slowestBatchMs = 0;
  for (const batch of streamedBatches(messages, topicCount, depth, payload)) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    tree.ingest(batch);
    const took = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    ingestCpuMicros += cpu.user + cpu.system;
    ingestMs += took;
    slowestBatchMs = Math.max(slowestBatchMs, took);
    peakMemory = Math.max(peakMemory, modelMemory());
  }
  collectGarbage();
  const heldBytes = modelMemory() - baseline;
  const stats = tree.stats as TreeStats;
  return { stats, ingestMs, ingestCpuMicros, slowestBatchMs, peakMemory, heldBytes, historyEntries: stats.historyBytes / payload };
}

/**
 * More messages than fit as pre-generated inputs (`STREAM_ABOVE_MESSAGES`): ingest rate
 * and peak memory at the default history settings, and what a topic costs: the memory the
 * tree holds per topic at the default settings and with one message of history per topic
 * (one round, every topic once: its node and its latest message).
 */
function streamedMain(messages: number, topics: number, depth: number, payload: number, scenario: string): void {
  warmUp(depth, payload);
  const main = streamedPass(messages, topics, depth, payload, {});
  const single = streamedPass(topics, topics, depth, payload, { historyPerTopic: 1 });
  const countsExact = main.stats.messages === messages && main.stats.topics === topics && single.stats.messages === topics && single.stats.topics === topics;
  const msgsPerSec = messages / (main.ingestMs / 1000);
  const msgsPerCpuSec = messages / (main.ingestCpuMicros / 1e6);
  const peakMemoryMB = main.peakMemory / MB;
  const bytesPerTopic = main.heldBytes / topics;
  const bytesPerTopicHistory1 = single.heldBytes / topics;
  // What a cache miss costs here at the tree's size: at a million topics, most of a
  // message's loads (its topic's map entry and node, the entry its history drops) miss.
  const loadNanos = randomLoadNanos(main.heldBytes);
  const targeted = messages === MILLION.messages && topics === MILLION.topics && depth === MODEL_DEFAULTS.depth && payload === MODEL_DEFAULTS.payload;
  const problems = countsExact ? [] : [`The model counted ${main.stats.messages} messages on ${main.stats.topics} topics; expected ${messages} on ${topics}.`];
  progress(
    `ingested in ${Math.round(main.ingestMs)} ms (slowest batch ${round(main.slowestBatchMs)} ms): ${Math.round(msgsPerSec).toLocaleString('en-US')} msg/s; ` +
      `${Math.round(main.ingestCpuMicros / 1000)} ms of CPU: ${Math.round(msgsPerCpuSec).toLocaleString('en-US')} msg per CPU second`,
  );
  progress(`peak memory (JS heap and ArrayBuffers) ${round(peakMemoryMB)} MB (inputs made batch by batch; garbage not yet collected included)`);
  progress(
    `held by the tree: ${round(main.heldBytes / MB)} MB at the default history settings (${Math.round(main.historyEntries).toLocaleString('en-US')} messages kept): ` +
      `${Math.round(bytesPerTopic)} bytes per topic; with 1 message of history: ${round(single.heldBytes / MB)} MB, ${Math.round(bytesPerTopicHistory1)} bytes per topic`,
  );
  progress(
    `a load whose address comes from the one before, over ${round(main.heldBytes / MB)} MB (what the tree holds) in random order: ${round(loadNanos)} ns; ` +
      `a message took ${round((main.ingestMs * 1e6) / messages / loadNanos)} times that`,
  );
  progress(`model counts: ${main.stats.messages} messages, ${main.stats.topics} topics, ${main.stats.historyDropped} history entries dropped: ${countsExact ? 'exact' : 'WRONG'}`);
  emitResult({
    scenario,
    machine: machineInfo(),
    fields: {
      messages,
      topics,
      depth,
      payload,
      batchSize: BATCH_SIZE,
      streamed: true,
      msgsPerSec: Math.round(msgsPerSec),
      msgsPerCpuSec: Math.round(msgsPerCpuSec),
      ingestMs: round(main.ingestMs),
      ingestCpuMs: round(main.ingestCpuMicros / 1000),
      slowestBatchMs: round(main.slowestBatchMs),
      peakMemoryMB: round(peakMemoryMB),
      heldMB: round(main.heldBytes / MB),
      historyEntries: Math.round(main.historyEntries),
      bytesPerTopic: Math.round(bytesPerTopic),
      heldMBHistory1: round(single.heldBytes / MB),
      bytesPerTopicHistory1: Math.round(bytesPerTopicHistory1),
      historyDropped: main.stats.historyDropped,
      randomLoadNanos: round(loadNanos),
      countsExact,
    },
    rows: [
      metricRow(scenario, 'msgsPerSec', Math.round(msgsPerSec), 'msg/s', targeted ? { op: '>=', value: MILLION.msgsPerSec } : null, countsExact),
      metricRow(scenario, 'msgsPerCpuSec', Math.round(msgsPerCpuSec), 'msg/s'),
      metricRow(scenario, 'peakMemoryMB', round(peakMemoryMB), 'MB', targeted ? { op: '<=', value: MILLION.peakMemoryMB } : null, countsExact),
      metricRow(scenario, 'bytesPerTopic', Math.round(bytesPerTopic), 'B'),
      metricRow(scenario, 'bytesPerTopicHistory1', Math.round(bytesPerTopicHistory1), 'B'),
      metricRow(scenario, 'randomLoadNanos', round(loadNanos), 'ns'),
    ],
    problems,
  });
}

/**
 * The passes over inputs made up front: the timed one into a fresh tree, then the
 * tracking comparison and the tracker's own work. Only figures leave it, so the inputs
 * can be collected once it returns.
 */
function pregeneratedPasses(messages: number, topics: number, depth: number, payload: number) {
  collectGarbage();
  const emptyMemory = modelMemory();
  const generateStart = performance.now();
  const batches = generateBatches(messages, topics, depth, payload);
  const generateMs = performance.now() - generateStart;
  collectGarbage();
  const inputMemory = modelMemory();
  progress(`inputs generated in ${Math.round(generateMs)} ms, ${round((inputMemory - emptyMemory) / MB)} MB of heap`);
  const primary = ingestAll(batches, inputMemory);
  return { emptyMemory, inputMemory, primary, comparison: compareTracking(batches), trackerMs: trackerOwnMs(batches) };
}

async function main(): Promise<void> {
  const flags = parseIntegerFlags(process.argv.slice(2), MODEL_DEFAULTS);
  const { messages, topics, depth, payload } = flags;
  const label = `${messages.toLocaleString('en-US')} messages over ${topics.toLocaleString('en-US')} topics`;
  const scenario = messages === MODEL_DEFAULTS.messages && topics === MODEL_DEFAULTS.topics ? 'model' : `model ${label}`;
  progress(
    `model: ${label}, depth ${depth}, ${payload}-byte payloads, batches of ${BATCH_SIZE.toLocaleString('en-US')} ` +
      `(after a warm-up of ${WARMUP.messages.toLocaleString('en-US')} messages into a discarded tree)`,
  );

  if (messages > STREAM_ABOVE_MESSAGES) {
    progress(`inputs made batch by batch while ingesting (above ${STREAM_ABOVE_MESSAGES.toLocaleString('en-US')} messages they would not fit up front); only ingest is timed`);
    streamedMain(messages, topics, depth, payload, scenario);
    return;
  }
  const faultMicros = pageFaultMicros();
  warmUp(depth, payload);
  const { emptyMemory, inputMemory, primary, comparison, trackerMs } = pregeneratedPasses(messages, topics, depth, payload);
  const { stats, ingestMs, ingestCpuMicros, slowestBatchMs, peakMemory, peakExternal, pageFaults } = primary;
  const tracking = { ...comparison, trackerMs, trackingCostPercent: (trackerMs / comparison.untrackedMedianMs) * 100 };
  // The inputs are gone now: the same messages once more, made batch by batch, for the
  // memory of a process that ingests them as the app does (see `streamedPass`).
  const streamed = streamedPass(messages, topics, depth, payload, {});
  const countsExact = stats.messages === messages && stats.topics === topics && streamed.stats.messages === messages && streamed.stats.topics === topics;
  const msgsPerSec = messages / (ingestMs / 1000);
  // CPU time of the whole process (GC helper threads included) while ingesting: unlike
  // the wall clock, it barely moves when other processes compete for the cores.
  const msgsPerCpuSec = messages / (ingestCpuMicros / 1e6);
  const peakMemoryMB = streamed.peakMemory / MB;
  const peakMemoryWithInputsMB = peakMemory / MB;
  // The inputs are the bench's, not the tree's: it copies what it keeps.
  const treeMemoryMB = (peakMemory - inputMemory) / MB;
  const problems = countsExact ? [] : [`The model counted ${stats.messages} messages on ${stats.topics} topics; expected ${messages} on ${topics}.`];
  const loadNanos = randomLoadNanos(streamed.heldBytes);
  const targeted = scenario === 'model' && depth === MODEL_DEFAULTS.depth && payload === MODEL_DEFAULTS.payload;

  const rows: MetricRow[] = [
    metricRow(scenario, 'msgsPerSec', Math.round(msgsPerSec), 'msg/s', targeted ? { op: '>=', value: TARGET_MSGS_PER_SEC } : null, countsExact),
    metricRow(scenario, 'msgsPerCpuSec', Math.round(msgsPerCpuSec), 'msg/s'),
    metricRow(scenario, 'peakMemoryMB', round(peakMemoryMB), 'MB', targeted ? { op: '<=', value: TARGET_PEAK_MEMORY_MB } : null, countsExact),
    metricRow(scenario, 'peakMemoryWithInputsMB', round(peakMemoryWithInputsMB), 'MB'),
    metricRow(scenario, 'treeMemoryMB', round(treeMemoryMB), 'MB'),
    metricRow(scenario, 'ingestPageFaults', pageFaults, ''),
    metricRow(scenario, 'pageFaultMicros', round(faultMicros, 2), 'µs'),
    metricRow(scenario, 'untrackedMedianPageFaults', Math.round(tracking.untrackedMedianFaults), ''),
    metricRow(scenario, 'randomLoadNanos', round(loadNanos), 'ns'),
    metricRow(scenario, 'untrackedMsgsPerSec', Math.round(tracking.untrackedMsgsPerSec), 'msg/s'),
    metricRow(scenario, 'untrackedMsgsPerCpuSec', Math.round(tracking.untrackedMsgsPerCpuSec), 'msg/s'),
    metricRow(scenario, 'trackedMsgsPerCpuSec', Math.round(tracking.trackedMsgsPerCpuSec), 'msg/s'),
    metricRow(scenario, 'trackingCostPercent', round(tracking.trackingCostPercent), '%', { op: '<=', value: TARGET_TRACKING_COST_PERCENT }),
    metricRow(scenario, 'pairedDifferencePercent', round(tracking.pairedDifferencePercent), '%'),
    metricRow(scenario, 'busiestTopicsByTotalMs', round(tracking.busiestTopicsByTotalMs), 'ms'),
  ];
  progress(
    `ingested in ${Math.round(ingestMs)} ms (slowest batch ${round(slowestBatchMs)} ms): ${Math.round(msgsPerSec).toLocaleString('en-US')} msg/s; ` +
      `${Math.round(ingestCpuMicros / 1000)} ms of CPU: ${Math.round(msgsPerCpuSec).toLocaleString('en-US')} msg per CPU second`,
  );
  progress(
    `fresh memory: ${pageFaults.toLocaleString('en-US')} page faults while ingesting, at ${round(faultMicros)} µs each on this machine: ` +
      `about ${Math.round((pageFaults * faultMicros) / 1000)} ms of the ${Math.round(ingestMs)}`,
  );
  progress(
    `passes into new trees after it (${TRACKING_PASSES}, untracked), in memory the collector freed from the pass before: ` +
      `median ${Math.round(tracking.untrackedMsgsPerSec).toLocaleString('en-US')} msg/s with ${Math.round(tracking.untrackedMedianFaults).toLocaleString('en-US')} page faults ` +
      `(the timed pass: ${Math.round(msgsPerSec).toLocaleString('en-US')} msg/s with ${pageFaults.toLocaleString('en-US')})`,
  );
  progress(`a load whose address comes from the one before, over ${round(streamed.heldBytes / MB)} MB (what the tree holds) in random order: ${round(loadNanos)} ns`);
  progress(
    `peak memory (JS heap and ArrayBuffers) ${round(peakMemoryMB)} MB with the inputs made batch by batch (held after: ${round(streamed.heldBytes / MB)} MB); ` +
      `${round(peakMemoryWithInputsMB)} MB in the timed pass, with all the inputs made up front (${round((inputMemory - emptyMemory) / MB)} MB of them)`,
  );
  progress(
    `ingest with traffic tracking vs without (${TRACKING_PASSES} passes each, medians): ` +
      `${Math.round(tracking.trackedMsgsPerCpuSec).toLocaleString('en-US')} vs ${Math.round(tracking.untrackedMsgsPerCpuSec).toLocaleString('en-US')} msg per CPU second ` +
      `(wall clock ${Math.round(tracking.trackedMsgsPerSec).toLocaleString('en-US')} vs ${Math.round(tracking.untrackedMsgsPerSec).toLocaleString('en-US')} msg/s): ` +
      `paired difference ${round(tracking.pairedDifferencePercent)}%`,
  );
  progress(
    `the tracker's own work, replayed apart from ingest: ${round(tracking.trackerMs)} ms per pass (median of ${TRACKING_PASSES} paired differences) against ` +
      `${round(tracking.untrackedMedianMs)} ms of untracked ingest: tracking costs ${round(tracking.trackingCostPercent)}%`,
  );
  progress(
    `one refresh of the busiest table (${BUSIEST_ROWS} rows): topics by rate ${round(tracking.busiestTopicsByRateMs)} ms, ` +
      `by total ${round(tracking.busiestTopicsByTotalMs)} ms, subtrees at all levels ${round(tracking.busiestSubtreesAllLevelsMs)} ms`,
  );
  progress(`model counts: ${stats.messages} messages, ${stats.topics} topics, ${stats.historyDropped} history entries dropped: ${countsExact ? 'exact' : 'WRONG'}`);

  emitResult({
    scenario,
    machine: machineInfo(),
    fields: {
      messages,
      topics,
      depth,
      payload,
      batchSize: BATCH_SIZE,
      warmupMessages: WARMUP.messages,
      msgsPerSec: Math.round(msgsPerSec),
      msgsPerCpuSec: Math.round(msgsPerCpuSec),
      ingestMs: round(ingestMs),
      ingestCpuMs: round(ingestCpuMicros / 1000),
      slowestBatchMs: round(slowestBatchMs),
      ingestPageFaults: pageFaults,
      pageFaultMicros: round(faultMicros, 2),
      peakMemoryMB: round(peakMemoryMB),
      heldMB: round(streamed.heldBytes / MB),
      peakMemoryWithInputsMB: round(peakMemoryWithInputsMB),
      inputMB: round((inputMemory - emptyMemory) / MB),
      treeMemoryMB: round(treeMemoryMB),
      baselineMB: round(emptyMemory / MB),
      peakExternalMB: round(peakExternal / MB),
      historyDropped: stats.historyDropped,
      countsExact,
      trackedBatchIntervalMs: TRACKED_BATCH_INTERVAL_MS,
      trackingPasses: TRACKING_PASSES,
      untrackedMedianPageFaults: Math.round(tracking.untrackedMedianFaults),
      randomLoadNanos: round(loadNanos),
      untrackedMsgsPerSec: Math.round(tracking.untrackedMsgsPerSec),
      trackedMsgsPerSec: Math.round(tracking.trackedMsgsPerSec),
      untrackedMsgsPerCpuSec: Math.round(tracking.untrackedMsgsPerCpuSec),
      trackedMsgsPerCpuSec: Math.round(tracking.trackedMsgsPerCpuSec),
      trackingCostPercent: round(tracking.trackingCostPercent),
      trackerMs: round(tracking.trackerMs),
      untrackedMedianMs: round(tracking.untrackedMedianMs),
      pairedDifferencePercent: round(tracking.pairedDifferencePercent),
      busiestTopicsByRateMs: round(tracking.busiestTopicsByRateMs),
      busiestTopicsByTotalMs: round(tracking.busiestTopicsByTotalMs),
      busiestSubtreesAllLevelsMs: round(tracking.busiestSubtreesAllLevelsMs),
    },
    rows,
    problems,
  });
}

runMain(main);
