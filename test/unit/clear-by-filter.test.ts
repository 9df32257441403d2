import { describe, expect, it } from 'vitest';
import { ExplorerState } from '../../renderer/src/explorer/explorer-state.svelte';
import { clearedText, clearingText, foundNotes } from '../../renderer/src/retained/clear-texts';
import type { CommandArgs, CommandValues } from '../../shared/ipc/ipc-contract';
import type { ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { clearButtonText, clearFilterProblem, firstTopicOutside, retainedMatchText } from '../../shared/retained/clear-retained';
import { fakeApi, type CommandHandlers } from './fake-api';

const CONNECTION = 'conn_1';

function retained(topic: string): ReceivedMessage {
  const payload = new TextEncoder().encode('v');
  return { topic, payload, payloadSize: payload.byteLength, qos: 0, retain: true, receivedAt: 0, coalesced: 0 };
}

function setup(handlers: CommandHandlers) {
  const api = fakeApi({ 'messages:ack': async () => ({ ok: true, value: {} }), ...handlers });
  const explorer = new ExplorerState({ api, connectionId: CONNECTION }, { requestFrame: () => {} });
  return { api, explorer, clearing: explorer.clearByFilter };
}

const found = (topics: string[]): CommandValues['retained:find'] => ({ topics, truncated: false, ended: 'quiet', tookMs: 800 });

describe('ClearByFilter (the Clear retained messages dialog)', () => {
  it('refuses a "$" filter without asking the core', async () => {
    const { clearing } = setup({});
    clearing.setFilter('$SYS/#');
    await clearing.find();
    expect(clearing.error).toContain('belong to the broker');
    expect(clearing.phase.kind).toBe('idle');
  });

  it('finds, counts what the tree had not seen, and clears only after a find with the filter as it reads', async () => {
    const cleared: CommandArgs<'retained:clear'>[] = [];
    const { api, explorer, clearing } = setup({
      'retained:find': async () => ({ ok: true, value: found(['d/1/s', 'd/2/s', 'd/3/s']) }),
      'retained:clear': async (args) => {
        cleared.push(args);
        api.emit('retained:clear-progress', { connectionId: CONNECTION, done: 2, failed: 1, total: 3 });
        expect(clearing.phase).toMatchObject({ kind: 'clearing', done: 2, failed: 1, total: 3 });
        return { ok: true, value: { cleared: 2, failures: [{ topic: 'd/2/s', reason: 'Refused by the broker' }], notSent: 0, ended: 'done', remaining: 1, clearMs: 5, tookMs: 900 } };
      },
    });
    explorer.ingest({ connectionId: CONNECTION, seq: 0, messages: [retained('d/1/s'), retained('d/2/s')], coalesced: 0, truncated: 0, rendererBehind: false });

    await clearing.clear();
    expect(cleared).toEqual([]);
    clearing.setFilter('d/+/s');
    await clearing.find();
    expect(clearing.phase).toMatchObject({ kind: 'found', unseen: 1 });
    clearing.setFilter('d/+/x');
    expect(clearing.phase.kind).toBe('idle');
    await clearing.clear();
    expect(cleared).toEqual([]);

    clearing.setFilter('d/+/s');
    await clearing.find();
    await clearing.clear();
    expect(cleared).toEqual([{ connectionId: CONNECTION, filter: 'd/+/s', topics: ['d/1/s', 'd/2/s', 'd/3/s'] }]);
    expect(clearing.phase.kind).toBe('cleared');
    // The cleared value is forgotten; the failed one is still retained in the tree.
    expect(explorer.tree.find('d/1/s')?.retainedMessage).toBeNull();
    expect(explorer.tree.find('d/2/s')?.retainedMessage).not.toBeNull();
  });

  it('a failed clear keeps the list, so the user can try again', async () => {
    const { clearing } = setup({
      'retained:find': async () => ({ ok: true, value: found(['a']) }),
      'retained:clear': async () => ({ ok: false, error: { code: 'NOT_AUTHORIZED', message: 'A second connection to the broker failed.' } }),
    });
    clearing.setFilter('#');
    await clearing.find();
    await clearing.clear();
    expect(clearing.error).toBe('A second connection to the broker failed.');
    expect(clearing.phase).toMatchObject({ kind: 'found', filter: '#' });
  });
});

describe('what the dialog says', () => {
  it('the counts, formatted as the app formats counts', () => {
    expect(retainedMatchText(10_000)).toBe('10,000 retained messages match');
    expect(retainedMatchText(0)).toBe('0 retained messages match');
    expect(retainedMatchText(1)).toBe('1 retained message matches');
    expect(clearButtonText(10_000)).toBe('Clear 10,000 retained messages');
    expect(clearingText(10_000, 3_400, 0)).toBe('Cleared 3,400 of 10,000');
    expect(clearingText(10_000, 3_400, 2)).toBe('Cleared 3,398 of 10,000 (2 failed)');
  });

  it('the outcome: cleared, failed, stopped, and what the broker holds after', () => {
    const base = { clearMs: 1, tookMs: 1, failures: [], notSent: 0, remaining: 0 };
    expect(clearedText('#', 5, { ...base, cleared: 5, ended: 'done' })).toBe('Cleared 5 retained messages. The broker now holds 0 retained messages matching "#".');
    expect(clearedText('#', 5, { ...base, cleared: 3, ended: 'stopped', notSent: 2, remaining: null })).toBe('Cleared 3 of 5 retained messages. Stopped: 2 were not sent.');
    expect(clearedText('#', 2, { ...base, cleared: 1, ended: 'done', failures: [{ topic: 'x', reason: 'r' }], remaining: 1 })).toBe(
      'Cleared 1 of 2 retained messages. 1 could not be cleared (listed below). The broker now holds 1 retained message matching "#".',
    );
    expect(foundNotes({ topics: ['a', 'b'], truncated: true, ended: 'limit', tookMs: 1 }, 1)).toEqual([
      'More match than the 2 listed: clear these, then find again for the rest.',
      '1 of them was not in the topic tree.',
    ]);
  });

  it('filters: "$" refused, a clear stays inside its filter', () => {
    expect(clearFilterProblem('devices/+/status')).toBeNull();
    expect(clearFilterProblem('#')).toBeNull();
    expect(clearFilterProblem('$share/g/#')).toContain('shared subscriptions');
    expect(clearFilterProblem('a/#/b')).toContain('"#" must be a whole level');
    expect(firstTopicOutside('devices/+/status', ['devices/1/status', 'devices/1/config'])).toBe('devices/1/config');
    expect(firstTopicOutside('#', ['a', 'b/c'])).toBeNull();
  });
});
