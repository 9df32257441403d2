import { describe, expect, it } from 'vitest';
import { ExplorerState } from '../../renderer/src/explorer/explorer-state.svelte';
import type { MessageBatch, ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { fakeApi } from './fake-api';

const encoder = new TextEncoder();

function msg(topic: string, payload: string, receivedAt: number): ReceivedMessage {
  const bytes = encoder.encode(payload);
  return { topic, payload: bytes, payloadSize: bytes.byteLength, qos: 0, retain: false, receivedAt, coalesced: 0 };
}

function batch(seq: number, messages: ReceivedMessage[]): MessageBatch {
  return { connectionId: 'c1', messages, coalesced: 0, truncated: 0, seq, rendererBehind: false };
}

/** An explorer whose frames run when the test says, as the Broker tab reads it. */
function explorer(): { state: ExplorerState; frame: () => void } {
  const frames: (() => void)[] = [];
  const api = fakeApi({ 'messages:ack': async () => ({ ok: true, value: {} }) });
  const state = new ExplorerState({ api, connectionId: 'c1' }, { requestFrame: (cb) => frames.push(cb), wallClock: () => 1_000 });
  return { state, frame: () => frames.splice(0).forEach((run) => run()) };
}

const nodes = ['emqx@10.0.0.1', 'emqx@10.0.0.2'];

/** What an EMQX 5 cluster publishes each message interval (emqx_sys.erl), per node. */
function emqxInterval(at: number, received: [number, number]): ReceivedMessage[] {
  return nodes.flatMap((node, index) => [
    msg(`$SYS/brokers/${node}/version`, '5.8.1', at),
    msg(`$SYS/brokers/${node}/sysdescr`, 'EMQX', at),
    msg(`$SYS/brokers/${node}/stats/live_connections/count`, String(3 + index), at),
    msg(`$SYS/brokers/${node}/stats/subscriptions/count`, '10', at),
    msg(`$SYS/brokers/${node}/metrics/messages/received`, String(received[index]), at),
  ]);
}

describe('the Broker view of an explorer fed EMQX-shaped batches', () => {
  it('publishes the cluster’s figures on the next frame, and leaves other topics to the tree', () => {
    const { state, frame } = explorer();
    expect(state.broker.view.kind).toBeNull();
    state.ingest(batch(0, [msg('$SYS/brokers', nodes.join(','), 0), ...emqxInterval(0, [100, 50]), msg('plant/line1/temp', '21', 0)]));
    expect(state.broker.view.kind).toBeNull();
    frame();
    const view = state.broker.view;
    expect(view).toMatchObject({ kind: 'emqx', name: 'EMQX', version: '5.8.1', clientsConnected: 7, subscriptions: 20, sysMessages: 11 });
    expect(view.nodes.map((n) => n.name)).toEqual(nodes);
    expect(view.clusterNodes).toEqual(nodes);
    expect(state.tree.find('plant/line1/temp')).toBeTruthy();

    state.ingest(batch(1, emqxInterval(60_000, [6_100, 1_250])));
    frame();
    expect(state.broker.view.rates.messagesReceived).toBe(120);
    expect(state.broker.view.chart.length).toBe(1);
  });

  it('shows client events and alarms live, and a batch without $SYS publishes no new broker view', () => {
    const { state, frame } = explorer();
    state.ingest(batch(0, [msg(`$SYS/brokers/${nodes[0]}/clients/dev-9/connected`, JSON.stringify({ clientid: 'dev-9', username: 'ops', proto_ver: 5 }), 5)]));
    state.ingest(batch(1, [msg(`$SYS/brokers/${nodes[1]}/alarms/activate`, JSON.stringify({ name: 'high_cpu_usage', message: 'CPU at 92%' }), 6)]));
    frame();
    const view = state.broker.view;
    expect(view.clientEvents.map((e) => `${e.event} ${e.clientId} ${e.username ?? ''}`)).toEqual(['connected dev-9 ops']);
    expect(view.alarms.map((a) => `${a.name} ${a.active ? 'active' : 'cleared'}`)).toEqual(['high_cpu_usage active']);

    state.ingest(batch(2, [msg('plant/line1/temp', '22', 7)]));
    frame();
    expect(state.broker.view).toBe(view);
    expect(state.broker.startedAt).toBe(1_000);
  });
});
