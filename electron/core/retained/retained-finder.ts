/**
 * Collects the retained messages a broker holds for a filter: subscribe on a helper
 * connection, keep every message that arrives with the retain flag and a payload, and
 * stop once the broker has gone quiet.
 *
 * Why the retain flag tells: a broker sets it on messages it sends because of a new
 * subscription (MQTT 3.1.1 section 3.3.1.3), and, without retain-as-published (we do
 * not ask for it), clears it on live traffic (MQTT 5 section 3.3.1.3). An empty payload
 * is not a retained message (it is how one is deleted), so it is never listed.
 *
 * Subscribed at QoS 0: the broker then writes the retained messages straight to the
 * socket. At QoS 1 Mosquitto would hold back all but 20 in flight and drop any beyond
 * its 1,000-message queue (max_inflight_messages, max_queued_messages), so a find of
 * 10,000 would see about 1,020.
 */
import type { IPublishPacket, MqttClient } from 'mqtt';
import type { AppError, Result } from '../../../shared/ipc/app-error';
import { fail, ok } from '../../../shared/ipc/app-error';
import { MAX_RETAINED_TOPICS } from '../../../shared/retained/clear-retained';
import { mapSubscriptionRefusal, subackRefusalCode } from '../connection/mqtt-error-mapping';
import type { Scheduler } from '../connection/scheduler';

export interface FindTiming {
  /**
   * Quiet time that ends the collection: this long after the SUBACK, or after the last
   * retained message, with none arriving. Default 750 ms. A broker sends a filter's
   * retained messages in one burst right after the SUBACK (Mosquitto loops over its
   * retained tree at once); gaps inside a burst are milliseconds, a few tens on a loaded
   * machine or a slow link. 750 ms is ten times that and still feels immediate for a dry run.
   */
  quietMs: number;
  /** The longest a collection runs after the SUBACK, whatever arrives (default 20 s): a broker streaming live retained traffic cannot keep it open. */
  capMs: number;
}

export const DEFAULT_FIND_TIMING: FindTiming = { quietMs: 750, capMs: 20_000 };

export interface FoundRetained {
  /** Topics holding a retained value, in code point order, at most `limit`. */
  topics: string[];
  /** True when more retained messages arrived than `limit`: the list is not all of them. */
  truncated: boolean;
  /**
   * What ended the collection: the broker went quiet (the list is complete), the time
   * cap (the broker may hold more), the limit (`truncated`), or the user stopped it.
   */
  ended: 'quiet' | 'time-cap' | 'limit' | 'stopped';
}

export interface FindOptions {
  timing?: FindTiming;
  limit?: number;
  signal?: AbortSignal;
}

/**
 * Subscribes `client` to `filter`, collects the retained topics, then unsubscribes.
 * The client must be a helper of its own: the subscription is the helper's alone.
 */
export async function findRetained(client: MqttClient, filter: string, scheduler: Scheduler, options: FindOptions = {}): Promise<Result<FoundRetained>> {
  const timing = options.timing ?? DEFAULT_FIND_TIMING;
  const limit = options.limit ?? MAX_RETAINED_TOPICS;
  const found = new Set<string>();
  let truncated = false;
  let finish: (how: FoundRetained['ended'] | 'closed') => void = () => {};
  const finished = new Promise<FoundRetained['ended'] | 'closed'>((resolve) => (finish = resolve));
  let quietTimer: unknown = null;
  let subscribed = false;
  const restartQuiet = (): void => {
    if (quietTimer !== null) scheduler.clearTimeout(quietTimer);
    quietTimer = scheduler.setTimeout(() => finish('quiet'), timing.quietMs);
  };
  const onMessage = (topic: string, payload: Buffer, packet: IPublishPacket): void => {
    if (!packet.retain || payload.byteLength === 0) return;
    if (found.size >= limit && !found.has(topic)) {
      truncated = true;
      finish('limit');
      return;
    }
    found.add(topic);
    // Messages may come before mqtt.js hands over the SUBACK; the quiet time starts after it.
    if (subscribed) restartQuiet();
  };
  const onClose = (): void => finish('closed');
  const onAbort = (): void => finish('stopped');
  client.on('message', onMessage);
  client.once('close', onClose);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let capTimer: unknown = null;
  try {
    const refused = await subscribeOrRefusal(client, filter);
    if (refused) return fail(refused);
    subscribed = true;
    restartQuiet();
    capTimer = scheduler.setTimeout(() => finish('time-cap'), timing.capMs);
    const how = await finished;
    if (how === 'closed') return fail({ code: 'CONNECTION_LOST', message: 'The connection closed while the retained messages were being collected.' });
    // Nothing more is wanted from this subscription; the helper closes soon anyway.
    client.unsubscribe(filter);
    return ok({ topics: [...found].sort(byCodePoint), truncated, ended: how });
  } finally {
    if (quietTimer !== null) scheduler.clearTimeout(quietTimer);
    if (capTimer !== null) scheduler.clearTimeout(capTimer);
    client.off('message', onMessage);
    client.off('close', onClose);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function subscribeOrRefusal(client: MqttClient, filter: string): Promise<AppError | null> {
  try {
    const granted = await client.subscribeAsync(filter, { qos: 0 });
    const code = granted[0]?.qos ?? 0;
    return code >= 0x80 ? mapSubscriptionRefusal(filter, code) : null;
  } catch (error) {
    const code = subackRefusalCode(error);
    if (code !== undefined) return mapSubscriptionRefusal(filter, code);
    return { code: 'CONNECTION_LOST', message: `Subscribing to "${filter}" to find its retained messages failed: ${(error as Error).message}` };
  }
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
