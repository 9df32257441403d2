import { describe, expect, it } from 'vitest';
import { defaultFormFields } from '../../renderer/src/connection/connection-form';
import { ConnectionState } from '../../renderer/src/connection/connection-state.svelte';
import { ExplorerState } from '../../renderer/src/explorer/explorer-state.svelte';
import { PublishState } from '../../renderer/src/publish/publish-state.svelte';
import { correlationText, latencyText, MAX_SHOWN_REPLIES } from '../../renderer/src/publish/replies/replies-state.svelte';
import type { CommandArgs } from '../../shared/ipc/ipc-contract';
import { emptyDraft, emptyDraftProperties } from '../../shared/publish/message-draft';
import type { RequestReply } from '../../shared/publish/request-replies';
import { fakeApi } from './fake-api';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function setup(mqttVersion: '5' | '3.1.1' = '5') {
  const sent: CommandArgs<'message:publish'>[] = [];
  const calls: string[] = [];
  const api = fakeApi({
    'connection:open': async () => ({ ok: true, value: { sessionPresent: false } }),
    'message:publish': async (args) => {
      sent.push(args);
      const responseTopic = args.properties?.responseTopic;
      return { ok: true, value: { acknowledged: true, ...(args.awaitReplies && responseTopic ? { replies: { responseTopic, coveredBy: null } } : {}) } };
    },
    'replies:response-topic': async () => ({ ok: true, value: { topic: 'topicscope/reply/c1/abcd1234', basis: 'client-id' } }),
    'replies:clear': async (args) => {
      calls.push(`clear ${args.connectionId}`);
      return { ok: true, value: { unsubscribed: ['re/1'] } };
    },
  });
  const connection = new ConnectionState(api, { form: defaultFormFields('topicscope_test', mqttVersion), randomClientId: false });
  const explorer = new ExplorerState(null, { requestFrame: () => {} });
  const publisher = new PublishState(api, connection, () => explorer);
  return { api, publisher, connection, sent, calls };
}

const reply = (overrides: Partial<RequestReply>): RequestReply => ({
  topic: 're/1',
  payload: bytes('pong'),
  payloadSize: 4,
  correlationData: bytes('id-1'),
  latencyMs: 12.34,
  requestTopic: 'req',
  receivedAt: 1_700_000_000_000,
  ...overrides,
});

describe('request/response in the publish form', () => {
  it('sends a message with a response topic as a request the core waits on, with a fresh UUID as correlation data when none was typed', async () => {
    const { publisher, connection, sent } = setup();
    await connection.connect(() => {});
    publisher.loadDraft({ ...emptyDraft(), topic: 'req', payload: 'ping', properties: { ...emptyDraftProperties(), responseTopic: 're/1' } });
    // The preview shows the correlation data the request will carry.
    expect(new TextDecoder().decode(publisher.preview.message?.properties?.correlationData)).toMatch(UUID);
    await publisher.publish();
    await publisher.publish();
    expect(sent.map((s) => s.awaitReplies)).toEqual([true, true]);
    const correlations = sent.map((s) => new TextDecoder().decode(s.properties?.correlationData));
    expect(correlations[0]).toMatch(UUID);
    expect(correlations[1]).toMatch(UUID);
    expect(correlations[0]).not.toBe(correlations[1]);
    expect(publisher.replies.waiting).toEqual({ responseTopic: 're/1', coveredBy: null });
  });

  it('keeps typed correlation data, and sends a plain publish when "Wait for replies" is off or there is no response topic', async () => {
    const { publisher, connection, sent } = setup();
    await connection.connect(() => {});
    publisher.loadDraft({ ...emptyDraft(), topic: 'req', payload: 'x', properties: { ...emptyDraftProperties(), responseTopic: 're/1', correlationData: 'mine' } });
    await publisher.publish();
    expect(new TextDecoder().decode(sent[0]?.properties?.correlationData)).toBe('mine');
    expect(sent[0]?.awaitReplies).toBe(true);

    publisher.replies.waitForReplies = false;
    publisher.loadDraft({ ...emptyDraft(), topic: 'req', payload: 'x', properties: { ...emptyDraftProperties(), responseTopic: 're/1' } });
    await publisher.publish();
    expect(sent[1]?.awaitReplies).toBeUndefined();
    expect(sent[1]?.properties?.correlationData).toBeUndefined();

    publisher.replies.waitForReplies = true;
    publisher.loadDraft({ ...emptyDraft(), topic: 'plain', payload: 'x' });
    await publisher.publish();
    expect(sent[2]).not.toHaveProperty('awaitReplies');
    expect(sent[2]).not.toHaveProperty('properties');
  });

  it('adds nothing on an MQTT 3.1.1 connection', async () => {
    const { publisher, connection, sent } = setup('3.1.1');
    await connection.connect(() => {});
    publisher.loadDraft({ ...emptyDraft(), topic: 'req', payload: 'x', properties: { ...emptyDraftProperties(), responseTopic: 're/1' } });
    await publisher.publish();
    expect(sent[0]).not.toHaveProperty('awaitReplies');
    expect(sent[0]).not.toHaveProperty('properties');
  });

  it('lists the replies of its own connection, newest first, bounded, and clears them with the core', async () => {
    const { api, publisher, connection, calls } = setup();
    await connection.connect(() => {});
    const connectionId = connection.connectionId!;
    api.emit('replies:batch', { connectionId, replies: [reply({ payload: bytes('first') }), reply({ payload: bytes('second'), latencyMs: null, requestTopic: null, correlationData: null })], dropped: 0 });
    api.emit('replies:batch', { connectionId: 'someone-else', replies: [reply({})], dropped: 0 });
    expect(publisher.replies.replies.map((r) => [r.payloadPreview, r.latencyMs, r.correlation])).toEqual([
      ['second', null, null],
      ['first', 12.34, 'id-1'],
    ]);
    api.emit('replies:batch', { connectionId, replies: Array.from({ length: MAX_SHOWN_REPLIES }, () => reply({})), dropped: 3 });
    expect(publisher.replies.replies).toHaveLength(MAX_SHOWN_REPLIES);
    expect(publisher.replies.notShown).toBe(3 + 2);
    await publisher.replies.clear();
    expect(publisher.replies.replies).toEqual([]);
    expect(publisher.replies.waiting).toBeNull();
    expect(calls).toEqual([`clear ${connectionId}`]);
  });

  it('gets a generated response topic from the core', async () => {
    const { publisher, connection } = setup();
    expect(await publisher.replies.newResponseTopic()).toBeNull();
    await connection.connect(() => {});
    expect(await publisher.replies.newResponseTopic()).toBe('topicscope/reply/c1/abcd1234');
  });

  it('shows correlation data as text when printable, else as hex, and latencies to a tenth below 10 ms', () => {
    expect(correlationText(bytes('req-1'))).toBe('req-1');
    expect(correlationText(new Uint8Array([0xde, 0xad, 0x00]))).toBe('de ad 00');
    expect(latencyText(0.42)).toBe('0.4 ms');
    expect(latencyText(1234.6)).toBe('1,235 ms');
  });
});
