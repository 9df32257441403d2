/**
 * What a Sparkplug host application knows about one edge node, built from its messages
 * in order (Sparkplug 3.0, chapter 6): the metric names and datatypes each birth
 * certificate declares for its aliases, so data messages that carry only an alias read
 * as names; the current value of every metric, for the node and for each device; the
 * last command (NCMD, DCMD) a host application sent for each metric, apart from the
 * values (a command is a request, not data: it has no `seq` and changes no value); and
 * what went wrong or changed on the way: `seq` gaps, rebirths (with their `bdSeq`),
 * deaths, aliases no birth declared, data before any birth.
 *
 * Pure and bounded: it owns no timers; times are the messages' `receivedAt`; each table
 * holds at most `metricsPerTable` metrics and as many commands, and the flags list the
 * last `flags`.
 */
import type { DecodedJson, SparkplugMetric, SparkplugPayload } from '../decode/decoded-payload';
import type { SparkplugDeviceTopic, SparkplugNodeTopic } from './sparkplug-topic';

/** The topic of a message about the edge node or one of its devices. */
export type SparkplugMessageTopic = SparkplugNodeTopic | SparkplugDeviceTopic;

export interface SparkplugStateLimits {
  /** Metrics kept per table (the node's, each device's). Default 2,000. */
  metricsPerTable: number;
  /** Flags kept, the newest. Default 100. */
  flags: number;
}

export const DEFAULT_SPARKPLUG_LIMITS: SparkplugStateLimits = { metricsPerTable: 2_000, flags: 100 };

/** Whether a node or device is alive as far as its messages tell: no birth seen yet, born, or dead. */
export type SparkplugLiveness = 'unborn' | 'online' | 'dead';

/** One metric's current value; replaced (never changed) on update. */
export interface SparkplugMetricRow {
  /** The metric's name, or "alias 7" while no birth names it: unique within its table. */
  readonly key: string;
  readonly name?: string;
  readonly alias?: number;
  readonly datatypeName: string;
  readonly value: DecodedJson;
  readonly isNull: boolean;
  /** The metric's timestamp (the payload's when the metric has none), ms since the epoch. */
  readonly timestamp?: number;
  /** When a message last carried it (`receivedAt`). */
  readonly updatedAt: number;
  /** When its value last changed (`receivedAt`). */
  readonly changedAt: number;
}

export interface SparkplugTableView {
  readonly liveness: SparkplugLiveness;
  readonly rows: readonly SparkplugMetricRow[];
  /**
   * The last command sent for each metric (NCMD to the node, DCMD to a device), newest
   * first: `value` is what was asked for, `updatedAt` when it was received. Names come
   * from the command or from the aliases of the birth in force when it was sent.
   */
  readonly commands: readonly SparkplugMetricRow[];
}

export interface SparkplugDeviceView extends SparkplugTableView {
  readonly device: string;
}

export type SparkplugFlagKind =
  | 'birth'
  | 'rebirth'
  | 'death'
  | 'stale-death'
  | 'gap'
  | 'coalesced'
  | 'unknown-alias'
  | 'no-birth'
  | 'undecodable'
  | 'too-many-metrics';

/** Something the user should know about the node's messages, in words. */
export interface SparkplugFlag {
  /** The `receivedAt` of the message that raised it. */
  readonly at: number;
  readonly kind: SparkplugFlagKind;
  readonly text: string;
  /** The device it is about, when it is about one. */
  readonly device?: string;
}

/** The node's state at one moment; never changed once made. */
export interface SparkplugNodeView {
  readonly group: string;
  readonly edgeNode: string;
  readonly liveness: SparkplugLiveness;
  /** The current birth's `bdSeq` (as text: it is a UInt64), null before any. */
  readonly bdSeq: string | null;
  /** NBIRTH messages seen. */
  readonly births: number;
  /** The `seq` of the last message that carried one, null before any. */
  readonly lastSeq: number | null;
  readonly node: SparkplugTableView;
  /** In the order they first appeared. */
  readonly devices: readonly SparkplugDeviceView[];
  /** Oldest first, the last `flags` of them. */
  readonly flags: readonly SparkplugFlag[];
}

