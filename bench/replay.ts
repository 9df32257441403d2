/**
 * `replay` scenario: replaying recordings through the connection core's commands
 * (replay:choose, replay:start), as the Replay dialog does without the UI, into a fresh
 * Mosquitto started here.
 *
 * - Fast: 1,000,000 messages (QoS 0, 1,000 topics, ~40-byte JSON payloads) written
 *   with the format's line shape to a temporary file, replayed "as fast as the broker
 *   takes it". `msgsPerSec` from replay:start to the final status (target ≥ 50,000);
 *   the broker's own $SYS count of PUBLISH packets received must reach 1,000,000 (no
 *   subscriber: one would compete with the broker for the two cores). Peak RSS and
 *   heap of this process (the host) sampled every 50 ms while it runs: memory bounded
 *   means the peak does not grow with the file (the file is ~110 MB).
 * - Paced: 2,000 messages with gaps of 1 to 50 ms (log-uniform, so most are short),
 *   replayed at 1×. A subscriber on the same broker timestamps each arrival; lateness
 *   of message i = arrival_i − origin − offset_i, the origin being the earliest
 *   arrival_j − offset_j (no message can be early): the original timing end to end,
 *   broker hop included. Median target ≤ 5 ms; p95 reported.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { dispatchCommand } from '../electron/core/ipc/command-dispatch';
import { ConnectionRegistry } from '../electron/core/connection/connection-registry';
import type { CommandName, CommandResult, EventPayloads } from '../shared/ipc/ipc-contract';
import { recordingFileName } from '../shared/recording/recording-file-name';
import { RECORDING_FORMAT } from '../shared/recording/recording-format';
import type { ReplayStatus } from '../shared/recording/replay';
import { startMosquitto, type MosquittoBroker } from '../test/harness/mosquitto';
import { peerClientOptions } from '../test/harness/mqtt-peer';
import { runMain, trackStop } from './cleanup';
import { emitResult, metricRow, progress } from './result';
import { MB, machineInfo, percentile, round } from './stats';

const FAST_MESSAGES = 1_000_000;
const PACED_MESSAGES = 2_000;
const TARGET_MSGS_PER_SEC = 50_000;
const TARGET_MEDIAN_LATE_MS = 5;
const T0 = 1_764_000_000_000;
const SYS_RECEIVED = '$SYS/broker/publish/messages/received';

/** Writes a recording of `count` messages; `offsetOf(i)` is message i's receive time after the first. */
async function writeRecording(path: string, count: number, offsetOf: (i: number) => number): Promise<void> {
  const out = createWriteStream(path);
  const write = (text: string): Promise<void> => (out.write(text) ? Promise.resolve() : new Promise((resolve) => out.once('drain', () => resolve())));
  await write(`${JSON.stringify({ format: RECORDING_FORMAT, version: 1, startedAt: T0, filters: [] })}\n`);
  let chunk = '';
  for (let i = 0; i < count; i++) {
    const payload = JSON.stringify(JSON.stringify({ i, t: 21.5 + (i % 10), ok: true }));
    chunk += `{"receivedAt":${T0 + offsetOf(i)},"topic":"bench/line${i % 10}/m${i % 1000}","qos":0,"retain":false,"payload":${payload},"encoding":"utf8"}\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(`${chunk}{"end":{"endedAt":${T0 + offsetOf(count - 1)},"messages":${count},"missed":0,"reason":"user"}}\n`);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

interface Core {
  dispatch: <K extends CommandName>(name: K, args: unknown) => Promise<CommandResult<K>>;
  statuses: ReplayStatus[];
}

function core(folder: string): Core {
  const statuses: ReplayStatus[] = [];
  const registry = new ConnectionRegistry({
    emit: (event, payload) => {
      if (event === 'replay:status') statuses.push((payload as EventPayloads['replay:status']).replay);
    },
    recordingSources: { pathOf: async (name) => join(folder, name) },
    mode: 'browser',
    versions: {},
  });
  trackStop('core', () => registry.closeAll());
  return { dispatch: async (name, args) => (await dispatchCommand(registry.handlers, name, args)) as never, statuses };
}

async function replay(app: Core, broker: MosquittoBroker, connectionId: string, name: string, speed: number | 'max'): Promise<{ final: ReplayStatus; tookMs: number }> {
  const opened = await app.dispatch('connection:open', {
    connectionId,
    config: { protocol: 'mqtt', host: broker.host, port: broker.ports.mqtt, clientId: `bench_${connectionId}`, username: broker.username, password: broker.password, mqttVersion: '5', subscriptions: [] },
  });
  if (!opened.ok) throw new Error(`connection:open failed: ${opened.error.message}`);
  const chosen = await app.dispatch('replay:choose', { connectionId, source: { kind: 'recording', name } });
  if (!chosen.ok || !chosen.value.preview) throw new Error(`replay:choose failed: ${JSON.stringify(chosen)}`);
  progress(`Preview: ${chosen.value.preview.messages.toLocaleString('en-US')} messages, ${chosen.value.preview.topics} topics`);
  app.statuses.length = 0;
  const started = performance.now();
  const result = await app.dispatch('replay:start', { connectionId, speed });
  if (!result.ok) throw new Error(`replay:start failed: ${result.error.message}`);
  for (;;) {
    const final = app.statuses.find((s) => s.state === 'stopped');
    if (final) return { final, tookMs: performance.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'topicscope-bench-replay-'));
  trackStop('folder', () => rm(folder, { recursive: true, force: true }));
  const broker = await startMosquitto({ logTypes: ['error', 'warning'] });
  trackStop('mosquitto', () => broker.stop());
  const app = core(folder);
  const problems: string[] = [];

  // Fast run.
  const fastName = recordingFileName(T0, false, randomBytes(4).toString('hex'));
  progress(`Writing a recording of ${FAST_MESSAGES.toLocaleString('en-US')} messages...`);
  await writeRecording(join(folder, fastName), FAST_MESSAGES, (i) => i);
  // The broker's own count of PUBLISH packets received ($SYS, every second): the check
  // that every message arrived, without a subscriber competing for the two cores.
  const counter = await mqtt.connectAsync(peerClientOptions(broker, 'bench_sys_'));
  let brokerReceived = 0;
  counter.on('message', (_topic, payload) => (brokerReceived = Number(payload.toString())));
  await counter.subscribeAsync(SYS_RECEIVED, { qos: 0 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  global.gc?.();
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 50);
  const fast = await replay(app, broker, 'fast', fastName, 'max');
  clearInterval(sampler);
  const msgsPerSec = Math.round(fast.final.sent / (fast.tookMs / 1000));
  progress(`Replayed ${fast.final.sent.toLocaleString('en-US')} in ${Math.round(fast.tookMs)} ms (${msgsPerSec.toLocaleString('en-US')} msgs/s); checking the broker's count...`);
  const expected = FAST_MESSAGES;
  const deadline = performance.now() + 15_000;
  while (brokerReceived < expected && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  await counter.endAsync();
  if (fast.final.stoppedBecause !== 'done' || fast.final.sent !== FAST_MESSAGES) problems.push(`fast replay ended ${fast.final.stoppedBecause} with ${fast.final.sent} sent (${fast.final.problem ?? ''})`);
  if (brokerReceived < expected) problems.push(`the broker counted ${brokerReceived.toLocaleString('en-US')} PUBLISH packets received, not ${expected.toLocaleString('en-US')}`);

  // Paced run.
  const pacedName = recordingFileName(T0 + 1_000, false, randomBytes(4).toString('hex'));
  const offsets: number[] = [0];
  for (let i = 1; i < PACED_MESSAGES; i++) offsets.push((offsets[i - 1] ?? 0) + Math.round(Math.exp(Math.random() * Math.log(50))));
  await writeRecording(join(folder, pacedName), PACED_MESSAGES, (i) => offsets[i] ?? 0);
  const watcher = await mqtt.connectAsync(peerClientOptions(broker, 'bench_watch_'));
  const arrivals: number[] = [];
  watcher.on('message', () => arrivals.push(performance.now()));
  await watcher.subscribeAsync('bench/#', { qos: 0 });
  progress(`Replaying ${PACED_MESSAGES.toLocaleString('en-US')} messages at 1× over ${Math.round((offsets.at(-1) ?? 0) / 1000)} s...`);
  const paced = await replay(app, broker, 'paced', pacedName, 1);
  await new Promise((resolve) => setTimeout(resolve, 500));
  await watcher.endAsync();
  if (arrivals.length !== PACED_MESSAGES) problems.push(`the watcher received ${arrivals.length} of ${PACED_MESSAGES} paced messages`);
  // The schedule's origin seen from outside: the earliest arrival minus its offset (no message can be early).
  const origin = Math.min(...arrivals.map((at, i) => at - (offsets[i] ?? 0)));
  const late = arrivals.map((at, i) => at - origin - (offsets[i] ?? 0));
  const medianLate = percentile(late, 50);
  const p95Late = percentile(late, 95);
  const absMedian = percentile(late.map(Math.abs), 50);
  progress(`Paced: median lateness ${round(medianLate, 2)} ms, p95 ${round(p95Late, 2)} ms (${paced.final.stoppedBecause})`);

  const valid = problems.length === 0;
  emitResult({
    scenario: 'replay',
    machine: machineInfo(),
    fields: {
      messages: FAST_MESSAGES,
      sent: fast.final.sent,
      tookMs: round(fast.tookMs),
      msgsPerSec,
      peakRssMB: round(peakRss / MB),
      peakHeapMB: round(peakHeap / MB),
      baselineRssMB: round(baseline.rss / MB),
      pacedMessages: PACED_MESSAGES,
      medianLateMs: round(medianLate, 2),
      medianAbsLateMs: round(absMedian, 2),
      p95LateMs: round(p95Late, 2),
    },
    rows: [
      metricRow('replay', 'msgsPerSec (1,000,000, max speed)', msgsPerSec, 'msgs/s', { op: '>=', value: TARGET_MSGS_PER_SEC }, valid),
      metricRow('replay', 'peak RSS while replaying', round(peakRss / MB), 'MB'),
      metricRow('replay', 'peak heap used while replaying', round(peakHeap / MB), 'MB'),
      metricRow('replay', 'median lateness at 1× (2,000, 1–50 ms gaps)', round(medianLate, 2), 'ms', { op: '<=', value: TARGET_MEDIAN_LATE_MS }, valid),
      metricRow('replay', 'p95 lateness at 1×', round(p95Late, 2), 'ms'),
    ],
    problems,
  });
}

runMain(main);
