import { describe, expect, it } from 'vitest';
import { defaultFormFields } from '../../renderer/src/connection/connection-form';
import { ConnectionState } from '../../renderer/src/connection/connection-state.svelte';
import { ExplorerState } from '../../renderer/src/explorer/explorer-state.svelte';
import { PublishState } from '../../renderer/src/publish/publish-state.svelte';
import type { CommandArgs, EventPayloads } from '../../shared/ipc/ipc-contract';
import { emptyDraft } from '../../shared/publish/message-draft';
import { parseRepeatPeriod, parseRepeatTimes, repeatSkippedText, repeatStatusText, type RepeatProgress } from '../../shared/publish/repeat-progress';
import { fakeApi, type FakeApi } from './fake-api';

function progress(overrides: Partial<RepeatProgress> = {}): RepeatProgress {
  return {
    sent: 0, acknowledged: 0, waiting: 0, peakWaiting: 0, window: 16, failed: 0, total: null, periodMs: 100, qos: 1,
    skippedFull: 0, skippedLate: 0, nextCounter: 1, state: 'running', ended: null, problem: null, retained: [],
    ...overrides,
  };
}

async function setup(): Promise<{ api: FakeApi; publisher: PublishState; explorer: ExplorerState; connection: ConnectionState; started: CommandArgs<'publish:repeat-start'>[]; stops: number[] }> {
  const started: CommandArgs<'publish:repeat-start'>[] = [];
  const stops: number[] = [];
  const api = fakeApi({
    'connection:open': async () => ({ ok: true, value: { sessionPresent: false } }),
    'publish:repeat-start': async (args) => {
      started.push(args);
      return { ok: true, value: { window: 16 } };
    },
    'publish:repeat-stop': async () => {
      stops.push(1);
      return { ok: true, value: { stopped: true } };
    },
  });
  const connection = new ConnectionState(api, { form: defaultFormFields('topicscope_test', '5'), randomClientId: false });
  const explorer = new ExplorerState(null, { requestFrame: () => {} });
  const publisher = new PublishState(api, connection, () => explorer);
  await connection.connect(() => {});
  return { api, publisher, explorer, connection, started, stops };
}

describe('the repeat fields', () => {
  it('"Repeat every (ms)": empty or 0 is no repeat, 1 to 86,400,000 a period, anything else a problem', () => {
    expect(parseRepeatPeriod('')).toEqual({ ok: true, value: null });
    expect(parseRepeatPeriod(' 0 ')).toEqual({ ok: true, value: null });
    expect(parseRepeatPeriod('1,000')).toEqual({ ok: true, value: 1000 });
    expect(parseRepeatPeriod('1.5')).toEqual({ ok: false, problem: 'Repeat every (ms) must be a whole number; "1.5" is not.' });
    expect(parseRepeatPeriod('86400001')).toEqual({ ok: false, problem: 'Repeat every (ms) must be from 1 to 86,400,000.' });
  });

  it('"Times": empty repeats until stopped; 0 is a problem', () => {
    expect(parseRepeatTimes('')).toEqual({ ok: true, value: null });
    expect(parseRepeatTimes('500')).toEqual({ ok: true, value: 500 });
    expect(parseRepeatTimes('0')).toEqual({ ok: false, problem: 'Times must be from 1 to 100,000,000.' });
  });
});

describe('the live count', () => {
  it('says how many were sent of how many, and how many wait for the broker', () => {
    expect(repeatStatusText(progress({ sent: 120, total: 500, waiting: 3 }))).toBe('Sent 120 of 500 · 3 waiting for the broker');
    expect(repeatStatusText(progress({ sent: 1_234, qos: 0 }))).toBe('Sent 1,234');
    expect(repeatStatusText(progress({ sent: 500, total: 500, acknowledged: 500, state: 'ended', ended: 'done' }))).toBe('Sent 500 of 500 · done');
    expect(repeatStatusText(progress({ sent: 7, waiting: 2, state: 'ended', ended: 'connection-lost' }))).toBe('Sent 7 · 2 waiting for the broker · stopped: the connection was lost');
  });

  it('says why ticks were skipped', () => {
    expect(repeatSkippedText(progress())).toBeNull();
    expect(repeatSkippedText(progress({ skippedFull: 12, window: 16 }))).toBe('12 ticks skipped: the broker was slower than the period (16 waiting at most).');
    expect(repeatSkippedText(progress({ skippedLate: 1, qos: 0 }))).toBe('1 tick skipped: the app was busy past them.');
  });
});

