import { describe, expect, it } from 'vitest';
import type { DecodedJson, SparkplugMetric, SparkplugPayload } from '../../shared/inspect/decode/decoded-payload';
import { SparkplugNodeState } from '../../shared/inspect/sparkplug/sparkplug-node-state';
import { parseSparkplugTopic, type SparkplugDeviceTopic, type SparkplugNodeTopic } from '../../shared/inspect/sparkplug/sparkplug-topic';
import { tahuPayload } from './tahu-sparkplug';

function topic(text: string): SparkplugNodeTopic | SparkplugDeviceTopic {
  const parsed = parseSparkplugTopic(text);
  if (!parsed || parsed.kind === 'state') throw new Error(`not a node or device topic: ${text}`);
  return parsed;
}

const DATATYPE_NUMBERS: Record<string, number> = { Int32: 3, UInt64: 8, Double: 10, Boolean: 11, String: 12 };

function metric(fields: { name?: string; alias?: number; value: DecodedJson; type?: string; timestamp?: number }): SparkplugMetric {
  const datatypeName = fields.type ?? 'Double';
  const { type: _type, ...rest } = fields;
  return { ...rest, datatype: DATATYPE_NUMBERS[datatypeName] ?? 0, datatypeName };
}

function payload(seq: number | undefined, metrics: SparkplugMetric[]): SparkplugPayload {
  return seq === undefined ? { metrics } : { seq, metrics };
}

const bdSeq = (value: number): SparkplugMetric => metric({ name: 'bdSeq', value, type: 'UInt64' });

const NODE = 'spBv1.0/Plant/NBIRTH/gw';
const NDATA = 'spBv1.0/Plant/NDATA/gw';
const NDEATH = 'spBv1.0/Plant/NDEATH/gw';

/** A node born with bdSeq 3 and one node metric (alias 1), and device "pump" born with alias 7. */
function bornNode(): SparkplugNodeState {
  const state = new SparkplugNodeState('Plant', 'gw');
  state.feed(topic(NODE), payload(0, [bdSeq(3), metric({ name: 'Uptime', alias: 1, value: 10, type: 'Int32' })]), 1000, 0);
  state.feed(topic('spBv1.0/Plant/DBIRTH/gw/pump'), payload(1, [metric({ name: 'Flow', alias: 7, value: 1.5 }), metric({ name: 'Running', alias: 8, value: true, type: 'Boolean' })]), 1001, 0);
  return state;
}

function flagTexts(state: SparkplugNodeState, kind?: string): string[] {
  return state.view().flags.filter((f) => !kind || f.kind === kind).map((f) => f.text);
}

