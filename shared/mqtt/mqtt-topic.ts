/**
 * MQTT topic names and filters, as the MQTT 3.1.1 and 5 specifications define them
 * (sections 4.7 of both). Pure functions: no DOM, no Node, no Electron.
 */

import { controlCharacterProblem } from './invisible-characters';

/** The spec caps topics at 65,535 bytes of UTF-8 (a two-byte length prefix). */
export const MAX_TOPIC_BYTES = 65_535;

const encoder = new TextEncoder();

/** Why a topic or filter is not acceptable, in words a user can act on; null when it is. */
export type TopicProblem = string | null;

function commonProblem(text: string, what: 'topic' | 'filter'): TopicProblem {
  if (text.length === 0) return `The ${what} is empty: enter at least one character.`;
  // Topics the user types: MQTT forbids U+0000 and says U+0001-U+001F and U+007F-U+009F
  // SHOULD NOT appear (MQTT 5 section 1.5.4). Bidi characters are legal and stay allowed.
  const control = controlCharacterProblem(text, what, 'control');
  if (control) return control;
  // Cheap upper bound first: a UTF-8 character is at most 3 bytes per UTF-16 code unit.
  if (text.length * 3 > MAX_TOPIC_BYTES) {
    const bytes = encoder.encode(text).length;
    if (bytes > MAX_TOPIC_BYTES) {
      return `The ${what} is ${bytes.toLocaleString('en-US')} bytes long; MQTT allows at most 65,535.`;
    }
  }
  return null;
}

/** Checks a topic name for publishing: no wildcards allowed. */
export function topicNameProblem(topic: string): TopicProblem {
  const common = commonProblem(topic, 'topic');
  if (common) return common;
  if (topic.includes('+') || topic.includes('#')) {
    return 'The topic contains "+" or "#": wildcards are only allowed when subscribing, not when publishing.';
  }
  return null;
}

/** Checks a subscription filter: `+` fills a whole level, `#` only as the whole last level. */
export function topicFilterProblem(filter: string): TopicProblem {
  const common = commonProblem(filter, 'filter');
  if (common) return common;
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return 'In a filter, "#" must be a whole level and the last one (as in "sensors/#").';
    }
    if (level.includes('+') && level !== '+') {
      return 'In a filter, "+" must be a whole level (as in "sensors/+/temperature").';
    }
  }
  return null;
}

/** Whether the text uses MQTT wildcards, so a search should match it as a filter. */
export function hasWildcard(text: string): boolean {
  return text.includes('+') || text.includes('#');
}

/**
 * Whether `topic` matches `filter`. Topics starting with `$` are not matched by a
 * filter starting with a wildcard (spec 4.7.2), which is why `#` never sees `$SYS`.
 * The filter is assumed valid (see topicFilterProblem).
 */
export function topicMatchesFilter(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  // Walk both strings level by level without allocating arrays: this runs per topic
  // when filtering large trees.
  let f = 0;
  let t = 0;
  for (;;) {
    const fEnd = indexOrEnd(filter, f);
    const fLevel = filter.slice(f, fEnd);
    if (fLevel === '#') return true; // matches the parent level too ("a/#" matches "a")
    const tEnd = t <= topic.length ? indexOrEnd(topic, t) : -1;
    if (tEnd === -1) return false;
    if (fLevel !== '+' && fLevel !== topic.slice(t, tEnd)) return false;
    const filterDone = fEnd === filter.length;
    const topicDone = tEnd === topic.length;
    if (filterDone || topicDone) {
      if (filterDone && topicDone) return true;
      // "a/#" also matches "a": the filter's remaining level is only "#".
      return topicDone && filter.slice(fEnd + 1) === '#';
    }
    f = fEnd + 1;
    t = tEnd + 1;
  }
}

function indexOrEnd(text: string, from: number): number {
  const i = text.indexOf('/', from);
  return i === -1 ? text.length : i;
}

/**
 * Splits a topic into its levels exactly as MQTT defines them: every `/` separates,
 * so "/a//b/" has the levels "", "a", "", "b", "".
 */
export function topicLevels(topic: string): string[] {
  return topic.split('/');
}
