/**
 * One Mosquitto for the whole integration run. Tests reach it with `inject('broker')`;
 * each test uses its own client IDs and topic prefix, so they can share it safely.
 */
import type { TestProject } from 'vitest/node';
import { startMosquitto, type BrokerInfo } from '../harness/mosquitto';

declare module 'vitest' {
  interface ProvidedContext {
    broker: BrokerInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const broker = await startMosquitto();
  project.provide('broker', broker.info());
  // Vitest calls this after the run whether tests passed or failed; the harness's exit
  // hooks cover a run that is interrupted before it gets here.
  return () => broker.stop();
}
