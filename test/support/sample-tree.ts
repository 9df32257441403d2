/** A small topic tree and its helpers, shared by the tree-rows and topic-search tests. */
import { TopicSearch } from '../../shared/explorer/topic-search';
import { TopicTree } from '../../shared/explorer/topic-tree';
import type { ReceivedMessage } from '../../shared/mqtt/mqtt-message';

const encoder = new TextEncoder();
let clock = 1_700_000_000_000;

/** A received message as the batcher makes it; each gets a later receive time. */
export function msg(topic: string, payload = 'x', retain = false): ReceivedMessage {
  const bytes = encoder.encode(payload);
  return { topic, payload: bytes, payloadSize: bytes.byteLength, qos: 0, retain, receivedAt: clock++, coalesced: 0 };
}

/** Levels, case, `$SYS`, a topic that is also a parent, and names sharing a prefix. */
export const SAMPLE_TOPICS = [
  'home/kitchen/temp',
  'home/kitchen/humidity',
  'home/garage/door',
  'office/Temp',
  '$SYS/broker/uptime',
  'a',
  'a/b/c',
  'a/x/c',
  'a/b/c/d',
  'ab',
];

export function sampleTree(): TopicTree {
  const tree = new TopicTree();
  tree.ingest(SAMPLE_TOPICS.map((t) => msg(t)));
  return tree;
}

/** A filter scanned over the whole tree at once. */
export function search(tree: TopicTree, text: string): TopicSearch {
  const s = new TopicSearch(text);
  s.scan(tree);
  return s;
}
