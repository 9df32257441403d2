/**
 * `decode` scenario: how fast the core decodes what `payload:decode` is asked for
 * (electron/core/decode/payload-decoder.ts, the code the command runs, limits and the
 * conversion to plain JSON included), in messages per second.
 *
 * - Sparkplug B: one message is a DDATA with seq, timestamp and 20 Double metrics, each
 *   sent by alias only with its own timestamp, as a device sends after its birth, encoded
 *   by Eclipse Tahu's `sparkplug-payload` (about 450 bytes each).
 * - Protobuf: a small sensor reading (device, value, unit enum, 64-bit counter, flag) of
 *   test/fixtures/decode/sensors.proto, encoded by protobufjs (about 30 bytes each).
 *
 * Each workload is 20,000 distinct payloads, made before the clock starts and decoded in
 * calls of 1,000 (the command's largest). A call's results stay alive until it returns,
 * as the command's reply does until it is sent, and are dropped after: what the garbage
 * collector sees is what the core's is (a call of 20,000 live metrics is what made V8
 * pretenure the Sparkplug metrics, see sparkplug-decode.ts). One warm-up pass, then
 * `--passes` timed passes (default 7), the two decoders taking turns; the figures are
 * medians. Target: at least
 * 100,000 msg/s each. `...PerCpuSec` comes from this process's CPU time, which other work
 * on a shared machine barely moves.
 */
import { PayloadDecoder } from '../electron/core/decode/payload-decoder';
import type { DecoderSpec, ProtoFile } from '../shared/inspect/decode/decode-rules';
import { ddataDoubles, encodeReading, SENSORS_PROTO } from '../test/harness/decode-payloads';
import { parseIntegerFlags } from './args';
import { runMain } from './cleanup';
import { emitResult, metricRow, progress, type MetricRow } from './result';
import { machineInfo, median, round } from './stats';

const MESSAGES = 20_000;
const CALL_SIZE = 1_000;
const DECODE_DEFAULTS = { passes: 7 };
const TARGET_MSGS_PER_SEC = 100_000;

interface Workload {
  name: string;
  key: string;
  decoder: DecoderSpec;
  protoFiles: ProtoFile[];
  payloads: Uint8Array[];
}

function workloads(): Workload[] {
  const sparkplug = Array.from({ length: MESSAGES }, (_, i) => ddataDoubles(20, i / 10, i % 256));
  const protobuf = Array.from({ length: MESSAGES }, (_, i) =>
    encodeReading({ deviceId: `th-${i % 500}`, value: 20 + (i % 100) / 10, unit: 'CELSIUS', counter: String(1_000_000_000_000 + i), ok: i % 2 === 0 }),
  );
  return [
    { name: 'Sparkplug B DDATA, 20 metrics by alias', key: 'sparkplug', decoder: { kind: 'sparkplug' }, protoFiles: [], payloads: sparkplug },
    {
      name: 'Protobuf sensors.Reading',
      key: 'protobuf',
      decoder: { kind: 'protobuf', messageType: 'sensors.Reading', protoFile: 'sensors.proto' },
      protoFiles: [SENSORS_PROTO],
      payloads: protobuf,
    },
  ];
}

interface PassFigures {
  ms: number;
  cpuMs: number;
}

function onePass(decoder: PayloadDecoder, workload: Workload): PassFigures {
  const cpu = process.cpuUsage();
  const start = performance.now();
  let structured = 0;
  for (let i = 0; i < workload.payloads.length; i += CALL_SIZE) {
    const results = decoder.decode(workload.decoder, workload.protoFiles, workload.payloads.slice(i, i + CALL_SIZE));
    for (const result of results) if (result.kind === 'structured') structured++;
  }
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (structured !== workload.payloads.length) throw new Error(`${workload.name}: ${structured} of ${workload.payloads.length} payloads decoded.`);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

async function main(): Promise<void> {
  const { passes } = parseIntegerFlags(process.argv.slice(2), DECODE_DEFAULTS);
  const all = workloads();
  const decoder = new PayloadDecoder();
  for (const workload of all) onePass(decoder, workload); // warm-up: protobufjs generates its decoders, V8 compiles
  const runs = new Map<Workload, PassFigures[]>(all.map((w) => [w, []]));
  for (let pass = 0; pass < passes; pass++) for (const workload of all) runs.get(workload)!.push(onePass(decoder, workload));

  const rows: MetricRow[] = [];
  const fields: Record<string, number> = { passes, messages: MESSAGES, callSize: CALL_SIZE };
  for (const workload of all) {
    const figures = runs.get(workload)!;
    const perSec = Math.round(MESSAGES / (median(figures.map((f) => f.ms)) / 1000));
    const perCpuSec = Math.round(MESSAGES / (median(figures.map((f) => f.cpuMs)) / 1000));
    const bytes = workload.payloads.reduce((sum, p) => sum + p.byteLength, 0) / MESSAGES;
    rows.push(metricRow(`decode ${workload.key}`, 'decodeMsgsPerSec', perSec, 'msg/s', { op: '>=', value: TARGET_MSGS_PER_SEC }));
    rows.push(metricRow(`decode ${workload.key}`, 'decodeMsgsPerCpuSec', perCpuSec, 'msg/CPU s'));
    fields[`${workload.key}.decodeMsgsPerSec`] = perSec;
    fields[`${workload.key}.decodeMsgsPerCpuSec`] = perCpuSec;
    fields[`${workload.key}.payloadBytes`] = round(bytes);
    progress(`${workload.name} (${round(bytes)} bytes each): ${perSec.toLocaleString('en-US')} msg/s, ${perCpuSec.toLocaleString('en-US')} per CPU s; median of ${passes}`);
  }
  emitResult({ scenario: 'decode', machine: machineInfo(), fields, rows, problems: [] });
}

runMain(main);
