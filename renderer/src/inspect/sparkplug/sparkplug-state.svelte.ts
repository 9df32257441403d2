/**
 * The Sparkplug view of the selected topic: the state of the edge node it belongs to
 * (its metrics by name, seq gaps, rebirths, deaths), built only while it is shown.
 * Decoding is lazy, so nothing is tracked for nodes nobody looks at: when a topic of a
 * node is selected, the histories the explorer's tree kept for all of that node's
 * topics are decoded and replayed (shared/inspect/sparkplug/sparkplug-replay.ts), then
 * each new message on them is decoded and fed while the node stays selected (the
 * commands sent to it too, NCMD and DCMD, which the view lists apart). Publishes
 * one immutable snapshot, `shown`, per change; the component only reads it.
 */
import type { SparkplugPayload } from '../../../../shared/inspect/decode/decoded-payload';
import type { ReceivedMessage } from '../../../../shared/mqtt/mqtt-message';
import type { TopicNode } from '../../../../shared/explorer/topic-tree';
import type { SparkplugNodeState, SparkplugNodeView } from '../../../../shared/inspect/sparkplug/sparkplug-node-state';
import { feedSparkplugNode, replaySparkplugNode, type KeptSparkplugMessage, type KeptSparkplugTopic } from '../../../../shared/inspect/sparkplug/sparkplug-replay';
import {
  isDeviceMessageType,
  parseSparkplugTopic,
  sparkplugScopeOf,
  SPARKPLUG_MESSAGE_TYPES,
  SPARKPLUG_NAMESPACE,
  type SparkplugDeviceTopic,
  type SparkplugNodeTopic,
  type SparkplugScope,
} from '../../../../shared/inspect/sparkplug/sparkplug-topic';

/** Decodes Sparkplug B payloads (in the core: protobuf decoders cannot run under the renderer's CSP), one result per payload, in order. */
export type DecodeSparkplug = (payloads: Uint8Array[]) => Promise<(SparkplugPayload | { error: string })[]>;

/** What the Sparkplug view shows; never changed once published. */
export interface SparkplugShown {
  /** The edge node, and the device when the selected topic is about one. */
  readonly scope: SparkplugScope;
  /** Null while the kept history is being decoded. */
  readonly node: SparkplugNodeView | null;
  /** Values that changed at or after this `receivedAt` just changed (for the highlight); Infinity after a replay. */
  readonly changedSince: number;
  /** Why decoding failed as a whole (the core could not be asked), for the user. */
  readonly error: string | null;
}


/** The node being shown, for as long as it is. */
interface Session {
  readonly key: string;
  readonly root: TopicNode;
  /** Null until the kept history is replayed. */
  state: SparkplugNodeState | null;
  /** Per topic of the node, the newest message fed (or replayed). */
  readonly fed: Map<TopicNode, ReceivedMessage>;
  /** Times the explorer asked to bring it up to date; a decode under way goes round again when this grew meanwhile. */
  asked: number;
  /** A decode is under way. */
  busy: boolean;
  /** Decoding failed: not asked again for this node (the error is shown), until it is selected anew. */
  failed: boolean;
}

export class SparkplugState {
  readonly #decode: DecodeSparkplug;
  readonly #limits: DecodeLimits;
  #shown = $state.raw<SparkplugShown | null>(null);
  #session: Session | null = null;

  constructor(decode: DecodeSparkplug, limits: Partial<DecodeLimits> = {}) {
    this.#decode = decode;
    this.#limits = { ...DEFAULT_DECODE_LIMITS, ...limits };
  }

  /** Null when the selected topic is not about a Sparkplug edge node or device. */
  get shown(): SparkplugShown | null {
    return this.#shown;
  }

  /**
   * Follows the explorer: call with the selected topic's node each time the explorer
   * publishes a view. A topic of another edge node starts over (replay); the same node
   * is brought up to date with what its topics received, unless `paused` (the explorer
   * froze what it shows).
   */
  follow(selected: TopicNode | null, paused: boolean): void {
    const scope = selected ? sparkplugScopeOf(selected.topic) : null;
    if (!selected || !scope) {
      this.#session = null;
      this.#shown = null;
      return;
    }
    const root = rootOf(selected);
    const key = `${scope.group}/${scope.edgeNode}`;
    let session = this.#session;
    if (session?.key !== key || session.root !== root) {
      session = { key, root, state: null, fed: new Map(), asked: 0, busy: false, failed: false };
      this.#session = session;
      this.#shown = { scope, node: null, changedSince: Infinity, error: null };
    } else if (this.#shown && !sameScope(this.#shown.scope, scope)) {
      this.#shown = { ...this.#shown, scope, changedSince: Infinity };
    }
    if (paused && session.state) return;
    session.asked++;
    void this.#run(session);
  }

