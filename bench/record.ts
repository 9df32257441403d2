/**
 * `record` scenario: whether recording keeps up with the end-to-end scenario (issue 15:
 * "≥ 0.9 of its rate, every message in the file").
 *
 * The end-to-end core pass (core-pass.ts: 500,000 QoS 0 messages over 50,000 topics
 * from a separate publisher process, MqttSession with its batcher, a TopicTree
 * ingesting every batch) runs in rounds of three, in turn: without recording, with a
 * plain JSON Lines recording, with a gzip one. The recording is the app's own Recorder
 * on the session's message tap, writing to a temporary folder, exactly as
 * `recording:start` sets it up. After each recording pass the recording is stopped and
 * the file read back with the shared reader: it must hold every message (the count,
 * none missed, the trailer's count) or the target counts as missed.
 *
 * `ratio` and `gzipRatio`: median over the rounds of (recording rate / the rate without
 * recording in the same round); pairs run back to back so the machine's load, shared
 * with other work, weighs on both alike. `cpuRatio` and `gzipCpuRatio` compare messages
 * per second of this process's CPU time the same way (gzip's deflate runs on libuv's
 * threads and counts here too): the recording's cost, whatever else the machine ran.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Recorder } from '../electron/core/recording/recorder';
import { openRecordingStream } from '../electron/core/recording/recording-file';
import { startMosquitto } from '../test/harness/mosquitto';
import { parseIntegerFlags } from './args';
import { runMain, trackStop } from './cleanup';
import { corePass, describePass, FLOOD_DEFAULTS, type PassResult, type PassRider } from './core-pass';
import { emitResult, metricRow, progress } from './result';
import { machineInfo, median, round } from './stats';

const DEFAULTS = { ...FLOOD_DEFAULTS, rounds: 3 };
const TARGET_RATIO = 0.9;

/** A recording riding along a core pass; `finish` stops it and reads the file back. */
function recordingRider(folder: string, gzip: boolean, expected: number, problems: string[], label: string): PassRider {
  // Problems are labelled "round N plain|gzip": each variant's target is judged on its own.
  let recorder: Recorder | null = null;
  const path = join(folder, `bench-${label}.jsonl${gzip ? '.gz' : ''}`);
  return {
    async start() {
      const made = await Recorder.start({
        path,
        fileName: 'bench.jsonl',
        savedTo: null,
        downloadName: null,
        filters: [],
        gzip,
        maxBytes: null,
        maxDurationMs: null,
        flags: 'wx',
        onStatus: () => {},
      });
      if (!made.ok) throw new Error(`The recording could not start: ${made.problem}`);
      recorder = made.recorder;
    },
    // Messages before the start (the subscription's first moments) are not the bench's.
    received: (topic, payload, qos, retain, properties) => recorder?.offer(topic, payload, qos, retain, properties),
    async finish() {
      if (!recorder) throw new Error('The recording never started.');
      const stopAt = Date.now();
      const final = await recorder.stop('user');
      const stopMs = Date.now() - stopAt;
      const stream = await openRecordingStream(path);
      let inFile = 0;
      for await (const batch of stream.batches) inFile += batch.length;
      const summary = stream.summary();
      const compressionProblem = stream.compressionProblem();
      const fileBytes = (await stat(path)).size;
      await rm(path);
      if (final.messages !== expected || final.missed !== 0 || inFile !== expected || summary.end?.messages !== expected || summary.skippedCount !== 0) {
        problems.push(
          `${label}: the recording has ${inFile.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} messages (status ${final.messages}, missed ${final.missed}, ` +
            `trailer ${summary.end?.messages ?? 'none'}, skipped lines ${summary.skippedCount}${compressionProblem ? `, ${compressionProblem}` : ''}).`,
        );
      }
      return { recorded: inFile, missed: final.missed, fileMB: round(fileBytes / 1e6, 1), jsonlMB: round(final.bytesWritten / 1e6, 1), stopMs };
    },
  };
}

