import { describe, expect, it } from 'vitest';
import { BrokerModel, MAX_CLIENT_EVENTS } from '../../shared/broker/broker-model';
import type { ReceivedMessage } from '../../shared/mqtt/mqtt-message';

const encoder = new TextEncoder();

function sys(topic: string, payload: string, receivedAt: number): ReceivedMessage {
  const bytes = encoder.encode(payload);
  return { topic, payload: bytes, payloadSize: bytes.byteLength, qos: 0, retain: false, receivedAt, coalesced: 0 };
}

function feed(model: BrokerModel, at: number, values: Record<string, string | number>): void {
  for (const [topic, value] of Object.entries(values)) model.ingest(sys(topic, String(value), at));
}

/** One Mosquitto sys_interval: uptime first, then the values that changed (src/sys_tree.c order). */
function mosquittoTick(model: BrokerModel, seconds: number, changed: Record<string, string | number> = {}): void {
  const at = seconds * 1000;
  feed(model, at, { '$SYS/broker/uptime': `${seconds} seconds` });
  feed(model, at + 1, Object.fromEntries(Object.entries(changed).map(([path, value]) => [`$SYS/broker/${path}`, value])));
}

describe('BrokerModel with Mosquitto', () => {
  it('reads name, version, uptime, clients, subscriptions, retained, heap and load averages', () => {
    const model = new BrokerModel();
    feed(model, 0, {
      '$SYS/broker/version': 'mosquitto version 2.0.18',
      '$SYS/broker/clients/connected': 3,
      '$SYS/broker/clients/total': 5,
      '$SYS/broker/clients/maximum': 9,
      '$SYS/broker/subscriptions/count': 12,
      '$SYS/broker/retained messages/count': 40,
      '$SYS/broker/heap/current': 52_000,
      '$SYS/broker/load/messages/received/1min': '4.50',
      '$SYS/broker/load/messages/received/5min': '3.25',
    });
    mosquittoTick(model, 3_700);
    const view = model.snapshot();
    expect(view).toMatchObject({
      kind: 'mosquitto',
      name: 'Mosquitto',
      version: '2.0.18',
      uptimeSeconds: 3_700,
      clientsConnected: 3,
      clientsTotal: 5,
      clientsMaximum: 9,
      subscriptions: 12,
      retained: 40,
      heap: { current: 52_000, maximum: null },
      nodes: [],
    });
    expect(view.load).toEqual([{ name: 'messages/received', min1: 4.5, min5: 3.25, min15: null }]);
  });

  it('computes rates on the broker beat: counters sent only on change read 0/s when quiet', () => {
    const model = new BrokerModel();
    mosquittoTick(model, 10, { 'messages/received': 100, 'bytes/received': 1_000 });
    mosquittoTick(model, 11, { 'messages/received': 150, 'bytes/received': 6_000 });
    expect(model.snapshot().rates).toEqual({ messagesReceived: null, messagesSent: null, bytesReceived: null, bytesSent: null });
    mosquittoTick(model, 12);
    expect(model.snapshot().rates).toMatchObject({ messagesReceived: 50, bytesReceived: 5_000 });
    mosquittoTick(model, 13);
    expect(model.snapshot().rates).toMatchObject({ messagesReceived: 0, bytesReceived: 0 });
  });

  it('restarts the baseline when the broker restarts instead of showing a negative rate', () => {
    const model = new BrokerModel();
    mosquittoTick(model, 500, { 'messages/received': 90_000 });
    mosquittoTick(model, 501, { 'messages/received': 90_100 });
    mosquittoTick(model, 502);
    expect(model.snapshot().rates.messagesReceived).toBe(100);
    // Restarted: uptime and counters start again from zero.
    mosquittoTick(model, 1, { 'messages/received': 7 });
    expect(model.snapshot().rates.messagesReceived).toBeNull();
    mosquittoTick(model, 2, { 'messages/received': 17 });
    mosquittoTick(model, 3);
    expect(model.snapshot().rates.messagesReceived).toBe(10);
  });

  it('charts rates and connections, one point per beat', () => {
    const model = new BrokerModel();
    for (let second = 1; second <= 5; second++) {
      mosquittoTick(model, second, { 'messages/received': second * 10, 'clients/connected': second });
      model.snapshot();
    }
    const chart = model.snapshot().chart;
    expect(chart.length).toBe(3);
    expect([...chart.time].map(Math.floor)).toEqual([3, 4, 5]);
    expect([...chart.messagesReceived]).toEqual([10, 10, 10]);
    expect([...chart.clientsConnected]).toEqual([3, 4, 5]);
  });
});

const A = 'emqx@10.0.0.1';
const B = 'emqx@10.0.0.2';

