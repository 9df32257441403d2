import { describe, expect, it } from 'vitest';
import type { ConnectionLogEntry } from '../../shared/connection/connection-status';
import { noteSubscriptionAnswer, refusalReasonText, subscriptionResults, type SubackAnswer } from '../../shared/connection/subscription-results';

const entry = (kind: ConnectionLogEntry['kind'], filter?: string, reasonCode?: number): ConnectionLogEntry => ({
  time: 0,
  kind,
  text: 'as the core writes it',
  ...(filter !== undefined ? { filter } : {}),
  ...(reasonCode !== undefined ? { reasonCode } : {}),
});

const replay = (entries: ConnectionLogEntry[]): ReadonlyMap<string, SubackAnswer> => entries.reduce(noteSubscriptionAnswer, new Map<string, SubackAnswer>());

describe('subscription results from the SUBACK log entries', () => {
  it('keeps the last answer per filter: granted QoS, or the refusal with its reason code', () => {
    const answers = replay([entry('connack', undefined, 0), entry('suback', 'a/#', 1), entry('suback', 'b/#', 0x87), entry('suback', 'c', 0x80), entry('suback', 'b/#', 0)]);
    expect(
      subscriptionResults(
        [
          { filter: 'a/#', qos: 2 },
          { filter: 'b/#', qos: 0 },
          { filter: 'c', qos: 1 },
          { filter: 'd', qos: 0 },
          { filter: '  ', qos: 0 },
        ],
        answers,
      ),
    ).toEqual([
      { filter: 'a/#', askedQos: 2, state: 'granted', grantedQos: 1 },
      { filter: 'b/#', askedQos: 0, state: 'granted', grantedQos: 0 },
      { filter: 'c', askedQos: 1, state: 'refused', reasonCode: 0x80 },
      { filter: 'd', askedQos: 0, state: 'pending' },
    ]);
  });

  it('forgets a filter once unsubscribed, and ignores entries about other things', () => {
    const before = replay([entry('suback', 'a/#', 0)]);
    expect(noteSubscriptionAnswer(before, entry('error'))).toBe(before);
    expect(noteSubscriptionAnswer(before, entry('suback'))).toBe(before);
    expect(noteSubscriptionAnswer(before, entry('unsuback', 'a/#')).size).toBe(0);
  });

  it('names refusal reasons as MQTT 5 does, with the code', () => {
    expect(refusalReasonText(0x87)).toBe('Not authorized (0x87)');
    expect(refusalReasonText(0xa2)).toBe('Wildcard subscriptions not supported (0xa2)');
    expect(refusalReasonText(0xf0)).toBe('reason code 0xf0');
  });
});
