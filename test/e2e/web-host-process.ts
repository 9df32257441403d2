/**
 * Starts `out/main/web-host.js` (the browser-mode host, from the build) as a user would,
 * and reads the URL with its token from what it prints. Used by the global setup and by
 * specs that need a host of their own (their own config folder, a restart).
 */
import { test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { once } from 'node:events';

const HOST_SCRIPT = 'out/main/web-host.js';

export interface WebHostProcess {
  /** `http://127.0.0.1:<port>/#token=...` */
  url: string;
  pid: number | undefined;
  /** Stops the host (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
}

export async function startWebHost(options: { configDir?: string } = {}): Promise<WebHostProcess> {
  if (!existsSync(HOST_SCRIPT)) throw new Error(`${HOST_SCRIPT} is missing: run "npm run build" first (npm test does).`);
  const args = [HOST_SCRIPT, '--port', '0', ...(options.configDir ? ['--config-dir', options.configDir] : [])];
  const host = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  host.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`The web host printed no URL within 20 s. stderr: ${stderr}`)), 20_000);
    host.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    host.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The web host exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    pid: host.pid,
    async stop() {
      if (host.exitCode !== null || host.signalCode !== null) return;
      const exited = once(host, 'exit');
      host.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
    },
  };
}

/**
 * A web host of the calling spec file's own, with its own config folder (so the
 * profiles there are the only ones), started before the file's tests and stopped and
 * removed after them. `prepare` can put files in the folder before the host starts.
 */
export function ownWebHost(name: string, prepare?: (configDir: string) => Promise<void>) {
  let configDir = '';
  let host: WebHostProcess | undefined;
  test.beforeAll(async () => {
    configDir = await mkdtemp(join(tmpdir(), `topicscope-${name}-e2e-`));
    await prepare?.(configDir);
    host = await startWebHost({ configDir });
  });
  test.afterAll(async () => {
    await host?.stop();
    await rm(configDir, { recursive: true, force: true });
  });
  return {
    configDir: (): string => configDir,
    // An arrow, not a method: specs pass `host.url` around as a function of its own.
    url: (): string => {
      if (!host) throw new Error('The web host of this spec file did not start.');
      return host.url;
    },
    /** Stops the host and starts it again on the same folder, as a user restarting the app. */
    async restart(): Promise<void> {
      await host?.stop();
      host = await startWebHost({ configDir });
    },
  };
}