  /** Replays, then feeds, until nothing more was asked for while decoding. */
  async #run(session: Session): Promise<void> {
    if (session.busy || session.failed) return;
    session.busy = true;
    try {
      let done = -1;
      while (this.#session === session && done !== session.asked) {
        done = session.asked;
        await (session.state ? this.#feedFresh(session, session.state) : this.#replay(session));
      }
    } catch (error) {
      session.failed = true;
      if (this.#session === session && this.#shown) this.#shown = { ...this.#shown, error: messageOf(error) };
    } finally {
      session.busy = false;
    }
  }

  /** Builds the node's state from what its topics kept. */
  async #replay(session: Session): Promise<void> {
    const { scope } = this.#shown!;
    const topics = nodeTopics(session.root, scope);
    const histories = topics.map(({ node }) => node.history.reverse());
    for (const [i, { node }] of topics.entries()) session.fed.set(node, histories[i]![0]!);
    const kept = await this.#decodeKept(topics, histories, (node, messages) => node.ownCount > weight(messages));
    if (this.#session !== session || !this.#shown) return;
    const state = replaySparkplugNode(scope.group, scope.edgeNode, kept);
    session.state = state;
    this.#shown = { scope: this.#shown.scope, node: state.view(), changedSince: Infinity, error: null };
  }

  /** Feeds what the node's topics received since they were last fed. */
  async #feedFresh(session: Session, state: SparkplugNodeState): Promise<void> {
    const topics: TopicOfNode[] = [];
    const fresh: ReceivedMessage[][] = [];
    const lost = new Set<TopicNode>();
    for (const topic of nodeTopics(session.root, this.#shown!.scope)) {
      const last = session.fed.get(topic.node);
      if (topic.node.last === last) continue;
      const history = topic.node.history.reverse();
      const at = last ? history.indexOf(last) : -1;
      // The last one fed left the history: some between it and what is kept now were dropped.
      if (last && at === -1) lost.add(topic.node);
      topics.push(topic);
      fresh.push(at === -1 ? history : history.slice(0, at));
      session.fed.set(topic.node, history[0]!);
    }
    if (topics.length === 0) return;
    const kept = await this.#decodeKept(topics, fresh, (node) => lost.has(node));
    if (this.#session !== session || !this.#shown) return;
    feedSparkplugNode(state, kept);
    const changedSince = kept.reduce((first, { messages }) => Math.min(first, messages[messages.length - 1]?.receivedAt ?? Infinity), Infinity);
    this.#shown = { scope: this.#shown.scope, node: state.view(), changedSince, error: null };
  }

  /** Decodes the messages of several topics (each newest first) in one request. */
  async #decodeKept(topics: readonly TopicOfNode[], messages: readonly ReceivedMessage[][], trimmed: (node: TopicNode, messages: readonly ReceivedMessage[]) => boolean): Promise<KeptSparkplugTopic[]> {
    const decoded = await this.#decodeInChunks(messages.flat().map((m) => m.payload));
    let next = 0;
    return topics.map(({ node, topic }, i) => {
      const list = messages[i]!;
      const kept: KeptSparkplugMessage[] = list.map((message) => ({
        receivedAt: message.receivedAt,
        coalesced: message.coalesced,
        payload: decoded[next++] ?? { error: 'No decoding came back for this message.' },
      }));
      return { topic, messages: kept, trimmed: trimmed(node, list) };
    });
  }

  /** One request per chunk the decoder accepts (a replay of many devices' histories can exceed one), in order. */
  async #decodeInChunks(payloads: readonly Uint8Array[]): Promise<(SparkplugPayload | { error: string })[]> {
    const results: (SparkplugPayload | { error: string })[] = [];
    let start = 0;
    while (start < payloads.length) {
      let end = start;
      let bytes = 0;
      while (end < payloads.length && end - start < this.#limits.payloads && (end === start || bytes + payloads[end]!.byteLength <= this.#limits.bytes)) {
        bytes += payloads[end]!.byteLength;
        end++;
      }
      results.push(...(await this.#decode(payloads.slice(start, end))));
      start = end;
    }
    return results;
  }
}

/** What one decode request may carry. */
export interface DecodeLimits {
  /** Payloads per request. Default 1,000 (`payload:decode`'s limit). */
  payloads: number;
  /** Payload bytes per request, all together. Default 32 MiB (`payload:decode`'s limit). */
  bytes: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { payloads: 1_000, bytes: 32 * 1024 * 1024 };

interface TopicOfNode {
  readonly node: TopicNode;
  readonly topic: SparkplugNodeTopic | SparkplugDeviceTopic;
}

/** Every topic of the edge node that has messages: `spBv1.0/<group>/<type>/<node>[/<device>]`. */
function nodeTopics(root: TopicNode, scope: SparkplugScope): TopicOfNode[] {
  const group = root.child(SPARKPLUG_NAMESPACE)?.child(scope.group);
  const found: TopicOfNode[] = [];
  const add = (node: TopicNode): void => {
    const topic = parseSparkplugTopic(node.topic);
    if (node.last && topic && topic.kind !== 'state') found.push({ node, topic });
  };
  for (const type of SPARKPLUG_MESSAGE_TYPES) {
    const level = group?.child(type)?.child(scope.edgeNode);
    if (!level) continue;
    if (isDeviceMessageType(type)) for (const device of level.sortedChildren()) add(device);
    else add(level);
  }
  return found;
}

function rootOf(node: TopicNode): TopicNode {
  let root = node;
  while (root.parent) root = root.parent;
  return root;
}

/** The messages the list stands for (coalesced ones included), to tell whether the topic's history was trimmed. */
function weight(messages: readonly ReceivedMessage[]): number {
  return messages.reduce((sum, m) => sum + 1 + m.coalesced, 0);
}

function sameScope(a: SparkplugScope | undefined, b: SparkplugScope): boolean {
  return a?.group === b.group && a.edgeNode === b.edgeNode && a.device === b.device;
}

function messageOf(error: unknown): string {
  return `Could not decode the Sparkplug payloads: ${error instanceof Error ? error.message : String(error)}`;
}
