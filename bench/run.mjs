// `npm run bench [-- --scenario model|end-to-end|ui|chart|codec|decode|clear-retained|record|replay] [--json] [model flags]`
//
// Node 20 cannot run the TypeScript scenarios directly and the project has no tsx, so
// this runner builds them with vite (SSR mode: Node target, dependencies external)
// into out/bench, builds the app when the ui scenario needs it, then runs each
// scenario in a fresh Node process (a clean heap per measurement) and prints a table.
// It never fails on a missed target: exit 0 unless something crashed.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const RESULT_MARKER = '@@bench-result ';
const SCENARIOS = ['model', 'end-to-end', 'ui', 'chart', 'codec', 'decode', 'clear-retained', 'record', 'replay'];
const ENTRIES = ['model', 'end-to-end', 'ui', 'chart', 'codec', 'decode', 'clear-retained', 'record', 'replay', 'publisher'];

function usage(message) {
  process.stderr.write(
    `${message}\n\nUsage: npm run bench -- [--scenario ${SCENARIOS.join('|')}] [--json]\n` +
      '  model flags: --messages N --topics N --depth N --payload BYTES (default 200000, 20000, 5, 64;\n' +
      '  without them the model runs three times: the default, 1,000,000 messages over 100,000 topics\n' +
      '  and 10,000,000 over 1,000,000)\n' +
      '  ui flag: --topics N (default 100000; 1000000 is the million-topic case)\n' +
      '  --runs N: every scenario N times in fresh processes; the table shows the median and each run\n',
  );
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      scenario: { type: 'string' },
      json: { type: 'boolean', default: false },
      runs: { type: 'string', default: '1' },
      messages: { type: 'string' },
      topics: { type: 'string' },
      depth: { type: 'string' },
      payload: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }));
} catch (error) {
  usage(error.message);
}
if (values.help) usage('Runs the Topicscope benchmarks and prints their figures.');
if (values.scenario !== undefined && !SCENARIOS.includes(values.scenario)) usage(`Unknown scenario "${values.scenario}".`);
const selected = values.scenario ? [values.scenario] : SCENARIOS;
const repeat = Number(values.runs);
if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) usage(`--runs must be a whole number from 1 to 20 (got "${values.runs}").`);
const modelFlags = ['messages', 'topics', 'depth', 'payload'].flatMap((name) => (values[name] !== undefined ? [`--${name}`, values[name]] : []));

/** The runs to make: the model twice unless its flags say otherwise; all of it --runs times. */
const oneOfEach = selected.flatMap((scenario) => {
  // The ui scenario takes --topics alone (`--topics 1000000`: the million-topic case).
  if (scenario === 'ui') return [{ entry: 'ui', args: values.topics !== undefined ? ['--topics', values.topics] : [] }];
  if (scenario !== 'model') return [{ entry: scenario, args: [] }];
  if (modelFlags.length > 0) return [{ entry: 'model', args: modelFlags }];
  return [
    { entry: 'model', args: [] },
    { entry: 'model', args: ['--messages', '1000000', '--topics', '100000'] },
    // A million topics (issue 16): inputs made batch by batch, see bench/README.md.
    { entry: 'model', args: ['--messages', '10000000', '--topics', '1000000'] },
  ];
});
const runs = Array.from({ length: repeat }, () => oneOfEach).flat();

const live = new Set();
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    // Each scenario stops what it started on the same signal; wait for that, then go.
    for (const child of live) if (child.pid) process.kill(child.pid, signal);
    setTimeout(() => process.exit(130), 10_000).unref();
    if (live.size === 0) process.exit(130);
  });
}

async function buildBench() {
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: resolve('.'),
    logLevel: 'warn',
    build: {
      ssr: true,
      target: 'node20',
      outDir: 'out/bench',
      emptyOutDir: true,
      minify: false,
      rolldownOptions: {
        input: Object.fromEntries(ENTRIES.map((name) => [name, resolve('bench', `${name}.ts`)])),
        // Shared chunks next to the entries: publisher-process finds publisher.js beside itself.
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
    // Node packages stay external (loaded from node_modules at run time).
    // protobufjs finds `long` at run time (its 64-bit integers); bundled, it would fall back to imprecise numbers.
    ssr: { external: ['mqtt', 'ws', 'playwright', 'zod', 'cbor-x', 'msgpackr', 'protobufjs', 'long', 'sparkplug-payload'] },
  });
}

