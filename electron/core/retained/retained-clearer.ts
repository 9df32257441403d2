/**
 * Publishes an empty retained message to each topic (MQTT 3.3.1.3: that deletes the
 * retained value) at QoS 1, keeping at most `window` publishes waiting for their PUBACK.
 *
 * Why QoS 1 with a window: each PUBACK says the broker took that message in, so the
 * broker sets the pace (a slow broker acknowledges slowly and we wait), nothing piles up
 * in its queues or ours, and an MQTT 5 broker's refusal (PUBACK reason >= 0x80, such as
 * 0x87 Not authorized) names the topic it concerns. QoS 0 would be faster on paper but
 * unpaced: the socket buffer fills and nothing says what was dropped. The window never
 * exceeds the broker's Receive Maximum (MQTT 5 CONNACK; Mosquitto's is 20), since going
 * past it gets the connection closed (0x93).
 */
import type { MqttClient } from 'mqtt';
import type { ClearFailure } from '../../../shared/retained/clear-retained';
import { publishRefusalText } from '../../../shared/mqtt/reason-codes';

/**
 * Publishes in flight at once, at most (default 64): enough that round trips overlap
 * (10,000 topics at a 1 ms round trip take well under a second), few enough that a
 * stop takes effect at once and a refused run leaves little in the broker's queue.
 */
export const DEFAULT_CLEAR_WINDOW = 64;

export interface ClearProgress {
  /** Topics answered so far, cleared or failed. */
  done: number;
  failed: number;
}

export interface ClearRun {
  /** Topics the broker acknowledged. */
  cleared: string[];
  failures: ClearFailure[];
  /** Topics never sent: the user stopped, or the connection ended. */
  notSent: number;
}

export interface ClearOptions {
  window: number;
  signal?: AbortSignal;
  /** Called after each answer; the caller throttles what it reports. */
  onProgress?: (progress: ClearProgress) => void;
}

export async function clearRetainedTopics(client: MqttClient, topics: readonly string[], options: ClearOptions): Promise<ClearRun> {
  const cleared: string[] = [];
  const failures: ClearFailure[] = [];
  const empty = Buffer.alloc(0);
  let next = 0;
  const stopped = (): boolean => options.signal?.aborted === true || !client.connected;
  const sendOne = async (topic: string): Promise<void> => {
    try {
      await client.publishAsync(topic, empty, { qos: 1, retain: true });
      cleared.push(topic);
    } catch (error) {
      failures.push({ topic, reason: publishFailureReason(error) });
    }
    options.onProgress?.({ done: cleared.length + failures.length, failed: failures.length });
  };
  // `window` workers, each taking the next topic once its previous one is answered.
  const worker = async (): Promise<void> => {
    while (next < topics.length && !stopped()) {
      const topic = topics[next++]!;
      await sendOne(topic);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.window, topics.length)) }, worker));
  return { cleared, failures, notSent: topics.length - next };
}

function publishFailureReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number' && code >= 0x80) {
    return `Refused by the broker: ${publishRefusalText(code)}`;
  }
  const message = (error as Error).message;
  if (/connection closed/i.test(message)) return 'The connection ended before the broker acknowledged it; it may or may not be cleared.';
  return message;
}
