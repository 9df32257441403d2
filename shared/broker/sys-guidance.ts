/**
 * What the Broker view says when `$SYS` tells it nothing: refused by the broker, not
 * subscribed to, or silent. Pure: the caller passes what it knows (the subscriptions'
 * answers, how long it has waited), so each case is a plain test.
 */
import { refusalReasonText, type SubscriptionResult } from '../connection/subscription-results';
import { filterCoversSys } from './sys-topic';

/** EMQX 5's shipped acl.conf (apps/emqx_auth/etc/acl.conf), the two rules that keep `$SYS` from ordinary users. */
export const EMQX_DEFAULT_SYS_RULES: readonly string[] = [
  '{allow, {username, {re, "^dashboard$"}}, subscribe, ["$SYS/#"]}.',
  '{deny, all, subscribe, ["$SYS/#", {eq, "#"}, {eq, "+/#"}]}.',
];

/** The rule an EMQX admin puts before the deny rule to let `username` read `$SYS`. */
export function emqxAllowRule(username: string | null): string {
  const who = username === null || username === '' ? '<your username>' : username.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
  return `{allow, {username, "${who}"}, subscribe, ["$SYS/#"]}.`;
}

export type SysGuidance =
  /** Figures are coming: nothing to explain. */
  | { kind: 'none' }
  /** Not connected: nothing can arrive. */
  | { kind: 'offline' }
  /** A recording opened offline, without `$SYS` messages in it. */
  | { kind: 'recording' }
  /** No subscription can match `$SYS`: how to add one. */
  | { kind: 'not-subscribed' }
  /** The broker answered a `$SYS` filter with a refusal. */
  | { kind: 'refused'; filter: string; reason: string }
  /** Subscribed (or waiting for the answer); `long` once a broker that has `$SYS` would have sent something. */
  | { kind: 'waiting'; seconds: number; long: boolean };

/** Seconds after which silence means the broker probably has no `$SYS` (EMQX's interval is 1 min). */
export const SILENCE_MEANS_NONE_S = 70;

export interface SysGuidanceInput {
  connected: boolean;
  subscriptions: readonly SubscriptionResult[];
  /** `$SYS` messages received on this connection. */
  sysMessages: number;
  /** Seconds since this connection was made. */
  waitedSeconds: number;
  /** The tab shows a recording opened offline: what it holds is all there is. */
  recording?: boolean;
}

export function sysGuidance(input: SysGuidanceInput): SysGuidance {
  if (input.sysMessages > 0) return { kind: 'none' };
  if (input.recording) return { kind: 'recording' };
  if (!input.connected) return { kind: 'offline' };
  const sysFilters = input.subscriptions.filter((s) => filterCoversSys(s.filter));
  if (sysFilters.length === 0) return { kind: 'not-subscribed' };
  const granted = sysFilters.some((s) => s.state !== 'refused');
  const refused = sysFilters.find((s) => s.state === 'refused');
  if (!granted && refused?.state === 'refused') return { kind: 'refused', filter: refused.filter, reason: refusalReasonText(refused.reasonCode) };
  const seconds = Math.max(0, Math.floor(input.waitedSeconds));
  return { kind: 'waiting', seconds, long: seconds >= SILENCE_MEANS_NONE_S };
}
