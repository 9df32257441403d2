import { describe, expect, it } from 'vitest';
import type { SubscriptionResult } from '../../shared/connection/subscription-results';
import { WHOLE_TREE_REPLACEMENT, wholeTreeFallback, withWholeTreeReplacement } from '../../shared/connection/whole-tree-fallback';
import { topicMatchesFilter } from '../../shared/mqtt/mqtt-topic';

const topics = ['a', 'a/b', 'a/b/c', 'a/b/c/d/e/f', '/', '/a', 'a/', '//', 'sensors/kitchen/temp', 'x/+weird', '$SYS/broker/uptime', '$share/g/t'];

describe('"+" and "+/+/#" instead of "#" and "+/#"', () => {
  it.each(topics)('receive %s exactly when "#" and "+/#" would', (topic) => {
    const byWholeTree = topicMatchesFilter('#', topic);
    expect(topicMatchesFilter('+/#', topic)).toBe(byWholeTree);
    expect(WHOLE_TREE_REPLACEMENT.some((filter) => topicMatchesFilter(filter, topic))).toBe(byWholeTree);
  });

  it('need both: "+" alone misses deeper topics, "+/+/#" alone misses one-level topics', () => {
    expect(topicMatchesFilter('+', 'a/b')).toBe(false);
    expect(topicMatchesFilter('+/+/#', 'a')).toBe(false);
  });
});

const refused = (filter: string, askedQos: 0 | 1 | 2 = 0): SubscriptionResult => ({ filter, askedQos, state: 'refused', reasonCode: 0x87 });
const granted = (filter: string): SubscriptionResult => ({ filter, askedQos: 0, state: 'granted', grantedQos: 0 });

describe('when the replacement is offered', () => {
  it('when "#" or "+/#" was refused, with the QoS asked for on them', () => {
    expect(wholeTreeFallback([refused('#', 1), refused('$SYS/#')])).toEqual({ refused: ['#'], qos: 1 });
    expect(wholeTreeFallback([refused('+/#', 2), refused('#', 0)])).toEqual({ refused: ['+/#', '#'], qos: 2 });
  });

  it('not for other refusals, not while pending, and not once the replacement is granted', () => {
    expect(wholeTreeFallback([refused('$SYS/#'), refused('a/#')])).toBeNull();
    expect(wholeTreeFallback([{ filter: '#', askedQos: 0, state: 'pending' }])).toBeNull();
    expect(wholeTreeFallback([granted('#')])).toBeNull();
    expect(wholeTreeFallback([refused('#'), granted('+'), granted('+/+/#')])).toBeNull();
    expect(wholeTreeFallback([refused('#'), granted('+')])).toEqual({ refused: ['#'], qos: 0 });
  });

  it('a saved list keeps its other filters, drops the whole-tree ones and gains the replacement once', () => {
    expect(withWholeTreeReplacement([{ filter: '#', qos: 1 }, { filter: '$SYS/#', qos: 0 }, { filter: '+', qos: 2 }], 1)).toEqual([
      { filter: '$SYS/#', qos: 0 },
      { filter: '+', qos: 2 },
      { filter: '+/+/#', qos: 1 },
    ]);
  });
});
