import { describe, expect, it } from 'vitest';
import { defaultFormFields } from '../../renderer/src/connection/connection-form';
import { ConnectionState } from '../../renderer/src/connection/connection-state.svelte';
import { ExplorerState } from '../../renderer/src/explorer/explorer-state.svelte';
import { PublishState } from '../../renderer/src/publish/publish-state.svelte';
import type { CommandArgs, CommandResult } from '../../shared/ipc/ipc-contract';
import { fakeApi } from './fake-api';

function setup(answer: (args: CommandArgs<'message:publish'>) => CommandResult<'message:publish'>): {
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
  const connection = new ConnectionState(api, { form: defaultFormFields('topicscope_test'), randomClientId: false });
  const explorer = new ExplorerState(null, { requestFrame: () => {} });
  const publisher = new PublishState(api, connection, () => explorer);
  return { publisher, explorer, connection, sent };
}

describe('PublishState', () => {
  it('sends nothing without a connection', async () => {
    const { publisher, sent } = setup(() => ({ ok: true, value: { acknowledged: false } }));
    await publisher.publish({ topic: 'a', payload: 'x', qos: 0, retain: false });
    expect(sent).toEqual([]);
    expect(publisher.outcome).toBeNull();
  });

  it('says whether the broker acknowledged it, and tells the explorer about an accepted retained value', async () => {
    const { publisher, explorer, connection, sent } = setup(({ qos }) => ({ ok: true, value: { acknowledged: qos > 0 } }));
    await connection.connect(() => {});
    await publisher.publish({ topic: 'lamp', payload: 'on', qos: 1, retain: true });
    expect(sent).toEqual([{ connectionId: connection.connectionId, topic: 'lamp', payload: 'on', qos: 1, retain: true }]);
    expect(publisher.outcome).toEqual({ ok: true, text: 'Published, acknowledged by the broker (QoS 1).' });
    expect(publisher.sending).toBe(false);
    expect([...explorer.tree.retained].map((n) => n.topic)).toEqual(['lamp']);

    await publisher.publish({ topic: 'plain', payload: 'x', qos: 0, retain: false });
    expect(publisher.outcome).toEqual({ ok: true, text: 'Sent (QoS 0 is not acknowledged).' });
    publisher.clearOutcome();
    expect(publisher.outcome).toBeNull();
  });

  it('shows the error the core returned and tells the explorer nothing', async () => {
    const { publisher, explorer, connection } = setup(() => ({ ok: false, error: { code: 'PUBLISH_REFUSED', message: 'The broker refused the publish: not authorized.' } }));
    await connection.connect(() => {});
    await publisher.publish({ topic: 'lamp', payload: 'on', qos: 1, retain: true });
    expect(publisher.outcome).toEqual({ ok: false, text: 'The broker refused the publish: not authorized.' });
    expect(explorer.tree.retained.size).toBe(0);
  });
});
