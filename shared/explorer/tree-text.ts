/**
 * What the topic tree says in words: while it has no rows, what it waits for or why
 * nothing will come (the next step, instead of an empty pane); while paused, what
 * arrived since; on each row, its counts in plain words. Pure.
 */
import type { ConnectionState } from '../connection/connection-status';
import { refusalReasonText, type SubscriptionResult } from '../connection/subscription-results';
import { WHOLE_TREE_BUTTON, wholeTreeFallback } from '../connection/whole-tree-fallback';
import { subscriptionLimitHint } from '../mqtt/reason-codes';

/** Where the user adds or changes subscriptions once connected. */
export const SUBSCRIPTIONS_PLACE = 'Edit connection → Subscriptions';

/** One subscription as the empty tree lists it. */
export interface GuidanceFilter {
  filter: string;
  /** "QoS 1 granted", "Not authorized (0x87)", "waiting for the broker". */
  detail: string;
  refused: boolean;
}

export interface TreeGuidance {
  /** One sentence saying where things stand. */
  title: string;
  filters: GuidanceFilter[];
  /** What to do next; empty when there is nothing to do but wait. */
  hint: string;
  /** 'error' when nothing will arrive until the user changes something. */
  tone: 'info' | 'error';
  /** The broker refused `#` or `+/#`: offer "Subscribe to + and +/+/# instead". */
  offerWholeTreeFallback?: boolean;
}

export interface TreeGuidanceInput {
  connection: ConnectionState;
  subscriptions: readonly SubscriptionResult[];
  /** A filter is set (then the tree is empty because nothing matches). */
  searching: boolean;
  /** The tab shows a recording opened offline, still loading or loaded; absent in a connection's tab. */
  recording?: 'loading' | 'loaded';
}

/** What the tree says while it has no rows. */
export function emptyTreeGuidance({ connection, subscriptions, searching, recording }: TreeGuidanceInput): TreeGuidance {
  if (searching) return { title: 'No topic matches the filter.', filters: [], hint: '', tone: 'info' };
  if (recording === 'loading') return { title: 'Reading the recording…', filters: [], hint: 'Topics appear here as the file is read.', tone: 'info' };
  if (recording === 'loaded') return { title: 'This recording holds no messages.', filters: [], hint: 'The line above says what was left out of it, if anything.', tone: 'info' };
  switch (connection) {
    case 'disconnected':
      return { title: 'Not connected.', filters: [], hint: 'Connect, and topics appear here as messages arrive.', tone: 'info' };
    case 'connecting':
      return { title: 'Connecting…', filters: [], hint: 'Topics appear here as messages arrive.', tone: 'info' };
    case 'reconnecting':
      return { title: 'Reconnecting…', filters: [], hint: 'Topics appear here as messages arrive.', tone: 'info' };
    case 'connected':
      return connectedGuidance(subscriptions);
  }
}

function connectedGuidance(subscriptions: readonly SubscriptionResult[]): TreeGuidance {
  if (subscriptions.length === 0) {
    return { title: 'Connected, but not subscribed to any topic.', filters: [], hint: `Add a filter (such as #) under ${SUBSCRIPTIONS_PLACE}.`, tone: 'info' };
  }
  const filters = subscriptions.map(describe);
  const fallback = wholeTreeFallback(subscriptions);
  if (fallback) {
    const quoted = fallback.refused.map((f) => `"${f}"`).join(' and ');
    return {
      title: `The broker refuses the whole-tree filter${fallback.refused.length > 1 ? 's' : ''} ${quoted}, as EMQX's default ACL does: topics will not appear.`,
      filters,
      hint: `"+" together with "+/+/#" receives the same topics and is allowed: choose "${WHOLE_TREE_BUTTON}".`,
      tone: 'error',
      offerWholeTreeFallback: true,
    };
  }
  if (subscriptions.every((s) => s.state === 'refused')) {
    return {
      title: subscriptions.length === 1 ? 'The broker refused the subscription: no messages will arrive.' : 'The broker refused every subscription: no messages will arrive.',
      filters,
      hint: `Check the broker's ACL for this user, or try a narrower filter under ${SUBSCRIPTIONS_PLACE}.`,
      tone: 'error',
    };
  }
  return {
    title: 'Connected. No messages yet on:',
    filters,
    hint: `Topics appear here as messages arrive. To add a filter: ${SUBSCRIPTIONS_PLACE}.`,
    tone: 'info',
  };
}

function describe(result: SubscriptionResult): GuidanceFilter {
  const { filter } = result;
  switch (result.state) {
    case 'pending':
      return { filter, detail: 'waiting for the broker', refused: false };
    case 'granted':
      return {
        filter,
        detail: `QoS ${result.grantedQos} granted${result.grantedQos < result.askedQos ? ` (asked for ${result.askedQos})` : ''}`,
        refused: false,
      };
    case 'refused':
      return { filter, detail: `refused: ${refusalReasonText(result.reasonCode)}${limitNote(result.reasonCode)}`, refused: true };
  }
}

/** " — Likely the limit on subscriptions per client…" for the SUBACK codes that name a limit. */
function limitNote(reasonCode: number): string {
  const hint = subscriptionLimitHint(reasonCode);
  return hint ? ` — ${hint}` : '';
}

/**
 * One formatter for every count: the tree's rows and the explorer's footer format theirs
 * on every frame of a flood, and `toLocaleString` builds its formatter again on each call
 * (the ui benchmark's profile showed it as the renderer's costliest function under a
 * flood, and the footer's two counts at 67 ms of a 100,000-topic load). Same text.
 */
const COUNT_FORMAT = new Intl.NumberFormat('en-US');
/** "1,234": a count as the explorer shows it. */
export const countText = (n: number): string => COUNT_FORMAT.format(n);
const plural = (n: number, one: string, many: string): string => `${countText(n)} ${n === 1 ? one : many}`;

/** "Paused · 1,234 new messages · Resume to show them": what arrived since the view froze. */
export function pausedText(newMessages: number): string {
  return newMessages === 0 ? 'Paused · no new messages' : `Paused · ${plural(newMessages, 'new message', 'new messages')} · Resume to show them`;
}

/** The counts of a row, as it shows them and as its tooltip explains them. */
export interface RowCounts {
  text: string;
  title: string;
}

/** What a row counts: its own messages, and for a level with others below it, the topics and messages there. */
export interface CountedRow {
  hasChildren: boolean;
  /** Messages on exactly this topic. */
  ownCount: number;
  /** Messages on this topic and every topic below it. */
  subtreeCount: number;
  /** Topics at and below this one that have received a message. */
  topicCount: number;
}

/**
 * "340 msgs" for a topic, "12 topics · 340 msgs" for a level with topics below, and for
 * a topic that also has topics below, its own count first: "5 here · 12 topics · 340 msgs".
 */
export function rowCounts({ hasChildren, ownCount, subtreeCount, topicCount }: CountedRow): RowCounts {
  const msgs = (n: number): string => plural(n, 'msg', 'msgs');
  if (!hasChildren) {
    return { text: msgs(ownCount), title: `${plural(ownCount, 'message', 'messages')} on this topic` };
  }
  const below = `${plural(topicCount, 'topic', 'topics')} · ${msgs(subtreeCount)}`;
  const belowTitle = `${plural(subtreeCount, 'message', 'messages')} on the ${plural(topicCount, 'topic', 'topics')} at and below this level`;
  if (ownCount === 0) return { text: below, title: belowTitle };
  return {
    text: `${countText(ownCount)} here · ${below}`,
    title: `${plural(ownCount, 'message', 'messages')} on this topic itself; ${belowTitle}`,
  };
}