/** The alias of a metric declared by a birth: its name and datatype. */
interface BornMetric {
  name: string;
  datatype: number;
  datatypeName: string;
}

/** Messages that take part in the edge node's one `seq` sequence (NDEATH does not, nor commands). */
const SEQUENCED = new Set(['NBIRTH', 'NDATA', 'DBIRTH', 'DDATA', 'DDEATH']);

/** The metrics of the node or of one device, with the aliases its last birth declared. */
class MetricTable {
  liveness: SparkplugLiveness = 'unborn';
  readonly aliases = new Map<number, BornMetric>();
  readonly rows = new Map<string, SparkplugMetricRow>();
  /** By key, the oldest first (a command sent again moves last). */
  readonly commands = new Map<string, SparkplugMetricRow>();
  /** Aliases already flagged as unknown since the last birth (one flag each, not one per message). */
  readonly flaggedAliases = new Set<number>();
  flaggedNoBirth = false;
  flaggedFull = false;
  #view: SparkplugTableView | null = null;

  changed(): void {
    this.#view = null;
  }

  view(): SparkplugTableView {
    return (this.#view ??= { liveness: this.liveness, rows: [...this.rows.values()], commands: [...this.commands.values()].reverse() });
  }
}

export class SparkplugNodeState {
  readonly group: string;
  readonly edgeNode: string;
  readonly #limits: SparkplugStateLimits;
  readonly #node = new MetricTable();
  readonly #devices = new Map<string, MetricTable>();
  #flags: SparkplugFlag[] = [];
  #bdSeq: string | null = null;
  #births = 0;
  #lastSeq: number | null = null;
  /** The `seq` the next sequenced message should carry; null when it cannot be known. */
  #expectedSeq: number | null = null;
  /** A `seq` jump seen last, told as a gap or as the app's coalescing once the next sequenced message shows which. */
  #pendingGap: { flag: SparkplugFlag; coalescedText: string; message: number } | null = null;
  /** Messages fed so far (which one raised a pending jump). */
  #messages = 0;
  #view: SparkplugNodeView | null = null;

  constructor(group: string, edgeNode: string, limits: Partial<SparkplugStateLimits> = {}) {
    this.group = group;
    this.edgeNode = edgeNode;
    this.#limits = { ...DEFAULT_SPARKPLUG_LIMITS, ...limits };
  }

  /** The state now: the same object until a message changes it. */
  view(): SparkplugNodeView {
    this.#view ??= {
      group: this.group,
      edgeNode: this.edgeNode,
      liveness: this.#node.liveness,
      bdSeq: this.#bdSeq,
      births: this.#births,
      lastSeq: this.#lastSeq,
      node: this.#node.view(),
      devices: [...this.#devices].map(([device, table]) => ({ device, ...table.view() })),
      // A jump not yet settled shows as the gap it most likely is.
      flags: this.#pendingGap ? [...this.#flags.slice(-(this.#limits.flags - 1)), this.#pendingGap.flag] : this.#flags,
    };
    return this.#view;
  }

  /**
   * Applies one message of this edge node, in the order they were received.
   * `coalesced` is how many older messages on its topic this one replaced (the app's
   * own flow control), so a `seq` jump it explains is not the edge node's gap.
   */
  feed(topic: SparkplugMessageTopic, payload: SparkplugPayload, receivedAt: number, coalesced: number): void {
    this.#view = null;
    this.#messages++;
    if (SEQUENCED.has(topic.type)) this.#checkSeq(topic, payload.seq, receivedAt, coalesced);
    switch (topic.type) {
      case 'NBIRTH':
        this.#nodeBirth(payload, receivedAt);
        break;
      case 'NDEATH':
        this.#nodeDeath(payload, receivedAt);
        break;
      case 'NDATA':
        this.#data(this.#node, topic, payload, receivedAt);
        break;
      case 'DBIRTH': {
        const table = this.#device(topic.device);
        this.#birth(table, payload, receivedAt);
        this.#flag(receivedAt, 'birth', `DBIRTH: device ${topic.device} online, ${payload.metrics.length} metrics`, topic.device);
        break;
      }
      case 'DDEATH': {
        const table = this.#device(topic.device);
        table.liveness = 'dead';
        table.changed();
        this.#flag(receivedAt, 'death', `DDEATH: device ${topic.device} offline`, topic.device);
        break;
      }
      case 'DDATA':
        this.#data(this.#device(topic.device), topic, payload, receivedAt);
        break;
      // Commands go to the node; they change nothing it reported, and take no part in its seq.
      case 'NCMD':
        this.#command(this.#node, payload, receivedAt);
        break;
      case 'DCMD':
        this.#command(this.#device(topic.device), payload, receivedAt);
        break;
    }
  }

