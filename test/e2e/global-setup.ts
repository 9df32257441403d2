/**
 * Starts what a user would run: a Mosquitto (the harness broker, TLS and passwords on)
 * and `web-host.js`, the browser-mode host, from the build. Their addresses reach the
 * test workers through environment variables.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROKER_ENV_VAR, brokerInfoToEnv, startMosquitto } from '../harness/mosquitto';

export const WEB_URL_ENV_VAR = 'TOPICSCOPE_WEB_URL';
const HOST_SCRIPT = 'out/main/web-host.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(HOST_SCRIPT)) throw new Error(`${HOST_SCRIPT} is missing: run "npm run build" first (npm test does).`);
  const broker = await startMosquitto();
  // Profiles go to a throwaway folder: tests never touch the user's real config.
  const configDir = await mkdtemp(join(tmpdir(), 'topicscope-e2e-config-'));
  const host = spawn(process.execPath, [HOST_SCRIPT, '--port', '0', '--config-dir', configDir], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    host.once('exit', (code) => reject(new Error(`The web host exited with ${code}: ${stderr}`)));
  });
  process.env[WEB_URL_ENV_VAR] = url;
  process.env[BROKER_ENV_VAR] = brokerInfoToEnv(broker.info());

  return async () => {
    if (host.exitCode === null) {
      const exited = once(host, 'exit');
      host.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (host.exitCode === null) host.kill('SIGKILL');
    }
    await broker.stop();
    await rm(configDir, { recursive: true, force: true });
  };
}