function emqxInterval(model: BrokerModel, at: number, node: string, figures: Record<string, number>): void {
  feed(model, at, Object.fromEntries(Object.entries(figures).map(([path, value]) => [`$SYS/brokers/${node}/${path}`, value])));
}

describe('BrokerModel with an EMQX cluster of two nodes', () => {
  function cluster(): BrokerModel {
    const model = new BrokerModel();
    feed(model, 0, {
      '$SYS/brokers': `${A},${B}`,
      [`$SYS/brokers/${A}/version`]: '5.8.1',
      [`$SYS/brokers/${A}/sysdescr`]: 'EMQX',
      [`$SYS/brokers/${A}/uptime`]: 7_260_000,
      [`$SYS/brokers/${B}/uptime`]: 60_000,
      [`$SYS/brokers/${B}/datetime`]: '2026-11-28T22:00:00+00:00',
    });
    emqxInterval(model, 0, A, { 'stats/live_connections/count': 10, 'stats/live_connections/max': 12, 'stats/connections/count': 11, 'stats/subscriptions/count': 30, 'stats/retained/count': 7, 'metrics/messages/received': 1_000, 'metrics/bytes/received': 50_000 });
    emqxInterval(model, 0, B, { 'stats/live_connections/count': 5, 'stats/live_connections/max': 6, 'stats/subscriptions/count': 8, 'stats/retained/count': 7, 'metrics/messages/received': 400, 'metrics/bytes/received': 20_000 });
    return model;
  }

  it('adds the per-node counts, keeps the shared retained count once, and the oldest uptime', () => {
    const view = cluster().snapshot();
    expect(view).toMatchObject({ kind: 'emqx', name: 'EMQX', version: '5.8.1', uptimeSeconds: 7_260, clientsConnected: 15, clientsMaximum: 18, subscriptions: 38, retained: 7 });
    expect(view.clusterNodes).toEqual([A, B]);
    expect(view.nodes.map((n) => n.name)).toEqual([A, B]);
    expect(view.nodes[1]).toMatchObject({ uptimeSeconds: 60, datetime: '2026-11-28T22:00:00+00:00' });
    expect(view.nodes[0]?.stats).toContainEqual({ name: 'live_connections', count: 10, max: 12 });
    expect(view.nodes[0]?.metrics).toContainEqual({ name: 'messages/received', value: 1_000 });
  });

  it('computes each node’s rates over the message interval and adds them', () => {
    const model = cluster();
    expect(model.snapshot().rates.messagesReceived).toBeNull();
    emqxInterval(model, 60_000, A, { 'metrics/messages/received': 7_000, 'metrics/bytes/received': 110_000 });
    emqxInterval(model, 60_000, B, { 'metrics/messages/received': 1_600 });
    const view = model.snapshot();
    expect(view.rates.messagesReceived).toBe(120);
    expect(view.rates.bytesReceived).toBe(1_000);
    expect(view.nodes[0]?.rates.messagesReceived).toBe(100);
  });

  it('keeps a live feed of client events, newest first, bounded', () => {
    const model = cluster();
    model.ingest(sys(`$SYS/brokers/${A}/clients/dev-1/connected`, JSON.stringify({ clientid: 'dev-1', username: 'alice', ipaddress: '10.1.1.1:5000', proto_ver: 5, connected_at: 1_764_000_000_000 }), 5));
    model.ingest(sys(`$SYS/brokers/${B}/clients/dev-1/disconnected`, JSON.stringify({ clientid: 'dev-1', reason: 'keepalive_timeout', disconnected_at: 1_764_000_060_000 }), 6));
    const events = model.snapshot().clientEvents;
    expect(events.map((e) => [e.event, e.clientId, e.node])).toEqual([['disconnected', 'dev-1', B], ['connected', 'dev-1', A]]);
    expect(events[1]).toMatchObject({ username: 'alice', address: '10.1.1.1:5000', protoVer: 5, at: 1_764_000_000_000 });
    expect(events[0]).toMatchObject({ reason: 'keepalive_timeout', at: 1_764_000_060_000 });
    for (let i = 0; i < MAX_CLIENT_EVENTS + 20; i++) model.ingest(sys(`$SYS/brokers/${A}/clients/c${i}/connected`, JSON.stringify({ clientid: `c${i}` }), 10 + i));
    const bounded = model.snapshot().clientEvents;
    expect(bounded).toHaveLength(MAX_CLIENT_EVENTS);
    expect(bounded[0]?.clientId).toBe(`c${MAX_CLIENT_EVENTS + 19}`);
  });

  it('reads events defensively: broken JSON, wrong types and huge fields do not get through', () => {
    const model = cluster();
    model.ingest(sys(`$SYS/brokers/${A}/clients/x/connected`, '{not json', 1));
    model.ingest(sys(`$SYS/brokers/${A}/clients/y/connected`, '[1,2]', 1));
    model.ingest(sys(`$SYS/brokers/${A}/clients/z/connected`, JSON.stringify({ clientid: { $gt: 1 }, username: 'u'.repeat(10_000), proto_ver: 'five' }), 1));
    const events = model.snapshot().clientEvents;
    expect(events).toHaveLength(1);
    expect(events[0]?.clientId).toBe('z');
    expect(events[0]?.username?.length).toBeLessThanOrEqual(201);
    expect(events[0]?.protoVer).toBeNull();
  });

  it('tracks alarms as they activate and clear', () => {
    const model = cluster();
    model.ingest(sys(`$SYS/brokers/${A}/alarms/activate`, JSON.stringify({ name: 'high_system_memory_usage', message: 'System memory usage is higher than 70%', activate_at: 1_764_000_000_000_000, deactivate_at: 'infinity', activated: true }), 1));
    model.ingest(sys(`$SYS/brokers/${B}/alarms/activate`, JSON.stringify({ name: 'conn_congestion', message: 'congested' }), 2));
    model.ingest(sys(`$SYS/brokers/${B}/alarms/deactivate`, JSON.stringify({ name: 'conn_congestion', message: 'congested', deactivate_at: 1_764_000_100_000_000 }), 3));
    const alarms = model.snapshot().alarms;
    expect(alarms.map((a) => [a.name, a.active])).toEqual([['high_system_memory_usage', true], ['conn_congestion', false]]);
    expect(alarms[0]).toMatchObject({ node: A, activatedAt: 1_764_000_000_000, deactivatedAt: null });
    expect(alarms[1]?.deactivatedAt).toBe(1_764_000_100_000);
  });
});

