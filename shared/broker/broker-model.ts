/**
 * What the broker says about itself in `$SYS`, as one read model for the Broker view.
 * Only `$SYS` messages are given to it (the explorer checks the prefix); it recognises
 * the layout (sys-topic.ts), keeps the latest value of each figure, turns counters into
 * rates (counter-rate.ts), keeps the last client events and alarms, and a bounded chart
 * series. Pure: every time comes from the messages' own `receivedAt`, so tests replay
 * batches without a clock; bounded, because the broker (or anyone allowed to publish
 * under `$SYS` on a lax broker) decides how many topics and events arrive.
 */
import type { ReceivedMessage } from '../mqtt/mqtt-message';
import { ChartSeries, type ChartColumns } from './chart-series';
import { CounterRate } from './counter-rate';
import { parseAlarm, parseClientEvent, type AlarmEvent, type ClientEvent } from './sys-events';
import { readSysTopic, type BrokerKind } from './sys-topic';

/** Client events kept for the live feed, newest first. */
export const MAX_CLIENT_EVENTS = 200;
/** Alarms kept (active and recently cleared). */
const MAX_ALARMS = 100;
/** Values kept per node (EMQX publishes about 150, Mosquitto about 60). */
const MAX_VALUES_PER_NODE = 2_000;
/** Nodes kept; a cluster larger than this is rare, a flood of fake node names is not. */
const MAX_NODES = 64;
/** Characters of a value kept: figures are short. */
const MAX_VALUE_CHARS = 256;
/** The chart gets a point at most this often (ms): a burst of values (EMQX sends them all at once) is one point; a broker beating every second, with some jitter, one point a beat. */
const CHART_STEP_MS = 500;

export type RateName = 'messagesReceived' | 'messagesSent' | 'bytesReceived' | 'bytesSent';
const RATE_NAMES: readonly RateName[] = ['messagesReceived', 'messagesSent', 'bytesReceived', 'bytesSent'];

/** Per second; null until two samples of the counter arrived (or after a broker restart). */
export type Rates = Readonly<Record<RateName, number | null>>;

/** One of Mosquitto's moving averages per minute (`load/<name>/{1min,5min,15min}`). */
export interface LoadAverage {
  /** "messages/received", "bytes/sent", "connections", … */
  readonly name: string;
  readonly min1: number | null;
  readonly min5: number | null;
  readonly min15: number | null;
}

/** One node of a cluster (EMQX, VerneMQ) with everything it published. */
export interface BrokerNode {
  readonly name: string;
  readonly version: string | null;
  readonly uptimeSeconds: number | null;
  /** EMQX's `datetime` (RFC 3339), as sent. */
  readonly datetime: string | null;
  /** EMQX's `stats/<name>/{count,max}`, by name. */
  readonly stats: readonly { readonly name: string; readonly count: number | null; readonly max: number | null }[];
  /** EMQX's `metrics/<name>`, VerneMQ's metrics; by name. */
  readonly metrics: readonly { readonly name: string; readonly value: number }[];
  readonly rates: Rates;
}

/** The Broker view's read model; never changed once made. */
export interface BrokerSnapshot {
  /** Null until a `$SYS` topic of a known layout arrived. */
  readonly kind: BrokerKind | null;
  /** "Mosquitto", "EMQX" (its `sysdescr`), "VerneMQ", "NanoMQ". */
  readonly name: string | null;
  readonly version: string | null;
  readonly uptimeSeconds: number | null;
  readonly clientsConnected: number | null;
  readonly clientsTotal: number | null;
  readonly clientsMaximum: number | null;
  readonly subscriptions: number | null;
  readonly retained: number | null;
  readonly rates: Rates;
  /** Mosquitto's own load averages, in a fixed order; empty for other brokers. */
  readonly load: readonly LoadAverage[];
  /** Bytes; null where the broker publishes no heap figures. */
  readonly heap: { readonly current: number | null; readonly maximum: number | null } | null;
  /** Per node (EMQX, VerneMQ), by name. */
  readonly nodes: readonly BrokerNode[];
  /** EMQX's `$SYS/brokers`: the running nodes. */
  readonly clusterNodes: readonly string[];
  /** Newest first, at most MAX_CLIENT_EVENTS. */
  readonly clientEvents: readonly ClientEvent[];
  /** Active ones first, then cleared ones, newest first. */
  readonly alarms: readonly AlarmEvent[];
  /** `$SYS` messages received so far (any layout, recognised or not). */
  readonly sysMessages: number;
  readonly chart: ChartColumns;
}

