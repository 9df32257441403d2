/**
 * MQTT 5 request/response, the pure part: a response topic to offer the user, the
 * correlation data a request gets when the user left it empty, and the correlator
 * that matches each reply to the request it answers and measures the latency. The
 * correlator owns no timers and no subscriptions: it is told the time (an injected
 * clock) and says which response topics to stop listening to; the core's
 * electron/core/publish/request-replies.ts subscribes, unsubscribes and schedules.
 */
import { topicNameProblem } from '../mqtt/mqtt-topic';
import type { Composition } from './compose-message';
import { bytesToBinaryString } from '../mqtt/binary-string';

/** How long the app keeps listening on a response topic after its last request (60 s). */
export const REPLY_WAIT_MS = 60_000;
/** Most requests remembered at once (the oldest is forgotten first; its replies show as uncorrelated). */
export const MAX_REMEMBERED_REQUESTS = 1_000;
/** Most bytes of correlation data remembered at once, all requests together (1 MiB). */
export const MAX_REMEMBERED_CORRELATION_BYTES = 1024 * 1024;
/** Most response topics listened to at once; the one with the oldest request is let go first. */
export const MAX_WATCHED_TOPICS = 100;
/** The first bytes of each reply's payload the window gets for its preview. */
export const REPLY_PREVIEW_BYTES = 512;

/** One reply, as the core reports it to the window (`replies:batch`). */
export interface RequestReply {
  topic: string;
  /** The payload's first REPLY_PREVIEW_BYTES bytes. */
  payload: Uint8Array;
  /** The payload's whole size in bytes. */
  payloadSize: number;
  /** As the reply carried it; null when it carried none. */
  correlationData: Uint8Array | null;
  /** Milliseconds from publishing the request to the reply's arrival (fractional); null when uncorrelated. */
  latencyMs: number | null;
  /** The topic the answered request was published to; null when uncorrelated. */
  requestTopic: string | null;
  /** Milliseconds since the epoch, when the reply arrived in the core. */
  receivedAt: number;
}

/** Where a generated response topic comes from. */
export type ResponseTopicBasis = 'response-information' | 'client-id';

export interface GeneratedResponseTopic {
  topic: string;
  basis: ResponseTopicBasis;
}

/**
 * A response topic for this client: under the broker's Response Information (CONNACK,
 * MQTT 5 section 3.2.2.3.15) when it gave one that can start a topic, else
 * `topicscope/reply/<client id>/<random>`. The client ID is one level, with "/", "+"
 * and "#" replaced by "_", so the result is always a valid topic name without wildcards.
 * `randomLevel` is a short random text of letters and digits.
 */
