import { describe, expect, it } from 'vitest';
import type { QoS, ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { DEFAULT_TREE_LIMITS, TopicTree, type TopicNode } from '../../shared/explorer/topic-tree';
import { seededRandom } from '../support/seeded-random';
import { allNodes, nodeAt } from '../support/tree-lookup';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

let clock = 1_700_000_000_000;

interface MessageOptions {
  retain?: boolean;
  coalesced?: number;
  qos?: QoS;
}

/** A received message as the core delivers it; payload given as text or bytes. */
function msg(topic: string, payload: string | Uint8Array = 'x', options: MessageOptions = {}): ReceivedMessage {
  const bytes = typeof payload === 'string' ? encoder.encode(payload) : payload;
  return {
    topic,
    payload: bytes,
    payloadSize: bytes.byteLength,
    qos: options.qos ?? 0,
    retain: options.retain ?? false,
    receivedAt: clock++,
    coalesced: options.coalesced ?? 0,
  };
}

/** A payload of exactly `size` bytes, tagged so it can be recognised in the history. */
function sized(tag: string, size: number): Uint8Array {
  const bytes = new Uint8Array(size).fill(0x2e);
  bytes.set(encoder.encode(tag).subarray(0, size));
  return bytes;
}

const text = (m: ReceivedMessage | null | undefined): string | undefined => (m ? decoder.decode(m.payload) : undefined);
const tag = (m: ReceivedMessage): string => decoder.decode(m.payload).replace(/\.+$/, '');
const topics = (nodes: Iterable<TopicNode>): string[] => [...nodes].map((n) => n.topic);



/** Total history entries and bytes over all topics, computed from the nodes themselves. */
function historyTotals(tree: TopicTree): { entries: number; bytes: number } {
  let entries = 0;
  let bytes = 0;
  for (const n of allNodes(tree)) {
    entries += n.history.length;
    for (const m of n.history) bytes += m.payload.byteLength;
  }
  return { entries, bytes };
}


describe('TopicTree levels', () => {
  it('splits exactly on "/": "/a//b/" makes the levels "", "a", "", "b", ""', () => {
    const tree = new TopicTree();
    const { created } = tree.ingest([msg('/a//b/')]);
    expect(created.map((n) => n.segment)).toEqual(['', 'a', '', 'b', '']);
    expect(created.map((n) => n.topic)).toEqual(['', '/a', '/a/', '/a//b', '/a//b/']);
    expect(created.map((n) => n.depth)).toEqual([1, 2, 3, 4, 5]);
    // Each created node is the parent of the next one.
    for (let i = 1; i < created.length; i++) expect(created[i]!.parent).toBe(created[i - 1]);
    // The leading slash gives a top-level node whose segment is empty.
    expect(tree.root.sortedChildren().map((n) => n.segment)).toEqual(['']);
    expect(created[0]!.parent).toBe(tree.root);
    expect(nodeAt(tree, '/a//b/')).toBe(created[4]);
    expect(nodeAt(tree, '/a//b/').ownCount).toBe(1);
  });

  it('keeps "a", "/a" and "a/" as three different topics', () => {
    const tree = new TopicTree();
    tree.ingest([msg('a', '1'), msg('/a', '2'), msg('a/', '3')]);
    expect(text(nodeAt(tree, 'a').last)).toBe('1');
    expect(text(nodeAt(tree, '/a').last)).toBe('2');
    expect(text(nodeAt(tree, 'a/').last)).toBe('3');
    expect(nodeAt(tree, 'a/').parent).toBe(nodeAt(tree, 'a'));
    expect(nodeAt(tree, '/a').parent).toBe(nodeAt(tree, ''));
    expect(tree.stats.topics).toBe(3);
  });

  it('puts $SYS topics in their own top-level branch', () => {
    const tree = new TopicTree();
    tree.ingest([msg('$SYS/broker/uptime', '10'), msg('sensors/1', '2'), msg('$SYS/broker/clients/connected', '3')]);
    const sys = nodeAt(tree, '$SYS');
    expect(sys.parent).toBe(tree.root);
    expect(sys.depth).toBe(1);
    expect(topics(tree.root.sortedChildren())).toEqual(['$SYS', 'sensors']);
    expect(topics(nodeAt(tree, '$SYS/broker').sortedChildren())).toEqual(['$SYS/broker/clients', '$SYS/broker/uptime']);
    expect(sys.subtreeCount).toBe(2);
    expect(sys.topicCount).toBe(2);
  });

  it('a new topic whose parent level is missing joins the levels that exist, and child() finds each level by segment', () => {
    const tree = new TopicTree();
    tree.ingest([msg('a/b/c/d')]);
    const { created } = tree.ingest([msg('a/x/y/z'), msg('a/b/q/r')]);
    expect(created.map((n) => n.topic)).toEqual(['a/x', 'a/x/y', 'a/x/y/z', 'a/b/q', 'a/b/q/r']);
    expect(nodeAt(tree, 'a/x').parent).toBe(nodeAt(tree, 'a'));
    expect(nodeAt(tree, 'a/b/q').parent).toBe(nodeAt(tree, 'a/b'));
    expect(topics(nodeAt(tree, 'a').sortedChildren())).toEqual(['a/b', 'a/x']);
    expect(tree.root.child('a')?.child('b')?.child('q')).toBe(nodeAt(tree, 'a/b/q'));
    expect(tree.root.child('a')?.child('y')).toBeUndefined();
    expect(nodeAt(tree, 'a').subtreeCount).toBe(3);
    expect(nodeAt(tree, 'a').topicCount).toBe(3);
  });

  it('find returns only exact topics, including intermediate levels, and undefined otherwise', () => {
    const tree = new TopicTree();
    tree.ingest([msg('a/b/c')]);
    expect(nodeAt(tree, 'a/b').ownCount).toBe(0);
    expect(nodeAt(tree, 'a/b').subtreeCount).toBe(1);
    expect(tree.find('a/b/c')?.topic).toBe('a/b/c');
    expect(tree.find('a/b/c/d')).toBeUndefined();
    expect(tree.find('a/b/')).toBeUndefined();
    expect(tree.find('/a')).toBeUndefined();
    expect(tree.find('b')).toBeUndefined();
    expect(tree.find('A/b/c')).toBeUndefined();
  });
});

describe('TopicTree counts', () => {
  it('keeps ownCount, subtreeCount and topicCount exact after mixed batches with coalesced messages', () => {
    const tree = new TopicTree();
    tree.ingest([msg('a/b', '1'), msg('a', '2'), msg('a/b', '3', { coalesced: 3 })]);
    tree.ingest([msg('a/c/d', '4', { coalesced: 1 }), msg('$SYS/x', '5'), msg('a', '6', { coalesced: 2 })]);
    tree.noteBatch(6, 0);

    expect(nodeAt(tree, 'a/b').ownCount).toBe(1 + 4);
    expect(nodeAt(tree, 'a').ownCount).toBe(1 + 3);
    expect(nodeAt(tree, 'a/c').ownCount).toBe(0);
    expect(nodeAt(tree, 'a/c/d').ownCount).toBe(2);
    expect(nodeAt(tree, '$SYS/x').ownCount).toBe(1);

    expect(nodeAt(tree, 'a/c').subtreeCount).toBe(2);
    expect(nodeAt(tree, 'a').subtreeCount).toBe(5 + 4 + 2);
    expect(nodeAt(tree, '$SYS').subtreeCount).toBe(1);
    expect(tree.root.subtreeCount).toBe(12);

    expect(nodeAt(tree, 'a').topicCount).toBe(3); // a, a/b, a/c/d
    expect(nodeAt(tree, 'a/c').topicCount).toBe(1);
    expect(nodeAt(tree, '$SYS').topicCount).toBe(1);
    expect(tree.root.topicCount).toBe(4);

    const stats = tree.stats;
    expect(stats.messages).toBe(12);
    expect(stats.topics).toBe(4);
    expect(stats.coalesced).toBe(6);
  });

  it('matches a reference count per topic over many random batches, and every subtree sums up', () => {
    const random = seededRandom(424_242);
    const levels = ['', 'a', 'b', 'c', '$SYS', 'sensor'] as const;
    const tree = new TopicTree();
    const expected = new Map<string, number>();
    let total = 0;
    for (let batch = 0; batch < 200; batch++) {
      const messages: ReceivedMessage[] = [];
      const size = 1 + Math.floor(random() * 20);
      for (let i = 0; i < size; i++) {
        const depth = 1 + Math.floor(random() * 4);
        const topic = Array.from({ length: depth }, () => levels[Math.floor(random() * levels.length)]!).join('/');
        if (topic === '') continue;
        const coalesced = random() < 0.2 ? Math.floor(random() * 5) : 0;
        messages.push(msg(topic, `${batch}`, { coalesced }));
        expected.set(topic, (expected.get(topic) ?? 0) + 1 + coalesced);
        total += 1 + coalesced;
      }
      tree.ingest(messages);
    }

    const actual = new Map<string, number>();
    for (const n of allNodes(tree)) {
      if (n.ownCount > 0) actual.set(n.topic, n.ownCount);
      let childSubtrees = 0;
      let childTopics = 0;
      for (const c of n.children?.values() ?? []) {
        childSubtrees += c.subtreeCount;
        childTopics += c.topicCount;
      }
      expect(n.subtreeCount, n.topic).toBe(n.ownCount + childSubtrees);
      expect(n.topicCount, n.topic).toBe((n.ownCount > 0 ? 1 : 0) + childTopics);
    }
    expect(actual).toEqual(expected);
    expect(tree.root.subtreeCount).toBe(total);
    expect(tree.root.topicCount).toBe(expected.size);
    expect(tree.stats.messages).toBe(total);
    expect(tree.stats.topics).toBe(expected.size);
  });

  it('noteBatch adds the coalesced and truncated counts of each batch', () => {
    const tree = new TopicTree();
    tree.noteBatch(3, 1);
    tree.noteBatch(0, 2, true);
    tree.noteBatch(4, 0, true);
    tree.noteBatch(5, 0, false);
    expect(tree.stats.coalesced).toBe(12);
    // The part folded while the renderer was behind is counted apart, within the total.
    expect(tree.stats.coalescedBehind).toBe(4);
    expect(tree.stats.truncated).toBe(3);
    // Only the header counts: no message was ingested.
    expect(tree.stats.messages).toBe(0);
  });

  it('stats returns a fresh snapshot each call', () => {
    const tree = new TopicTree();
    tree.ingest([msg('a')]);
    const before = tree.stats;
    const again = tree.stats;
    expect(again).not.toBe(before);
    expect(again).toEqual(before);
    (before as { messages: number }).messages = 999; // a view mutating its snapshot does not reach the tree
    expect(tree.stats.messages).toBe(1);
    tree.ingest([msg('a')]);
    expect(again.messages).toBe(1);
    expect(tree.stats.messages).toBe(2);
  });
});

describe('TopicTree.ingest result', () => {
  it('reports new nodes, intermediate levels included, in creation order, and each node once', () => {
    const tree = new TopicTree();
    const first = tree.ingest([msg('a/b/c'), msg('a/b/d'), msg('x'), msg('a/b/c')]);
    expect(topics(first.created)).toEqual(['a', 'a/b', 'a/b/c', 'a/b/d', 'x']);
    expect(topics(first.updated).sort()).toEqual(['a/b/c', 'a/b/d', 'x']);

    const second = tree.ingest([msg('a/b/c'), msg('a/e'), msg('x')]);
    expect(topics(second.created)).toEqual(['a/e']);
    expect(topics(second.updated).sort()).toEqual(['a/b/c', 'a/e', 'x']);
    // Intermediate levels whose own value did not change are not "updated".
    expect(second.updated.includes(nodeAt(tree, 'a'))).toBe(false);
  });

  it('an empty batch creates and updates nothing', () => {
    const tree = new TopicTree();
    const result = tree.ingest([]);
    expect(result.created).toEqual([]);
    expect(result.updated.length).toBe(0);
    expect(tree.stats.messages).toBe(0);
  });

  it('keeps the latest message of a topic as `last`', () => {
    const tree = new TopicTree();
    tree.ingest([msg('t', 'one'), msg('t', 'two')]);
    tree.ingest([msg('t', 'three', { qos: 2 })]);
    expect(text(nodeAt(tree, 't').last)).toBe('three');
    expect(nodeAt(tree, 't').last?.qos).toBe(2);
  });
});

describe('TopicTree sortedChildren', () => {
  it('orders children by segment in code point order', () => {
    const tree = new TopicTree();
    tree.ingest(['b', 'a', 'B', '10', '9', '$SYS/x', '', 'é', 'aa'].map((s) => msg(`p/${s}`)));
    expect(nodeAt(tree, 'p').sortedChildren().map((n) => n.segment)).toEqual(['', '$SYS', '10', '9', 'B', 'a', 'aa', 'b', 'é']);
  });

  it('returns an empty list for a leaf and reports hasChildren', () => {
    const tree = new TopicTree();
    tree.ingest([msg('a/b')]);
    expect(nodeAt(tree, 'a/b').sortedChildren()).toEqual([]);
    expect(nodeAt(tree, 'a/b').hasChildren).toBe(false);
    expect(nodeAt(tree, 'a').hasChildren).toBe(true);
  });

  it('caches the order until a child is added, then includes the new child in place', () => {
    const tree = new TopicTree();
    tree.ingest([msg('p/c'), msg('p/a')]);
    const p = nodeAt(tree, 'p');
    const first = p.sortedChildren();
    expect(first.map((n) => n.segment)).toEqual(['a', 'c']);
    // Messages on existing children keep the cached order.
    tree.ingest([msg('p/c'), msg('p/a/deeper')]);
    expect(p.sortedChildren()).toBe(first);
    tree.ingest([msg('p/b')]);
    const after = p.sortedChildren();
    expect(after.map((n) => n.segment)).toEqual(['a', 'b', 'c']);
    expect(after).not.toBe(first);
  });
});

describe('TopicTree history limits', () => {
  it('keeps at most historyPerTopic messages per topic, the newest ones, and counts the drops', () => {
    const tree = new TopicTree({ historyPerTopic: 3 });
    tree.ingest([msg('t', '1'), msg('t', '2')]);
    tree.ingest([msg('t', '3'), msg('t', '4'), msg('t', '5'), msg('u', 'u1')]);
    expect(nodeAt(tree, 't').history.map(tag)).toEqual(['3', '4', '5']);
    expect(nodeAt(tree, 'u').history.map(tag)).toEqual(['u1']);
    expect(tree.stats.historyDropped).toBe(2);
    expect(tree.stats.historyBytes).toBe(3 + 2);
    // Counts are not affected by the history limit.
    expect(nodeAt(tree, 't').ownCount).toBe(5);
  });

  it('keeps at most historyBytesPerTopic payload bytes per topic', () => {
    const tree = new TopicTree({ historyBytesPerTopic: 10 });
    tree.ingest([msg('t', sized('a', 4)), msg('t', sized('b', 4)), msg('t', sized('c', 4))]);
    const t = nodeAt(tree, 't');
    expect(t.history.map(tag)).toEqual(['b', 'c']);
    expect(t.historyBytes).toBe(8);
    expect(tree.stats.historyBytes).toBe(8);
    expect(tree.stats.historyDropped).toBe(1);
  });

  it('always keeps the latest message, even when it alone exceeds the per-topic byte limit', () => {
    const tree = new TopicTree({ historyBytesPerTopic: 10, historyPerTopic: 1 });
    tree.ingest([msg('t', sized('small', 5))]);
    tree.ingest([msg('t', sized('big', 100))]);
    const t = nodeAt(tree, 't');
    expect(t.history.map(tag)).toEqual(['big']);
    expect(t.historyBytes).toBe(100);
    expect(tree.stats.historyBytes).toBe(100);
    expect(tree.stats.historyDropped).toBe(1);
    expect(text(t.last)).toBe(decoder.decode(sized('big', 100)));
  });

  it('uses the documented defaults', () => {
    expect(DEFAULT_TREE_LIMITS).toEqual({ historyPerTopic: 50, historyBytesPerTopic: 512 * 1024, totalHistoryBytes: 128 * 1024 * 1024 });
    const tree = new TopicTree({ historyPerTopic: 7 });
    expect(tree.limits).toEqual({ ...DEFAULT_TREE_LIMITS, historyPerTopic: 7 });
  });
});

describe('TopicTree global history budget', () => {
  it('drops the oldest history across topics first (one batch)', () => {
    const tree = new TopicTree({ totalHistoryBytes: 30 });
    tree.ingest([msg('A', sized('A1', 10)), msg('B', sized('B1', 10)), msg('A', sized('A2', 10)), msg('B', sized('B2', 10))]);
    expect(nodeAt(tree, 'A').history.map(tag)).toEqual(['A2']);
    expect(nodeAt(tree, 'B').history.map(tag)).toEqual(['B1', 'B2']);
    expect(tree.stats.historyBytes).toBe(30);
    expect(tree.stats.historyDropped).toBe(1);

    tree.ingest([msg('C', sized('C1', 10))]);
    expect(nodeAt(tree, 'B').history.map(tag)).toEqual(['B2']);
    expect(nodeAt(tree, 'A').history.map(tag)).toEqual(['A2']);
    expect(nodeAt(tree, 'C').history.map(tag)).toEqual(['C1']);
    expect(tree.stats.historyBytes).toBe(30);
    expect(tree.stats.historyDropped).toBe(2);
  });

  it('never drops a topic latest entry even when latest values alone exceed the budget, but does drop older ones', () => {
    const tree = new TopicTree({ totalHistoryBytes: 15 });
    tree.ingest([msg('A', sized('A1', 10)), msg('B', sized('B1', 10)), msg('C', sized('C1', 10))]);
    tree.ingest([msg('A', sized('A2', 10))]);
    expect(nodeAt(tree, 'A').history.map(tag)).toEqual(['A2']);
    expect(nodeAt(tree, 'B').history.map(tag)).toEqual(['B1']);
    expect(nodeAt(tree, 'C').history.map(tag)).toEqual(['C1']);
    expect(tree.stats.historyBytes).toBe(30);
    for (const t of ['A', 'B', 'C']) expect(nodeAt(tree, t).last).toBe(nodeAt(tree, t).history.at(-1));
  });

  it('drops the oldest first when messages arrive one per batch, as the app delivers them', () => {
    const tree = new TopicTree({ totalHistoryBytes: 30 });
    const step = (topic: string, name: string): void => {
      tree.ingest([msg(topic, sized(name, 10))]);
    };
    step('A', 'A1');
    step('B', 'B1');
    step('A', 'A2');
    expect(tree.stats.historyBytes).toBe(30);
    step('B', 'B2'); // 40 bytes: A1 is the oldest entry that is not a latest value
    expect(nodeAt(tree, 'A').history.map(tag)).toEqual(['A2']);
    expect(nodeAt(tree, 'B').history.map(tag)).toEqual(['B1', 'B2']);
    expect(tree.stats.historyBytes).toBe(30);
    step('A', 'A3'); // B1 is now the oldest
    expect(nodeAt(tree, 'A').history.map(tag)).toEqual(['A2', 'A3']);
    expect(nodeAt(tree, 'B').history.map(tag)).toEqual(['B2']);
    step('B', 'B3'); // then A2
    expect(nodeAt(tree, 'A').history.map(tag)).toEqual(['A3']);
    expect(nodeAt(tree, 'B').history.map(tag)).toEqual(['B2', 'B3']);
    expect(tree.stats.historyBytes).toBe(30);
    expect(tree.stats.historyDropped).toBe(3);
  });

  it('stays within the budget over a long run of single-message batches', () => {
    const tree = new TopicTree({ totalHistoryBytes: 1_000, historyPerTopic: 1_000 });
    tree.ingest([msg('hot', sized('H-first', 10))]);
    tree.ingest([msg('quiet', sized('Q1', 10)), msg('quiet', sized('Q2', 10))]);
    for (let i = 0; i < 5_000; i++) {
      tree.ingest([msg('hot', sized(`H${i}`, 10))]);
      expect(tree.stats.historyBytes).toBeLessThanOrEqual(1_000);
    }
    const totals = historyTotals(tree);
    expect(tree.stats.historyBytes).toBe(totals.bytes);
    expect(totals.bytes).toBeLessThanOrEqual(1_000);
    // The quiet topic's older entry went first; its latest stays.
    expect(nodeAt(tree, 'quiet').history.map(tag)).toEqual(['Q2']);
    const hot = nodeAt(tree, 'hot').history.map(tag);
    expect(hot).toHaveLength(99);
    expect(hot.at(-1)).toBe('H4999');
    expect(hot[0]).toBe('H4901');
  });

  it('keeps the eviction queue bounded while a quiet topic holds an old entry and another gets 100,000 messages', () => {
    const tree = new TopicTree({ historyPerTopic: 50 });
    tree.ingest([msg('quiet', 'q1'), msg('quiet', 'q2')]);
    let maxSeen = 0;
    let maxAllowed = 0;
    for (let batch = 0; batch < 1_000; batch++) {
      const messages: ReceivedMessage[] = [];
      for (let i = 0; i < 100; i++) messages.push(msg('hot', `${batch * 100 + i}`));
      tree.ingest(messages);
      const live = historyTotals(tree).entries;
      maxSeen = Math.max(maxSeen, tree.evictionQueueLength);
      maxAllowed = 2 * live + 1024;
      expect(tree.evictionQueueLength).toBeLessThanOrEqual(maxAllowed);
    }
    expect(maxSeen).toBeLessThanOrEqual(maxAllowed);
    expect(nodeAt(tree, 'quiet').history.map(tag)).toEqual(['q1', 'q2']);
    expect(nodeAt(tree, 'hot').history).toHaveLength(50);
    expect(tag(nodeAt(tree, 'hot').history.at(-1)!)).toBe('99999');
    expect(nodeAt(tree, 'hot').ownCount).toBe(100_000);
    expect(tree.stats.historyDropped).toBe(100_000 - 50);
  });
});

describe('TopicTree history under all limits at once', () => {
  it('respects every bound after each random batch, counts every drop, and always keeps each latest value', () => {
    const limits = { historyPerTopic: 5, historyBytesPerTopic: 40, totalHistoryBytes: 300 };
    const tree = new TopicTree(limits);
    const random = seededRandom(20_261_121);
    const sent = new Map<string, ReceivedMessage[]>();
    const weights = new Map<string, number>();
    let objects = 0;
    for (let batch = 0; batch < 400; batch++) {
      const messages: ReceivedMessage[] = [];
      const size = Math.floor(random() * 25);
      for (let i = 0; i < size; i++) {
        const topic = `site/${Math.floor(random() * 6)}/t${Math.floor(random() * 5)}`;
        const coalesced = random() < 0.1 ? 1 + Math.floor(random() * 9) : 0;
        const m = msg(topic, sized(`${batch}.${i}`, Math.floor(random() * 30)), { coalesced });
        messages.push(m);
        sent.set(topic, [...(sent.get(topic) ?? []), m]);
        weights.set(topic, (weights.get(topic) ?? 0) + 1 + coalesced);
      }
      objects += messages.length;
      tree.ingest(messages);

      let entries = 0;
      let bytes = 0;
      let onlyLatestLeft = true;
      for (const [topic, all] of sent) {
        const node = nodeAt(tree, topic);
        const history = node.history;
        entries += history.length;
        const own = history.reduce((sum, m) => sum + m.payload.byteLength, 0);
        bytes += own;
        expect(node.historyBytes, topic).toBe(own);
        expect(history.length, topic).toBeLessThanOrEqual(limits.historyPerTopic);
        if (history.length > 1) {
          onlyLatestLeft = false;
          expect(own, topic).toBeLessThanOrEqual(limits.historyBytesPerTopic);
        }
        // What is kept is always the newest messages of the topic, in order.
        expect(history, topic).toEqual(all.slice(all.length - history.length));
        expect(node.last, topic).toEqual(all.at(-1));
        expect(node.ownCount, topic).toBe(weights.get(topic));
      }
      const stats = tree.stats;
      expect(stats.historyBytes).toBe(bytes);
      if (!onlyLatestLeft) expect(bytes).toBeLessThanOrEqual(limits.totalHistoryBytes);
      expect(stats.historyDropped + entries).toBe(objects);
      expect(tree.evictionQueueLength).toBeLessThanOrEqual(2 * entries + 1024);
    }
    expect(tree.stats.historyDropped).toBeGreaterThan(1_000);
  });
});

describe('TopicTree.setLimits (the user changed the history settings)', () => {
  it('trims every topic to the new count at once, oldest first, keeping the latest, with exact counts', () => {
    const tree = new TopicTree();
    tree.ingest(['a1', 'a2', 'a3', 'a4', 'a5'].map((p) => msg('a', sized(p, 4))));
    tree.ingest([msg('b', sized('b1', 4)), msg('b', sized('b2', 4))]);
    tree.ingest([msg('c', sized('c1', 4))]);
    expect(tree.stats).toMatchObject({ historyDropped: 0, historyBytes: 32 });

    tree.setLimits({ historyPerTopic: 3 });
    expect(nodeAt(tree, 'a').history.map(tag)).toEqual(['a3', 'a4', 'a5']);
    expect(nodeAt(tree, 'b').history.map(tag)).toEqual(['b1', 'b2']);
    expect(nodeAt(tree, 'c').history.map(tag)).toEqual(['c1']);
    expect(nodeAt(tree, 'a').historyBytes).toBe(12);
    expect(tree.stats).toMatchObject({ historyDropped: 2, historyBytes: 24, messages: 8, topics: 3 });
    expect(tree.limits.historyPerTopic).toBe(3);

    tree.setLimits({ historyPerTopic: 1 });
    expect(['a', 'b', 'c'].map((t) => nodeAt(tree, t).history.map(tag))).toEqual([['a5'], ['b2'], ['c1']]);
    expect(tree.stats).toMatchObject({ historyDropped: 5, historyBytes: 12 });
    expect(text(nodeAt(tree, 'a').last)).toBe(decoder.decode(sized('a5', 4)));

    // New messages follow the new limit; a larger one lets the history grow again.
    tree.ingest([msg('a', sized('a6', 4))]);
    expect(nodeAt(tree, 'a').history.map(tag)).toEqual(['a6']);
    tree.setLimits({ historyPerTopic: 10 });
    tree.ingest([msg('a', sized('a7', 4))]);
    expect(nodeAt(tree, 'a').history.map(tag)).toEqual(['a6', 'a7']);
    expect(tree.stats).toMatchObject({ historyDropped: 6, historyBytes: 16 });
  });

  it('drops the oldest across topics when the budget shrinks, never a latest value', () => {
    const tree = new TopicTree();
    tree.ingest([msg('A', sized('A1', 10)), msg('B', sized('B1', 10)), msg('A', sized('A2', 10)), msg('B', sized('B2', 10)), msg('A', sized('A3', 10))]);
    tree.setLimits({ totalHistoryBytes: 30 });
    expect(nodeAt(tree, 'A').history.map(tag)).toEqual(['A2', 'A3']);
    expect(nodeAt(tree, 'B').history.map(tag)).toEqual(['B2']);
    expect(tree.stats).toMatchObject({ historyDropped: 2, historyBytes: 30 });

    tree.setLimits({ totalHistoryBytes: 1 });
    expect(nodeAt(tree, 'A').history.map(tag)).toEqual(['A3']);
    expect(nodeAt(tree, 'B').history.map(tag)).toEqual(['B2']);
    expect(tree.stats).toMatchObject({ historyDropped: 3, historyBytes: 20 });
  });

  it('keeps each topic\'s newest messages within the new bounds, with exact counts, before and after more messages', () => {
    const random = seededRandom(20_261_128);
    const sent = new Map<string, ReceivedMessage[]>();
    const tree = new TopicTree({ historyPerTopic: 50 });
    let received = 0;
    const send = (count: number): void => {
      for (let i = 0; i < count; i += 97) {
        const batch: ReceivedMessage[] = [];
        for (let j = 0; j < Math.min(97, count - i); j++) {
          const m = msg(`s/${Math.floor(random() * 40)}`, sized(`m${received + batch.length}`, 4 + Math.floor(random() * 20)));
          batch.push(m);
          sent.set(m.topic, [...(sent.get(m.topic) ?? []), m]);
        }
        received += batch.length;
        tree.ingest(batch);
      }
    };
    const limits = { historyPerTopic: 7, totalHistoryBytes: 2_000 };
    const check = (): void => {
      let entries = 0;
      let bytes = 0;
      for (const [topic, all] of sent) {
        const history = nodeAt(tree, topic).history;
        expect(history.length, topic).toBeGreaterThanOrEqual(1);
        expect(history.length, topic).toBeLessThanOrEqual(limits.historyPerTopic);
        expect(history, topic).toEqual(all.slice(all.length - history.length));
        entries += history.length;
        bytes += history.reduce((sum, m) => sum + m.payload.byteLength, 0);
      }
      expect(tree.stats.historyBytes).toBe(bytes);
      expect(bytes).toBeLessThanOrEqual(limits.totalHistoryBytes);
      expect(tree.stats.historyDropped + entries).toBe(received);
      expect(tree.evictionQueueLength).toBeLessThanOrEqual(2 * entries + 1024);
    };
    send(3_000);
    tree.setLimits(limits);
    check();
    send(2_000);
    check();
  });
});

describe('TopicTree retained values', () => {
  it('a retained message with a payload sets retainedMessage and joins the retained set', () => {
    const tree = new TopicTree();
    const on = msg('lamp', 'on', { retain: true });
    tree.ingest([on]);
    const lamp = nodeAt(tree, 'lamp');
    expect(lamp.retainedMessage).toEqual(on);
    expect(lamp.retained).toBe(true);
    expect([...tree.retained]).toEqual([lamp]);
  });

  it('a later live message keeps the known retained value, but the node no longer shows as retained', () => {
    const tree = new TopicTree();
    const on = msg('lamp', 'on', { retain: true });
    tree.ingest([on]);
    tree.ingest([msg('lamp', 'off')]);
    const lamp = nodeAt(tree, 'lamp');
    expect(text(lamp.last)).toBe('off');
    expect(lamp.retained).toBe(false);
    expect(lamp.retainedMessage).toEqual(on);
    expect(tree.retained.has(lamp)).toBe(true);
  });

  it('an empty payload clears the retained value, with or without the retain flag', () => {
    const tree = new TopicTree();
    tree.ingest([msg('a', 'v', { retain: true }), msg('b', 'v', { retain: true })]);
    tree.ingest([msg('a', '', { retain: true }), msg('b', '')]);
    for (const t of ['a', 'b']) {
      const n = nodeAt(tree, t);
      expect(n.retainedMessage, t).toBeNull();
      expect(n.retained, t).toBe(false);
      expect(tree.retained.has(n), t).toBe(false);
    }
    expect(tree.retained.size).toBe(0);
    // The clearing messages still count as messages.
    expect(tree.stats.messages).toBe(4);
  });

  it('a retained message with an empty payload on a new topic adds nothing to the retained set', () => {
    const tree = new TopicTree();
    tree.ingest([msg('gone', '', { retain: true })]);
    expect(tree.retained.size).toBe(0);
    expect(nodeAt(tree, 'gone').retained).toBe(false);
  });

  it('noteOwnRetainedPublish records the value without counting a message', () => {
    const tree = new TopicTree();
    tree.ingest([msg('x/other')]);
    const before = tree.stats;
    const published = msg('x/y', 'set', { retain: true });
    tree.noteOwnRetainedPublish(published);
    const y = nodeAt(tree, 'x/y');
    expect(y.retainedMessage).toEqual(published);
    expect(tree.retained.has(y)).toBe(true);
    expect(y.ownCount).toBe(0);
    expect(y.subtreeCount).toBe(0);
    expect(y.topicCount).toBe(0);
    expect(nodeAt(tree, 'x').subtreeCount).toBe(1);
    expect(tree.root.subtreeCount).toBe(1);
    expect(tree.stats).toEqual(before);
    expect(y.history).toEqual([]);

    // The echo then arrives without the retain flag: the known retained value stays.
    tree.ingest([msg('x/y', 'set')]);
    expect(tree.retained.has(y)).toBe(true);
    expect(y.retainedMessage).toEqual(published);
    expect(y.ownCount).toBe(1);
    expect(tree.root.subtreeCount).toBe(2);
  });

  it('noteOwnRetainedPublish with an empty payload clears the retained value', () => {
    const tree = new TopicTree();
    tree.ingest([msg('cfg', 'v1', { retain: true })]);
    tree.noteOwnRetainedPublish(msg('cfg', '', { retain: true }));
    const cfg = nodeAt(tree, 'cfg');
    expect(cfg.retainedMessage).toBeNull();
    expect(tree.retained.has(cfg)).toBe(false);
    expect(cfg.retained).toBe(false);
    expect(tree.stats.messages).toBe(1);
  });

  it('markRetainedCleared forgets the retained value but keeps the last payload', () => {
    const tree = new TopicTree();
    tree.ingest([msg('cfg', 'v1', { retain: true })]);
    tree.markRetainedCleared('cfg');
    const cfg = nodeAt(tree, 'cfg');
    expect(cfg.retainedMessage).toBeNull();
    expect(tree.retained.has(cfg)).toBe(false);
    expect(cfg.retained).toBe(false);
    expect(text(cfg.last)).toBe('v1');
    expect(cfg.ownCount).toBe(1);
  });

  it('markRetainedCleared on an unknown topic changes nothing and creates no node', () => {
    const tree = new TopicTree();
    tree.ingest([msg('a', 'v', { retain: true })]);
    tree.markRetainedCleared('a/b');
    tree.markRetainedCleared('nope');
    expect(tree.find('a/b')).toBeUndefined();
    expect(tree.find('nope')).toBeUndefined();
    expect(tree.retained.size).toBe(1);
  });
});
