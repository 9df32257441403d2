import { describe, expect, it } from 'vitest';
import type { SparkplugMetricRow, SparkplugNodeView } from '../../shared/inspect/sparkplug/sparkplug-node-state';
import { metricValueText, nodeStateText } from '../../shared/inspect/sparkplug/sparkplug-text';
import { sparkplugPayloadsOf } from '../../shared/inspect/sparkplug/sparkplug-results';

const row = (fields: Partial<SparkplugMetricRow>): SparkplugMetricRow => ({ key: 'm', datatypeName: 'Double', value: 1, isNull: false, updatedAt: 0, changedAt: 0, ...fields });

describe('Sparkplug text', () => {
  it('shows a metric value in one line: null, scalars, structures as JSON, long ones cut', () => {
    expect(metricValueText(row({ isNull: true, value: null }))).toBe('null');
    expect(metricValueText(row({ value: 21.5 }))).toBe('21.5');
    expect(metricValueText(row({ value: false }))).toBe('false');
    expect(metricValueText(row({ value: '18446744073709551615' }))).toBe('18446744073709551615');
    expect(metricValueText(row({ value: { columns: ['a'], rows: [[1]] } }))).toBe('{"columns":["a"],"rows":[[1]]}');
    expect(metricValueText(row({ value: 'x'.repeat(300) }), 10)).toBe('xxxxxxxxx…');
  });

  it('says the node’s liveness, bdSeq, births and last seq', () => {
    const node = { group: 'Plant', edgeNode: 'gw', liveness: 'dead', bdSeq: '4', births: 2, lastSeq: 17 } as SparkplugNodeView;
    expect(nodeStateText(node)).toBe('Edge node gw (group Plant): offline (dead) · bdSeq 4 · 2 births seen · last seq 17');
    expect(nodeStateText({ ...node, liveness: 'unborn', bdSeq: null, births: 0, lastSeq: null })).toBe('Edge node gw (group Plant): no birth seen · bdSeq unknown · 0 births seen · last seq none');
  });
});

describe('sparkplugPayloadsOf', () => {
  it('takes the Sparkplug payload of each decode result, and the reason when there is none', () => {
    const payload = { seq: 1, metrics: [] };
    expect(sparkplugPayloadsOf([
      { kind: 'structured', format: 'Sparkplug B', value: {}, sparkplug: payload },
      { kind: 'error', format: 'Sparkplug B', message: 'invalid wire type 7 at offset 3' },
      { kind: 'text', format: 'UTF-8', text: 'hello' },
    ])).toEqual([payload, { error: 'invalid wire type 7 at offset 3' }, { error: 'Not a Sparkplug B payload (read as UTF-8).' }]);
  });
});