export function generateResponseTopic(clientId: string, responseInformation: string | null, randomLevel: string): GeneratedResponseTopic {
  if (responseInformation) {
    const base = responseInformation.endsWith('/') ? responseInformation.slice(0, -1) : responseInformation;
    const topic = `${base}/${randomLevel}`;
    if (base !== '' && topicNameProblem(topic) === null) return { topic, basis: 'response-information' };
  }
  const level = withoutControlCharacters(clientId.replace(/[/+#]/g, '_')) || 'anonymous';
  const topic = `topicscope/reply/${level}/${randomLevel}`;
  // A client ID long enough to overflow a topic (65,535 bytes) is cut; MQTT client IDs are short in practice.
  return { topic: topicNameProblem(topic) === null ? topic : `topicscope/reply/${level.slice(0, 1_000)}/${randomLevel}`, basis: 'client-id' };
}

/** MQTT says control characters SHOULD NOT appear in a topic (1.5.4): a client ID's are left out. */
function withoutControlCharacters(text: string): string {
  return Array.from(text)
    .filter((char) => {
      const code = char.codePointAt(0) ?? 0;
      return code >= 0x20 && (code < 0x7f || code > 0x9f);
    })
    .join('');
}

/** Eight letters and digits from random bytes: the random level of a generated response topic. */
export function randomLevel(random: Uint8Array): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(random.subarray(0, 8), (byte) => alphabet[byte % alphabet.length]).join('');
}

/**
 * The message with correlation data of its own when it has a response topic and the user
 * left the correlation data empty: the message's {{uuid}} as UTF-8 text, so each request
 * (and each repeat) gets a new one and a payload using {{uuid}} carries the same.
 */
export function withGeneratedCorrelation(composition: Composition, uuid: string): Composition {
  const message = composition.message;
  const properties = message?.properties;
  if (!message || !properties?.responseTopic || properties.correlationData) return composition;
  return { ...composition, message: { ...message, properties: { ...properties, correlationData: new TextEncoder().encode(uuid) } } };
}

/** A response topic listened to: `subscribed` when the app made a subscription for it (to undo). */
export interface WatchedTopic {
  topic: string;
  subscribed: boolean;
}

interface Watch extends WatchedTopic {
  /** When listening stops, on the correlator's clock. */
  deadline: number;
}

interface RememberedRequest {
  sentAt: number;
  requestTopic: string;
  responseTopic: string;
}

/** What a message on a response topic turned out to be. */
export type ReplyMatch = { correlated: true; latencyMs: number; requestTopic: string } | { correlated: false };

export interface ReplyCorrelatorOptions {
  /** Milliseconds, monotonic; latencies are differences of it. */
  now: () => number;
  waitMs?: number;
  maxRequests?: number;
  maxCorrelationBytes?: number;
  maxTopics?: number;
}

/**
 * Requests by their correlation data, and the response topics listened to. A request
 * sent again with the same correlation data replaces the earlier one (latency counts
 * from the newest); a request answered stays remembered, so a second responder's reply
 * is correlated too.
 */
export class ReplyCorrelator {
  readonly #now: () => number;
  readonly #waitMs: number;
  readonly #maxRequests: number;
  readonly #maxCorrelationBytes: number;
  readonly #maxTopics: number;
  /** In the order last requested: the first is the one to let go. */
  readonly #watches = new Map<string, Watch>();
  /** By correlation key, oldest first. */
  readonly #requests = new Map<string, RememberedRequest>();
  #correlationBytes = 0;

  constructor(options: ReplyCorrelatorOptions) {
    this.#now = options.now;
    this.#waitMs = options.waitMs ?? REPLY_WAIT_MS;
    this.#maxRequests = options.maxRequests ?? MAX_REMEMBERED_REQUESTS;
    this.#maxCorrelationBytes = options.maxCorrelationBytes ?? MAX_REMEMBERED_CORRELATION_BYTES;
    this.#maxTopics = options.maxTopics ?? MAX_WATCHED_TOPICS;
  }

  get requestCount(): number {
    return this.#requests.size;
  }

  /** Whether messages on `topic` are replies now. */
  isWatching(topic: string): boolean {
    return this.#watches.has(topic);
  }

  /** The watch on `topic`, if any. */
  watchOf(topic: string): WatchedTopic | undefined {
    const watch = this.#watches.get(topic);
    return watch ? { topic: watch.topic, subscribed: watch.subscribed } : undefined;
  }

  /** The response topics listened to, oldest request first. */
  watched(): WatchedTopic[] {
    return [...this.#watches.values()].map(({ topic, subscribed }) => ({ topic, subscribed }));
  }

  /**
   * Starts (or renews) listening on `topic`; `subscribed` says the app subscribed for it.
   * Returns the topics let go to stay within MAX_WATCHED_TOPICS: unsubscribe those.
   */
  watch(topic: string, subscribed: boolean): WatchedTopic[] {
    const earlier = this.#watches.get(topic);
    this.#watches.delete(topic);
    this.#watches.set(topic, { topic, subscribed: subscribed || (earlier?.subscribed ?? false), deadline: this.#now() + this.#waitMs });
    const letGo: WatchedTopic[] = [];
    for (const oldest of this.#watches.values()) {
      if (this.#watches.size <= this.#maxTopics) break;
      letGo.push(this.#stopWatching(oldest));
    }
    return letGo;
  }

  /** Remembers a request sent now; its response topic must be watched (`watch`), and is renewed. */
  request(correlationData: Uint8Array, requestTopic: string, responseTopic: string): WatchedTopic[] {
    const letGo = this.watch(responseTopic, false);
    const key = correlationKey(correlationData);
    this.#forgetKey(key);
    this.#requests.set(key, { sentAt: this.#now(), requestTopic, responseTopic });
    this.#correlationBytes += key.length;
    for (const [oldestKey] of this.#requests) {
      if (this.#requests.size <= this.#maxRequests && this.#correlationBytes <= this.#maxCorrelationBytes) break;
      this.#forgetKey(oldestKey);
    }
    return letGo;
  }

  /** Forgets a request that never went out (the publish failed). */
  forget(correlationData: Uint8Array): void {
    this.#forgetKey(correlationKey(correlationData));
  }

  /** A message arrived on `topic`: null when it is not a response topic, else which request it answers. */
  reply(topic: string, correlationData: Uint8Array | undefined): ReplyMatch | null {
    if (!this.#watches.has(topic)) return null;
    const request = correlationData ? this.#requests.get(correlationKey(correlationData)) : undefined;
    if (!request) return { correlated: false };
    return { correlated: true, latencyMs: this.#now() - request.sentAt, requestTopic: request.requestTopic };
  }

  /** When the next watch ends, on the correlator's clock; null when none is watched. */
  nextDeadline(): number | null {
    let next: number | null = null;
    for (const watch of this.#watches.values()) if (next === null || watch.deadline < next) next = watch.deadline;
    return next;
  }

  /** Stops listening where the wait is over, forgetting those topics' requests; returns them to unsubscribe. */
  expire(): WatchedTopic[] {
    const now = this.#now();
    return [...this.#watches.values()].filter((watch) => watch.deadline <= now).map((watch) => this.#stopWatching(watch));
  }

  /** Stops listening everywhere and forgets every request; returns the topics to unsubscribe. */
  clear(): WatchedTopic[] {
    const all = this.watched();
    this.#watches.clear();
    this.#requests.clear();
    this.#correlationBytes = 0;
    return all;
  }

  /** The user subscribed to `filter` themselves: a watch on that very topic is no longer the app's to undo. */
  adopt(filter: string): void {
    const watch = this.#watches.get(filter);
    if (watch) watch.subscribed = false;
  }

  #stopWatching(watch: Watch): WatchedTopic {
    this.#watches.delete(watch.topic);
    for (const [key, request] of this.#requests) if (request.responseTopic === watch.topic) this.#forgetKey(key);
    return { topic: watch.topic, subscribed: watch.subscribed };
  }

  #forgetKey(key: string): void {
    if (this.#requests.delete(key)) this.#correlationBytes -= key.length;
  }
}

/** Correlation data as a map key: one character per byte, so its length is its size. */
function correlationKey(bytes: Uint8Array): string {
  return bytesToBinaryString(bytes);
}
