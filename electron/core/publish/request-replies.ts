/**
 * Request/response (MQTT 5) in the core: a request published with `awaitReplies`
 * first makes sure its response topic reaches this connection (a granted subscription
 * that covers it, else a subscription made for it), then is remembered by its
 * correlation data; every message arriving on that topic is reported to the window as
 * a reply, with its latency when its correlation data names a request. 60 s after the
 * last request the app stops listening and leaves the subscriptions it made.
 *
 * It is fed by the session's message stream before batching (SessionListener.received),
 * so coalescing under load never hides a reply; replies still reach the tree as normal
 * messages. The matching itself is shared/publish/request-replies.ts.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fail, ok, type Result } from '../../../shared/ipc/app-error';
import type { CommandValues, EventPayloads } from '../../../shared/ipc/ipc-contract';
import type { MessageProperties, QoS } from '../../../shared/mqtt/mqtt-message';
import type { PublishProperties } from '../../../shared/publish/publish-properties';
import {
  generateResponseTopic,
  randomLevel,
  REPLY_PREVIEW_BYTES,
  ReplyCorrelator,
  type RequestReply,
  type WatchedTopic,
} from '../../../shared/publish/request-replies';
import type { Scheduler } from '../connection/scheduler';

/** What of a session request/response uses (MqttSession has it; unit tests give a stand-in). */
export interface ReplySession {
  readonly clientId: string;
  readonly responseInformation: string | null;
  subscriptionCovering(topic: string): string | null;
  subscribe(filter: string, qos: QoS): Promise<Result<{ grantedQos: QoS }>>;
  unsubscribe(filter: string): Promise<Result<Record<string, never>>>;
  publish(topic: string, payload: Uint8Array | string, qos: QoS, retain: boolean, properties?: PublishProperties): Promise<Result<{ acknowledged: boolean }>>;
}

/** A request as `message:publish` carries it with `awaitReplies`. */
export interface ReplyRequest {
  topic: string;
  payload: Uint8Array | string;
  qos: QoS;
  retain: boolean;
  properties: PublishProperties & { responseTopic: string; correlationData: Uint8Array };
}

export interface RequestRepliesDeps {
  scheduler: Scheduler;
  emit: (payload: EventPayloads['replies:batch']) => void;
  /** Milliseconds, monotonic and fractional: latencies (performance.now by default). */
  monotonicNow?: () => number;
  randomBytes?: (count: number) => Uint8Array;
}

/** Replies are sent to the window at most this often (ms). */
export const REPLY_FLUSH_MS = 50;
/** Most replies in one batch; more in the same 50 ms are counted as `dropped`. */
export const MAX_REPLIES_PER_BATCH = 100;
/** A response topic that could not be left (the connection was down) is tried again after this long (ms). */
const LEAVE_RETRY_MS = 5_000;
/** Replies arrive at whatever QoS the responder sent: the subscription asks for the highest. */
const REPLY_QOS: QoS = 2;

/** Every connection's request/response, created for a connection on its first request. */
export class RequestReplies {
  readonly #deps: RequestRepliesDeps;
  readonly #connections = new Map<string, ConnectionReplies>();

  constructor(deps: RequestRepliesDeps) {
    this.#deps = deps;
  }

