/**
 * The benchmark workload: topic names, payloads and the order messages arrive in.
 * Pure and deterministic, so every run (and the unit tests) sees the same input.
 */
import { seededRandom } from '../test/support/seeded-random';

/** Children per level, as the issue specifies (`bench/a11/b6/c10/d7`). */
export const FAN_OUT = 12;
/** The shuffle seed: fixed, so runs are comparable. */
export const WORKLOAD_SEED = 0x70_71_63;

const LEVEL_LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Topic number `index` of a tree `depth` levels deep: `bench`, then `depth - 1` levels
 * named by letter and digit in base 12. When there are more topics than 12^(depth-1),
 * the first level below `bench` widens (a12, a13, ...) so every other level keeps its
 * fan-out of 12.
 */
export function benchTopic(index: number, depth: number): string {
  if (!Number.isInteger(depth) || depth < 2 || depth > LEVEL_LETTERS.length + 1) {
    throw new RangeError(`depth must be an integer from 2 to ${LEVEL_LETTERS.length + 1} (got ${depth}).`);
  }
  const levels = depth - 1;
  const segments: string[] = [];
  let rest = index;
  for (let level = levels - 1; level > 0; level--) {
    segments.push(`${LEVEL_LETTERS[level]}${rest % FAN_OUT}`);
    rest = Math.floor(rest / FAN_OUT);
  }
  segments.push(`a${rest}`);
  return `bench/${segments.reverse().join('/')}`;
}

export function benchTopics(count: number, depth: number): string[] {
  return Array.from({ length: count }, (_, i) => benchTopic(i, depth));
}

const PAYLOAD_HEAD = '{"n":';
const PAYLOAD_MIDDLE = ',"p":"';
const PAYLOAD_TAIL = '"}';

/** The shortest payload that can carry message number `n`. */
export function minimumPayloadBytes(n: number): number {
  return PAYLOAD_HEAD.length + String(n).length + PAYLOAD_MIDDLE.length + PAYLOAD_TAIL.length;
}

/**
 * An ASCII JSON payload of exactly `bytes` bytes carrying message number `n`:
 * `{"n":17,"p":"xxxx"}`, padded in `p`.
 */
export function payloadText(n: number, bytes: number): string {
  const padding = bytes - minimumPayloadBytes(n);
  if (padding < 0) throw new RangeError(`A payload for message ${n} needs at least ${minimumPayloadBytes(n)} bytes (asked for ${bytes}).`);
  return `${PAYLOAD_HEAD}${n}${PAYLOAD_MIDDLE}${'x'.repeat(padding)}${PAYLOAD_TAIL}`;
}

/**
 * The order topics receive messages in: every topic once per round, the order
 * shuffled each round (Fisher-Yates, seeded). The last round is partial when
 * `messages` is not a multiple of `topics`. Returns topic indexes.
 */
export function messageOrder(messages: number, topics: number, seed = WORKLOAD_SEED): Uint32Array {
  const order = new Uint32Array(messages);
  let start = 0;
  for (const round of messageOrderRounds(messages, topics, seed)) {
    order.set(round, start);
    start += round.length;
  }
  return order;
}

/**
 * `messageOrder` a round at a time, for inputs too large to hold at once (10,000,000
 * messages): the same topic indexes in the same order. Each round is a view of one
 * array that the next round reshuffles in place, so read it before asking for the next.
 */
export function* messageOrderRounds(messages: number, topics: number, seed = WORKLOAD_SEED): Generator<Uint32Array> {
  if (topics < 1) throw new RangeError('There must be at least one topic.');
  const random = seededRandom(seed);
  const round = Uint32Array.from({ length: topics }, (_, i) => i);
  for (let start = 0; start < messages; start += topics) {
    for (let i = topics - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = round[i]!;
      round[i] = round[j]!;
      round[j] = swap;
    }
    yield round.subarray(0, Math.min(topics, messages - start));
  }
}
