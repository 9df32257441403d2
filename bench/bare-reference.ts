/**
 * What the wire alone allows, measured next to the app in the `ui` scenario, the same
 * minutes on the same machine: a bare mqtt.js subscriber that only counts or reads a
 * timestamp, fed by the same publisher through a Mosquitto like the app's.
 *
 * Why: the window's load and flood figures run from the publisher's socket to the
 * page's frame, through Mosquitto, the host and the page, on two cores that the
 * publisher and Mosquitto share with the app. On a busy machine the broker and the
 * bare client alone can take longer than a target; these figures tell that part of a
 * result from the app's own.
 */
import mqtt from 'mqtt';
import type { BrokerInfo } from '../test/harness/mosquitto';
import { peerClientOptions } from '../test/harness/mqtt-peer';
import { startBenchBroker } from './browser-app';
import { barePass } from './core-pass';

export interface BareBurst {
  /** From the publisher's last write to the bare subscriber holding every message. */
  receivedAllMs: number;
  publishMs: number;
  received: number;
}

/**
 * The load's floor: the same burst (one message on each of `topics` topics) from the
 * same publisher to a bare subscriber, on a broker of its own so the app connected to
 * the other one sees none of it.
 */
export async function bareBurst(topics: number, depth: number, payload: number): Promise<BareBurst> {
  const broker = await startBenchBroker();
  try {
    const pass = await barePass(broker, { messages: topics, topics, depth, payload });
    if (pass.received !== topics) throw new Error(`The bare subscriber received ${pass.received} of ${topics} messages.`);
    return { receivedAllMs: pass.lastAt - pass.publisher.lastWriteAt, publishMs: pass.publisher.lastWriteAt - pass.publisher.startedAt, received: pass.received };
  } finally {
    await broker.stop();
  }
}

export interface ProbeWatch {
  /** Milliseconds from each probe's send time (its `t`) to its arrival here, in arrival order. */
  readonly latencies: number[];
  stop(): Promise<void>;
}

/**
 * The flood's floor: a bare subscriber to the probe topic alone, on the app's broker
 * during the app's flood. It adds one message per probe to the broker's work, nothing
 * of the flood; its latency is what reaches a client at all, before the host's and the
 * page's part.
 */
export async function watchProbes(broker: BrokerInfo, topic: string): Promise<ProbeWatch> {
  const client = await mqtt.connectAsync(peerClientOptions(broker, 'bench_probe_'));
  const latencies: number[] = [];
  client.on('message', (_topic, payload) => {
    // The flood's own messages reach this topic too (it is one of the flooded ones): only probes carry `t`.
    const sentAt = (JSON.parse(payload.toString('utf8')) as { t?: unknown }).t;
    if (typeof sentAt === 'number') latencies.push(Date.now() - sentAt);
  });
  await client.subscribeAsync(topic, { qos: 0 });
  return {
    latencies,
    stop: () => client.endAsync(true),
  };
}
