/**
 * Starts `out/main/web-host.js` (the browser-mode host, from the build) as a user would,
 * and reads the URL with its token from what it prints. Used by the global setup and by
 * specs that need a host of their own (their own config folder, a restart).
 */
import { spawn } from 'node:child_process';
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
