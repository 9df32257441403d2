import { describe, expect, it } from 'vitest';
import { ChartSeries, type ChartPoint } from '../../shared/broker/chart-series';

function point(time: number): ChartPoint {
  return { time, messagesReceived: time * 10, messagesSent: 0, bytesReceived: 0, bytesSent: 0, clientsConnected: 1 };
}

describe('ChartSeries', () => {
  it('gives columns oldest first, copied so later points do not change a drawn chart', () => {
    const series = new ChartSeries(8);
    series.push(point(1));
    series.push(point(2));
    const columns = series.columns();
    series.push(point(3));
    expect([...columns.time]).toEqual([1, 2]);
    expect([...columns.messagesReceived]).toEqual([10, 20]);
    expect(columns.length).toBe(2);
  });

  it('stays bounded over a long session, keeping its start at a coarser grain', () => {
    const series = new ChartSeries(8);
    for (let t = 1; t <= 100; t++) series.push(point(t));
    const { time, length } = series.columns();
    expect(length).toBeLessThanOrEqual(8);
    expect(time[0]).toBe(1);
    expect(time[length - 1]).toBe(100);
    expect([...time]).toEqual([...time].sort((a, b) => a - b));
  });
});