  /** A fresh response topic for the connection (see generateResponseTopic). */
  responseTopic(session: ReplySession): CommandValues['replies:response-topic'] {
    const random = (this.#deps.randomBytes ?? nodeRandomBytes)(8);
    return generateResponseTopic(session.clientId, session.responseInformation, randomLevel(random));
  }

  publish(connectionId: string, session: ReplySession, request: ReplyRequest): Promise<Result<CommandValues['message:publish']>> {
    let replies = this.#connections.get(connectionId);
    if (!replies) {
      replies = new ConnectionReplies(connectionId, session, this.#deps);
      this.#connections.set(connectionId, replies);
    }
    return replies.publish(request);
  }

  /** Every message of the connection, before batching: cheap unless a request waits on its topic. */
  received(connectionId: string, topic: string, payload: Uint8Array, retain: boolean, properties: MessageProperties | undefined): void {
    this.#connections.get(connectionId)?.received(topic, payload, retain, properties);
  }

  /** The user subscribed to `filter`: a response topic the app subscribed to with that very filter is the user's now. */
  adopt(connectionId: string, filter: string): void {
    this.#connections.get(connectionId)?.adopt(filter);
  }

  async clear(connectionId: string): Promise<CommandValues['replies:clear']> {
    const replies = this.#connections.get(connectionId);
    return replies ? { unsubscribed: await replies.clear() } : { unsubscribed: [] };
  }

  /** The connection is closing: its timers stop (its subscriptions end with it). */
  forget(connectionId: string): void {
    this.#connections.get(connectionId)?.dispose();
    this.#connections.delete(connectionId);
  }
}

/** One connection's requests, watched topics, timers and reply batch. */
class ConnectionReplies {
  readonly #connectionId: string;
  readonly #session: ReplySession;
  readonly #deps: RequestRepliesDeps;
  readonly #now: () => number;
  readonly #correlator: ReplyCorrelator;
  /** Response topics whose UNSUBSCRIBE is under way: not "covered" by the subscription being left. */
  readonly #leaving = new Set<string>();
  #expiryTimer: unknown = null;
  #pending: RequestReply[] = [];
  #dropped = 0;
  #flushTimer: unknown = null;
  #disposed = false;

  constructor(connectionId: string, session: ReplySession, deps: RequestRepliesDeps) {
    this.#connectionId = connectionId;
    this.#session = session;
    this.#deps = deps;
    this.#now = deps.monotonicNow ?? (() => performance.now());
    this.#correlator = new ReplyCorrelator({ now: this.#now });
  }

  async publish(request: ReplyRequest): Promise<Result<CommandValues['message:publish']>> {
    const { responseTopic, correlationData } = request.properties;
    const listening = await this.#listen(responseTopic);
    if (!listening.ok) return listening;
    this.#leaveAll(this.#correlator.request(correlationData, request.topic, responseTopic));
    this.#scheduleExpiry();
    const sent = await this.#session.publish(request.topic, request.payload, request.qos, request.retain, request.properties);
    if (!sent.ok) {
      this.#correlator.forget(correlationData);
      return sent;
    }
    return ok({ acknowledged: sent.value.acknowledged, replies: { responseTopic, coveredBy: listening.value } });
  }

  /** Makes sure messages on `topic` arrive and count as replies; the covering subscription, or null when one was made. */
  async #listen(topic: string): Promise<Result<string | null>> {
    const watch = this.#correlator.watchOf(topic);
    if (watch) return ok(watch.subscribed ? null : this.#session.subscriptionCovering(topic));
    const coveredBy = this.#leaving.has(topic) ? null : this.#session.subscriptionCovering(topic);
    if (coveredBy === null) {
      const subscribed = await this.#session.subscribe(topic, REPLY_QOS);
      if (!subscribed.ok) {
        return fail({ ...subscribed.error, message: `Could not subscribe to the response topic, so no reply would arrive; nothing was sent. ${subscribed.error.message}` });
      }
    }
    this.#leaveAll(this.#correlator.watch(topic, coveredBy === null));
    return ok(coveredBy);
  }

  received(topic: string, payload: Uint8Array, retain: boolean, properties: MessageProperties | undefined): void {
    // A retained message is one stored before the request (sent because of the new subscription), not a reply to it.
    if (retain) return;
    const correlationData = properties?.correlationData;
    const match = this.#correlator.reply(topic, correlationData);
    if (!match) return;
    if (this.#pending.length >= MAX_REPLIES_PER_BATCH) {
      this.#dropped += 1;
      return;
    }
    this.#pending.push({
      topic,
      payload: new Uint8Array(payload.subarray(0, REPLY_PREVIEW_BYTES)),
      payloadSize: payload.byteLength,
      correlationData: correlationData ?? null,
      latencyMs: match.correlated ? match.latencyMs : null,
      requestTopic: match.correlated ? match.requestTopic : null,
      receivedAt: this.#deps.scheduler.now(),
    });
    this.#flushTimer ??= this.#deps.scheduler.setTimeout(() => this.#flush(), REPLY_FLUSH_MS);
  }

  adopt(filter: string): void {
    this.#correlator.adopt(filter);
  }

  /** Forgets every request and leaves every response topic the app subscribed to; returns those. */
  async clear(): Promise<string[]> {
    const letGo = this.#correlator.clear().filter((watch) => watch.subscribed);
    this.#scheduleExpiry();
    await Promise.all(letGo.map((watch) => this.#leave(watch.topic)));
    return letGo.map((watch) => watch.topic);
  }

  dispose(): void {
    this.#disposed = true;
    this.#correlator.clear();
    if (this.#expiryTimer !== null) this.#deps.scheduler.clearTimeout(this.#expiryTimer);
    if (this.#flushTimer !== null) this.#deps.scheduler.clearTimeout(this.#flushTimer);
    this.#expiryTimer = null;
    this.#flushTimer = null;
  }

  #flush(): void {
    this.#flushTimer = null;
    if (this.#disposed || this.#pending.length === 0) return;
    const replies = this.#pending;
    const dropped = this.#dropped;
    this.#pending = [];
    this.#dropped = 0;
    this.#deps.emit({ connectionId: this.#connectionId, replies, dropped });
  }

  /** One timer, for the earliest watch to end. */
  #scheduleExpiry(): void {
    if (this.#expiryTimer !== null) this.#deps.scheduler.clearTimeout(this.#expiryTimer);
    this.#expiryTimer = null;
    const deadline = this.#correlator.nextDeadline();
    if (deadline === null || this.#disposed) return;
    this.#expiryTimer = this.#deps.scheduler.setTimeout(() => {
      this.#expiryTimer = null;
      this.#leaveAll(this.#correlator.expire());
      this.#scheduleExpiry();
    }, Math.max(0, deadline - this.#now()));
  }

  #leaveAll(watches: WatchedTopic[]): void {
    for (const watch of watches) if (watch.subscribed) void this.#leave(watch.topic);
  }

  /** Unsubscribes a response topic the app subscribed to, unless a new request waits on it again. */
  async #leave(topic: string): Promise<void> {
    if (this.#disposed || this.#correlator.isWatching(topic)) return;
    this.#leaving.add(topic);
    const left = await this.#session.unsubscribe(topic);
    this.#leaving.delete(topic);
    // Down for a moment (reconnecting): the session would subscribe again when back, so try again later.
    // After dispose the retry finds #disposed set and does nothing.
    if (!left.ok && left.error.code === 'NOT_CONNECTED') {
      this.#deps.scheduler.setTimeout(() => void this.#leave(topic), LEAVE_RETRY_MS);
    }
  }
}
