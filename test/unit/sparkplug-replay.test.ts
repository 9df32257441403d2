import { describe, expect, it } from 'vitest';
import type { SparkplugPayload } from '../../shared/inspect/decode/decoded-payload';
import { replaySparkplugNode, type KeptSparkplugMessage, type KeptSparkplugTopic } from '../../shared/inspect/sparkplug/sparkplug-replay';
import { parseSparkplugTopic, type SparkplugDeviceTopic, type SparkplugNodeTopic } from '../../shared/inspect/sparkplug/sparkplug-topic';
import { tahuPayload, type UPayload } from './tahu-sparkplug';

function topic(text: string): SparkplugNodeTopic | SparkplugDeviceTopic {
  const parsed = parseSparkplugTopic(text);
  if (!parsed || parsed.kind === 'state') throw new Error(`not a node or device topic: ${text}`);
  return parsed;
}

/** A topic's kept history from messages given oldest first (the tree hands them newest first). */
function kept(text: string, messages: [receivedAt: number, payload: UPayload | SparkplugPayload | { error: string }, coalesced?: number][], trimmed = false): KeptSparkplugTopic {
  const list: KeptSparkplugMessage[] = messages.map(([receivedAt, payload, coalesced = 0]) => ({
    receivedAt,
    coalesced,
    payload: 'error' in payload ? payload : tahuPayload(payload as UPayload),
  }));
  return { topic: topic(text), messages: list.reverse(), trimmed };
}

const nbirth = (seq: number, bdSeq: number): UPayload => ({ seq, metrics: [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }, { name: 'Temp', alias: 1, type: 'Double', value: 20 }] });
const dbirth = (seq: number): UPayload => ({ seq, metrics: [{ name: 'Speed', alias: 5, type: 'Int32', value: 100 }] });
const ndata = (seq: number, value: number): UPayload => ({ seq, metrics: [{ alias: 1, type: 'Double', value }] });
const ddata = (seq: number, value: number): UPayload => ({ seq, metrics: [{ alias: 5, type: 'Int32', value }] });

const NBIRTH = 'spBv1.0/g/NBIRTH/n';
const NDATA = 'spBv1.0/g/NDATA/n';
const DBIRTH = 'spBv1.0/g/DBIRTH/n/d';
const DDATA = 'spBv1.0/g/DDATA/n/d';

