/**
 * What the broker answered to each subscription, as data: the core's 'suback' and
 * 'unsuback' log entries name their filter, and the granted QoS or the refusal's reason
 * code is the entry's `reasonCode`. The renderer keeps the last answer per filter, so
 * the tree can say what it is waiting for, or why nothing will come. Pure.
 */
import type { QoS } from '../mqtt/mqtt-message';
import type { ConnectionLogEntry } from './connection-status';

/** The broker's last answer about one filter. */
export type SubackAnswer = { granted: true; qos: QoS } | { granted: false; reasonCode: number };

/** One subscription as the user asked for it, with what the broker said. */
export type SubscriptionResult =
  | { filter: string; askedQos: QoS; state: 'pending' }
  | { filter: string; askedQos: QoS; state: 'granted'; grantedQos: QoS }
  | { filter: string; askedQos: QoS; state: 'refused'; reasonCode: number };

/** The lowest SUBACK code that refuses (0x80 in 3.1.1; every code from 0x80 in MQTT 5). */
const FIRST_REFUSAL = 0x80;

/**
 * The answers after `entry`: a SUBACK replaces the filter's answer, an UNSUBACK forgets
 * it. The same map when the entry is about something else.
 */
export function noteSubscriptionAnswer(answers: ReadonlyMap<string, SubackAnswer>, entry: ConnectionLogEntry): ReadonlyMap<string, SubackAnswer> {
  if (entry.filter === undefined) return answers;
  const next = new Map(answers);
  if (entry.kind === 'unsuback') {
    next.delete(entry.filter);
    return next;
  }
  if (entry.kind !== 'suback' || entry.reasonCode === undefined) return answers;
  const code = entry.reasonCode;
  next.set(entry.filter, code >= FIRST_REFUSAL ? { granted: false, reasonCode: code } : { granted: true, qos: code as QoS });
  return next;
}

/** The subscriptions in the order the user listed them, each with the broker's answer so far. */
export function subscriptionResults(subscriptions: readonly { filter: string; qos: QoS }[], answers: ReadonlyMap<string, SubackAnswer>): SubscriptionResult[] {
  return subscriptions
    .filter(({ filter }) => filter.trim() !== '')
    .map(({ filter, qos }): SubscriptionResult => {
      const answer = answers.get(filter);
      if (!answer) return { filter, askedQos: qos, state: 'pending' };
      return answer.granted
        ? { filter, askedQos: qos, state: 'granted', grantedQos: answer.qos }
        : { filter, askedQos: qos, state: 'refused', reasonCode: answer.reasonCode };
    });
}

/** SUBACK reason codes that refuse (MQTT 5, section 3.9.3); 0x80 is also 3.1.1's only "failure". */
const REFUSAL_REASONS: Readonly<Record<number, string>> = {
  // 3.1.1 calls it "Failure" and has no other; MQTT 5 "Unspecified error".
  0x80: 'Failure, no reason given',
  0x83: 'Implementation specific error',
  0x87: 'Not authorized',
  0x8f: 'Topic filter invalid',
  0x91: 'Packet identifier in use',
  0x97: 'Quota exceeded',
  0x9e: 'Shared subscriptions not supported',
  0xa1: 'Subscription identifiers not supported',
  0xa2: 'Wildcard subscriptions not supported',
};

/** "Not authorized (0x87)": the reason's name and its code, as brokers' docs list them. */
export function refusalReasonText(reasonCode: number): string {
  const hex = `0x${reasonCode.toString(16).padStart(2, '0')}`;
  const name = REFUSAL_REASONS[reasonCode];
  return name ? `${name} (${hex})` : `reason code ${hex}`;
}
