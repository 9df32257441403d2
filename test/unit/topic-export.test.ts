/**
 * The Export dialog's state: what it sends to `export:save`, what the page downloads in
 * browser mode, and what it tells the user (a cancelled dialog says nothing; a file too
 * large is refused before anything crosses the boundary).
 */
import { describe, expect, it } from 'vitest';
import { ExplorerState } from '../../renderer/src/explorer/explorer-state.svelte';
import type { CommandArgs } from '../../shared/ipc/ipc-contract';
import type { ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { csvObjects } from '../support/csv-records';
import { nodeAt } from '../support/tree-lookup';
import { fakeApi, type CommandHandlers } from './fake-api';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 6);

function message(topic: string, payload: string, receivedAt: number): ReceivedMessage {
  const bytes = new TextEncoder().encode(payload);
  return { topic, payload: bytes, payloadSize: bytes.byteLength, qos: 1, retain: false, receivedAt, coalesced: 0 };
}

function setup(handlers: CommandHandlers) {
  const api = fakeApi({ 'messages:ack': async () => ({ ok: true, value: {} }), ...handlers });
  const explorer = new ExplorerState({ api, connectionId: 'conn_1' }, { requestFrame: () => {} });
  explorer.ingest({
    connectionId: 'conn_1',
    seq: 0,
    coalesced: 0,
    truncated: 0,
    rendererBehind: false,
    messages: [message('plant/temp', '{"t":1}', T0), message('plant/temp', '{"t":2}', T0 + 1), message('plant/hum', '40', T0 + 2)],
  });
  explorer.select(nodeAt(explorer.tree, 'plant/temp'));
  const selected = explorer.view.selected;
  if (!selected) throw new Error('nothing selected');
  return { explorer, selected, topicExport: explorer.topicExport };
}

describe('TopicExport (the Export dialog)', () => {
  it('in browser mode, sends the history oldest first as CSV and downloads the same text under the name the core accepted', async () => {
    const sent: CommandArgs<'export:save'>[] = [];
    const { selected, topicExport } = setup({
      'export:save': async (args) => {
        sent.push(args);
        return { ok: true, value: { fileName: args.fileName, savedTo: null, download: true } };
      },
    });
    const downloads: [string, string, string][] = [];
    await topicExport.save(selected, (...file) => downloads.push(file));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.fileName).toBe('plant-temp-history.csv');
    expect(csvObjects(sent[0]!.text.slice(1)).rows.map((row) => row['t'])).toEqual(['1', '2']);
    expect(downloads).toEqual([['plant-temp-history.csv', sent[0]!.text, 'text/csv']]);
    expect(topicExport.report).toEqual({ ok: true, text: '2 messages exported. Downloaded plant-temp-history.csv.', notes: [] });
  });

  it('in the desktop app, says where the subtree went, and nothing when the user cancelled the dialog', async () => {
    let savedTo: string | null = '/home/u/plant-subtree.jsonl';
    const { explorer, topicExport } = setup({ 'export:save': async ({ fileName }) => ({ ok: true, value: { fileName, savedTo, download: false } }) });
    explorer.select(nodeAt(explorer.tree, 'plant'));
    const plant = explorer.view.selected!;
    topicExport.open(plant);
    expect(topicExport.scope).toBe('subtree');
    topicExport.setFormat('jsonl');
    const noDownload = (): void => {
      throw new Error('the desktop app downloads nothing');
    };
    await topicExport.save(plant, noDownload);
    expect(topicExport.report?.text).toBe('2 messages exported. Saved /home/u/plant-subtree.jsonl.');
    savedTo = null;
    await topicExport.save(plant, noDownload);
    expect(topicExport.report).toBeNull();
  });

  it('shows the core\'s refusal as it is', async () => {
    const { selected, topicExport } = setup({ 'export:save': async () => ({ ok: false, error: { code: 'INVALID_INPUT', message: 'fileName: no.' } }) });
    await topicExport.save(selected, () => {});
    expect(topicExport.report).toEqual({ ok: false, text: 'fileName: no.', notes: [] });
  });
});
