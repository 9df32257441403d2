import { describe, expect, it } from 'vitest';
import { defaultFormFields } from '../../renderer/src/connection/connection-form';
import { ConnectionState } from '../../renderer/src/connection/connection-state.svelte';
import type { CommandArgs } from '../../shared/ipc/ipc-contract';
import { fakeApi } from './fake-api';

function state(open: (args: CommandArgs<'connection:open'>) => Promise<boolean>): { connection: ConnectionState; opened: CommandArgs<'connection:open'>[] } {
  const opened: CommandArgs<'connection:open'>[] = [];
  const api = fakeApi({
    'connection:open': async (args) => {
      opened.push(args);
      return (await open(args))
        ? { ok: true, value: { sessionPresent: false } }
        : { ok: false, error: { code: 'NOT_AUTHORIZED', message: 'The broker refused the user name or password.' } };
    },
  });
  const connection = new ConnectionState(api, { form: defaultFormFields('topicscope_test'), profileId: 'p1', randomClientId: false });
  return { connection, opened };
}

describe('ConnectionState.connect', () => {
  it('says the connection opened only when the broker accepted it', async () => {
    const accepted = state(async () => true);
    expect(await accepted.connection.connect(() => {})).toBe(true);
    expect(accepted.opened[0]?.profileId).toBe('p1');

    const refused = state(async () => false);
    expect(await refused.connection.connect(() => {})).toBe(false);
    expect(refused.connection.status).toMatchObject({ state: 'disconnected', error: { code: 'NOT_AUTHORIZED' } });
  });

  it('says no, without asking the core, when the form is invalid', async () => {
    const { connection, opened } = state(async () => true);
    connection.form.port = 'not a port';
    expect(await connection.connect(() => {})).toBe(false);
    expect(opened).toEqual([]);
    expect(connection.formError?.code).toBe('INVALID_INPUT');
  });
});