function runScenario({ entry, args }) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--expose-gc', resolve('out/bench', `${entry}.js`), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    live.add(child);
    let result = null;
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.startsWith(RESULT_MARKER)) result = JSON.parse(line.slice(RESULT_MARKER.length));
        else process.stdout.write(`${line}\n`);
      }
    });
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolvePromise({ entry, args, result, code, signal });
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function meetsGoal(value, goal) {
  if (!Number.isFinite(value)) return false;
  return goal.op === '>=' ? value >= goal.value : goal.op === '<=' ? value <= goal.value : value < goal.value;
}

/** One row per scenario and metric: the median of the runs, each run's value alongside. */
function medianRows(results) {
  const groups = new Map();
  for (const result of results) {
    for (const row of result.rows) {
      const key = `${row.scenario}\u0000${row.metric}`;
      if (!groups.has(key)) groups.set(key, { first: row, values: [], valid: true });
      const group = groups.get(key);
      group.values.push(row.value);
      // A run whose figure was invalid (lost messages...) keeps the median from counting as met.
      if (row.goal && row.met === false && meetsGoal(row.value, row.goal)) group.valid = false;
    }
  }
  return [...groups.values()].map(({ first, values, valid }) => {
    const value = Math.round(median(values) * 1000) / 1000;
    return { ...first, value, runs: values, met: first.goal ? valid && meetsGoal(value, first.goal) : null };
  });
}

function formatNumber(value) {
  return value.toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) >= 1_000 ? 0 : 3 });
}

function formatValue(row) {
  return `${formatNumber(row.value)} ${row.unit}`.trim();
}

function printTable(rows) {
  const header = ['scenario', 'metric', repeat > 1 ? `median of ${repeat}` : 'value', 'target', 'met?', ...(repeat > 1 ? ['runs'] : [])];
  const lines = rows.map((r) => [
    r.scenario,
    r.metric,
    formatValue(r),
    r.target || '-',
    r.met === null ? '-' : r.met ? 'yes' : 'NO',
    ...(repeat > 1 ? [r.runs.map(formatNumber).join(' / ')] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const line of lines) process.stdout.write(`${format(line)}\n`);
}

process.stdout.write('Building the benchmarks (vite, into out/bench)...\n');
await buildBench();
if (selected.includes('ui') || selected.includes('chart')) {
  process.stdout.write('Building the app for the browser scenarios (electron-vite)...\n');
  const { build } = await import('electron-vite');
  await build({ logLevel: 'warn' });
}

const outcomes = [];
for (const run of runs) {
  if (interrupted) break;
  process.stdout.write(`\n== ${run.entry}${run.args.length ? ` ${run.args.join(' ')}` : ''} (run ${outcomes.length + 1} of ${runs.length})\n`);
  outcomes.push(await runScenario(run));
}

const crashed = outcomes.filter((o) => o.result === null);
const results = outcomes.flatMap((o) => (o.result ? [o.result] : []));
const rows = repeat === 1 ? results.flatMap((r) => r.rows) : medianRows(results);
const problems = results.flatMap((r) => r.problems.map((p) => `${r.scenario}: ${p}`));
const machine = results[0]?.machine;

printTable(rows);
if (machine) {
  const byScenario = new Map();
  for (const r of results) byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r.machine.loadAverage1m]);
  const loads = [...byScenario].map(([scenario, list]) => `${scenario} ${list.join(' / ')}`).join(', ');
  process.stdout.write(
    `\nMachine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGB} GB memory, Node ${machine.node}, ${machine.platform}\n` +
      `Load average (1 min) after each run: ${loads}${results.some((r) => r.machine.loadAverage1m > machine.cores) ? ' (above the core count: other work competed for the CPU)' : ''}\n`,
  );
}
for (const problem of problems) process.stdout.write(`Problem: ${problem}\n`);
for (const o of crashed) {
  process.stdout.write(`Crashed: ${o.entry} ${o.args.join(' ')} (exit ${o.code ?? o.signal}) gave no figures.\n`);
}

if (values.json) {
  // Each scenario's fields; with --runs, the list of every run's fields.
  const scenarios = {};
  for (const r of results) {
    if (repeat === 1) scenarios[r.scenario] = r.fields;
    else (scenarios[r.scenario] ??= []).push({ ...r.fields, loadAverage1m: r.machine.loadAverage1m });
  }
  const summary =
    results.length === 1 && crashed.length === 0
      ? { scenario: results[0].scenario, ...results[0].fields, machine, rows, problems }
      : { scenarios, machine, runs: repeat, rows, problems, crashed: crashed.map((o) => o.entry) };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}
process.exit(interrupted ? 130 : crashed.length > 0 ? 1 : 0);
