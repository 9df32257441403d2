import { describe, expect, it } from 'vitest';
import type { SparkplugPayload } from '../../shared/inspect/decode/decoded-payload';
import type { ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { TopicTree } from '../../shared/explorer/topic-tree';
import { SparkplugState, type DecodeSparkplug } from '../../renderer/src/inspect/sparkplug/sparkplug-state.svelte';
import { tahuDecode, tahuEncode, type UPayload } from './tahu-sparkplug';

function message(topic: string, payload: UPayload | Uint8Array, receivedAt: number, coalesced = 0): ReceivedMessage {
  const bytes = payload instanceof Uint8Array ? payload : tahuEncode(payload);
  return { topic, payload: bytes, payloadSize: bytes.byteLength, qos: 0, retain: false, receivedAt, coalesced };
}

/** The core's decoder stands in as Tahu's; a payload Tahu refuses comes back as an error, as the core reports it. */
const tahuDecoder: DecodeSparkplug = async (payloads) =>
  payloads.map((bytes) => {
    try {
      return tahuDecode(bytes);
    } catch (error) {
      return { error: (error as Error).message };
    }
  });

/** A decoder whose answers wait until the test releases them. */
function heldDecoder(): { decode: DecodeSparkplug; release: () => void; calls: number[] } {
  const waiting: (() => void)[] = [];
  const calls: number[] = [];
  return {
    calls,
    decode: (payloads) => {
      calls.push(payloads.length);
      return new Promise<(SparkplugPayload | { error: string })[]>((resolve) => waiting.push(() => void tahuDecoder(payloads).then(resolve)));
    },
    release: () => {
      for (const answer of waiting.splice(0)) answer();
    },
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

const NBIRTH = 'spBv1.0/Plant/NBIRTH/gw';
const NDATA = 'spBv1.0/Plant/NDATA/gw';
const DBIRTH = 'spBv1.0/Plant/DBIRTH/gw/pump';
const DDATA = 'spBv1.0/Plant/DDATA/gw/pump';

function gateway(tree: TopicTree): void {
  tree.ingest([
    message(NBIRTH, { seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 0 }, { name: 'Uptime', alias: 1, type: 'Int64', value: 5 }] }, 1000),
    message(DBIRTH, { seq: 1, metrics: [{ name: 'Flow', alias: 7, type: 'Double', value: 1.5 }, { name: 'Mode', alias: 8, type: 'String', value: 'auto' }] }, 1001),
    message(DDATA, { seq: 2, metrics: [{ alias: 7, type: 'Double', value: 2.5 }] }, 1002),
    message(NDATA, { seq: 5, metrics: [{ alias: 1, type: 'Int64', value: 9 }] }, 1003),
  ]);
}

describe('SparkplugState', () => {
  it('replays the selected device’s edge node from the kept history: names from the births, the seq gap flagged', async () => {
    const tree = new TopicTree();
    gateway(tree);
    const sparkplug = new SparkplugState(tahuDecoder);
    sparkplug.follow(tree.find(DDATA)!, false);
    expect(sparkplug.shown).toMatchObject({ scope: { group: 'Plant', edgeNode: 'gw', device: 'pump' }, node: null });
    await settle();
    const node = sparkplug.shown!.node!;
    expect(node.devices[0]!.rows.map((r) => [r.key, r.value])).toEqual([['Flow', 2.5], ['Mode', 'auto']]);
    expect(node.node.rows.find((r) => r.key === 'Uptime')).toMatchObject({ alias: 1, value: 9 });
    expect(node.flags.filter((f) => f.kind === 'gap').map((f) => f.text)).toEqual(['seq gap: expected 3, got 5 on NDATA (2 missing)']);
    expect(node).toMatchObject({ liveness: 'online', bdSeq: '0', births: 1, lastSeq: 5 });
  });

  it('follows new messages on any of the node’s topics while shown, marking what changed', async () => {
    const tree = new TopicTree();
    gateway(tree);
    const sparkplug = new SparkplugState(tahuDecoder);
    sparkplug.follow(tree.find(DDATA)!, false);
    await settle();
    tree.ingest([message(DDATA, { seq: 6, metrics: [{ alias: 7, type: 'Double', value: 3.75 }] }, 2000), message('spBv1.0/Plant/DDEATH/gw/pump', { seq: 7, metrics: [] }, 2001)]);
    sparkplug.follow(tree.find(DDATA)!, false);
    await settle();
    const shown = sparkplug.shown!;
    expect(shown.node!.devices[0]).toMatchObject({ liveness: 'dead', rows: [{ key: 'Flow', value: 3.75, changedAt: 2000 }, { key: 'Mode', changedAt: 1001 }] });
    expect(shown.changedSince).toBe(2000);
    expect(shown.node!.flags.at(-1)!.text).toBe('DDEATH: device pump offline');
  });

  it('shows the commands sent to the node and its devices, kept and live, named from the births', async () => {
    const tree = new TopicTree();
    gateway(tree);
    tree.ingest([message('spBv1.0/Plant/NCMD/gw', { metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] }, 1500)]);
    const sparkplug = new SparkplugState(tahuDecoder);
    sparkplug.follow(tree.find(DDATA)!, false);
    await settle();
    expect(sparkplug.shown!.node!.node.commands.map((c) => [c.key, c.value])).toEqual([['Node Control/Rebirth', true]]);
    tree.ingest([message('spBv1.0/Plant/DCMD/gw/pump', { metrics: [{ alias: 8, type: 'String', value: 'manual' }] }, 2000)]);
    sparkplug.follow(tree.find(DDATA)!, false);
    await settle();
    const pump = sparkplug.shown!.node!.devices[0]!;
    expect(pump.commands.map((c) => [c.key, c.alias, c.value, c.updatedAt])).toEqual([['Mode', 8, 'manual', 2000]]);
    expect(pump.rows.find((r) => r.key === 'Mode')).toMatchObject({ value: 'auto' });
  });

  it('does not feed while the explorer is paused, and catches up on resume', async () => {
    const tree = new TopicTree();
    gateway(tree);
    const sparkplug = new SparkplugState(tahuDecoder);
    sparkplug.follow(tree.find(NDATA)!, false);
    await settle();
    tree.ingest([message(NDATA, { seq: 6, metrics: [{ alias: 1, type: 'Int64', value: 10 }] }, 2000)]);
    sparkplug.follow(tree.find(NDATA)!, true);
    await settle();
    expect(sparkplug.shown!.node!.node.rows.find((r) => r.key === 'Uptime')!.value).toBe(9);
    sparkplug.follow(tree.find(NDATA)!, false);
    await settle();
    expect(sparkplug.shown!.node!.node.rows.find((r) => r.key === 'Uptime')!.value).toBe(10);
  });

  it('feeds what arrived while the history was being decoded once it is done, in one more request', async () => {
    const tree = new TopicTree();
    gateway(tree);
    const held = heldDecoder();
    const sparkplug = new SparkplugState(held.decode);
    sparkplug.follow(tree.find(DDATA)!, false);
    tree.ingest([message(DDATA, { seq: 6, metrics: [{ alias: 8, type: 'String', value: 'manual' }] }, 2000)]);
    sparkplug.follow(tree.find(DDATA)!, false);
    held.release();
    await settle();
    held.release();
    await settle();
    expect(held.calls).toEqual([4, 1]);
    expect(sparkplug.shown!.node!.devices[0]!.rows.find((r) => r.key === 'Mode')!.value).toBe('manual');
    expect(sparkplug.shown!.node!.flags.filter((f) => f.kind === 'gap')).toHaveLength(1);
  });

  it('shows the node for the tree level that holds its device topics, and nothing for other topics', async () => {
    const tree = new TopicTree();
    gateway(tree);
    tree.ingest([message('plant/line1/temp', new TextEncoder().encode('21'), 1500)]);
    const sparkplug = new SparkplugState(tahuDecoder);
    sparkplug.follow(tree.find('spBv1.0/Plant/DDATA/gw')!, false);
    await settle();
    expect(sparkplug.shown).toMatchObject({ scope: { group: 'Plant', edgeNode: 'gw' } });
    expect(sparkplug.shown!.node!.devices).toHaveLength(1);
    sparkplug.follow(tree.find('plant/line1/temp')!, false);
    expect(sparkplug.shown).toBeNull();
  });

  it('does not call a seq jump a gap when the topic’s history was trimmed before it', async () => {
    const tree = new TopicTree({ historyPerTopic: 2 });
    tree.ingest([message(NBIRTH, { seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 0 }, { name: 'Uptime', alias: 1, type: 'Int64', value: 0 }] }, 1000)]);
    for (let seq = 1; seq <= 6; seq++) tree.ingest([message(NDATA, { seq, metrics: [{ alias: 1, type: 'Int64', value: seq }] }, 1000 + seq)]);
    const sparkplug = new SparkplugState(tahuDecoder);
    sparkplug.follow(tree.find(NDATA)!, false);
    await settle();
    expect(sparkplug.shown!.node!.flags.map((f) => f.kind)).toEqual(['birth']);
    expect(sparkplug.shown!.node!.node.rows.find((r) => r.key === 'Uptime')!.value).toBe(6);
  });

  it('shows an undecodable payload as a flag and a failed request as an error', async () => {
    const tree = new TopicTree();
    gateway(tree);
    tree.ingest([message(NDATA, new Uint8Array([0x0a, 0xff, 0xff]), 2000)]);
    const sparkplug = new SparkplugState(tahuDecoder);
    sparkplug.follow(tree.find(NDATA)!, false);
    await settle();
    expect(sparkplug.shown!.node!.flags.at(-1)).toMatchObject({ kind: 'undecodable', at: 2000 });

    const failing = new SparkplugState(() => Promise.reject(new Error('Not connected.')));
    failing.follow(tree.find(NDATA)!, false);
    await settle();
    expect(failing.shown).toMatchObject({ node: null, error: 'Could not decode the Sparkplug payloads: Not connected.' });
  });

  it('asks for the kept history in requests the decoder accepts (count and bytes), results in order', async () => {
    const tree = new TopicTree();
    gateway(tree);
    for (let seq = 3; seq <= 9; seq++) tree.ingest([message(DDATA, { seq, metrics: [{ alias: 7, type: 'Double', value: seq }] }, 1100 + seq)]);
    const sizes: number[] = [];
    const sparkplug = new SparkplugState(async (payloads) => {
      sizes.push(payloads.length);
      return tahuDecoder(payloads);
    }, { payloads: 4, bytes: 1024 });
    sparkplug.follow(tree.find(DDATA)!, false);
    await settle();
    expect(sizes).toEqual([4, 4, 3]);
    expect(sparkplug.shown!.node!.devices[0]!.rows.find((r) => r.key === 'Flow')!.value).toBe(9);

    const chunks: number[][] = [];
    const byBytes = new SparkplugState(async (payloads) => {
      chunks.push(payloads.map((p) => p.byteLength));
      return tahuDecoder(payloads);
    }, { bytes: 60 });
    byBytes.follow(tree.find(DDATA)!, false);
    await settle();
    expect(chunks.flat()).toHaveLength(11);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk.length === 1 || chunk.reduce((a, b) => a + b, 0) <= 60).toBe(true);
    expect(byBytes.shown!.node!.devices[0]!.rows.find((r) => r.key === 'Flow')!.value).toBe(9);
  });
});
