import { describe, expect, it } from 'vitest';
import { composeMessage } from '../../shared/publish/compose-message';
import { emptyDraft, emptyDraftProperties } from '../../shared/publish/message-draft';
import { topicNameProblem } from '../../shared/mqtt/mqtt-topic';
import { generateResponseTopic, randomLevel, ReplyCorrelator, withGeneratedCorrelation } from '../../shared/publish/request-replies';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function correlator(options: { maxRequests?: number; maxCorrelationBytes?: number; maxTopics?: number } = {}): { c: ReplyCorrelator; advance: (ms: number) => void } {
  let now = 1_000;
  return { c: new ReplyCorrelator({ now: () => now, waitMs: 60_000, ...options }), advance: (ms) => (now += ms) };
}

describe('generateResponseTopic', () => {
  it('makes topicscope/reply/<client id>/<random> without wildcards, whatever the client ID holds', () => {
    expect(generateResponseTopic('sensor-7', null, 'ab12cd34')).toEqual({ topic: 'topicscope/reply/sensor-7/ab12cd34', basis: 'client-id' });
    const odd = generateResponseTopic('a/b+c#d\u0001', null, 'x1');
    expect(odd.topic).toBe('topicscope/reply/a_b_c_d/x1');
    expect(generateResponseTopic('', null, 'x1').topic).toBe('topicscope/reply/anonymous/x1');
    for (const id of ['+', '#', '/', 'a/+/#', 'é€😀']) {
      const { topic } = generateResponseTopic(id, null, 'r');
      expect(topicNameProblem(topic)).toBeNull();
      expect(topic).not.toMatch(/[+#]/);
    }
  });

  it('builds under the broker\'s Response Information when it gave a usable one', () => {
    expect(generateResponseTopic('c1', 'replies/c1', 'r1')).toEqual({ topic: 'replies/c1/r1', basis: 'response-information' });
    expect(generateResponseTopic('c1', 'replies/c1/', 'r1')).toEqual({ topic: 'replies/c1/r1', basis: 'response-information' });
    // A broker's Response Information with a wildcard cannot start a topic name: the app's own scheme is used.
    expect(generateResponseTopic('c1', 'replies/#', 'r1')).toEqual({ topic: 'topicscope/reply/c1/r1', basis: 'client-id' });
    expect(generateResponseTopic('c1', '', 'r1').basis).toBe('client-id');
  });

  it('draws eight letters and digits for the random level', () => {
    const level = randomLevel(new Uint8Array([0, 35, 36, 255, 10, 11, 12, 13, 99]));
    expect(level).toMatch(/^[a-z0-9]{8}$/);
    expect(level.slice(0, 3)).toBe('a9a');
  });
});

describe('withGeneratedCorrelation', () => {
  const context = { now: 0, uuid: '11111111-2222-4333-8444-555555555555', counter: 1, clientId: 'c', random: () => 0 };
  const compose = (responseTopic: string, correlationData: string) =>
    composeMessage({ ...emptyDraft(), topic: 'req', payload: 'x', properties: { ...emptyDraftProperties(), responseTopic, correlationData } }, { context, mqtt5: true });

  it('gives a request with a response topic and no correlation data the message\'s UUID', () => {
    const message = withGeneratedCorrelation(compose('re/1', ''), context.uuid).message;
    expect(new TextDecoder().decode(message?.properties?.correlationData)).toBe(context.uuid);
  });

  it('keeps correlation data the user typed, and adds none without a response topic', () => {
    expect(new TextDecoder().decode(withGeneratedCorrelation(compose('re/1', 'mine'), context.uuid).message?.properties?.correlationData)).toBe('mine');
    expect(withGeneratedCorrelation(compose('', ''), context.uuid).message?.properties).toBeUndefined();
  });
});

describe('ReplyCorrelator', () => {
  it('matches a reply to its request by correlation data and measures the latency from the request', () => {
    const { c, advance } = correlator();
    c.watch('re/1', true);
    c.request(bytes('a'), 'req/a', 're/1');
    advance(5);
    c.request(bytes('b'), 'req/b', 're/1');
    advance(12.5);
    expect(c.reply('re/1', bytes('a'))).toEqual({ correlated: true, latencyMs: 17.5, requestTopic: 'req/a' });
    expect(c.reply('re/1', bytes('b'))).toEqual({ correlated: true, latencyMs: 12.5, requestTopic: 'req/b' });
    // A second responder answering the same request is correlated too.
    advance(1);
    expect(c.reply('re/1', bytes('b'))).toEqual({ correlated: true, latencyMs: 13.5, requestTopic: 'req/b' });
  });

  it('marks a reply without known correlation data as uncorrelated, and ignores topics nobody waits on', () => {
    const { c } = correlator();
    c.watch('re/1', true);
    c.request(bytes('a'), 'req', 're/1');
    expect(c.reply('re/1', bytes('zzz'))).toEqual({ correlated: false });
    expect(c.reply('re/1', undefined)).toEqual({ correlated: false });
    expect(c.reply('elsewhere', bytes('a'))).toBeNull();
  });

  it('counts from the newest request when the same correlation data is sent again', () => {
    const { c, advance } = correlator();
    c.request(bytes('same'), 'req', 're/1');
    advance(100);
    c.request(bytes('same'), 'req', 're/1');
    advance(3);
    expect(c.reply('re/1', bytes('same'))).toEqual({ correlated: true, latencyMs: 3, requestTopic: 'req' });
    expect(c.requestCount).toBe(1);
  });

  it('remembers a bounded number of requests, forgetting the oldest first', () => {
    const { c } = correlator({ maxRequests: 3 });
    for (const id of ['1', '2', '3', '4', '5']) c.request(bytes(id), `req/${id}`, 're/1');
    expect(c.requestCount).toBe(3);
    expect(c.reply('re/1', bytes('1'))).toEqual({ correlated: false });
    expect(c.reply('re/1', bytes('2'))).toEqual({ correlated: false });
    expect(c.reply('re/1', bytes('5'))).toMatchObject({ correlated: true, requestTopic: 'req/5' });
  });

  it('bounds the correlation bytes remembered, whatever their count', () => {
    const { c } = correlator({ maxCorrelationBytes: 100 });
    c.request(new Uint8Array(60).fill(1), 'req/1', 're/1');
    c.request(new Uint8Array(60).fill(2), 'req/2', 're/1');
    expect(c.requestCount).toBe(1);
    expect(c.reply('re/1', new Uint8Array(60).fill(2))).toMatchObject({ correlated: true, requestTopic: 'req/2' });
  });

  it('stops waiting 60 s after the last request on a topic, forgetting its requests, and says which subscriptions to leave', () => {
    const { c, advance } = correlator();
    c.watch('re/mine', true);
    c.request(bytes('a'), 'req', 're/mine');
    c.watch('re/covered', false);
    c.request(bytes('b'), 'req', 're/covered');
    advance(30_000);
    c.request(bytes('c'), 'req', 're/covered');
    expect(c.nextDeadline()).toBe(1_000 + 60_000);
    advance(29_999);
    expect(c.expire()).toEqual([]);
    advance(1);
    expect(c.expire()).toEqual([{ topic: 're/mine', subscribed: true }]);
    expect(c.reply('re/mine', bytes('a'))).toBeNull();
    expect(c.requestCount).toBe(2);
    advance(30_000);
    expect(c.expire()).toEqual([{ topic: 're/covered', subscribed: false }]);
    expect(c.nextDeadline()).toBeNull();
    expect(c.requestCount).toBe(0);
  });

  it('listens on a bounded number of topics, letting go of the one with the oldest request', () => {
    const { c } = correlator({ maxTopics: 2 });
    expect(c.watch('re/1', true)).toEqual([]);
    expect(c.watch('re/2', true)).toEqual([]);
    c.request(bytes('x'), 'req', 're/1');
    expect(c.watch('re/3', true)).toEqual([{ topic: 're/2', subscribed: true }]);
    expect(c.watched().map((w) => w.topic)).toEqual(['re/1', 're/3']);
  });

  it('clears everything, and a subscription the user made themselves is not left', () => {
    const { c } = correlator();
    c.watch('re/1', true);
    c.watch('re/2', true);
    c.request(bytes('a'), 'req', 're/1');
    c.adopt('re/2');
    expect(c.clear()).toEqual([{ topic: 're/2', subscribed: false }, { topic: 're/1', subscribed: true }]);
    expect(c.requestCount).toBe(0);
    expect(c.reply('re/1', bytes('a'))).toBeNull();
  });
});
