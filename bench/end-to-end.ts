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
import { startMosquitto } from '../test/harness/mosquitto';
import { parseIntegerFlags } from './args';
import { runMain, trackStop } from './cleanup';
import { barePass, corePass, describePass, FLOOD_DEFAULTS, type PassResult } from './core-pass';
import { emitResult, metricRow, progress } from './result';
import { machineInfo, round } from './stats';

const DEFAULTS = FLOOD_DEFAULTS;
const TARGET_RATIO = 0.8;
/** Bare and core passes alternate this many times; the best of each is reported. */
const ROUNDS = 2;

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