const NO_RATES: Rates = { messagesReceived: null, messagesSent: null, bytesReceived: null, bytesSent: null };

/** Which counter gives each rate, per layout. */
const MOSQUITTO_COUNTERS: Readonly<Record<RateName, string>> = {
  messagesReceived: 'messages/received',
  messagesSent: 'messages/sent',
  bytesReceived: 'bytes/received',
  bytesSent: 'bytes/sent',
};
const EMQX_COUNTERS: Readonly<Record<RateName, string>> = {
  messagesReceived: 'metrics/messages/received',
  messagesSent: 'metrics/messages/sent',
  bytesReceived: 'metrics/bytes/received',
  bytesSent: 'metrics/bytes/sent',
};
const VERNEMQ_COUNTERS: Readonly<Record<RateName, string>> = {
  messagesReceived: 'mqtt/publish/received',
  messagesSent: 'mqtt/publish/sent',
  bytesReceived: 'bytes/received',
  bytesSent: 'bytes/sent',
};

/** Mosquitto's load averages in the order shown. */
const MOSQUITTO_LOADS = ['messages/received', 'messages/sent', 'publish/received', 'publish/sent', 'publish/dropped', 'bytes/received', 'bytes/sent', 'connections', 'sockets'];

const decoder = new TextDecoder('utf-8', { fatal: false });

/** The latest values of one source (Mosquitto's broker, or one node), with its counters' rates. */
class Source {
  readonly values = new Map<string, string>();
  readonly rates: Record<RateName, CounterRate> = {
    messagesReceived: new CounterRate(),
    messagesSent: new CounterRate(),
    bytesReceived: new CounterRate(),
    bytesSent: new CounterRate(),
  };
  uptimeSeconds: number | null = null;

  set(path: string, text: string): void {
    if (this.values.size >= MAX_VALUES_PER_NODE && !this.values.has(path)) return;
    this.values.set(path, text);
  }

  number(path: string): number | null {
    return parseNumber(this.values.get(path));
  }

  /** Samples each rate's counter at `at` with its latest value. */
  sample(counters: Readonly<Record<RateName, string>>, at: number): void {
    for (const name of RATE_NAMES) {
      const value = this.number(counters[name]);
      if (value !== null) this.rates[name].note(value, at);
    }
  }

  /** The uptime went back: the broker restarted, so every counter starts again. */
  noteUptime(seconds: number): void {
    if (this.uptimeSeconds !== null && seconds < this.uptimeSeconds) for (const name of RATE_NAMES) this.rates[name].reset();
    this.uptimeSeconds = seconds;
  }

  currentRates(): Rates {
    return {
      messagesReceived: this.rates.messagesReceived.rate,
      messagesSent: this.rates.messagesSent.rate,
      bytesReceived: this.rates.bytesReceived.rate,
      bytesSent: this.rates.bytesSent.rate,
    };
  }
}

export class BrokerModel {
  readonly #seen = new Set<BrokerKind>();
  readonly #mosquitto = new Source();
  readonly #nodes = new Map<string, Source>();
  #clusterNodes: readonly string[] = [];
  #clientEvents: ClientEvent[] = [];
  readonly #alarms = new Map<string, AlarmEvent>();
  #sysMessages = 0;
  readonly #chart: ChartSeries;
  #chartDirty = false;
  /** The columns handed out since the last point: the same object until the chart changes, so a view that did not move is not redrawn. */
  #chartColumns: ChartColumns | null = null;
  #latestAt = 0;
  #lastPointAt = -Infinity;

  constructor(chart: ChartSeries = new ChartSeries()) {
    this.#chart = chart;
  }