  /** A message that did not decode: flagged; its `seq` is unknown, so the next one's is not checked. */
  feedUndecodable(topic: SparkplugMessageTopic, error: string, receivedAt: number): void {
    this.#view = null;
    this.#messages++;
    if (SEQUENCED.has(topic.type)) this.#expectedSeq = null;
    const device = topic.kind === 'device' ? topic.device : undefined;
    this.#flag(receivedAt, 'undecodable', `${topic.type}${device ? ` of device ${device}` : ''} did not decode: ${error}`, device);
  }

  /**
   * Messages may be missing here that the edge node did send (the kept history was
   * trimmed): the next `seq` is taken as it comes, not flagged as a gap.
   */
  forgetSeq(): void {
    this.#view = null;
    this.#expectedSeq = null;
    this.#pendingGap = null;
  }

  /**
   * Counts an NBIRTH from before the messages fed (the replay starts at the newest one)
   * and takes its `bdSeq`, so the next NBIRTH fed is told as a rebirth against it.
   */
  rememberEarlierBirth(payload: SparkplugPayload): void {
    this.#view = null;
    this.#births++;
    this.#bdSeq = bdSeqOf(payload);
  }

  #checkSeq(topic: SparkplugMessageTopic, seq: number | undefined, receivedAt: number, coalesced: number): void {
    if (seq === undefined) return;
    this.#settleGap(coalesced);
    this.#lastSeq = seq;
    const expected = this.#expectedSeq;
    this.#expectedSeq = (seq + 1) % 256;
    // A birth starts the sequence again (it carries 0).
    if (topic.type === 'NBIRTH' || expected === null || seq === expected) return;
    const device = topic.kind === 'device' ? topic.device : undefined;
    const what = `${topic.type}${device ? ` of device ${device}` : ''}`;
    if (coalesced > 0) {
      const older = coalesced === 1 ? '1 older message' : `${coalesced} older messages`;
      this.#flag(receivedAt, 'coalesced', `seq ${seq} where ${expected} was expected: this ${what} stands for ${older} on its topic that Topicscope coalesced under load (not a gap at the edge node)`, device);
      return;
    }
    const missing = (seq - expected + 256) % 256;
    this.#pendingGap = {
      flag: { at: receivedAt, kind: 'gap', text: `seq gap: expected ${expected}, got ${seq} on ${what} (${missing} missing)`, ...(device !== undefined && { device }) },
      message: this.#messages,
      coalescedText: `seq ${seq} where ${expected} was expected on ${what}: the messages between were coalesced by Topicscope under load on another topic of this node (not a gap at the edge node)`,
    };
  }

  /**
   * Decides what the gap waiting for the next sequenced message was. The core keeps the
   * newest of a coalesced topic's messages, received after messages of other topics
   * that the dropped ones preceded: those others show a jump first, and the message that
   * stands for the dropped ones (`coalesced > 0`) comes next with the expected `seq`.
   */
  #settleGap(nextCoalesced: number): void {
    const pending = this.#pendingGap;
    if (!pending) return;
    this.#pendingGap = null;
    if (nextCoalesced > 0) this.#flag(pending.flag.at, 'coalesced', pending.coalescedText, pending.flag.device);
    else this.#flag(pending.flag.at, 'gap', pending.flag.text, pending.flag.device);
  }

  #nodeBirth(payload: SparkplugPayload, receivedAt: number): void {
    const previous = this.#bdSeq;
    const bdSeq = bdSeqOf(payload);
    this.#births++;
    this.#bdSeq = bdSeq;
    // A new NBIRTH starts the session over: every device sends its DBIRTH again, and what
    // the devices' earlier births declared (metrics, aliases) no longer holds.
    this.#devices.clear();
    this.#birth(this.#node, payload, receivedAt);
    const shown = bdSeq ?? '(none)';
    if (this.#births === 1) {
      this.#flag(receivedAt, 'birth', `NBIRTH: edge node online, bdSeq ${shown}, ${payload.metrics.length} metrics`);
    } else if (previous === bdSeq) {
      this.#flag(receivedAt, 'rebirth', `Rebirth: NBIRTH again with bdSeq ${shown} unchanged (same MQTT session, e.g. a rebirth request)`);
    } else {
      this.#flag(receivedAt, 'rebirth', `Rebirth: new session, bdSeq ${previous ?? '(none)'} → ${shown}`);
    }
  }

  #nodeDeath(payload: SparkplugPayload, receivedAt: number): void {
    const bdSeq = bdSeqOf(payload);
    const shown = bdSeq ?? '(none)';
    // An NDEATH is the broker delivering the node's will: one from an older session
    // (its bdSeq is not the current birth's) arrives late and says nothing about now.
    if (this.#births > 0 && bdSeq !== null && this.#bdSeq !== null && bdSeq !== this.#bdSeq) {
      this.#flag(receivedAt, 'stale-death', `NDEATH with bdSeq ${bdSeq} ignored: the current NBIRTH has bdSeq ${this.#bdSeq} (an older session's will)`);
      return;
    }
    this.#node.liveness = 'dead';
    this.#node.changed();
    for (const table of this.#devices.values()) {
      if (table.liveness === 'online') {
        table.liveness = 'dead';
        table.changed();
      }
    }
    this.#expectedSeq = null;
    const devices = this.#devices.size > 0 ? ' and its devices' : '';
    const unmatched = this.#births === 0 ? ' (no birth seen)' : '';
    this.#flag(receivedAt, 'death', `NDEATH, bdSeq ${shown}${unmatched}: edge node${devices} offline`);
  }

  /** A birth declares the table's whole metric set and its aliases; its values are the current ones. */
  #birth(table: MetricTable, payload: SparkplugPayload, receivedAt: number): void {
    table.aliases.clear();
    table.rows.clear();
    table.flaggedAliases.clear();
    table.flaggedNoBirth = false;
    table.flaggedFull = false;
    table.liveness = 'online';
    for (const metric of payload.metrics) {
      if (metric.name !== undefined && metric.alias !== undefined) {
        table.aliases.set(metric.alias, { name: metric.name, datatype: metric.datatype, datatypeName: metric.datatypeName });
      }
    }
    this.#setRows(table, payload, receivedAt, null);
  }

  #data(table: MetricTable, topic: SparkplugMessageTopic, payload: SparkplugPayload, receivedAt: number): void {
    const device = topic.kind === 'device' ? topic.device : undefined;
    if (table.liveness === 'unborn' && !table.flaggedNoBirth) {
      table.flaggedNoBirth = true;
      const birth = device ? 'DBIRTH' : 'NBIRTH';
      this.#flag(receivedAt, 'no-birth', `${topic.type} before any ${birth}: no birth seen, names unknown; send a rebirth request`, device);
    }
    this.#setRows(table, payload, receivedAt, topic);
  }

  /** Puts each metric's value in its row; `dataTopic` is null for a birth (whose metrics declare the names). */
  #setRows(table: MetricTable, payload: SparkplugPayload, receivedAt: number, dataTopic: SparkplugMessageTopic | null): void {
    for (const metric of payload.metrics) {
      const born = metric.name === undefined && metric.alias !== undefined ? table.aliases.get(metric.alias) : undefined;
      const name = metric.name ?? born?.name;
      if (name === undefined && metric.alias === undefined) continue;
      if (name === undefined && dataTopic && table.liveness !== 'unborn' && !table.flaggedAliases.has(metric.alias!)) {
        table.flaggedAliases.add(metric.alias!);
        const device = dataTopic.kind === 'device' ? dataTopic.device : undefined;
        const birth = device ? 'DBIRTH' : 'NBIRTH';
        this.#flag(receivedAt, 'unknown-alias', `alias ${metric.alias} not in the last ${birth}${device ? ` of device ${device}` : ''}`, device);
      }
      const key = name ?? `alias ${metric.alias}`;
      const before = table.rows.get(key);
      if (!before && table.rows.size >= this.#limits.metricsPerTable) {
        if (!table.flaggedFull) {
          table.flaggedFull = true;
          this.#flag(receivedAt, 'too-many-metrics', `More than ${this.#limits.metricsPerTable} metrics: the rest are not shown`);
        }
        continue;
      }
      table.rows.set(key, rowOf(key, name, metric, born, payload.timestamp, receivedAt, before));
    }
    table.changed();
  }

  /** Keeps the last command per metric; a metric a command names only by alias is named from the table's birth. */
  #command(table: MetricTable, payload: SparkplugPayload, receivedAt: number): void {
    for (const metric of payload.metrics) {
      const born = metric.name === undefined && metric.alias !== undefined ? table.aliases.get(metric.alias) : undefined;
      const name = metric.name ?? born?.name;
      if (name === undefined && metric.alias === undefined) continue;
      const key = name ?? `alias ${metric.alias}`;
      const before = table.commands.get(key);
      if (!before && table.commands.size >= this.#limits.metricsPerTable) continue;
      table.commands.delete(key);
      table.commands.set(key, rowOf(key, name, metric, born, payload.timestamp, receivedAt, before));
    }
    table.changed();
  }

  #device(device: string): MetricTable {
    let table = this.#devices.get(device);
    if (!table) {
      table = new MetricTable();
      this.#devices.set(device, table);
    }
    return table;
  }

  #flag(at: number, kind: SparkplugFlagKind, text: string, device?: string): void {
    // What a later message raises comes after the jump in the list, so the jump is settled first.
    if (this.#pendingGap && this.#pendingGap.message !== this.#messages) this.#settleGap(0);
    const flag: SparkplugFlag = device === undefined ? { at, kind, text } : { at, kind, text, device };
    // A new array: views already handed out keep theirs.
    this.#flags = [...this.#flags.slice(-(this.#limits.flags - 1)), flag];
  }
}