describe('SparkplugNodeState', () => {
  it('names the metrics of data messages that carry only an alias, from the births', () => {
    const state = bornNode();
    state.feed(topic('spBv1.0/Plant/DDATA/gw/pump'), payload(2, [{ alias: 7, value: 2.25, datatype: 0, datatypeName: 'Unknown' }]), 1002, 0);
    state.feed(topic(NDATA), payload(3, [metric({ alias: 1, value: 11, type: 'Int32' })]), 1003, 0);
    const view = state.view();
    const pump = view.devices.find((d) => d.device === 'pump')!;
    expect(pump.liveness).toBe('online');
    expect(pump.rows.find((r) => r.key === 'Flow')).toMatchObject({ name: 'Flow', alias: 7, datatypeName: 'Double', value: 2.25, changedAt: 1002 });
    expect(pump.rows.find((r) => r.key === 'Running')).toMatchObject({ value: true, changedAt: 1001 });
    expect(view.node.rows.find((r) => r.key === 'Uptime')).toMatchObject({ value: 11, datatypeName: 'Int32' });
    expect(view.lastSeq).toBe(3);
    expect(flagTexts(state, 'gap')).toEqual([]);
  });

  it('keeps when a value last changed apart from when it last came', () => {
    const state = bornNode();
    state.feed(topic('spBv1.0/Plant/DDATA/gw/pump'), payload(2, [metric({ alias: 7, value: 1.5 })]), 2000, 0);
    expect(state.view().devices[0]!.rows[0]).toMatchObject({ key: 'Flow', updatedAt: 2000, changedAt: 1001 });
  });

  it('flags a seq gap with what was expected and what came', () => {
    const state = bornNode();
    state.feed(topic('spBv1.0/Plant/DDATA/gw/pump'), payload(5, [metric({ alias: 7, value: 3 })]), 1005, 0);
    expect(flagTexts(state, 'gap')).toEqual(['seq gap: expected 2, got 5 on DDATA of device pump (3 missing)']);
    expect(state.view().flags.at(-1)).toMatchObject({ at: 1005, device: 'pump' });
  });

  it('takes 255 → 0 as the sequence wrapping, not a gap', () => {
    const state = bornNode();
    let seq = 2;
    for (let i = 0; i < 300; i++, seq = (seq + 1) % 256) state.feed(topic(NDATA), payload(seq, [metric({ alias: 1, value: i, type: 'Int32' })]), 2000 + i, 0);
    expect(flagTexts(state, 'gap')).toEqual([]);
    expect(state.view().lastSeq).toBe((2 + 299) % 256);
  });

  it('says a jump is the app’s own coalescing, not a gap, when the message stands for coalesced ones', () => {
    const state = bornNode();
    state.feed(topic('spBv1.0/Plant/DDATA/gw/pump'), payload(6, [metric({ alias: 7, value: 3 })]), 1006, 4);
    expect(flagTexts(state, 'gap')).toEqual([]);
    expect(flagTexts(state, 'coalesced')).toEqual([
      'seq 6 where 2 was expected: this DDATA of device pump stands for 4 older messages on its topic that Topicscope coalesced under load (not a gap at the edge node)',
    ]);
  });

  it('does not call a jump a gap when the next message stands for coalesced ones on another topic', () => {
    const state = bornNode();
    // NDATA seq 2 was coalesced into seq 4 on its topic; DDATA seq 3 arrived in between,
    // but the core's kept NDATA carries the newer arrival time, so DDATA comes first.
    state.feed(topic('spBv1.0/Plant/DDATA/gw/pump'), payload(3, [metric({ alias: 7, value: 3 })]), 1003, 0);
    expect(flagTexts(state, 'gap')).toEqual(['seq gap: expected 2, got 3 on DDATA of device pump (1 missing)']);
    state.feed(topic(NDATA), payload(4, [metric({ alias: 1, value: 12, type: 'Int32' })]), 1004, 1);
    expect(flagTexts(state, 'gap')).toEqual([]);
    expect(flagTexts(state, 'coalesced')).toEqual([
      'seq 3 where 2 was expected on DDATA of device pump: the messages between were coalesced by Topicscope under load on another topic of this node (not a gap at the edge node)',
    ]);
  });

  it('keeps a jump a gap when the next message stands for no coalesced ones, and lists it before later events', () => {
    const state = bornNode();
    state.feed(topic('spBv1.0/Plant/DDATA/gw/pump'), payload(4, [metric({ alias: 7, value: 3 })]), 1004, 0);
    state.feed(topic('spBv1.0/Plant/DDEATH/gw/pump'), payload(5, []), 1005, 0);
    expect(state.view().flags.slice(-2).map((f) => f.kind)).toEqual(['gap', 'death']);
  });

  it('flags a rebirth with the previous and new bdSeq, and resets the sequence', () => {
    const state = bornNode();
    state.feed(topic(NDATA), payload(2, [metric({ alias: 1, value: 12, type: 'Int32' })]), 1002, 0);
    state.feed(topic(NODE), payload(0, [bdSeq(4), metric({ name: 'Uptime', alias: 2, value: 0, type: 'Int32' })]), 3000, 0);
    state.feed(topic(NDATA), payload(1, [metric({ alias: 2, value: 1, type: 'Int32' })]), 3001, 0);
    const view = state.view();
    expect(flagTexts(state, 'rebirth')).toEqual(['Rebirth: new session, bdSeq 3 → 4']);
    expect(view).toMatchObject({ bdSeq: '4', births: 2, liveness: 'online', lastSeq: 1 });
    expect(flagTexts(state, 'gap')).toEqual([]);
    // The new birth's aliases hold: alias 2 is Uptime now.
    expect(view.node.rows.find((r) => r.key === 'Uptime')).toMatchObject({ alias: 2, value: 1 });
  });

  it('says so when a rebirth keeps its bdSeq', () => {
    const state = bornNode();
    state.feed(topic(NODE), payload(0, [bdSeq(3)]), 3000, 0);
    expect(flagTexts(state, 'rebirth')).toEqual(['Rebirth: NBIRTH again with bdSeq 3 unchanged (same MQTT session, e.g. a rebirth request)']);
  });

  it('marks the node and its devices dead on an NDEATH whose bdSeq matches the birth', () => {
    const state = bornNode();
    state.feed(topic(NDEATH), payload(undefined, [bdSeq(3)]), 5000, 0);
    const view = state.view();
    expect(view.liveness).toBe('dead');
    expect(view.devices.map((d) => d.liveness)).toEqual(['dead']);
    expect(flagTexts(state, 'death')).toEqual(['NDEATH, bdSeq 3: edge node and its devices offline']);
  });

  it('ignores an NDEATH from an older session (bdSeq not the birth’s), and says why', () => {
    const state = bornNode();
    state.feed(topic(NDEATH), payload(undefined, [bdSeq(2)]), 5000, 0);
    expect(state.view().liveness).toBe('online');
    expect(state.view().devices[0]!.liveness).toBe('online');
    expect(flagTexts(state, 'stale-death')).toEqual(["NDEATH with bdSeq 2 ignored: the current NBIRTH has bdSeq 3 (an older session's will)"]);
  });

  it('marks one device dead on its DDEATH, and keeps the seq check going through it', () => {
    const state = bornNode();
    state.feed(topic('spBv1.0/Plant/DDEATH/gw/pump'), payload(2, []), 1002, 0);
    state.feed(topic(NDATA), payload(3, [metric({ alias: 1, value: 12, type: 'Int32' })]), 1003, 0);
    expect(state.view().liveness).toBe('online');
    expect(state.view().devices[0]!.liveness).toBe('dead');
    expect(flagTexts(state, 'death')).toEqual(['DDEATH: device pump offline']);
    expect(flagTexts(state, 'gap')).toEqual([]);
  });

  it('shows an alias no birth declared by its number, flagged once', () => {
    const state = bornNode();
    state.feed(topic('spBv1.0/Plant/DDATA/gw/pump'), payload(2, [metric({ alias: 9, value: 4 })]), 1002, 0);
    state.feed(topic('spBv1.0/Plant/DDATA/gw/pump'), payload(3, [metric({ alias: 9, value: 5 })]), 1003, 0);
    expect(state.view().devices[0]!.rows.find((r) => r.key === 'alias 9')).toMatchObject({ alias: 9, value: 5 });
    expect(flagTexts(state, 'unknown-alias')).toEqual(['alias 9 not in the last DBIRTH of device pump']);
  });

  it('keeps data that came before any birth, by alias, and asks for a rebirth', () => {
    const state = new SparkplugNodeState('Plant', 'gw');
    state.feed(topic('spBv1.0/Plant/DDATA/gw/pump'), payload(40, [metric({ alias: 7, value: 4 })]), 1000, 0);
    state.feed(topic('spBv1.0/Plant/DDATA/gw/pump'), payload(41, [metric({ alias: 7, value: 5 })]), 1001, 0);
    const view = state.view();
    expect(view.liveness).toBe('unborn');
    expect(view.devices[0]).toMatchObject({ device: 'pump', liveness: 'unborn' });
    expect(view.devices[0]!.rows).toMatchObject([{ key: 'alias 7', value: 5 }]);
    expect(flagTexts(state)).toEqual(['DDATA before any DBIRTH: no birth seen, names unknown; send a rebirth request']);
  });

  it('keeps the last flags only, and views already handed out unchanged', () => {
    const state = new SparkplugNodeState('Plant', 'gw', { flags: 100 });
    state.feed(topic(NODE), payload(0, [bdSeq(0)]), 0, 0);
    const early = state.view();
    for (let i = 1; i <= 150; i++) state.feed(topic(NDATA), payload((i * 2) % 256, []), i, 0);
    const flags = state.view().flags;
    expect(flags).toHaveLength(100);
    expect(flags.at(-1)!.at).toBe(150);
    expect(early.flags).toHaveLength(1);
  });

  it('holds at most the table limit of metrics, and says the rest are not shown', () => {
    const state = new SparkplugNodeState('Plant', 'gw', { metricsPerTable: 3 });
    state.feed(topic(NODE), payload(0, [1, 2, 3, 4, 5].map((i) => metric({ name: `m${i}`, alias: i, value: i }))), 0, 0);
    expect(state.view().node.rows.map((r) => r.key)).toEqual(['m1', 'm2', 'm3']);
    expect(flagTexts(state, 'too-many-metrics')).toEqual(['More than 3 metrics: the rest are not shown']);
  });
});