  /** Takes one `$SYS` message (the caller checked the prefix); anything unrecognised is counted and left alone. */
  ingest(message: ReceivedMessage): void {
    this.#sysMessages += 1;
    const sys = readSysTopic(message.topic);
    if (!sys) return;
    const at = message.receivedAt;
    this.#latestAt = Math.max(this.#latestAt, at);
    switch (sys.kind) {
      case 'mosquitto':
        this.#seen.add('mosquitto');
        this.#mosquittoValue(sys.path, valueText(message.payload), at);
        return;
      case 'emqx':
        this.#seen.add('emqx');
        this.#emqxValue(sys.node, sys.path, message, at);
        return;
      case 'emqx-nodes':
        this.#seen.add('emqx');
        this.#clusterNodes = valueText(message.payload).split(',').map((node) => node.trim()).filter((node) => node !== '').slice(0, MAX_NODES);
        return;
      case 'vernemq': {
        this.#seen.add('vernemq');
        const node = this.#node(sys.node);
        if (!node) return;
        node.set(sys.path, valueText(message.payload));
        if (sys.path === 'system/wallclock') node.noteUptime(Math.floor((node.number(sys.path) ?? 0) / 1000));
        // VerneMQ publishes every metric every interval: each one is a sample.
        this.#noteCounter(node, VERNEMQ_COUNTERS, sys.path, at);
        return;
      }
      case 'nanomq': {
        this.#seen.add('nanomq');
        const event = parseClientEvent(message.payload, sys.event, { clientId: null, node: null, receivedAt: at });
        if (event) this.#addClientEvent(event);
        return;
      }
      case 'nanomq-status':
        this.#seen.add('nanomq');
        return;
    }
  }

  /** Which broker this is, once known: the richest layout seen wins (NanoMQ's events alone say least). */
  get kind(): BrokerKind | null {
    for (const kind of ['mosquitto', 'emqx', 'vernemq', 'nanomq'] as const) if (this.#seen.has(kind)) return kind;
    return null;
  }

  get sysMessages(): number {
    return this.#sysMessages;
  }

  #mosquittoValue(path: string, text: string, at: number): void {
    const source = this.#mosquitto;
    source.set(path, text);
    if (path === 'uptime') {
      // Mosquitto publishes the uptime every sys_interval, then each counter only when it
      // changed. So at each uptime every counter's latest value is its value as of the
      // last interval: a sample on the broker's own beat, which reads 0/s when quiet.
      source.noteUptime(parseNumber(text) ?? 0);
      source.sample(MOSQUITTO_COUNTERS, at);
      this.#chartDirty = true;
    } else if (path.startsWith('clients/')) {
      this.#chartDirty = true;
    }
  }

