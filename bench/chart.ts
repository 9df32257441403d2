/**
 * `chart` scenario: the real app in browser mode in Debian's Chromium, connected to the
 * harness Mosquitto, charting one topic ("Chart this topic" in the details' Chart tab).
 * A peer in this process publishes numbers to it at 10,000/s until the chart's name says
 * 100,000 points (a renderer that falls behind has some merged by the core, counted).
 *
 * - drawMs: the Chart tab opened (from the Value tab) with 100,000 points: main-thread
 *   work from the click until the page is idle (Svelte's panel, the uPlot chart made and
 *   drawn), clicked right after a frame. Median of DRAW_RUNS openings; `drawFrameMs` is
 *   until the end of the next frame (which adds the wait for the display's next vsync).
 * - resumeDrawMs: the chart paused then resumed: the same for the click on "Resume" (one
 *   `setData` of 100,000 points and its draw; `resumeDrawFrameMs` likewise).
 * - liveP95FrameMs: with the series full (each new point drops the oldest), the peer
 *   publishes 1,000 numbers/s for LIVE_SECONDS; p95 of the requestAnimationFrame deltas.
 */
import type { Page } from 'playwright';
import { MqttPeer } from '../test/harness/mqtt-peer';
import { evaluate, startConnectedApp } from './browser-app';
import { runMain, trackStop } from './cleanup';
import { PAGE_PROBES } from './page-probes';
import { emitResult, metricRow, progress } from './result';
import { machineInfo, median, percentile, round } from './stats';

const TOPIC = 'bench/chart/value';
const POINTS = 100_000;
const FILL_RATE = 10_000;
const LIVE_RATE = 1_000;
const LIVE_SECONDS = 6;
const DRAW_RUNS = 7;
const TARGETS = { drawMs: 50, liveP95FrameMs: 20 };
const CHART = '[role="img"][aria-label^="Chart of "]';

/** Publishes `count` numbers at `rate` per second, in 10 ms slices, without drifting behind the clock. */
async function publishPaced(peer: MqttPeer, first: number, count: number, rate: number): Promise<void> {
  const startedAt = Date.now();
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((Date.now() - startedAt) / 1000) * rate) + 1);
    for (; sent < due; sent++) peer.client.publish(TOPIC, String(Math.round(Math.sin((first + sent) / 500) * 1e4) / 100), { qos: 0 });
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What a click cost: main-thread work until the page is idle, and the time until the next frame has run. */
interface ClickCost {
  workMs: number;
  frameMs: number;
}

/** Runs in the page: clicks right after a frame, then times the work (microtasks included) and the next frame. */
function timeClick(page: Page, clickScript: string): Promise<ClickCost> {
  return evaluate<ClickCost>(page, `(async () => {
    const macrotask = () => new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    });
    const afterFrame = () => new Promise((resolve) => requestAnimationFrame(() => macrotask().then(resolve)));
    await afterFrame();
    const t0 = performance.now();
    ${clickScript};
    await macrotask();
    const workMs = performance.now() - t0;
    await afterFrame();
    if (!document.querySelector('${CHART} canvas')) throw new Error('no chart drawn');
    return { workMs, frameMs: performance.now() - t0 };
  })()`);
}

const TAB = (name: string): string => `[...document.querySelectorAll('[role="tablist"][aria-label="Topic views"] [role="tab"]')].find((t) => t.textContent.trim() === '${name}').click()`;
const BUTTON = (name: string): string => `[...document.querySelectorAll('button')].find((b) => b.textContent.trim() === '${name}').click()`;

