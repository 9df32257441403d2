/**
 * Which broker's `$SYS` layout a topic belongs to, from the topic alone. Pure, and cheap
 * enough to run on every `$SYS` message; other topics never get here (`isSysTopic`).
 *
 * Layouts, as the brokers' sources publish them:
 * - Mosquitto (src/sys_tree.c): `$SYS/broker/<path>`.
 * - EMQX 5 (apps/emqx/src/emqx_sys.erl, emqx_topic:systop/1): `$SYS/brokers/<node>/<path>`
 *   for each node of a cluster, and `$SYS/brokers` itself listing the nodes.
 * - VerneMQ (vmq_systree.erl): `$SYS/<node>/<metric split on "_">`; an Erlang node name
 *   always holds an "@", which tells it from anything else under `$SYS`.
 * - NanoMQ: client events only, `$SYS/brokers/connected|disconnected`, and since 0.24
 *   `$SYS/brokers/client_status/<client id>`.
 */

export const SYS_PREFIX = '$SYS/';
const DOLLAR = 0x24;

/** The broker families whose `$SYS` this app reads. */
export type BrokerKind = 'mosquitto' | 'emqx' | 'vernemq' | 'nanomq';

export type SysTopic =
  /** `path` is what follows `$SYS/broker/`. */
  | { kind: 'mosquitto'; path: string }
  /** `path` is what follows `$SYS/brokers/<node>/`. */
  | { kind: 'emqx'; node: string; path: string }
  /** `$SYS/brokers`: the cluster's running nodes, comma-separated. */
  | { kind: 'emqx-nodes' }
  | { kind: 'vernemq'; node: string; path: string }
  | { kind: 'nanomq'; event: 'connected' | 'disconnected' }
  | { kind: 'nanomq-status'; clientId: string };

/** True for a topic under `$SYS/`; one character compare for every other topic. */
export function isSysTopic(topic: string): boolean {
  return topic.charCodeAt(0) === DOLLAR && topic.startsWith(SYS_PREFIX);
}

/** The layout `topic` belongs to, or null for a topic no known broker publishes. */
export function readSysTopic(topic: string): SysTopic | null {
  if (!isSysTopic(topic)) return null;
  if (topic === '$SYS/brokers') return { kind: 'emqx-nodes' };
  const rest = topic.slice(SYS_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  const first = rest.slice(0, slash);
  const after = rest.slice(slash + 1);
  if (first === 'broker') return after === '' ? null : { kind: 'mosquitto', path: after };
  if (first === 'brokers') return readBrokers(after);
  if (first.includes('@') && after !== '') return { kind: 'vernemq', node: first, path: after };
  return null;
}

/** What follows `$SYS/brokers/`: an EMQX node's topic, or one of NanoMQ's events. */
function readBrokers(after: string): SysTopic | null {
  if (after === 'connected' || after === 'disconnected') return { kind: 'nanomq', event: after };
  if (after.startsWith('client_status/') && after.length > 'client_status/'.length) {
    return { kind: 'nanomq-status', clientId: after.slice('client_status/'.length) };
  }
  const slash = after.indexOf('/');
  if (slash <= 0 || slash === after.length - 1) return null;
  return { kind: 'emqx', node: after.slice(0, slash), path: after.slice(slash + 1) };
}

/** True when `filter` can match `$SYS` topics: wildcards in the first level never do (MQTT 4.7.2). */
export function filterCoversSys(filter: string): boolean {
  return filter === '$SYS' || filter.startsWith('$SYS/');
}