  #emqxValue(nodeName: string, path: string, message: ReceivedMessage, at: number): void {
    const clientEvent = /^clients\/(.+)\/(connected|disconnected)$/.exec(path);
    if (clientEvent) {
      const [, clientId = '', event] = clientEvent;
      const parsed = parseClientEvent(message.payload, event === 'connected' ? 'connected' : 'disconnected', { clientId, node: nodeName, receivedAt: at });
      if (parsed) this.#addClientEvent(parsed);
      return;
    }
    if (path === 'alarms/activate' || path === 'alarms/deactivate') {
      const alarm = parseAlarm(message.payload, path === 'alarms/activate', nodeName);
      if (alarm) this.#noteAlarm(alarm);
      return;
    }
    // Subscribe events and gateways' clients are not figures.
    if (path.startsWith('clients/') || path.startsWith('gateway/')) return;
    const node = this.#node(nodeName);
    if (!node) return;
    node.set(path, valueText(message.payload));
    if (path === 'uptime') node.noteUptime(Math.floor((node.number(path) ?? 0) / 1000));
    // EMQX publishes every metric every message interval: each one is a sample.
    this.#noteCounter(node, EMQX_COUNTERS, path, at);
    if (path.startsWith('stats/')) this.#chartDirty = true;
  }

  #noteCounter(node: Source, counters: Readonly<Record<RateName, string>>, path: string, at: number): void {
    for (const name of RATE_NAMES) {
      if (counters[name] !== path) continue;
      const value = node.number(path);
      if (value !== null) node.rates[name].note(value, at);
      this.#chartDirty = true;
    }
  }

  #node(name: string): Source | null {
    let node = this.#nodes.get(name);
    if (!node) {
      if (this.#nodes.size >= MAX_NODES) return null;
      node = new Source();
      this.#nodes.set(name, node);
    }
    return node;
  }

  #addClientEvent(event: ClientEvent): void {
    this.#clientEvents.unshift(event);
    if (this.#clientEvents.length > MAX_CLIENT_EVENTS) this.#clientEvents.length = MAX_CLIENT_EVENTS;
  }

  #noteAlarm(alarm: AlarmEvent): void {
    const key = `${alarm.node ?? ''}\u0000${alarm.name}`;
    const before = this.#alarms.get(key);
    this.#alarms.delete(key);
    this.#alarms.set(key, { ...alarm, activatedAt: alarm.activatedAt ?? before?.activatedAt ?? null });
    if (this.#alarms.size > MAX_ALARMS) {
      const oldest = this.#alarms.keys().next().value;
      if (oldest !== undefined) this.#alarms.delete(oldest);
    }
  }

  /** The read model as of now; adds a chart point when the figures moved (bursts merged). */
  snapshot(): BrokerSnapshot {
    const kind = this.kind;
    const figures = kind === 'mosquitto' ? this.#mosquittoFigures() : kind === 'emqx' || kind === 'vernemq' ? this.#clusterFigures(kind) : emptyFigures(kind);
    if (this.#chartDirty && this.#latestAt - this.#lastPointAt >= CHART_STEP_MS && figures.rates.messagesReceived !== null) {
      this.#chartDirty = false;
      this.#lastPointAt = this.#latestAt;
      this.#chart.push({
        time: this.#latestAt / 1000,
        messagesReceived: figures.rates.messagesReceived,
        messagesSent: figures.rates.messagesSent ?? NaN,
        bytesReceived: figures.rates.bytesReceived ?? NaN,
        bytesSent: figures.rates.bytesSent ?? NaN,
        clientsConnected: figures.clientsConnected ?? NaN,
      });
      this.#chartColumns = null;
    }
    this.#chartColumns ??= this.#chart.columns();
    const alarms = [...this.#alarms.values()].reverse();
    return {
      ...figures,
      kind,
      nodes: kind === 'emqx' || kind === 'vernemq' ? [...this.#nodes].sort(([a], [b]) => a.localeCompare(b)).map(([name, node]) => nodeView(name, node)) : [],
      clusterNodes: this.#clusterNodes,
      clientEvents: [...this.#clientEvents],
      alarms: [...alarms.filter((a) => a.active), ...alarms.filter((a) => !a.active)],
      sysMessages: this.#sysMessages,
      chart: this.#chartColumns,
    };
  }

  #mosquittoFigures(): Figures {
    const source = this.#mosquitto;
    const version = source.values.get('version') ?? null;
    const current = source.number('heap/current');
    const maximum = source.number('heap/maximum');
    return {
      name: 'Mosquitto',
      // "mosquitto version 2.0.18"
      version: version === null ? null : version.replace(/^mosquitto version\s*/i, ''),
      uptimeSeconds: source.uptimeSeconds,
      clientsConnected: source.number('clients/connected') ?? source.number('clients/active'),
      clientsTotal: source.number('clients/total'),
      clientsMaximum: source.number('clients/maximum'),
      subscriptions: source.number('subscriptions/count'),
      retained: source.number('retained messages/count'),
      rates: source.currentRates(),
      load: MOSQUITTO_LOADS.map((name) => ({
        name,
        min1: source.number(`load/${name}/1min`),
        min5: source.number(`load/${name}/5min`),
        min15: source.number(`load/${name}/15min`),
      })).filter((load) => load.min1 !== null || load.min5 !== null || load.min15 !== null),
      heap: current === null && maximum === null ? null : { current, maximum },
    };
  }

  /**
   * A cluster's figures from its nodes. EMQX's connection, session and subscription
   * counts and all its metrics are per node, so they add up; its retained messages live
   * in one table shared by the cluster, so the largest node's count is the cluster's.
   */
  #clusterFigures(kind: 'emqx' | 'vernemq'): Figures {
    const nodes = [...this.#nodes.values()];
    const sum = (...paths: string[]): number | null => sumOf(nodes.map((node) => firstNumber(node, paths)));
    const largest = (path: string): number | null => maxOf(nodes.map((node) => node.number(path)));
    const rates = Object.fromEntries(RATE_NAMES.map((name) => [name, sumOf(nodes.map((node) => node.rates[name].rate))])) as Record<RateName, number | null>;
    const uptimeSeconds = maxOf(nodes.map((node) => node.uptimeSeconds));
    if (kind === 'vernemq') {
      return {
        name: 'VerneMQ',
        version: null,
        uptimeSeconds,
        clientsConnected: sum('active/mqtt/connections'),
        clientsTotal: null,
        clientsMaximum: null,
        subscriptions: sum('router/subscriptions'),
        retained: largest('retain/messages'),
        rates,
        load: [],
        heap: null,
      };
    }
    const first = nodes.find((node) => node.values.has('version'));
    return {
      name: nodes.map((node) => node.values.get('sysdescr')).find((text) => text !== undefined && text !== '') ?? 'EMQX',
      version: first?.values.get('version') ?? null,
      uptimeSeconds,
      clientsConnected: sum('stats/live_connections/count', 'stats/connections/count'),
      clientsTotal: sum('stats/sessions/count', 'stats/connections/count'),
      // The sum of each node's highest count: the cluster's peak when it has one node, an upper bound otherwise.
      clientsMaximum: sum('stats/live_connections/max', 'stats/connections/max'),
      subscriptions: sum('stats/subscriptions/count'),
      retained: largest('stats/retained/count'),
      rates,
      load: [],
      heap: null,
    };
  }
}

