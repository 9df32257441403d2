/**
 * Builds an edge node's state from what the topic tree kept of its topics. Decoding is
 * lazy (only for what is shown), so no state is kept while a node is not looked at:
 * when one of its topics is selected, its kept messages are decoded and replayed here,
 * then the live ones are fed to the same state.
 */
import type { SparkplugPayload } from '../decode/decoded-payload';
import { SparkplugNodeState, type SparkplugMessageTopic, type SparkplugStateLimits } from './sparkplug-node-state';

/** A message as kept, with what its payload decoded to. */
export interface KeptSparkplugMessage {
  /** Milliseconds since the epoch. */
  readonly receivedAt: number;
  /** Older messages on its topic it replaced (the app's flow control). */
  readonly coalesced: number;
  readonly payload: SparkplugPayload | { readonly error: string };
}

/** One topic of the edge node and its kept history. */
export interface KeptSparkplugTopic {
  readonly topic: SparkplugMessageTopic;
  /** Newest first, as the tree keeps them. */
  readonly messages: readonly KeptSparkplugMessage[];
  /** True when older messages on it were dropped from the history (its limits): their `seq`s are unknown. */
  readonly trimmed: boolean;
}

interface Entry {
  topic: SparkplugMessageTopic;
  message: KeptSparkplugMessage;
}

/** Messages received in the same millisecond (a birth and its device births) go in `seq` order; an NDEATH has none and goes last. */
function byArrival(a: Entry, b: Entry): number {
  const time = a.message.receivedAt - b.message.receivedAt;
  if (time !== 0) return time;
  const seqA = seqOf(a.message);
  const seqB = seqOf(b.message);
  if (seqA === undefined || seqB === undefined) return (seqA === undefined ? 1 : 0) - (seqB === undefined ? 1 : 0);
  const ahead = (seqA - seqB + 256) % 256;
  return ahead === 0 ? 0 : ahead < 128 ? 1 : -1;
}

function seqOf(message: KeptSparkplugMessage): number | undefined {
  return 'error' in message.payload ? undefined : message.payload.seq;
}

/**
 * The edge node's state after its kept messages, merged by time: from the newest NBIRTH
 * kept (earlier sessions' aliases no longer hold; earlier NBIRTHs still count, and the
 * one before tells whether `bdSeq` changed; earlier NCMDs are still the node's last
 * commands), or from the oldest message when no birth was kept (its data is then
 * flagged as before any birth). A `seq` gap up to the oldest kept message of a trimmed
 * topic could be that topic's dropped messages: not flagged.
 */
export function replaySparkplugNode(group: string, edgeNode: string, topics: readonly KeptSparkplugTopic[], limits: Partial<SparkplugStateLimits> = {}): SparkplugNodeState {
  const state = new SparkplugNodeState(group, edgeNode, limits);
  const entries = mergeByArrival(topics);
  let start = 0;
  entries.forEach((entry, i) => {
    if (entry.topic.type === 'NBIRTH' && !('error' in entry.message.payload)) start = i;
  });
  for (let i = 0; i < start; i++) {
    const { topic, message } = entries[i]!;
    if ('error' in message.payload) continue;
    if (topic.type === 'NBIRTH') state.rememberEarlierBirth(message.payload);
    // The node's commands outlive its births (the rebirth request that brought the newest one, say); a device's end with them.
    else if (topic.type === 'NCMD') state.feed(topic, message.payload, message.receivedAt, message.coalesced);
  }
  feedEntries(state, entries.slice(start), unknowableUntil(topics));
  return state;
}

/**
 * Feeds messages that arrived since the state was built or last fed (each topic's
 * newest first), merged by time; `trimmed` marks a topic that lost some of them before
 * they could be fed, so gaps up to its oldest are not flagged.
 */
export function feedSparkplugNode(state: SparkplugNodeState, topics: readonly KeptSparkplugTopic[]): void {
  feedEntries(state, mergeByArrival(topics), unknowableUntil(topics));
}

function mergeByArrival(topics: readonly KeptSparkplugTopic[]): Entry[] {
  const entries: Entry[] = [];
  for (const { topic, messages } of topics) for (const message of messages) entries.push({ topic, message });
  return entries.sort(byArrival);
}

/** The time up to which a `seq` gap could be a trimmed topic's dropped messages. */
function unknowableUntil(topics: readonly KeptSparkplugTopic[]): number {
  let until = -Infinity;
  for (const { messages, trimmed } of topics) {
    const oldest = messages[messages.length - 1];
    if (trimmed && oldest) until = Math.max(until, oldest.receivedAt);
  }
  return until;
}

function feedEntries(state: SparkplugNodeState, entries: readonly Entry[], seqUnknowableUntil: number): void {
  for (const { topic, message } of entries) {
    if (message.receivedAt <= seqUnknowableUntil) state.forgetSeq();
    if ('error' in message.payload) state.feedUndecodable(topic, message.payload.error, message.receivedAt);
    else state.feed(topic, message.payload, message.receivedAt, message.coalesced);
  }
}
