/**
 * Starts what a user would run: a Mosquitto (the harness broker, TLS and passwords on)
 * and `web-host.js`, the browser-mode host, from the build, with a temporary config
 * folder so no test reads or writes the user's profiles. Their addresses reach the
 * test workers through environment variables.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROKER_ENV_VAR, brokerInfoToEnv, startMosquitto } from '../harness/mosquitto';
import { startWebHost } from './web-host-process';

export const WEB_URL_ENV_VAR = 'TOPICSCOPE_WEB_URL';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const broker = await startMosquitto();
  const configDir = await mkdtemp(join(tmpdir(), 'topicscope-e2e-config-'));
  const host = await startWebHost({ configDir });
  process.env[WEB_URL_ENV_VAR] = host.url;
  process.env[BROKER_ENV_VAR] = brokerInfoToEnv(broker.info());

  return async () => {
    await host.stop();
    await broker.stop();
    await rm(configDir, { recursive: true, force: true });
  };
}
