/**
 * The publish form's formats and MQTT 5 properties, end to end through the core's
 * command dispatch, checked by an independent subscriber (mosquitto_sub -V 5): the
 * bytes of each format, and each property as the broker delivered it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decode as decodeCbor } from 'cbor-x';
import { unpack } from 'msgpackr';
import { composeMessage } from '../../shared/publish/compose-message';
import { emptyDraft, emptyDraftProperties, type MessageDraft, type PayloadFormat } from '../../shared/publish/message-draft';
import type { VariableContext } from '../../shared/publish/publish-variables';
import { startMosquittoSub, type MosquittoSub } from '../harness/mosquitto-sub';
import { connectionConfig, newProbe, openConnected, sharedBroker, uniquePrefix } from './support';
import type { CoreProbe } from '../harness/core-probe';

const broker = sharedBroker();
const context: VariableContext = { now: 1_764_381_600_000, uuid: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', counter: 1, clientId: 'ts_formats', random: () => 0.5 };

let sub: MosquittoSub | null = null;
afterEach(async () => {
  await sub?.stop();
  sub = null;
});

/** Makes the message as the form does and publishes it through the command dispatch. */
async function publishDraft(probe: CoreProbe, connectionId: string, draft: MessageDraft, mqtt5 = true) {
  const composed = composeMessage(draft, { context, mqtt5 });
  if (!composed.message) throw new Error(`not composed: ${JSON.stringify(composed)}`);
  return probe.dispatch('message:publish', { connectionId, ...composed.message });
}

const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('publish formats, as another client receives them', () => {
  it('each format sends its exact bytes; CBOR and MessagePack decode back to the JSON', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('publish-formats');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [], mqttVersion: '5' }));
    sub = await startMosquittoSub(broker, `${prefix}/#`, '%x', `${prefix}/ready`);
    const json = '{"temp": 21.5, "ok": true, "tags": ["a", "é"], "at": {{timestamp}}}';
    const cases: [PayloadFormat, string][] = [
      ['text', 'héllo {{counter}}'],
      ['json', json],
      ['hex', 'de ad\nBE ef 00'],
      ['base64', 'AAH+/w=='],
      ['cbor', json],
      ['msgpack', json],
    ];
    for (const [format, payload] of cases) {
      const result = await publishDraft(probe, connectionId, { ...emptyDraft(), topic: `${prefix}/${format}`, payload, format, qos: 1 });
      expect(result, format).toEqual({ ok: true, value: { acknowledged: true } });
    }
    const lines = await sub.waitForLines(cases.length);
    const received = new Map(lines.map((line) => line.split('\t') as [string, string]));
    const bytes = (format: PayloadFormat): Buffer => Buffer.from(received.get(`${prefix}/${format}`) ?? '', 'hex');

    expect(bytes('text').toString('utf8')).toBe('héllo 1');
    expect(bytes('json').toString('utf8')).toBe('{"temp": 21.5, "ok": true, "tags": ["a", "é"], "at": 1764381600000}');
    expect(hexOf(bytes('hex'))).toBe('deadbeef00');
    expect(hexOf(bytes('base64'))).toBe('0001feff');
    const expected = { temp: 21.5, ok: true, tags: ['a', 'é'], at: 1_764_381_600_000 };
    expect(decodeCbor(bytes('cbor'))).toEqual(expected);
    expect(unpack(bytes('msgpack'))).toEqual(expected);
  });
});

