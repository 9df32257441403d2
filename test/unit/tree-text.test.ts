import { describe, expect, it } from 'vitest';
import type { SubscriptionResult } from '../../shared/connection/subscription-results';
import { emptyTreeGuidance, pausedText, rowCounts } from '../../shared/explorer/tree-text';

const granted = (filter: string, grantedQos: 0 | 1 | 2, askedQos: 0 | 1 | 2 = grantedQos): SubscriptionResult => ({ filter, askedQos, state: 'granted', grantedQos });
const refused = (filter: string, reasonCode: number): SubscriptionResult => ({ filter, askedQos: 0, state: 'refused', reasonCode });

describe('emptyTreeGuidance', () => {
  it('in a recording opened offline, says it is being read, then that it holds nothing; never to connect', () => {
    expect(emptyTreeGuidance({ connection: 'disconnected', subscriptions: [], searching: false, recording: 'loading' }).title).toBe('Reading the recording…');
    expect(emptyTreeGuidance({ connection: 'disconnected', subscriptions: [], searching: false, recording: 'loaded' }).title).toBe('This recording holds no messages.');
    expect(emptyTreeGuidance({ connection: 'disconnected', subscriptions: [], searching: true, recording: 'loaded' }).title).toBe('No topic matches the filter.');
  });

  it('before connecting, says so and that topics appear after connecting', () => {
    expect(emptyTreeGuidance({ connection: 'disconnected', subscriptions: [granted('#', 0)], searching: false })).toEqual({
      title: 'Not connected.',
      filters: [],
      hint: 'Connect, and topics appear here as messages arrive.',
      tone: 'info',
    });
  });

  it('connected before the first message, lists each filter with the QoS the broker granted and where to add one', () => {
    const guidance = emptyTreeGuidance({
      connection: 'connected',
      subscriptions: [granted('sensors/#', 1, 2), granted('$SYS/#', 0), { filter: 'late/#', askedQos: 1, state: 'pending' }],
      searching: false,
    });
    expect(guidance.title).toBe('Connected. No messages yet on:');
    expect(guidance.filters).toEqual([
      { filter: 'sensors/#', detail: 'QoS 1 granted (asked for 2)', refused: false },
      { filter: '$SYS/#', detail: 'QoS 0 granted', refused: false },
      { filter: 'late/#', detail: 'waiting for the broker', refused: false },
    ]);
    expect(guidance.hint).toBe('Topics appear here as messages arrive. To add a filter: Edit connection → Subscriptions.');
    expect(guidance.tone).toBe('info');
  });

  it('with one filter refused and another granted, it still waits, showing the refusal beside the filter', () => {
    const guidance = emptyTreeGuidance({ connection: 'connected', subscriptions: [granted('a/#', 0), refused('b/#', 0x87)], searching: false });
    expect(guidance.tone).toBe('info');
    expect(guidance.filters[1]).toEqual({ filter: 'b/#', detail: 'refused: Not authorized (0x87)', refused: true });
  });

  it('when every subscription was refused, says nothing will arrive, why for each filter, and what to try', () => {
    const guidance = emptyTreeGuidance({ connection: 'connected', subscriptions: [refused('secret/#', 0x87), refused('plant/#', 0x80)], searching: false });
    expect(guidance).toEqual({
      title: 'The broker refused every subscription: no messages will arrive.',
      filters: [
        { filter: 'secret/#', detail: 'refused: Not authorized (0x87)', refused: true },
        { filter: 'plant/#', detail: 'refused: Failure, no reason given (0x80)', refused: true },
      ],
      hint: "Check the broker's ACL for this user, or try a narrower filter under Edit connection → Subscriptions.",
      tone: 'error',
    });
    expect(emptyTreeGuidance({ connection: 'connected', subscriptions: [refused('x', 0x9e)], searching: false }).title).toBe(
      'The broker refused the subscription: no messages will arrive.',
    );
  });

  it('when the broker refuses "#" as EMQX\'s default ACL does, says so and offers "+" with "+/+/#"', () => {
    const guidance = emptyTreeGuidance({ connection: 'connected', subscriptions: [refused('#', 0x87), refused('$SYS/#', 0x87)], searching: false });
    expect(guidance).toMatchObject({
      title: 'The broker refuses the whole-tree filter "#", as EMQX\'s default ACL does: topics will not appear.',
      hint: '"+" together with "+/+/#" receives the same topics and is allowed: choose "Subscribe to + and +/+/# instead".',
      tone: 'error',
      offerWholeTreeFallback: true,
    });
    expect(guidance.filters.map((f) => f.filter)).toEqual(['#', '$SYS/#']);
    // Once the replacement is granted, the tree just waits for messages.
    const after = emptyTreeGuidance({ connection: 'connected', subscriptions: [granted('+', 0), granted('+/+/#', 0), refused('$SYS/#', 0x87)], searching: false });
    expect(after.offerWholeTreeFallback).toBeUndefined();
    expect(after.title).toBe('Connected. No messages yet on:');
  });

  it('a refusal for a limit names it beside the filter', () => {
    const guidance = emptyTreeGuidance({ connection: 'connected', subscriptions: [granted('a/#', 0), refused('b/#', 0x97), refused('c/1/2/3/4/5/6/7/8/9/10', 0x8f)], searching: false });
    expect(guidance.filters[1]?.detail).toMatch(/^refused: Quota exceeded \(0x97\) — Likely the limit on subscriptions per client \(EMQX Cloud Serverless allows 10\)/);
    expect(guidance.filters[2]?.detail).toMatch(/^refused: Topic filter invalid \(0x8f\) — Likely the limit on levels per topic filter/);
  });

  it('connected without any subscription, says where to add one', () => {
    expect(emptyTreeGuidance({ connection: 'connected', subscriptions: [], searching: false })).toMatchObject({
      title: 'Connected, but not subscribed to any topic.',
      hint: 'Add a filter (such as #) under Edit connection → Subscriptions.',
    });
  });

  it('while connecting or reconnecting, and while a filter hides every topic, says that', () => {
    expect(emptyTreeGuidance({ connection: 'connecting', subscriptions: [], searching: false }).title).toBe('Connecting…');
    expect(emptyTreeGuidance({ connection: 'reconnecting', subscriptions: [], searching: false }).title).toBe('Reconnecting…');
    expect(emptyTreeGuidance({ connection: 'connected', subscriptions: [refused('#', 0x87)], searching: true }).title).toBe('No topic matches the filter.');
  });
});

