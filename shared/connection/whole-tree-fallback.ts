/**
 * EMQX's default ACL refuses exactly the filters `#` and `+/#` ({eq, …} rules in
 * apps/emqx_auth/etc/acl.conf), and nothing else: `+` together with `+/+/#` receives
 * the same topics (`+` the one-level ones, `+/+/#` every topic of two levels or more,
 * `#` matching its parent level too) and is allowed. This decides when to offer that
 * replacement. Pure.
 */
import type { QoS } from '../mqtt/mqtt-message';
import type { SubscriptionResult } from './subscription-results';

/** The whole-tree filters EMQX's default ACL refuses, exactly. */
export const WHOLE_TREE_FILTERS: readonly string[] = ['#', '+/#'];

/** What receives the same topics and passes that ACL. */
export const WHOLE_TREE_REPLACEMENT: readonly string[] = ['+', '+/+/#'];

/** The button's name, exactly as the issue and the tests say it. */
export const WHOLE_TREE_BUTTON = 'Subscribe to + and +/+/# instead';

export interface WholeTreeFallback {
  /** The refused whole-tree filters, to leave out of the form once the replacement is granted. */
  refused: string[];
  /** The QoS the user asked for on them, asked for on the replacement too. */
  qos: QoS;
}

/**
 * The replacement to offer: when the broker refused `#` or `+/#` and the replacement
 * is not granted yet; null otherwise.
 */
export function wholeTreeFallback(results: readonly SubscriptionResult[]): WholeTreeFallback | null {
  const refused = results.filter((r) => r.state === 'refused' && WHOLE_TREE_FILTERS.includes(r.filter));
  if (refused.length === 0) return null;
  const granted = new Set(results.filter((r) => r.state === 'granted').map((r) => r.filter));
  if (WHOLE_TREE_REPLACEMENT.every((filter) => granted.has(filter))) return null;
  const qos = Math.max(...refused.map((r) => r.askedQos)) as QoS;
  return { refused: refused.map((r) => r.filter), qos };
}

/**
 * A saved list of subscriptions with the replacement in place of the whole-tree
 * filters: what a profile remembers once the broker accepted it.
 */
export function withWholeTreeReplacement<S extends { filter: string; qos: QoS }>(subscriptions: readonly S[], qos: QoS): (S | { filter: string; qos: QoS })[] {
  const kept: (S | { filter: string; qos: QoS })[] = subscriptions.filter((s) => !WHOLE_TREE_FILTERS.includes(s.filter));
  for (const filter of WHOLE_TREE_REPLACEMENT) if (!kept.some((s) => s.filter === filter)) kept.push({ filter, qos });
  return kept;
}
