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

describe('ConnectionState subscriptions', () => {
  it('disconnected, an edit changes only the form used at the next connect', async () => {
    // Any command would fail the test: nothing reaches the core.
    const connection = new ConnectionState(fakeApi({}), { form: defaultFormFields('topicscope_test'), randomClientId: false });
    const before = connection.form.subscriptions.length;
    expect(await connection.addSubscription('a/+', 1)).toEqual({ applied: true, message: null });
    expect(connection.form.subscriptions).toHaveLength(before + 1);
    expect(await connection.removeSubscription('a/+')).toEqual({ applied: true, message: null });
    expect(connection.form.subscriptions).toHaveLength(before);
  });

  it('connected, subscribes on the broker first and keeps the form as it was when the broker refuses', async () => {
    const api = fakeApi({
      'connection:open': async () => ({ ok: true, value: { sessionPresent: false } }),
      'subscription:add': async ({ filter }) =>
        filter === 'denied/#' ? { ok: false, error: { code: 'SUBSCRIPTION_REFUSED', message: 'The broker refused the subscription to "denied/#".' } } : { ok: true, value: { grantedQos: 1 } },
      'subscription:remove': async () => ({ ok: true, value: {} }),
    });
    const connection = new ConnectionState(api, { form: defaultFormFields('topicscope_test'), randomClientId: false });
    await connection.connect(() => {});
    const connectionId = connection.connectionId!;
    api.emit('connection:status', { connectionId, status: { state: 'connected', since: 0, sessionPresent: false } });
    expect(connection.subscriptionEditing).toEqual({ editable: true, live: true });

    const before = [...connection.form.subscriptions];
    expect(await connection.addSubscription('denied/#', 0)).toEqual({ applied: false, message: 'The broker refused the subscription to "denied/#".' });
    expect(connection.form.subscriptions).toEqual(before);
    expect(await connection.addSubscription('ok/#', 2)).toEqual({ applied: true, message: 'Subscribed to "ok/#", granted QoS 1.' });
    expect(await connection.removeSubscription('ok/#')).toEqual({ applied: true, message: 'Unsubscribed from "ok/#".' });
    expect(connection.form.subscriptions).toEqual(before);
  });

  it('knows what the broker answered to each subscription from the core\'s SUBACK entries, and forgets it on a new connect', async () => {
    const api = fakeApi({
      'connection:open': async () => ({ ok: true, value: { sessionPresent: false } }),
      'connection:close': async () => ({ ok: true, value: {} }),
    });
    const form = { ...defaultFormFields('topicscope_test'), subscriptions: [{ filter: 'a/#', qos: 1 as const }, { filter: 'denied/#', qos: 0 as const }] };
    const connection = new ConnectionState(api, { form, randomClientId: false });
    await connection.connect(() => {});
    const connectionId = connection.connectionId!;
    expect(connection.subscriptionResults.map((r) => r.state)).toEqual(['pending', 'pending']);
    api.emit('connection:log', { connectionId, entry: { time: 1, kind: 'suback', text: 'Subscribed to "a/#", granted QoS 1', reasonCode: 1, filter: 'a/#' } });
    api.emit('connection:log', { connectionId, entry: { time: 2, kind: 'suback', text: 'The broker refused …', reasonCode: 0x87, filter: 'denied/#' } });
    expect(connection.subscriptionResults).toEqual([
      { filter: 'a/#', askedQos: 1, state: 'granted', grantedQos: 1 },
      { filter: 'denied/#', askedQos: 0, state: 'refused', reasonCode: 0x87 },
    ]);

    await connection.disconnect();
    await connection.connect(() => {});
    expect(connection.subscriptionResults.map((r) => r.state)).toEqual(['pending', 'pending']);
  });
});