describe('pausedText', () => {
  it('counts what arrived since pausing, with thousands separators', () => {
    expect(pausedText(0)).toBe('Paused · no new messages');
    expect(pausedText(1)).toBe('Paused · 1 new message · Resume to show them');
    expect(pausedText(1234)).toBe('Paused · 1,234 new messages · Resume to show them');
  });
});

describe('rowCounts', () => {
  it('a topic shows its own messages, one or many', () => {
    expect(rowCounts({ hasChildren: false, ownCount: 1, subtreeCount: 1, topicCount: 1 })).toEqual({ text: '1 msg', title: '1 message on this topic' });
    expect(rowCounts({ hasChildren: false, ownCount: 12345, subtreeCount: 12345, topicCount: 1 })).toEqual({
      text: '12,345 msgs',
      title: '12,345 messages on this topic',
    });
  });

  it('a level with topics below reads "N topics · M msgs", not a fraction', () => {
    expect(rowCounts({ hasChildren: true, ownCount: 0, subtreeCount: 3400, topicCount: 12 })).toEqual({
      text: '12 topics · 3,400 msgs',
      title: '3,400 messages on the 12 topics at and below this level',
    });
    expect(rowCounts({ hasChildren: true, ownCount: 0, subtreeCount: 1, topicCount: 1 }).text).toBe('1 topic · 1 msg');
  });

  it('a topic that also has topics below shows its own count first, then the level', () => {
    expect(rowCounts({ hasChildren: true, ownCount: 5, subtreeCount: 340, topicCount: 12 })).toEqual({
      text: '5 here · 12 topics · 340 msgs',
      title: '5 messages on this topic itself; 340 messages on the 12 topics at and below this level',
    });
  });
});
