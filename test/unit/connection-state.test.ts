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

describe('ConnectionState editing an open connection', () => {
  async function connected(): Promise<{ connection: ConnectionState; api: ReturnType<typeof fakeApi>; closed: string[]; opened: CommandArgs<'connection:open'>[] }> {
    const closed: string[] = [];
    const opened: CommandArgs<'connection:open'>[] = [];
    const api = fakeApi({
      'connection:open': async (args) => (opened.push(args), { ok: true, value: { sessionPresent: false } }),
      'connection:close': async ({ connectionId }) => (closed.push(connectionId), { ok: true, value: {} }),
      'subscription:add': async () => ({ ok: true, value: { grantedQos: 0 } }),
    });
    const connection = new ConnectionState(api, { form: defaultFormFields('topicscope_test'), randomClientId: false });
    await connection.connect(() => {});
    api.emit('connection:status', { connectionId: connection.connectionId!, status: { state: 'connected', since: 0, sessionPresent: false } });
    return { connection, api, closed, opened };
  }

  it('shows the header instead of the form once open, and the form again while editing', async () => {
    const { connection } = await connected();
    expect(connection.formShown).toBe(false);
    expect(connection.opened).toEqual({ target: 'mqtt://localhost:1883', mqttVersion: '5', clientId: 'topicscope_test', via: null });
    connection.startEditing();
    expect(connection.formShown).toBe(true);
    expect(connection.editing).toBe(true);
  });

  it('Cancel puts the settings back but keeps a subscription added live meanwhile', async () => {
    const { connection } = await connected();
    connection.startEditing();
    connection.form.host = 'elsewhere.example';
    connection.randomClientId = true;
    await connection.addSubscription('live/#', 0);
    expect(connection.hasEdits).toBe(true);
    connection.cancelEditing();
    expect(connection.form.host).toBe('localhost');
    expect(connection.randomClientId).toBe(false);
    expect(connection.form.subscriptions.map((s) => s.filter)).toContain('live/#');
    expect(connection.formShown).toBe(false);
  });

  it('a subscription changed live is not a setting that needs a reconnect', async () => {
    const { connection } = await connected();
    connection.startEditing();
    await connection.addSubscription('live/#', 0);
    expect(connection.hasEdits).toBe(false);
  });

  it('reconnect closes the open connection and opens one with the edited settings', async () => {
    const { connection, closed, opened } = await connected();
    const first = connection.connectionId;
    connection.startEditing();
    connection.form.clientId = 'edited-client';
    expect(await connection.reconnect(() => {})).toBe(true);
    expect(closed).toEqual([first]);
    expect(opened.at(-1)?.config.clientId).toBe('edited-client');
    expect(connection.opened?.clientId).toBe('edited-client');
    expect(connection.connectionId).not.toBe(first);
    expect(connection.editing).toBe(false);
  });

  it('invalid edited settings close nothing and keep the form open with the reason', async () => {
    const { connection, closed } = await connected();
    connection.startEditing();
    connection.form.port = 'not a port';
    expect(await connection.reconnect(() => {})).toBe(false);
    expect(closed).toEqual([]);
    expect(connection.editing).toBe(true);
    expect(connection.formError?.code).toBe('INVALID_INPUT');
  });
});

describe('ConnectionState reconnecting with edited settings', () => {
  it('does not show the old connection closing: the tab never looks disconnected in between', async () => {
    let emitClosed: () => void = () => {};
    const api = fakeApi({
      'connection:open': async () => ({ ok: true, value: { sessionPresent: false } }),
      'connection:close': async () => (emitClosed(), { ok: true, value: {} }),
    });
    const connection = new ConnectionState(api, { form: defaultFormFields('topicscope_test'), randomClientId: false });
    await connection.connect(() => {});
    const first = connection.connectionId!;
    api.emit('connection:status', { connectionId: first, status: { state: 'connected', since: 0, sessionPresent: false } });
    const seen: string[] = [];
    emitClosed = () => {
      api.emit('connection:status', { connectionId: first, status: { state: 'disconnected' } });
      seen.push(connection.status.state);
    };
    connection.startEditing();
    connection.form.clientId = 'edited-client';
    await connection.reconnect(() => {});
    expect(seen).toEqual(['connected']);
    expect(connection.status.state).toBe('connecting');
  });
});

describe('ConnectionState on a broker with EMQX\'s default ACL', () => {
  async function refusedWholeTree(refuse: (filter: string) => boolean) {
    const calls: string[] = [];
    const api = fakeApi({
      'connection:open': async () => ({ ok: true, value: { sessionPresent: false } }),
      'subscription:add': async ({ filter }) => {
        calls.push(`add ${filter}`);
        return refuse(filter) ? { ok: false, error: { code: 'SUBSCRIPTION_REFUSED', message: `The broker refused the subscription to "${filter}".` } } : { ok: true, value: { grantedQos: 1 } };
      },
      'subscription:remove': async ({ filter }) => (calls.push(`remove ${filter}`), { ok: true, value: {} }),
    });
    const connection = new ConnectionState(api, { form: defaultFormFields('topicscope_test'), randomClientId: false });
    await connection.connect(() => {});
    const connectionId = connection.connectionId!;
    api.emit('connection:status', { connectionId, status: { state: 'connected', since: 0, sessionPresent: false } });
    for (const filter of ['#', '$SYS/#']) api.emit('connection:log', { connectionId, entry: { time: 1, kind: 'suback', text: 'refused', reasonCode: 0x87, filter } });
    return { connection, calls };
  }

  it('subscribes to "+" and "+/+/#" live, then leaves the refused "#" out of the form', async () => {
    const { connection, calls } = await refusedWholeTree(() => false);
    const change = await connection.subscribeWholeTreeInstead();
    expect(change).toEqual({ applied: true, message: 'Subscribed to "+" and "+/+/#" instead of "#".' });
    expect(calls).toEqual(['add +', 'add +/+/#', 'remove #']);
    expect(connection.form.subscriptions.map((s) => s.filter)).toEqual(['$SYS/#', '+', '+/+/#']);
  });

  it('keeps "#" in the form when the broker refuses the replacement too', async () => {
    const { connection, calls } = await refusedWholeTree((filter) => filter === '+/+/#');
    const change = await connection.subscribeWholeTreeInstead();
    expect(change).toEqual({ applied: false, message: 'The broker refused the subscription to "+/+/#".' });
    expect(calls).toEqual(['add +', 'add +/+/#']);
    expect(connection.form.subscriptions.map((s) => s.filter)).toEqual(['#', '$SYS/#', '+']);
  });

  it('offers the other MQTT version only after the broker refused the one asked for', async () => {
    const api = fakeApi({ 'connection:open': async () => ({ ok: false, error: { code: 'PROTOCOL_VERSION_REFUSED', message: 'The broker does not support MQTT 5: connect with MQTT 3.1.1.', reasonCode: 0x84 } }) });
    const connection = new ConnectionState(api, { form: defaultFormFields('topicscope_test'), randomClientId: false });
    expect(connection.versionFallback).toBeNull();
    await connection.connect(() => {});
    expect(connection.versionFallback).toBe('3.1.1');
  });
});