async function main(): Promise<void> {
  const flags = parseIntegerFlags(process.argv.slice(2), DEFAULTS);
  const { rounds, ...flood } = flags;
  progress(`record: ${flood.messages.toLocaleString('en-US')} QoS 0 messages over ${flood.topics.toLocaleString('en-US')} topics, ${flood.payload}-byte payloads; ${rounds} rounds of without / plain / gzip`);
  const broker = await startMosquitto({ logTypes: ['error', 'warning'], extraConfig: ['max_queued_messages 0', 'max_queued_bytes 0'].join('\n') });
  trackStop('mosquitto', () => broker.stop());
  const folder = await mkdtemp(join(tmpdir(), 'topicscope-bench-record-'));
  trackStop('recording folder', () => rm(folder, { recursive: true, force: true }));

  const problems: string[] = [];
  const without: PassResult[] = [];
  const plain: PassResult[] = [];
  const gzip: PassResult[] = [];
  for (let i = 1; i <= rounds; i++) {
    const passes: [string, PassResult[], PassRider | undefined][] = [
      ['without recording', without, undefined],
      ['recording JSON Lines', plain, recordingRider(folder, false, flood.messages, problems, `round ${i} plain`)],
      ['recording gzip', gzip, recordingRider(folder, true, flood.messages, problems, `round ${i} gzip`)],
    ];
    for (const [name, results, rider] of passes) {
      const pass = await corePass(broker, flood, rider);
      results.push(pass);
      progress(describePass(`round ${i} ${name}`, pass, flood.messages));
      if (pass.received !== flood.messages) problems.push(`round ${i} ${name}: the core received ${pass.received} of ${flood.messages} messages.`);
    }
  }
  const ratios = plain.map((p, i) => p.msgsPerSec / without[i]!.msgsPerSec);
  const gzipRatios = gzip.map((p, i) => p.msgsPerSec / without[i]!.msgsPerSec);
  // CPU time per message of this process: what recording costs, however busy the shared machine was.
  const cpuRatios = plain.map((p, i) => p.msgsPerCpuSec / without[i]!.msgsPerCpuSec);
  const gzipCpuRatios = gzip.map((p, i) => p.msgsPerCpuSec / without[i]!.msgsPerCpuSec);
  const ratio = median(ratios);
  const gzipRatio = median(gzipRatios);
  const complete = problems.length === 0;
  const plainComplete = !problems.some((p) => / (plain|JSON Lines|without recording)/.test(p));
  const gzipComplete = !problems.some((p) => / (gzip|without recording)/.test(p));
  const rates = (runs: PassResult[]): number => Math.round(median(runs.map((r) => r.msgsPerSec)));
  emitResult({
    scenario: 'record',
    machine: machineInfo(),
    fields: {
      ...flood,
      rounds,
      withoutMsgsPerSec: rates(without),
      plainMsgsPerSec: rates(plain),
      gzipMsgsPerSec: rates(gzip),
      ratio: round(ratio, 3),
      gzipRatio: round(gzipRatio, 3),
      ratios: ratios.map((r) => round(r, 3)).join(' '),
      gzipRatios: gzipRatios.map((r) => round(r, 3)).join(' '),
      cpuRatio: round(median(cpuRatios), 3),
      gzipCpuRatio: round(median(gzipCpuRatios), 3),
      withoutRunsMsgsPerSec: without.map((r) => Math.round(r.msgsPerSec)).join(' '),
      plainRunsMsgsPerSec: plain.map((r) => Math.round(r.msgsPerSec)).join(' '),
      gzipRunsMsgsPerSec: gzip.map((r) => Math.round(r.msgsPerSec)).join(' '),
      plainFileMB: plain[0]?.extra['fileMB'] ?? 0,
      gzipFileMB: gzip[0]?.extra['fileMB'] ?? 0,
      everyMessageInFile: complete,
    },
    rows: [
      metricRow('record', 'withoutMsgsPerSec', rates(without), 'msg/s'),
      metricRow('record', 'plainMsgsPerSec', rates(plain), 'msg/s'),
      metricRow('record', 'gzipMsgsPerSec', rates(gzip), 'msg/s'),
      metricRow('record', 'ratio', round(ratio, 3), '', { op: '>=', value: TARGET_RATIO }, plainComplete),
      metricRow('record', 'gzipRatio', round(gzipRatio, 3), '', { op: '>=', value: TARGET_RATIO }, gzipComplete),
      metricRow('record', 'cpuRatio', round(median(cpuRatios), 3), ''),
      metricRow('record', 'gzipCpuRatio', round(median(gzipCpuRatios), 3), ''),
    ],
    problems,
  });
}

runMain(main);
