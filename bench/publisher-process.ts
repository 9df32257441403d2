/** Runs bench/publisher.ts (built next to this file) as a separate, tracked process. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BROKER_ENV_VAR, brokerInfoToEnv, type BrokerInfo } from '../test/harness/mosquitto';
import { trackChild } from './cleanup';
import { RESULT_MARKER } from './result';
import type { PublisherResult } from './publisher';

export interface PublisherRun {
  /** Resolves with the publisher's figures once it has sent everything and exited. */
  done: Promise<PublisherResult>;
}

export function startPublisher(broker: BrokerInfo, args: string[]): PublisherRun {
  const script = fileURLToPath(new URL('./publisher.js', import.meta.url));
  const child = trackChild(
    spawn(process.execPath, [script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, [BROKER_ENV_VAR]: brokerInfoToEnv(broker) },
    }),
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<PublisherResult>((resolve, reject) => {
    child.once('exit', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      if (code === 0 && line) resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as PublisherResult);
      else reject(new Error(`The publisher ended with ${code ?? signal}: ${stderr.trim() || stdout.trim()}`));
    });
  });
  return { done };
}