describe('MQTT 5 publish properties, as another client receives them', () => {
  it('user properties (in order, names repeated), content type, format indicator, expiry, response topic, correlation data', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('publish-props');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [], mqttVersion: '5' }));
    sub = await startMosquittoSub(broker, `${prefix}/#`, '%P|%C|%F|%E|%R|%D|%p', `${prefix}/ready`);
    const properties = {
      ...emptyDraftProperties(),
      userProperties: [{ name: 'site', value: 'lab' }, { name: 'tag', value: 'a' }, { name: 'tag', value: 'b' }],
      contentType: 'application/json',
      payloadIsUtf8: true,
      messageExpiry: '3600',
      responseTopic: `${prefix}/reply`,
      correlationData: '7265712d31',
      correlationFormat: 'hex' as const,
    };
    const result = await publishDraft(probe, connectionId, { ...emptyDraft(), topic: `${prefix}/device`, payload: '{"on":true}', format: 'json', qos: 1, properties });
    expect(result.ok).toBe(true);

    const [line] = await sub.waitForLines(1);
    const [topic, fields] = (line ?? '').split('\t');
    const [userProperties, contentType, indicator, expiry, responseTopic, correlation, payload] = (fields ?? '').split('|');
    expect(topic).toBe(`${prefix}/device`);
    expect(userProperties).toBe('site:lab tag:a tag:b');
    expect(contentType).toBe('application/json');
    expect(indicator).toBe('1');
    // The broker forwards the remaining lifetime, which may have ticked down a second.
    expect(Number(expiry)).toBeGreaterThan(3_590);
    expect(Number(expiry)).toBeLessThanOrEqual(3_600);
    expect(responseTopic).toBe(`${prefix}/reply`);
    expect(correlation).toBe('req-1');
    expect(payload).toBe('{"on":true}');
  });

  it('a topic alias within the broker maximum is used; beyond it, or on MQTT 3.1.1, properties are refused with the reason', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('publish-alias');
    const five = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [], mqttVersion: '5' }));
    const three = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [], mqttVersion: '3.1.1' }));
    sub = await startMosquittoSub(broker, `${prefix}/#`, '%p', `${prefix}/ready`);
    const draft = (topicAlias: string, text: string): MessageDraft => ({ ...emptyDraft(), topic: `${prefix}/aliased`, payload: text, qos: 1, properties: { ...emptyDraftProperties(), topicAlias } });

    // Mosquitto's default max_topic_alias is 10.
    expect(await publishDraft(probe, five, draft('3', 'first'))).toEqual({ ok: true, value: { acknowledged: true } });
    expect(await publishDraft(probe, five, draft('3', 'second'))).toEqual({ ok: true, value: { acknowledged: true } });
    const beyond = await publishDraft(probe, five, draft('11', 'never'));
    expect(beyond).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'Topic alias 11 is refused: the broker accepts topic aliases 1 to 10 (its Topic Alias Maximum). Nothing was sent.' },
    });
    const on311 = await probe.dispatch('message:publish', { connectionId: three, topic: `${prefix}/aliased`, payload: 'never', qos: 1, retain: false, properties: { contentType: 'text/plain' } });
    expect(on311).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'MQTT 5 properties need an MQTT 5 connection; this one is 3.1.1. Nothing was sent.' } });
    // Without properties, 3.1.1 publishes as before: the last line proves nothing refused slipped through.
    expect((await probe.dispatch('message:publish', { connectionId: three, topic: `${prefix}/aliased`, payload: 'plain', qos: 1, retain: false })).ok).toBe(true);

    const lines = await sub.waitForLines(3);
    expect(lines).toEqual([`${prefix}/aliased\tfirst`, `${prefix}/aliased\tsecond`, `${prefix}/aliased\tplain`]);
  });

  it('the core refuses invalid properties before anything is sent', async () => {
    const probe = newProbe();
    const prefix = uniquePrefix('publish-bad-props');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [], mqttVersion: '5' }));
    const base = { connectionId, topic: `${prefix}/x`, payload: 'x', qos: 0 as const, retain: false };
    const refused = async (properties: object): Promise<string> => {
      // Through the dispatch with arguments the schema must reject, as a hostile page could send them.
      const result = await probe.dispatch('message:publish', { ...base, properties });
      return result.ok ? 'sent' : result.error.code;
    };
    expect(await refused({ topicAlias: 0 })).toBe('INVALID_INPUT');
    expect(await refused({ messageExpiryInterval: 2 ** 32 })).toBe('INVALID_INPUT');
    expect(await refused({ responseTopic: 'a/#' })).toBe('INVALID_INPUT');
    expect(await refused({ userProperties: Array.from({ length: 101 }, () => ['a', 'b']) })).toBe('INVALID_INPUT');
    expect(await refused({ contentType: 'a\u0000b' })).toBe('INVALID_INPUT');
    expect(await refused({ correlationData: 'not bytes' })).toBe('INVALID_INPUT');
  });
});
