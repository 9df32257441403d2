/** One concrete message from the publish form's draft: variables, format and MQTT 5 properties together. */
import { describe, expect, it } from 'vitest';
import { composeMessage, concreteProperties } from '../../shared/publish/compose-message';
import { emptyDraft, emptyDraftProperties, messageDraftSchema, type MessageDraft } from '../../shared/publish/message-draft';
import { userPropertiesObject } from '../../shared/publish/publish-properties';
import type { VariableContext } from '../../shared/publish/publish-variables';

const context: VariableContext = { now: 1_764_381_600_000, uuid: 'u-1', counter: 3, clientId: 'ts_lab', random: () => 0 };
const draft = (overrides: Partial<MessageDraft>): MessageDraft => ({ ...emptyDraft(), ...overrides });

describe('composing a message from the draft', () => {
  it('expands variables before encoding: the JSON checked is the expanded text', () => {
    const composed = composeMessage(draft({ topic: 'lab/{{clientId}}/{{counter}}', payload: '{"at": {{timestamp}}, "n": {{counter}}}', format: 'json', qos: 1 }), { context, mqtt5: false });
    expect(composed.message?.topic).toBe('lab/ts_lab/3');
    expect(new TextDecoder().decode(composed.message?.payload)).toBe('{"at": 1764381600000, "n": 3}');
    expect(composed.message).toMatchObject({ qos: 1, retain: false });
    expect(composed.message).not.toHaveProperty('properties');
  });

  it('reports the topic, payload and properties problems apart, and makes no message', () => {
    const composed = composeMessage(
      draft({ topic: 'a/{{nope}}', payload: '{"at": {{iso}}}', format: 'json', properties: { ...emptyDraftProperties(), topicAlias: '0' } }),
      { context, mqtt5: true },
    );
    expect(composed.topicProblem).toMatch(/^Topic: Unknown variable \{\{nope\}\}/);
    // The ISO time expands unquoted: the JSON breaks after its year.
    expect(composed.payloadProblem).toMatch(/^Not valid JSON: .* \(line 1, column 12\)\.$/);
    expect(composed.propertiesProblem).toBe('A topic alias is at least 1.');
    expect(composed.message).toBeNull();
  });

  it('a file is sent as its bytes, without variables or format', () => {
    const file = Uint8Array.of(0x7b, 0x7b, 0xff);
    const composed = composeMessage(draft({ topic: 't', payload: 'ignored {{x}}', format: 'json' }), { context, mqtt5: false, file });
    expect(composed.message?.payload).toBe(file);
    expect(composed.payloadText).toBeNull();
  });

  it('on MQTT 5 the properties become concrete; on 3.1.1 none are sent, nor checked', () => {
    const properties = {
      userProperties: [{ name: 'site', value: 'lab' }, { name: '', value: '' }, { name: 'site', value: 'b' }],
      contentType: 'application/json',
      payloadIsUtf8: true,
      messageExpiry: ' 60 ',
      topicAlias: '2',
      responseTopic: 'reply/{{uuid}}',
      correlationData: '01 ff',
      correlationFormat: 'hex' as const,
    };
    const five = composeMessage(draft({ topic: 't', payload: 'x', properties }), { context, mqtt5: true });
    expect(five.message?.properties).toEqual({
      userProperties: [['site', 'lab'], ['site', 'b']],
      contentType: 'application/json',
      payloadFormatIndicator: true,
      messageExpiryInterval: 60,
      topicAlias: 2,
      // Variables are expanded in the topic and payload only.
      responseTopic: 'reply/{{uuid}}',
      correlationData: Uint8Array.of(0x01, 0xff),
    });
    const three = composeMessage(draft({ topic: 't', payload: 'x', properties: { ...properties, topicAlias: 'x' } }), { context, mqtt5: false });
    expect(three.message).not.toBeNull();
    expect(three.message).not.toHaveProperty('properties');
  });

  it('refuses "Payload is UTF-8" on bytes that are not UTF-8', () => {
    const composed = composeMessage(draft({ topic: 't', payload: 'ff fe', format: 'hex', properties: { ...emptyDraftProperties(), payloadIsUtf8: true } }), { context, mqtt5: true });
    expect(composed.propertiesProblem).toMatch(/not UTF-8 text, yet "Payload is UTF-8" is checked/);
  });

  it('checks each property: numbers, names, response topic wildcards, correlation hex', () => {
    const problem = (overrides: Partial<ReturnType<typeof emptyDraftProperties>>): string | null => {
      const result = concreteProperties({ ...emptyDraftProperties(), ...overrides });
      return result.ok ? null : result.problem;
    };
    expect(problem({ messageExpiry: '1.5' })).toBe('Message expiry (s) must be a whole number; "1.5" is not.');
    expect(problem({ messageExpiry: '4294967296' })).toBe('The message expiry is at most 4,294,967,295 seconds.');
    expect(problem({ topicAlias: '65536' })).toBe('A topic alias is at most 65,535.');
    expect(problem({ userProperties: [{ name: '', value: 'v' }] })).toBe('The user property with value "v" has no name.');
    expect(problem({ responseTopic: 'reply/#' })).toMatch(/^Response topic: .*wildcards/);
    expect(problem({ correlationData: 'abc', correlationFormat: 'hex' })).toMatch(/^Correlation data: Not hex: 3 digits/);
    expect(problem({ userProperties: Array.from({ length: 101 }, (_, i) => ({ name: `n${i}`, value: 'v' })) })).toBe('At most 100 user properties are sent with one message.');
    expect(concreteProperties(emptyDraftProperties())).toEqual({ ok: true, value: undefined });
  });

  it('a draft survives JSON and is read back by its schema', () => {
    const saved = draft({ topic: 'a/{{counter}}', payload: '{}', format: 'msgpack', qos: 2, retain: true, properties: { ...emptyDraftProperties(), userProperties: [{ name: 'a', value: 'b' }] } });
    expect(messageDraftSchema.parse(JSON.parse(JSON.stringify(saved)))).toEqual(saved);
    expect(messageDraftSchema.safeParse({ ...saved, format: 'xml' }).success).toBe(false);
  });
});

describe("mqtt.js's user properties", () => {
  it('keeps names in first-seen order and repeated names as arrays, "__proto__" as a plain name', () => {
    const object = userPropertiesObject([['b', '1'], ['a', '2'], ['b', '3'], ['__proto__', 'x']]);
    expect(Object.keys(object)).toEqual(['b', 'a', '__proto__']);
    expect(object['b']).toEqual(['1', '3']);
    expect(object['__proto__']).toBe('x');
  });
});