describe('BrokerModel with VerneMQ', () => {
  it('reads its plain numbers per node and rates from them', () => {
    const model = new BrokerModel();
    const node = 'VerneMQ@127.0.0.1';
    feed(model, 0, { [`$SYS/${node}/active/mqtt/connections`]: 4, [`$SYS/${node}/router/subscriptions`]: 9, [`$SYS/${node}/mqtt/publish/received`]: 1_000, [`$SYS/${node}/system/wallclock`]: 90_000 });
    feed(model, 20_000, { [`$SYS/${node}/mqtt/publish/received`]: 1_400 });
    const view = model.snapshot();
    expect(view).toMatchObject({ kind: 'vernemq', name: 'VerneMQ', clientsConnected: 4, subscriptions: 9, uptimeSeconds: 90 });
    expect(view.rates.messagesReceived).toBe(20);
    expect(view.nodes[0]?.metrics).toContainEqual({ name: 'router/subscriptions', value: 9 });
  });
});

describe('BrokerModel with NanoMQ', () => {
  it('knows NanoMQ from its client events, which are all it publishes', () => {
    const model = new BrokerModel();
    model.ingest(sys('$SYS/brokers/connected', JSON.stringify({ client_id: 'n1', username: 'bob', proto_ver: 4, ts: 1_764_000_000 }), 1));
    model.ingest(sys('$SYS/brokers/disconnected', JSON.stringify({ client_id: 'n1', reason_code: '0' }), 2));
    const view = model.snapshot();
    expect(view).toMatchObject({ kind: 'nanomq', name: 'NanoMQ', version: null, clientsConnected: null });
    expect(view.clientEvents.map((e) => [e.event, e.clientId])).toEqual([['disconnected', 'n1'], ['connected', 'n1']]);
    expect(view.clientEvents[1]?.at).toBe(1_764_000_000_000);
  });
});

describe('BrokerModel with no known layout', () => {
  it('counts $SYS messages but recognises no broker', () => {
    const model = new BrokerModel();
    model.ingest(sys('$SYS/something/else', '1', 1));
    const view = model.snapshot();
    expect(view).toMatchObject({ kind: null, name: null, version: null, sysMessages: 1, nodes: [], clientEvents: [] });
    expect(view.chart.length).toBe(0);
  });
});

describe('BrokerModel chart columns', () => {
  it('hands out the same columns until a point is added, so an unchanged chart is not redrawn', () => {
    const model = new BrokerModel();
    for (let second = 1; second <= 3; second++) mosquittoTick(model, second, { 'messages/received': second });
    const first = model.snapshot().chart;
    feed(model, 3_500, { '$SYS/broker/subscriptions/count': 4 });
    expect(model.snapshot().chart).toBe(first);
    mosquittoTick(model, 4);
    expect(model.snapshot().chart).not.toBe(first);
  });
});
