import { describe, expect, it } from 'vitest';
import { MAX_REPLIES_PER_BATCH, REPLY_FLUSH_MS, RequestReplies, type ReplyRequest, type ReplySession } from '../../electron/core/publish/request-replies';
import type { Scheduler } from '../../electron/core/connection/scheduler';
import { fail, ok } from '../../shared/ipc/app-error';
import type { EventPayloads } from '../../shared/ipc/ipc-contract';
import { topicMatchesFilter } from '../../shared/mqtt/mqtt-topic';
import { REPLY_WAIT_MS } from '../../shared/publish/request-replies';

/** Timers fire only when the test advances time. */
class FakeScheduler implements Scheduler {
  time = 1_700_000_000_000;
  #nextId = 1;
  readonly timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const next = [...this.timers].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].callback();
    }
    this.time = target;
  }
}

/** A session that records what it was asked, with the user's subscriptions given. */
class StandInSession implements ReplySession {
  readonly clientId = 'client-1';
  readonly responseInformation = null;
  readonly calls: string[] = [];
  readonly filters: Set<string>;
  refuseSubscribe = false;
  constructor(filters: string[] = []) {
    this.filters = new Set(filters);
  }
  subscriptionCovering(topic: string): string | null {
    return [...this.filters].find((filter) => topicMatchesFilter(filter, topic)) ?? null;
  }
  async subscribe(filter: string) {
    this.calls.push(`subscribe ${filter}`);
    if (this.refuseSubscribe) return fail({ code: 'NOT_AUTHORIZED' as const, message: 'Not authorized.', reasonCode: 0x87 });
    this.filters.add(filter);
    return ok({ grantedQos: 2 as const });
  }
  async unsubscribe(filter: string) {
    this.calls.push(`unsubscribe ${filter}`);
    this.filters.delete(filter);
    return ok({});
  }
  async publish(topic: string) {
    this.calls.push(`publish ${topic}`);
    return ok({ acknowledged: true });
  }
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const request = (correlation: string, responseTopic = 're/1'): ReplyRequest => ({
  topic: 'req',
  payload: 'ping',
  qos: 1,
  retain: false,
  properties: { responseTopic, correlationData: bytes(correlation) },
});

function setup(filters: string[] = []) {
  const scheduler = new FakeScheduler();
  const batches: EventPayloads['replies:batch'][] = [];
  const replies = new RequestReplies({ scheduler, emit: (batch) => batches.push(batch), monotonicNow: () => scheduler.now() });
  const session = new StandInSession(filters);
  return { scheduler, batches, replies, session };
}

describe('RequestReplies (core)', () => {
  it('subscribes to the response topic before publishing, and reports a reply with its latency and correlation', async () => {
    const { scheduler, batches, replies, session } = setup();
    const result = await replies.publish('c1', session, request('id-1'));
    expect(result).toEqual({ ok: true, value: { acknowledged: true, replies: { responseTopic: 're/1', coveredBy: null } } });
    expect(session.calls).toEqual(['subscribe re/1', 'publish req']);
    scheduler.advance(42);
    replies.received('c1', 're/1', bytes('pong'), false, { correlationData: bytes('id-1') });
    replies.received('c1', 're/1', bytes('stray'), false, { correlationData: bytes('nobody') });
    // Not a response topic, and a retained message from before the request: neither is a reply.
    replies.received('c1', 'other', bytes('x'), false, { correlationData: bytes('id-1') });
    replies.received('c1', 're/1', bytes('old'), true, undefined);
    expect(batches).toEqual([]);
    scheduler.advance(REPLY_FLUSH_MS);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.dropped).toBe(0);
    expect(batches[0]?.replies.map((r) => ({ ...r, payload: new TextDecoder().decode(r.payload), correlationData: r.correlationData && new TextDecoder().decode(r.correlationData) }))).toEqual([
      { topic: 're/1', payload: 'pong', payloadSize: 4, correlationData: 'id-1', latencyMs: 42, requestTopic: 'req', receivedAt: scheduler.time - REPLY_FLUSH_MS },
      { topic: 're/1', payload: 'stray', payloadSize: 5, correlationData: 'nobody', latencyMs: null, requestTopic: null, receivedAt: scheduler.time - REPLY_FLUSH_MS },
    ]);
  });

  it('needs no subscription when one of the user\'s covers the response topic, and leaves it alone', async () => {
    const { scheduler, replies, session } = setup(['re/#']);
    const result = await replies.publish('c1', session, request('id-1'));
    expect(result.ok && result.value.replies).toEqual({ responseTopic: 're/1', coveredBy: 're/#' });
    scheduler.advance(REPLY_WAIT_MS + 1);
    expect(session.calls).toEqual(['publish req']);
  });

  it('leaves the subscription it made 60 s after the last request, not before', async () => {
    const { scheduler, batches, replies, session } = setup();
    await replies.publish('c1', session, request('id-1'));
    scheduler.advance(30_000);
    await replies.publish('c1', session, request('id-2'));
    expect(session.calls).toEqual(['subscribe re/1', 'publish req', 'publish req']);
    scheduler.advance(REPLY_WAIT_MS - 1);
    expect(session.calls).not.toContain('unsubscribe re/1');
    scheduler.advance(1);
    expect(session.calls.at(-1)).toBe('unsubscribe re/1');
    // Stopped listening: a late reply is not reported.
    replies.received('c1', 're/1', bytes('late'), false, { correlationData: bytes('id-2') });
    scheduler.advance(REPLY_FLUSH_MS);
    expect(batches).toEqual([]);
  });

  it('leaves its subscriptions when the user clears the replies', async () => {
    const { replies, session } = setup();
    await replies.publish('c1', session, request('a', 're/1'));
    await replies.publish('c1', session, request('b', 're/2'));
    expect(await replies.clear('c1')).toEqual({ unsubscribed: ['re/1', 're/2'] });
    expect(session.calls.slice(-2)).toEqual(['unsubscribe re/1', 'unsubscribe re/2']);
  });

  it('sends nothing when the response topic cannot be subscribed to', async () => {
    const { replies, session } = setup();
    session.refuseSubscribe = true;
    const result = await replies.publish('c1', session, request('a'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/^Could not subscribe to the response topic.*nothing was sent\. Not authorized\.$/);
    expect(session.calls).toEqual(['subscribe re/1']);
  });

  it('sends at most 100 replies per batch and counts the rest', async () => {
    const { scheduler, batches, replies, session } = setup();
    await replies.publish('c1', session, request('a'));
    for (let i = 0; i < MAX_REPLIES_PER_BATCH + 7; i++) replies.received('c1', 're/1', bytes(String(i)), false, undefined);
    scheduler.advance(REPLY_FLUSH_MS);
    expect(batches.map((b) => [b.replies.length, b.dropped])).toEqual([[MAX_REPLIES_PER_BATCH, 7]]);
  });

  it('stops its timers when the connection closes', async () => {
    const { scheduler, replies, session } = setup();
    await replies.publish('c1', session, request('a'));
    replies.received('c1', 're/1', bytes('x'), false, undefined);
    replies.forget('c1');
    expect(scheduler.timers.size).toBe(0);
  });
});
