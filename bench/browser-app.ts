/**
 * What the browser scenarios (ui, chart) share: the app's browser-mode host started for
 * the run, and ways to wait on the page under its CSP.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/harness/chromium';
import { startMosquitto } from '../test/harness/mosquitto';
import type { BrokerInfo, MosquittoBroker } from '../test/harness/mosquitto';
import { stopChild, trackChild, trackStop } from './cleanup';

/** Starts out/main/web-host.js on a free port with a config folder of its own; resolves with its URL. */
export async function startWebHost(): Promise<string> {
  const script = resolve('out/main/web-host.js');
  // A folder of its own: never the user's profiles, and never the lock of a host they run.
  const configDir = mkdtempSync(join(tmpdir(), 'topicscope-bench-config-'));
  // BENCH_PROFILE_DIR=<folder>: the host writes a V8 CPU profile of its whole run there when it stops.
  const profileDir = process.env['BENCH_PROFILE_DIR'];
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`] : [];
  const host = trackChild(spawn(process.execPath, [...profile, script, '--port', '0', '--config-dir', configDir], { stdio: ['ignore', 'pipe', 'pipe'] }));
  trackStop('web host', async () => {
    await stopChild(host);
    rmSync(configDir, { recursive: true, force: true });
  });
  let stderr = '';
  host.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise<string>((resolvePromise, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`The web host printed no URL within 20 s. stderr: ${stderr}`)), 20_000);
    host.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
    host.once('exit', (code) => reject(new Error(`The web host exited with ${code}: ${stderr} (build the app first: npm run build)`)));
  });
}

export function evaluate<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate<T>(expression);
}

/**
 * Waits until a page expression is truthy. Not page.waitForFunction: with a string it
 * evaluates through eval, which the app's CSP (rightly) refuses.
 */
export async function pollPage(page: Page, expression: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${expression}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
  }
}

/** Opens the app at `url` and connects its first tab to the harness broker through the form. */
export async function connectApp(page: Page, url: string, broker: BrokerInfo): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Protocol', { exact: true }).selectOption('mqtt');
  await page.getByLabel('Host', { exact: true }).fill(broker.host);
  await page.getByLabel('Port', { exact: true }).fill(String(broker.ports.mqtt));
  await page.getByLabel('Username', { exact: true }).fill(broker.username);
  await page.getByLabel('Password', { exact: true }).fill(broker.password);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.locator('[role="status"][aria-live]').first().filter({ hasText: 'Connected to' }).waitFor({ timeout: 20_000 });
}

/** A Mosquitto of the scenario's own that never queues for slow subscribers, stopped on exit. */
export async function startBenchBroker(): Promise<MosquittoBroker> {
  const broker = await startMosquitto({ logTypes: ['error', 'warning'], extraConfig: 'max_queued_messages 0\nmax_queued_bytes 0' });
  trackStop('mosquitto', () => broker.stop());
  return broker;
}

/**
 * What a browser scenario starts from: its broker (`startBenchBroker`), a browser-mode
 * host, Debian's Chromium at 1400×860 with the app connected to that broker, and the
 * page's uncaught errors collected. All stopped on exit.
 */
export async function startConnectedApp(): Promise<{ broker: BrokerInfo; page: Page; pageErrors: string[] }> {
  const broker = await startBenchBroker();
  const url = await startWebHost();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  trackStop('chromium', () => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await connectApp(page, url, broker);
  return { broker, page, pageErrors };
}