describe('RepeatState', () => {
  it('starts the repeat in the core with the draft, the file, the client ID and the counter, once', async () => {
    const { publisher, connection, started } = await setup();
    publisher.loadDraft({ ...emptyDraft(), topic: 'a/b', payload: 'n={{counter}}', qos: 1 });
    publisher.continueCounterAt(7);
    publisher.useFile('blob.bin', new Uint8Array([1, 2, 3]));
    publisher.repeat.periodText = '250';
    publisher.repeat.timesText = '500';
    expect(publisher.repeat.plan).toBe('Publish sends a message every 250 ms, 500 times.');
    await publisher.repeat.start();
    expect(started).toEqual([
      { connectionId: connection.connectionId, draft: { ...emptyDraft(), topic: 'a/b', payload: 'n={{counter}}', qos: 1 }, file: new Uint8Array([1, 2, 3]), clientId: 'topicscope_test', counterStart: 7, periodMs: 250, times: 500 },
    ]);
    expect(publisher.repeat.running).toBe(true);
  });

  it('shows the count as events arrive, continues the counter, and stops', async () => {
    const { api, publisher, connection, stops } = await setup();
    const connectionId = connection.connectionId!;
    publisher.loadDraft({ ...emptyDraft(), topic: 'a', payload: 'x' });
    publisher.repeat.periodText = '10';
    await publisher.repeat.start();
    api.emit('publish:repeat-progress', { connectionId, ...progress({ sent: 120, total: 500, waiting: 3, nextCounter: 121 }) });
    expect(publisher.repeat.statusText).toBe('Sent 120 of 500 · 3 waiting for the broker');
    expect(publisher.counter).toBe(121);
    // Another connection's repeat is not this tab's.
    api.emit('publish:repeat-progress', { connectionId: 'other', ...progress({ sent: 9 }) });
    expect(publisher.repeat.progress?.sent).toBe(120);

    await publisher.repeat.stop();
    expect(stops).toHaveLength(1);
    expect(publisher.repeat.stopping).toBe(true);
    api.emit('publish:repeat-progress', { connectionId, ...progress({ sent: 130, total: 500, nextCounter: 131, state: 'ended', ended: 'stopped' }) });
    expect(publisher.repeat.running).toBe(false);
    expect(publisher.repeat.stopping).toBe(false);
    expect(publisher.repeat.statusText).toBe('Sent 130 of 500 · stopped');
    expect(publisher.counter).toBe(131);
  });

  it('tells the explorer each retained value the broker took, as a single publish does', async () => {
    const { api, publisher, explorer, connection } = await setup();
    publisher.repeat.periodText = '10';
    const payload = new TextEncoder().encode('on');
    const event: EventPayloads['publish:repeat-progress'] = { connectionId: connection.connectionId!, ...progress({ retained: [{ topic: 'lamp/1', payload, qos: 1 }] }) };
    api.emit('publish:repeat-progress', event);
    expect([...explorer.tree.retained].map((n) => n.topic)).toEqual(['lamp/1']);
    expect(explorer.tree.find('lamp/1')?.retainedMessage?.payload).toEqual(payload);
  });

  it('does not start a draft that makes no message, and says why', async () => {
    const { publisher, started } = await setup();
    publisher.loadDraft({ ...emptyDraft(), topic: 'a', payload: '{"a": ', format: 'json' });
    publisher.repeat.periodText = '100';
    await publisher.repeat.start();
    expect(started).toEqual([]);
    expect(publisher.repeat.problem).toMatch(/JSON/);
    expect(publisher.repeat.running).toBe(false);
  });

  it('reports the core refusing to start (a repeat already runs)', async () => {
    const { publisher, connection } = await setup();
    const api = fakeApi({ 'publish:repeat-start': async () => ({ ok: false, error: { code: 'BUSY', message: 'A repeat is already running on this connection: stop it first.' } }) });
    const other = new PublishState(api, connection, () => new ExplorerState(null, { requestFrame: () => {} }));
    other.loadDraft({ ...emptyDraft(), topic: 'a', payload: 'x' });
    other.repeat.periodText = '5';
    await other.repeat.start();
    expect(other.repeat.problem).toBe('A repeat is already running on this connection: stop it first.');
    expect(other.repeat.running).toBe(false);
    expect(publisher.repeat.running).toBe(false);
  });
});