async function main(): Promise<void> {
  progress(`chart: ${POINTS.toLocaleString('en-US')} points on one topic, then ${LIVE_RATE.toLocaleString('en-US')} points/s for ${LIVE_SECONDS} s`);
  const { broker, page, pageErrors } = await startConnectedApp();
  await page.evaluate(PAGE_PROBES);
  const peer = await MqttPeer.connect(broker);
  trackStop('peer', () => peer.end());

  // Chart the topic from its first value, then fill the series.
  await page.getByRole('searchbox', { name: 'Filter topics', exact: true }).fill(TOPIC);
  await peer.publish(TOPIC, '0', { qos: 1 });
  await page.locator(`[role="treeitem"][data-topic="${TOPIC}"]`).click();
  await page.getByRole('tab', { name: 'Chart', exact: true }).click();
  await page.getByRole('button', { name: 'Chart this topic', exact: true }).click();
  // Filled at 10,000/s: on a loaded machine the renderer may fall behind and the core
  // merge some (counted in the footer), so numbers go on until the series holds 100,000.
  const fillStart = Date.now();
  const full = `Chart of ${TOPIC}, ${POINTS.toLocaleString('en')} points`;
  const isFull = `document.querySelector('${CHART}')?.getAttribute('aria-label') === '${full}'`;
  let published = 1;
  while (!(await evaluate<boolean>(page, isFull))) {
    if (published > POINTS * 4) throw new Error(`The chart did not reach ${POINTS} points after ${published} messages: "${await page.locator(CHART).getAttribute('aria-label') ?? ''}".`);
    await publishPaced(peer, published, POINTS / 10, FILL_RATE);
    published += POINTS / 10;
    await page.waitForTimeout(500);
  }
  const footer = (await page.getByLabel('Message statistics').textContent())?.replace(/\s+/g, ' ').trim() ?? '';
  progress(`filled: ${POINTS.toLocaleString('en-US')} points after ${published.toLocaleString('en-US')} messages in ${Date.now() - fillStart} ms; footer: ${footer}`);

  const draws: ClickCost[] = [];
  for (let run = 0; run < DRAW_RUNS; run++) {
    await evaluate(page, TAB('Value'));
    draws.push(await timeClick(page, TAB('Chart')));
  }
  const resumes: ClickCost[] = [];
  for (let run = 0; run < DRAW_RUNS; run++) {
    await evaluate(page, BUTTON('Pause'));
    resumes.push(await timeClick(page, BUTTON('Resume')));
  }
  const list = (costs: ClickCost[]): string => costs.map((c) => `${round(c.workMs)}/${round(c.frameMs)}`).join(', ');
  progress(`draw of ${POINTS.toLocaleString('en-US')} points, work/next frame in ms: tab opened ${list(draws)}; resumed ${list(resumes)}`);
  const drawMs = median(draws.map((c) => c.workMs));
  const resumeDrawMs = median(resumes.map((c) => c.workMs));

  await evaluate(page, 'window.__bench.startFrames()');
  await publishPaced(peer, POINTS, LIVE_RATE * LIVE_SECONDS, LIVE_RATE);
  const frames = await evaluate<number[]>(page, 'window.__bench.stopFrames()');
  const liveP95FrameMs = percentile(frames, 95);
  const legend = (await page.getByRole('list', { name: 'Series' }).textContent())?.replace(/\s+/g, ' ').trim() ?? '';
  progress(`live: ${frames.length} frames, p95 ${round(liveP95FrameMs)} ms, max ${round(Math.max(...frames))} ms; legend: ${legend}`);

  const problems: string[] = [];
  if (!legend.includes('oldest points dropped')) problems.push('The series did not say that its oldest points were dropped.');
  if (pageErrors.length > 0) problems.push(`Page errors: ${pageErrors.slice(0, 3).join(' | ')}`);
  emitResult({
    scenario: 'chart',
    machine: machineInfo(),
    fields: {
      points: POINTS,
      drawMs: round(drawMs),
      drawFrameMs: round(median(draws.map((c) => c.frameMs))),
      resumeDrawMs: round(resumeDrawMs),
      resumeDrawFrameMs: round(median(resumes.map((c) => c.frameMs))),
      liveP95FrameMs: round(liveP95FrameMs),
      liveMaxFrameMs: round(Math.max(...frames)),
      liveFrames: frames.length,
    },
    rows: [
      metricRow('chart', 'drawMs', round(drawMs), 'ms', { op: '<', value: TARGETS.drawMs }),
      metricRow('chart', 'resumeDrawMs', round(resumeDrawMs), 'ms', { op: '<', value: TARGETS.drawMs }),
      metricRow('chart', 'liveP95FrameMs', round(liveP95FrameMs), 'ms', { op: '<', value: TARGETS.liveP95FrameMs }),
    ],
    problems,
  });
}

runMain(main);
