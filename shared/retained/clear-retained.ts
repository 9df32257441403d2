/**
 * Clearing retained messages by filter: what the renderer and the core agree on. Pure.
 *
 * The flow is a dry run then a clear: `retained:find` asks the broker which retained
 * messages a filter matches (a fresh subscription, so messages the app never saw are
 * found too), the user sees the list and its count, and `retained:clear` publishes an
 * empty retained message to each listed topic, then asks the broker again which of them
 * still hold a value.
 */
import { topicFilterProblem, topicMatchesFilter, type TopicProblem } from '../mqtt/mqtt-topic';

/**
 * Most retained topics one find lists and one clear takes (100,000). A find that reaches
 * it stops collecting and says the list is truncated; clearing that list and finding
 * again gets the rest. Enough for any real broker's retained set in a few rounds, small
 * enough that the list (about 5 MB of topics) crosses IPC and the WebSocket in one message.
 */
export const MAX_RETAINED_TOPICS = 100_000;

/** One topic whose retained value was not cleared, and why, in words for the user. */
export interface ClearFailure {
  topic: string;
  reason: string;
}

/**
 * Why a filter cannot be used to clear retained messages; null when it can. Filters
 * starting with "$" are refused: "$SYS/…" values are the broker's own (it refuses
 * clients' publishes there and republishes them anyway), and "$share/…" subscriptions
 * receive no retained messages at all (MQTT 5 section 4.8.2), so the dry run would be empty.
 */
export function clearFilterProblem(filter: string): TopicProblem {
  const problem = topicFilterProblem(filter);
  if (problem) return problem;
  if (filter.startsWith('$')) {
    return 'Topics starting with "$" belong to the broker ($SYS) or are shared subscriptions: their retained messages cannot be cleared by a client.';
  }
  return null;
}

/** The first of `topics` that `filter` does not match, or null: a clear stays inside the filter it was found with. */
export function firstTopicOutside(filter: string, topics: readonly string[]): string | null {
  for (const topic of topics) if (!topicMatchesFilter(filter, topic)) return topic;
  return null;
}

/** "1 retained message match" would be wrong English; the words are the plural form. */
export function retainedMatchText(count: number): string {
  return count === 1 ? '1 retained message matches' : `${count.toLocaleString('en-US')} retained messages match`;
}

/** The clear button's name, stating the count it will clear. */
export function clearButtonText(count: number): string {
  return count === 1 ? 'Clear 1 retained message' : `Clear ${count.toLocaleString('en-US')} retained messages`;
}
