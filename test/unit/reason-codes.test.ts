import { ReasonCodes } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { disconnectReasonText, publishRefusalText, subscriptionLimitHint } from '../../shared/mqtt/reason-codes';

const mqttJsName = (code: number): string | undefined => (ReasonCodes as Record<number, string>)[code];

describe('a refused publish (PUBACK/PUBREC >= 0x80) in words', () => {
  it.each([
    [0x87, 'Not authorized (0x87)', /ACL does not let this client publish to this topic/],
    [0x97, 'Quota exceeded (0x97)', /limits how much this client may publish/],
    [0x90, 'Topic Name invalid (0x90)', /does not accept this topic name/],
    [0x99, 'Payload format invalid (0x99)', /says its payload is UTF-8 text, but the broker found it is not/],
    [0x80, 'Unspecified error (0x80)', /gave no reason/],
    [0x83, 'Implementation specific error (0x83)', /its log says which/],
    [0x91, 'Packet identifier in use (0x91)', /retry/],
  ])('0x%s names the reason and its likely cause', (code, name, why) => {
    const text = publishRefusalText(code);
    expect(text.startsWith(`${name}: `)).toBe(true);
    expect(text).toMatch(why);
    // The names are the spec's, as mqtt.js spells them.
    expect(name.startsWith(mqttJsName(code) ?? '?')).toBe(true);
  });

  it('an unknown code is still given with its number', () => {
    expect(publishRefusalText(0xfe)).toBe('reason code 0xfe');
  });
});

describe('a DISCONNECT from the broker in words', () => {
  it.each([
    [0x8e, 'Session taken over (0x8e)', /Another client connected with the same client ID/],
    [0x89, 'Server busy (0x89)', /overloaded/],
    [0x95, 'Packet too large (0x95)', /maximum packet size/],
    [0x9c, 'Use another server (0x9c)', /another server/],
    [0x98, 'Administrative action (0x98)', /administrator/],
    [0x8b, 'Server shutting down (0x8b)', /stopping/],
  ])('0x%s names the reason and what usually causes it', (code, name, why) => {
    const text = disconnectReasonText(code);
    expect(text.startsWith(`${name}: `)).toBe(true);
    expect(text).toMatch(why);
  });

  it('names the server a 0x9C points to', () => {
    expect(disconnectReasonText(0x9c, 'broker-2.example.com:8883')).toContain('It names "broker-2.example.com:8883".');
  });

  it('every name in the tables is mqtt.js\'s name for the code', () => {
    for (let code = 0x80; code <= 0xa2; code++) {
      for (const text of [publishRefusalText(code), disconnectReasonText(code)]) {
        if (text.startsWith('reason code')) continue;
        expect(text.slice(0, text.indexOf(' (0x'))).toBe(mqttJsName(code));
      }
    }
  });
});

describe('SUBACK codes that name a limit', () => {
  it('0x97 is the subscriptions-per-client limit, 0x8F the levels-per-filter limit (EMQX Cloud Serverless: 10 each)', () => {
    expect(subscriptionLimitHint(0x97)).toMatch(/limit on subscriptions per client \(EMQX Cloud Serverless allows 10\)/);
    expect(subscriptionLimitHint(0x8f)).toMatch(/limit on levels per topic filter \(EMQX Cloud Serverless allows 10\)/);
    expect(subscriptionLimitHint(0x87)).toBeNull();
  });
});