describe('SparkplugNodeState: commands', () => {
  const NCMD = 'spBv1.0/Plant/NCMD/gw';
  const DCMD = 'spBv1.0/Plant/DCMD/gw/pump';

  it('lists a command sent to the node by name apart from its metrics, and leaves the seq alone', () => {
    const state = bornNode();
    state.feed(topic(NCMD), { timestamp: 1500, metrics: [metric({ name: 'Node Control/Rebirth', value: true, type: 'Boolean' })] }, 1500, 0);
    state.feed(topic(NDATA), payload(2, [metric({ alias: 1, value: 11, type: 'Int32' })]), 1600, 0);
    const view = state.view();
    expect(view.node.commands.map((c) => [c.key, c.datatypeName, c.value, c.updatedAt])).toEqual([['Node Control/Rebirth', 'Boolean', true, 1500]]);
    // Not a value the node reported, and no seq of its own: the NDATA after it continues the sequence.
    expect(view.node.rows.map((r) => r.key)).toEqual(['bdSeq', 'Uptime']);
    expect(view.lastSeq).toBe(2);
    expect(flagTexts(state, 'gap')).toEqual([]);
  });

  it('names a device command sent by alias from the device’s birth, with the birth’s datatype', () => {
    const state = bornNode();
    state.feed(topic(DCMD), { timestamp: 1500, metrics: [{ alias: 7, value: 3.5, datatype: 0, datatypeName: 'Unknown' }] }, 1500, 0);
    const pump = state.view().devices.find((d) => d.device === 'pump')!;
    expect(pump.commands).toEqual([expect.objectContaining({ key: 'Flow', name: 'Flow', alias: 7, datatypeName: 'Double', value: 3.5 })]);
    // The device's reported Flow is still its own.
    expect(pump.rows.find((r) => r.key === 'Flow')).toMatchObject({ value: 1.5 });
    expect(state.view().node.commands).toEqual([]);
  });

  it('keeps the last command per metric, the newest first', () => {
    const state = bornNode();
    state.feed(topic(DCMD), { metrics: [metric({ name: 'Flow', value: 1 }), metric({ name: 'Running', value: false, type: 'Boolean' })] }, 2000, 0);
    state.feed(topic(DCMD), { metrics: [metric({ name: 'Flow', value: 2 })] }, 3000, 0);
    const pump = state.view().devices.find((d) => d.device === 'pump')!;
    expect(pump.commands.map((c) => [c.key, c.value, c.updatedAt])).toEqual([
      ['Flow', 2, 3000],
      ['Running', false, 2000],
    ]);
  });

  it('shows a command by its alias when no birth names it', () => {
    const state = new SparkplugNodeState('Plant', 'gw');
    state.feed(topic(NCMD), { metrics: [{ alias: 42, value: 1, datatype: 3, datatypeName: 'Int32' }] }, 100, 0);
    expect(state.view().node.commands.map((c) => c.key)).toEqual(['alias 42']);
    expect(state.view().flags).toEqual([]);
  });
});

