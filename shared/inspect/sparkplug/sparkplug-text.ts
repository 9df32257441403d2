/** The Sparkplug state in words, as the metrics view shows it. */
import type { SparkplugFlagKind, SparkplugLiveness, SparkplugMetricRow, SparkplugNodeView } from './sparkplug-node-state';

const LIVENESS: Record<SparkplugLiveness, string> = { unborn: 'no birth seen', online: 'online', dead: 'offline (dead)' };

export function livenessText(liveness: SparkplugLiveness): string {
  return LIVENESS[liveness];
}

/** A metric's value in one line: null as "null", structures (DataSet, Template, arrays) as JSON, cut at `max` characters. */
export function metricValueText(row: SparkplugMetricRow, max = 200): string {
  if (row.isNull || row.value === null) return 'null';
  const text = typeof row.value === 'object' ? JSON.stringify(row.value) : String(row.value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The node's state line: liveness, bdSeq, births seen, last seq. */
export function nodeStateText(node: SparkplugNodeView): string {
  const births = node.births === 1 ? '1 birth seen' : `${node.births} births seen`;
  return [
    `Edge node ${node.edgeNode} (group ${node.group}): ${livenessText(node.liveness)}`,
    `bdSeq ${node.bdSeq ?? 'unknown'}`,
    births,
    `last seq ${node.lastSeq ?? 'none'}`,
  ].join(' · ');
}

/** Flags that say something may be wrong (the rest record what happened). */
const WARNINGS: ReadonlySet<SparkplugFlagKind> = new Set<SparkplugFlagKind>(['gap', 'unknown-alias', 'no-birth', 'undecodable', 'stale-death', 'too-many-metrics']);

export function isWarning(kind: SparkplugFlagKind): boolean {
  return WARNINGS.has(kind);
}
