import { describe, expect, it } from 'vitest';
import { emqxAllowRule, sysGuidance } from '../../shared/broker/sys-guidance';
import type { SubscriptionResult } from '../../shared/connection/subscription-results';

const granted = (filter: string): SubscriptionResult => ({ filter, askedQos: 0, state: 'granted', grantedQos: 0 });
const refused = (filter: string, reasonCode = 0x87): SubscriptionResult => ({ filter, askedQos: 0, state: 'refused', reasonCode });

describe('sysGuidance', () => {
  it('says nothing once $SYS arrives', () => {
    expect(sysGuidance({ connected: true, subscriptions: [], sysMessages: 3, waitedSeconds: 1 })).toEqual({ kind: 'none' });
  });

  it('in a recording opened offline, says the recording holds no $SYS rather than asking to connect or subscribe', () => {
    expect(sysGuidance({ connected: false, subscriptions: [], sysMessages: 0, waitedSeconds: 500, recording: true })).toEqual({ kind: 'recording' });
    expect(sysGuidance({ connected: false, subscriptions: [], sysMessages: 2, waitedSeconds: 0, recording: true })).toEqual({ kind: 'none' });
  });

  it('asks for a $SYS subscription when none can match ("#" does not)', () => {
    expect(sysGuidance({ connected: true, subscriptions: [granted('#')], sysMessages: 0, waitedSeconds: 5 })).toEqual({ kind: 'not-subscribed' });
  });

  it('names the refusal when the broker refused $SYS/#', () => {
    expect(sysGuidance({ connected: true, subscriptions: [granted('#'), refused('$SYS/#')], sysMessages: 0, waitedSeconds: 5 })).toEqual({ kind: 'refused', filter: '$SYS/#', reason: 'Not authorized (0x87)' });
  });

  it('waits, then after over a minute says the broker may publish none', () => {
    const subscriptions = [granted('$SYS/#')];
    expect(sysGuidance({ connected: true, subscriptions, sysMessages: 0, waitedSeconds: 12 })).toEqual({ kind: 'waiting', seconds: 12, long: false });
    expect(sysGuidance({ connected: true, subscriptions, sysMessages: 0, waitedSeconds: 90 })).toEqual({ kind: 'waiting', seconds: 90, long: true });
  });

  it('says nothing can come while offline', () => {
    expect(sysGuidance({ connected: false, subscriptions: [granted('$SYS/#')], sysMessages: 0, waitedSeconds: 0 })).toEqual({ kind: 'offline' });
  });
});

describe('emqxAllowRule', () => {
  it('quotes the user in the rule an admin adds before the deny rule', () => {
    expect(emqxAllowRule('alice')).toBe('{allow, {username, "alice"}, subscribe, ["$SYS/#"]}.');
    expect(emqxAllowRule('we"ird')).toBe('{allow, {username, "we\\"ird"}, subscribe, ["$SYS/#"]}.');
    expect(emqxAllowRule(null)).toBe('{allow, {username, "<your username>"}, subscribe, ["$SYS/#"]}.');
  });
});