describe('SparkplugNodeState: rebirths', () => {
  const DBIRTH = 'spBv1.0/Plant/DBIRTH/gw/pump';
  const DDATA = 'spBv1.0/Plant/DDATA/gw/pump';

  it('shows what a DBIRTH again declares: metrics no longer declared go, aliases map anew', () => {
    const state = bornNode();
    state.feed(topic(DDATA), payload(2, [metric({ alias: 7, value: 2 }), metric({ alias: 8, value: false, type: 'Boolean' })]), 1002, 0);
    state.feed(topic(DBIRTH), payload(3, [metric({ name: 'Speed', alias: 7, value: 100, type: 'Int32' }), metric({ name: 'Flow', alias: 9, value: 2.5 })]), 2000, 0);
    state.feed(topic(DDATA), payload(4, [metric({ alias: 7, value: 120, type: 'Int32' }), metric({ alias: 9, value: 3 })]), 2001, 0);
    const pump = state.view().devices.find((d) => d.device === 'pump')!;
    expect(pump.rows.map((r) => [r.key, r.alias, r.datatypeName, r.value])).toEqual([
      ['Speed', 7, 'Int32', 120],
      ['Flow', 9, 'Double', 3],
    ]);
    expect(flagTexts(state, 'unknown-alias')).toEqual([]);
  });

  it('forgets the devices’ births on a new NBIRTH: a device is back with what its next DBIRTH declares', () => {
    const state = bornNode();
    state.feed(topic(NODE), payload(0, [bdSeq(4), metric({ name: 'Uptime', alias: 1, value: 0, type: 'Int32' })]), 3000, 0);
    expect(state.view().devices).toEqual([]);
    // Data by an old alias before the device's new birth is not read with the old names.
    state.feed(topic(DDATA), payload(1, [metric({ alias: 8, value: true, type: 'Boolean' })]), 3001, 0);
    expect(state.view().devices[0]!.rows.map((r) => r.key)).toEqual(['alias 8']);
    state.feed(topic(DBIRTH), payload(2, [metric({ name: 'Level', alias: 8, value: 0.5 })]), 3002, 0);
    state.feed(topic(DDATA), payload(3, [metric({ alias: 8, value: 0.75 })]), 3003, 0);
    const pump = state.view().devices.find((d) => d.device === 'pump')!;
    expect(pump.liveness).toBe('online');
    expect(pump.rows.map((r) => [r.key, r.alias, r.value])).toEqual([['Level', 8, 0.75]]);
  });
});