describe('replaySparkplugNode', () => {
  it('merges the topics’ histories by time and resolves aliases from the births', () => {
    const state = replaySparkplugNode('g', 'n', [
      kept(NDATA, [[30, ndata(2, 21)], [50, ndata(4, 22)]]),
      kept(DDATA, [[40, ddata(3, 101)]]),
      kept(NBIRTH, [[10, nbirth(0, 7)]]),
      kept(DBIRTH, [[20, dbirth(1)]]),
    ]);
    const view = state.view();
    expect(view.node.rows.find((r) => r.key === 'Temp')).toMatchObject({ value: 22 });
    expect(view.devices[0]!.rows).toMatchObject([{ key: 'Speed', value: 101 }]);
    expect(view.flags.map((f) => f.kind)).toEqual(['birth', 'birth']);
    expect(view.lastSeq).toBe(4);
  });

  it('puts messages of the same millisecond in seq order (a birth and its device births)', () => {
    const state = replaySparkplugNode('g', 'n', [
      kept(DDATA, [[10, ddata(2, 101)]]),
      kept(DBIRTH, [[10, dbirth(1)]]),
      kept(NBIRTH, [[10, nbirth(0, 1)]]),
    ]);
    expect(state.view().flags.filter((f) => f.kind !== 'birth')).toEqual([]);
    expect(state.view().devices[0]!.rows).toMatchObject([{ key: 'Speed', value: 101 }]);
  });

  it('starts from the newest birth kept, telling the rebirth against the one before', () => {
    const state = replaySparkplugNode('g', 'n', [
      kept(NBIRTH, [[10, nbirth(0, 1)], [100, nbirth(0, 2)]]),
      // Before the rebirth: a gap that is the old session's business.
      kept(NDATA, [[20, ndata(1, 1)], [30, ndata(9, 2)], [110, ndata(1, 30)]]),
    ]);
    const view = state.view();
    expect(view.births).toBe(2);
    expect(view.flags.map((f) => f.text)).toEqual(['Rebirth: new session, bdSeq 1 → 2']);
    expect(view.node.rows.find((r) => r.key === 'Temp')).toMatchObject({ value: 30 });
  });

  it('keeps the node’s commands from before the newest birth (the rebirth request), and the new session’s devices only', () => {
    const state = replaySparkplugNode('g', 'n', [
      kept(NBIRTH, [[10, nbirth(0, 1)], [100, nbirth(0, 2)]]),
      kept('spBv1.0/g/NCMD/n', [[90, { metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] }]]),
      kept(DBIRTH, [[20, dbirth(1)]]),
      kept(DDATA, [[30, ddata(2, 101)]]),
    ]);
    const view = state.view();
    expect(view.node.commands.map((c) => [c.key, c.value, c.updatedAt])).toEqual([['Node Control/Rebirth', true, 90]]);
    expect(view.devices).toEqual([]);
  });

  it('flags a seq gap among kept messages, with payloads from Tahu', () => {
    const state = replaySparkplugNode('g', 'n', [
      kept(NBIRTH, [[10, nbirth(0, 1)]]),
      kept(DBIRTH, [[11, dbirth(1)]]),
      kept(DDATA, [[20, ddata(2, 1)], [30, ddata(6, 2)]]),
    ]);
    expect(state.view().flags.filter((f) => f.kind === 'gap').map((f) => [f.at, f.text])).toEqual([[30, 'seq gap: expected 3, got 6 on DDATA of device d (3 missing)']]);
  });

  it('does not flag gaps up to the oldest kept message of a trimmed topic (its dropped messages had those seqs)', () => {
    const state = replaySparkplugNode('g', 'n', [
      kept(NBIRTH, [[10, nbirth(0, 1)]]),
      // seq 1..3 were NDATA messages the history no longer holds.
      kept(NDATA, [[40, ndata(4, 1)], [50, ndata(6, 2)]], true),
      kept(DDATA, [[45, { seq: 5, metrics: [] }]]),
    ]);
    expect(state.view().flags.filter((f) => f.kind === 'gap')).toEqual([]);

    const after = replaySparkplugNode('g', 'n', [
      kept(NBIRTH, [[10, nbirth(0, 1)]]),
      kept(NDATA, [[40, ndata(4, 1)], [50, ndata(9, 2)]], true),
    ]);
    expect(after.view().flags.filter((f) => f.kind === 'gap').map((f) => f.text)).toEqual(['seq gap: expected 5, got 9 on NDATA (4 missing)']);
  });

  it('replays data with no birth kept as data before any birth, names unknown', () => {
    const state = replaySparkplugNode('g', 'n', [kept(DDATA, [[20, ddata(2, 1)], [30, ddata(3, 2)]])]);
    const view = state.view();
    expect(view.devices[0]!.rows).toMatchObject([{ key: 'alias 5', value: 2 }]);
    expect(view.flags.map((f) => f.kind)).toEqual(['no-birth']);
  });

  it('flags a payload that did not decode and does not count the next seq as a gap', () => {
    const state = replaySparkplugNode('g', 'n', [
      kept(NBIRTH, [[10, nbirth(0, 1)]]),
      kept(NDATA, [[20, { error: 'index out of range: 4 + 10 > 4' }], [30, ndata(2, 5)]]),
    ]);
    expect(state.view().flags.map((f) => f.text)).toEqual(['NBIRTH: edge node online, bdSeq 1, 2 metrics', 'NDATA did not decode: index out of range: 4 + 10 > 4']);
  });
});