type Figures = Pick<BrokerSnapshot, 'name' | 'version' | 'uptimeSeconds' | 'clientsConnected' | 'clientsTotal' | 'clientsMaximum' | 'subscriptions' | 'retained' | 'rates' | 'load' | 'heap'>;

function emptyFigures(kind: BrokerKind | null): Figures {
  return {
    name: kind === 'nanomq' ? 'NanoMQ' : null,
    version: null,
    uptimeSeconds: null,
    clientsConnected: null,
    clientsTotal: null,
    clientsMaximum: null,
    subscriptions: null,
    retained: null,
    rates: NO_RATES,
    load: [],
    heap: null,
  };
}

function nodeView(name: string, node: Source): BrokerNode {
  const stats = new Map<string, { name: string; count: number | null; max: number | null }>();
  const metrics: { name: string; value: number }[] = [];
  for (const [path, text] of node.values) {
    const stat = /^stats\/(.+)\/(count|max)$/.exec(path);
    if (stat) {
      const [, statName = '', which] = stat;
      const entry = stats.get(statName) ?? { name: statName, count: null, max: null };
      entry[which === 'max' ? 'max' : 'count'] = parseNumber(text);
      stats.set(statName, entry);
      continue;
    }
    const metricName = path.startsWith('metrics/') ? path.slice('metrics/'.length) : /^(version|sysdescr|uptime|datetime)$/.test(path) ? null : path;
    const value = parseNumber(text);
    if (metricName !== null && value !== null) metrics.push({ name: metricName, value });
  }
  return {
    name,
    version: node.values.get('version') ?? null,
    uptimeSeconds: node.uptimeSeconds,
    datetime: node.values.get('datetime') ?? null,
    stats: [...stats.values()].sort((a, b) => a.name.localeCompare(b.name)),
    metrics: metrics.sort((a, b) => a.name.localeCompare(b.name)),
    rates: node.currentRates(),
  };
}

function firstNumber(node: Source, paths: readonly string[]): number | null {
  for (const path of paths) {
    const value = node.number(path);
    if (value !== null) return value;
  }
  return null;
}

function sumOf(values: readonly (number | null)[]): number | null {
  let total: number | null = null;
  for (const value of values) if (value !== null) total = (total ?? 0) + value;
  return total;
}

function maxOf(values: readonly (number | null)[]): number | null {
  let largest: number | null = null;
  for (const value of values) if (value !== null && (largest === null || value > largest)) largest = value;
  return largest;
}

/** The leading number of a value ("42", "3.14", "1234 seconds"); null for anything else. */
export function parseNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const match = /^\s*(-?\d+(?:\.\d+)?)/.exec(text);
  if (!match) return null;
  const value = Number(match[1]);
  return Number.isFinite(value) ? value : null;
}

function valueText(payload: Uint8Array): string {
  const head = payload.byteLength > MAX_VALUE_CHARS * 4 ? payload.subarray(0, MAX_VALUE_CHARS * 4) : payload;
  const text = decoder.decode(head).trim();
  return text.length > MAX_VALUE_CHARS ? text.slice(0, MAX_VALUE_CHARS) : text;
}