describe('SparkplugNodeState with payloads from Eclipse Tahu’s encoder', () => {
  it('resolves Long aliases, reads Long values and flags a seq gap and a rebirth', () => {
    const state = new SparkplugNodeState('Plant', 'gw');
    const t0 = 1_700_000_000_000;
    state.feed(topic(NODE), tahuPayload({ timestamp: t0, seq: 0, metrics: [
      { name: 'bdSeq', type: 'UInt64', value: 0 },
      { name: 'Node Control/Rebirth', type: 'Boolean', value: false, alias: 1 },
    ] }), t0, 0);
    state.feed(topic('spBv1.0/Plant/DBIRTH/gw/meter'), tahuPayload({ timestamp: t0, seq: 1, metrics: [
      { name: 'Energy', alias: 10, type: 'Int64', value: 123456789012, timestamp: t0 },
      { name: 'Voltage', alias: 11, type: 'Float', value: 230.5 },
      { name: 'Label', alias: 12, type: 'String', value: 'Line 1' },
    ] }), t0 + 1, 0);
    state.feed(topic('spBv1.0/Plant/DDATA/gw/meter'), tahuPayload({ timestamp: t0 + 50, seq: 2, metrics: [
      { alias: 10, type: 'Int64', value: 123456789099, timestamp: t0 + 50 },
    ] }), t0 + 50, 0);
    // seq 3 and 4 never arrive.
    state.feed(topic('spBv1.0/Plant/DDATA/gw/meter'), tahuPayload({ timestamp: t0 + 90, seq: 5, metrics: [
      { alias: 11, type: 'Float', value: 231 },
    ] }), t0 + 90, 0);
    const beforeRebirth = state.view();
    state.feed(topic(NODE), tahuPayload({ timestamp: t0 + 100, seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 1 }] }), t0 + 100, 0);

    const view = state.view();
    const meter = beforeRebirth.devices.find((d) => d.device === 'meter')!;
    expect(meter.rows.map((r) => [r.key, r.alias, r.datatypeName, r.value])).toEqual([
      ['Energy', 10, 'Int64', 123456789099],
      ['Voltage', 11, 'Float', 231],
      ['Label', 12, 'String', 'Line 1'],
    ]);
    expect(meter.rows[0]!.timestamp).toBe(t0 + 50);
    expect(flagTexts(state, 'gap')).toEqual(['seq gap: expected 3, got 5 on DDATA of device meter (2 missing)']);
    expect(flagTexts(state, 'rebirth')).toEqual(['Rebirth: new session, bdSeq 0 → 1']);
    expect(view.bdSeq).toBe('1');
    // The new session's devices are those that send their DBIRTH again.
    expect(view.devices).toEqual([]);
  });
});
