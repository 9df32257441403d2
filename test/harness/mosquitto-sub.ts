/**
 * An independent subscriber: Mosquitto's own `mosquitto_sub` over MQTT 5, printing each
 * message on one line in a given `-F` format (see mosquitto_sub(1): %t topic, %x payload
 * as hex, %P user properties, %C content type, %E expiry, %F payload format indicator,
 * %R response topic, %D correlation data). What it prints is what the broker delivered,
 * read by a client that shares no code with the app.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { BrokerInfo } from './mosquitto';
import { MqttPeer } from './mqtt-peer';
import { delay, waitFor } from './wait-for';

export interface MosquittoSub {
  /** The lines printed so far, the readiness marker's left out. */
  readonly lines: string[];
  /** Resolves once `count` lines have been printed. */
  waitForLines(count: number): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Starts `mosquitto_sub -V 5` on `filter` (which must match `${readyTopic}`) and resolves
 * once it is subscribed: a marker published until it prints it says so.
 */
export async function startMosquittoSub(broker: BrokerInfo, filter: string, format: string, readyTopic: string): Promise<MosquittoSub> {
  const child: ChildProcess = spawn(
    'mosquitto_sub',
    ['-h', broker.host, '-p', String(broker.ports.mqtt), '-u', broker.username, '-P', broker.password, '-V', '5', '-q', '1', '-t', filter, '-F', `%t\t${format}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let buffered = '';
  let errors = '';
  const printed: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    printed.push(...parts);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const marker = await MqttPeer.connect(broker);
  try {
    const deadline = Date.now() + 10_000;
    while (!printed.some((line) => line.startsWith(`${readyTopic}\t`))) {
      if (Date.now() > deadline) throw new Error(`mosquitto_sub did not subscribe within 10 s.\n${errors}`);
      await marker.publish(readyTopic, 'ready', { qos: 0 });
      await delay(100);
    }
  } finally {
    await marker.end();
  }
  const lines = (): string[] => printed.filter((line) => !line.startsWith(`${readyTopic}\t`));
  return {
    get lines() {
      return lines();
    },
    waitForLines: (count) => waitFor(`${count} lines from mosquitto_sub`, () => lines().length >= count && lines(), { diagnostics: () => `${printed.join('\n')}\n${errors}` }),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
