import { describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { matchingTopics, RetainedIndex } from '../../shared/explorer/retained-index';
import { TopicTree } from '../../shared/explorer/topic-tree';
import { seededRandom } from '../support/seeded-random';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function msg(topic: string, payload: string, retain = true): ReceivedMessage {
  const bytes = encoder.encode(payload);
  return { topic, payload: bytes, payloadSize: bytes.byteLength, qos: 0, retain, receivedAt: 0, coalesced: 0 };
}

/** A tree and an index told about every node each ingest updated, as ExplorerState does. */
function setup(): { tree: TopicTree; index: RetainedIndex; ingest: (messages: ReceivedMessage[]) => void } {
  const tree = new TopicTree();
  const index = new RetainedIndex();
  return {
    tree,
    index,
    ingest: (messages) => {
      for (const node of tree.ingest(messages).updated) index.note(node);
    },
  };
}

const sorted = (topics: readonly string[]): string[] => [...topics].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe('RetainedIndex', () => {
  it('lists retained topics in code point order, with their values', () => {
    const { index, ingest } = setup();
    ingest([msg('b', '2'), msg('a/z', '1'), msg('A', '0'), msg('live', 'x', false), msg('a', '3')]);
    const snapshot = index.snapshot();
    expect(snapshot.topics).toEqual(['A', 'a', 'a/z', 'b']);
    expect(snapshot.entries.map((e) => `${e.topic}=${decoder.decode(e.message.payload)}`)).toEqual(['A=0', 'a=3', 'a/z=1', 'b=2']);
  });

  it('hands out the same snapshot while nothing changed, and the same topics when only values changed', () => {
    const { index, ingest } = setup();
    ingest([msg('a', '1'), msg('b', '1')]);
    const first = index.snapshot();
    ingest([msg('a', '1', false)]); // live traffic on a retained topic: the retained value stays
    expect(index.snapshot()).toBe(first);

    ingest([msg('b', '2')]);
    const second = index.snapshot();
    expect(second).not.toBe(first);
    expect(second.topics).toBe(first.topics);
    expect(second.entries[0]).toBe(first.entries[0]);
    expect(decoder.decode(second.entries[1]?.message.payload)).toBe('2');
    // What was handed out before is never changed.
    expect(decoder.decode(first.entries[1]?.message.payload)).toBe('1');
  });

  it('drops a cleared topic (empty retained message, or our own clear) and takes it back when it returns', () => {
    const { tree, index, ingest } = setup();
    ingest([msg('a', '1'), msg('b', '1'), msg('c', '1')]);
    index.snapshot();
    ingest([msg('b', '')]);
    expect(index.snapshot().topics).toEqual(['a', 'c']);
    tree.markRetainedCleared('a');
    index.note(tree.find('a')!);
    expect(index.snapshot().topics).toEqual(['c']);
    ingest([msg('b', 'back')]);
    expect(index.snapshot().topics).toEqual(['b', 'c']);
  });

  it('a topic that came and went between two snapshots leaves no trace', () => {
    const { index, ingest } = setup();
    ingest([msg('a', '1')]);
    const first = index.snapshot();
    ingest([msg('b', '1')]);
    ingest([msg('b', '')]);
    expect(index.snapshot()).toBe(first);
  });

  it('stays sorted through thousands of random arrivals, changes and clears', () => {
    const random = seededRandom(7);
    const { tree, index, ingest } = setup();
    for (let round = 0; round < 40; round++) {
      const batch: ReceivedMessage[] = [];
      for (let i = 0; i < 250; i++) {
        const topic = `t/${Math.floor(random() * 3_000).toString(36)}/${Math.floor(random() * 4)}`;
        batch.push(msg(topic, random() < 0.15 ? '' : String(round)));
      }
      ingest(batch);
      const { topics, entries } = index.snapshot();
      const expected = sorted([...tree.retained].map((n) => n.topic));
      expect(topics).toEqual(expected);
      expect(entries.map((e) => e.topic)).toEqual(expected);
      expect(entries.every((e) => e.message === tree.find(e.topic)?.retainedMessage)).toBe(true);
    }
  });
});

describe('matchingTopics', () => {
  it('finds topics containing the text, ignoring case; blank text finds all', () => {
    const topics = ['Home/Lamp', 'home/door', 'office'];
    expect(matchingTopics(topics, 'HOME')).toEqual([0, 1]);
    expect(matchingTopics(topics, '  ')).toEqual([0, 1, 2]);
    expect(matchingTopics(topics, 'zzz')).toEqual([]);
  });
});
