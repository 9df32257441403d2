import { describe, expect, it } from 'vitest';
import { defaultFormFields } from '../../renderer/src/connection/connection-form';
import { ConnectionState } from '../../renderer/src/connection/connection-state.svelte';
import { ExplorerState } from '../../renderer/src/explorer/explorer-state.svelte';
import { PublishState } from '../../renderer/src/publish/publish-state.svelte';
import type { CommandArgs, CommandResult } from '../../shared/ipc/ipc-contract';
import { emptyDraft, emptyDraftProperties, type MessageDraft } from '../../shared/publish/message-draft';
import { fakeApi } from './fake-api';

const draft = (overrides: Partial<MessageDraft>): MessageDraft => ({ ...emptyDraft(), ...overrides });
const text = (payload: CommandArgs<'message:publish'>['payload']): string => (typeof payload === 'string' ? payload : new TextDecoder().decode(payload));

function setup(answer: (args: CommandArgs<'message:publish'>) => CommandResult<'message:publish'>, mqttVersion: '5' | '3.1.1' = '5'): {
  publisher: PublishState;
  explorer: ExplorerState;
  connection: ConnectionState;
  sent: CommandArgs<'message:publish'>[];
} {
  const sent: CommandArgs<'message:publish'>[] = [];
  const api = fakeApi({
    'connection:open': async () => ({ ok: true, value: { sessionPresent: false } }),
    'message:publish': async (args) => {
      sent.push(args);
      return answer(args);
    },
  });
  const connection = new ConnectionState(api, { form: defaultFormFields('topicscope_test', mqttVersion), randomClientId: false });
  const explorer = new ExplorerState(null, { requestFrame: () => {} });
  const publisher = new PublishState(api, connection, () => explorer);
  return { publisher, explorer, connection, sent };
}