function rowOf(
  key: string,
  name: string | undefined,
  metric: SparkplugMetric,
  born: BornMetric | undefined,
  payloadTimestamp: number | undefined,
  receivedAt: number,
  before: SparkplugMetricRow | undefined,
): SparkplugMetricRow {
  const isNull = metric.isNull === true;
  // Data messages may leave the datatype out (0, "Unknown") and rely on the birth's.
  const datatypeName = metric.datatype === 0 && born ? born.datatypeName : metric.datatype === 0 && before ? before.datatypeName : metric.datatypeName;
  const unchanged = before?.isNull === isNull && sameValue(before.value, metric.value);
  const timestamp = metric.timestamp ?? payloadTimestamp;
  return {
    key,
    ...(name !== undefined && { name }),
    ...(metric.alias !== undefined ? { alias: metric.alias } : before?.alias !== undefined && { alias: before.alias }),
    datatypeName,
    value: metric.value,
    isNull,
    ...(timestamp !== undefined && { timestamp }),
    updatedAt: receivedAt,
    changedAt: unchanged ? before.changedAt : receivedAt,
  };
}

function sameValue(a: DecodedJson, b: DecodedJson): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The `bdSeq` metric of an NBIRTH or NDEATH, as text (it is a UInt64); null when absent. */
export function bdSeqOf(payload: SparkplugPayload): string | null {
  const metric = payload.metrics.find((m) => m.name === 'bdSeq');
  return metric && metric.value !== null && typeof metric.value !== 'object' ? String(metric.value) : null;
}