describe('PublishState', () => {
  it('sends nothing without a connection', async () => {
    const { publisher, sent } = setup(() => ({ ok: true, value: { acknowledged: false } }));
    publisher.loadDraft(draft({ topic: 'a', payload: 'x' }));
    await publisher.publish();
    expect(sent).toEqual([]);
    expect(publisher.outcome).toBeNull();
  });

  it('says whether the broker acknowledged it, and tells the explorer about an accepted retained value', async () => {
    const { publisher, explorer, connection, sent } = setup(({ qos }) => ({ ok: true, value: { acknowledged: qos > 0 } }));
    await connection.connect(() => {});
    publisher.loadDraft(draft({ topic: 'lamp', payload: 'on', qos: 1, retain: true }));
    await publisher.publish();
    expect(sent.map((args) => ({ ...args, payload: text(args.payload) }))).toEqual([{ connectionId: connection.connectionId, topic: 'lamp', payload: 'on', qos: 1, retain: true }]);
    expect(publisher.outcome).toEqual({ ok: true, text: 'Published, acknowledged by the broker (QoS 1).' });
    expect(publisher.sending).toBe(false);
    expect([...explorer.tree.retained].map((n) => n.topic)).toEqual(['lamp']);

    publisher.loadDraft(draft({ topic: 'plain', payload: 'x' }));
    await publisher.publish();
    expect(publisher.outcome).toEqual({ ok: true, text: 'Sent (QoS 0 is not acknowledged).' });
    publisher.clearOutcome();
    expect(publisher.outcome).toBeNull();
  });

  it('shows the error the core returned and tells the explorer nothing', async () => {
    const { publisher, explorer, connection } = setup(() => ({ ok: false, error: { code: 'PUBLISH_REFUSED', message: 'The broker refused the publish: not authorized.' } }));
    await connection.connect(() => {});
    publisher.loadDraft(draft({ topic: 'lamp', payload: 'on', qos: 1, retain: true }));
    await publisher.publish();
    expect(publisher.outcome).toEqual({ ok: false, text: 'The broker refused the publish: not authorized.' });
    expect(explorer.tree.retained.size).toBe(0);
  });

  it('expands variables per publish: {{counter}} grows with each message sent', async () => {
    const { publisher, connection, sent } = setup(() => ({ ok: true, value: { acknowledged: true } }));
    await connection.connect(() => {});
    publisher.loadDraft(draft({ topic: 'count/{{clientId}}', payload: '{"n": {{counter}}}', format: 'json' }));
    expect(publisher.preview.payloadText).toBe('{"n": 1}');
    await publisher.publish();
    await publisher.publish();
    expect(sent.map((args) => [args.topic, text(args.payload)])).toEqual([
      ['count/topicscope_test', '{"n": 1}'],
      ['count/topicscope_test', '{"n": 2}'],
    ]);
    expect(publisher.preview.payloadText).toBe('{"n": 3}');
  });

  it('blocks Publish with the reason while the payload cannot be made, and sends nothing', async () => {
    const { publisher, connection, sent } = setup(() => ({ ok: true, value: { acknowledged: true } }));
    await connection.connect(() => {});
    publisher.loadDraft(draft({ topic: 't', payload: '{"a": }', format: 'json' }));
    expect(publisher.blockingProblem).toMatch(/^Not valid JSON: .* \(line 1, column 7\)\.$/);
    await publisher.publish();
    expect(sent).toEqual([]);
    publisher.draft.payload = '{"a":1}';
    publisher.formatJson();
    expect(publisher.draft.payload).toBe('{\n  "a": 1\n}');
    expect(publisher.blockingProblem).toBeNull();
  });

  it('sends the properties on MQTT 5 and none on 3.1.1', async () => {
    const properties = { ...emptyDraftProperties(), contentType: 'text/plain', userProperties: [{ name: 'a', value: '1' }] };
    const five = setup(() => ({ ok: true, value: { acknowledged: true } }));
    await five.connection.connect(() => {});
    five.publisher.loadDraft(draft({ topic: 't', payload: 'x', properties }));
    await five.publisher.publish();
    expect(five.sent[0]?.properties).toEqual({ contentType: 'text/plain', userProperties: [['a', '1']] });

    const three = setup(() => ({ ok: true, value: { acknowledged: true } }), '3.1.1');
    await three.connection.connect(() => {});
    three.publisher.loadDraft(draft({ topic: 't', payload: 'x', properties }));
    expect(three.publisher.mqtt5).toBe(false);
    await three.publisher.publish();
    expect(three.sent[0]).not.toHaveProperty('properties');
  });

  it('a file is sent as its bytes; clearing it returns to the text, and a loaded draft is a copy', async () => {
    const { publisher, connection, sent } = setup(() => ({ ok: true, value: { acknowledged: true } }));
    await connection.connect(() => {});
    const saved = draft({ topic: 't', payload: 'typed' });
    publisher.loadDraft(saved);
    publisher.draft.payload = 'edited';
    expect(saved.payload).toBe('typed');
    publisher.useFile('frame.bin', Uint8Array.of(0, 0xff));
    expect(publisher.preview.payload?.byteLength).toBe(2);
    await publisher.publish();
    expect([...(sent[0]?.payload as Uint8Array)]).toEqual([0, 0xff]);
    publisher.clearFile();
    expect(text(publisher.preview.payload ?? new Uint8Array())).toBe('edited');
  });

  it('messages sent without waiting for the broker each get their own {{counter}}', async () => {
    const { publisher, connection, sent } = setup(() => ({ ok: true, value: { acknowledged: true } }));
    await connection.connect(() => {});
    publisher.loadDraft(draft({ topic: 'n/{{counter}}', payload: '', qos: 1 }));
    const sending: Promise<unknown>[] = [];
    for (let i = 0; i < 3; i++) {
      const message = publisher.nextMessage().message;
      if (message) sending.push(publisher.send(message));
    }
    await Promise.all(sending);
    expect(sent.map((args) => args.topic)).toEqual(['n/1', 'n/2', 'n/3']);
  });
});
