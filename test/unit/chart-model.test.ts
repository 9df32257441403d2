/**
 * The chart's series model: what a user sees plotted from the messages of a topic.
 */
import { describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { ChartModel } from '../../shared/inspect/chart/chart-model';
import { ChartSeries } from '../../shared/inspect/chart/chart-series';
import { sourceLabel } from '../../shared/inspect/chart/chart-source';
import { alignSeries } from '../../shared/inspect/chart/align-series';
import { csvFileName, seriesCsv } from '../../shared/inspect/chart/series-csv';
import { csvField } from '../../shared/export/message-csv';
import { MAX_POINTS_PER_SERIES, SeriesBuffer } from '../../shared/inspect/chart/series-buffer';
import { readerOf } from '../../shared/inspect/chart/series-reader';
import { jsonPathNumber, numberFromText, payloadNumber } from '../../shared/inspect/chart/value-extractor';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 6);

function message(topic: string, payload: string, receivedAt: number): ReceivedMessage {
  const bytes = new TextEncoder().encode(payload);
  return { topic, payload: bytes, payloadSize: bytes.byteLength, qos: 0, retain: false, receivedAt, coalesced: 0 };
}

function points(series: ChartSeries): [number, number][] {
  const { times, values } = series.columns();
  return Array.from(times, (time, i) => [time, values[i] ?? NaN]);
}

describe('reading a value from a payload', () => {
  it('reads number text, with whitespace, sign and exponent, and true/false as 1/0', () => {
    expect(['21.5', ' -3\n', '+7', '1e3', '0', 'TRUE', 'false'].map(numberFromText)).toEqual([21.5, -3, 7, 1000, 0, 1, 0]);
  });

  it('reads no value from words, units, hex, Infinity or NaN', () => {
    expect(['', 'on', '12 °C', '0x1f', 'Infinity', 'NaN', '1.', '--1', '{"a":1}'].map(numberFromText)).toEqual(Array(9).fill(null));
  });

  it('reads nothing from a payload the core cut, which would plot a wrong number', () => {
    const cut = { ...message('t', '123', T0), payloadSize: 123456 };
    expect(payloadNumber.extract(cut)).toBeNull();
  });

  it('follows a JSON path through objects and arrays to a number, a boolean or number text', () => {
    const payload = JSON.stringify({ reading: { values: [1.5, { 'odd key': '42' }], on: true } });
    expect(jsonPathNumber(['reading', 'values', 0]).extract(message('t', payload, T0))).toBe(1.5);
    expect(jsonPathNumber(['reading', 'values', 1, 'odd key']).extract(message('t', payload, T0))).toBe(42);
    expect(jsonPathNumber(['reading', 'on']).extract(message('t', payload, T0))).toBe(1);
  });

  it('finds no value at a missing path, a non-number, or in a payload that is not JSON', () => {
    const payload = JSON.stringify({ reading: { values: [1], name: 'x', nested: {} } });
    for (const path of [['reading', 'missing'], ['reading', 'values', 3], ['reading', 'values', 'length'], ['reading', 'name'], ['reading', 'nested'], ['reading', 0]]) {
      expect(jsonPathNumber(path).extract(message('t', payload, T0)), JSON.stringify(path)).toBeNull();
    }
    expect(jsonPathNumber(['a']).extract(message('t', '{not json', T0))).toBeNull();
  });

  it('names a series by its topic and path', () => {
    expect(sourceLabel({ topic: 'home/temp' })).toBe('home/temp');
    expect(sourceLabel({ topic: 'plant/1', path: ['reading', 'values', 0, 'odd key'] })).toBe('plant/1 $.reading.values[0]["odd key"]');
    expect(sourceLabel({ topic: 'spBv1.0/g/DDATA/n/d', metric: 'Temperature' })).toBe('spBv1.0/g/DDATA/n/d · Temperature');
  });
});

describe('a series', () => {
  it('appends each numeric message as a point at its arrival time, and counts the ones it skips', () => {
    const model = new ChartModel();
    const series = model.add({ topic: 'home/temp' }, () => []);
    if (typeof series === 'string') throw new Error(series);
    model.ingest([message('home/temp', '21.5', T0), message('home/temp', 'offline', T0 + 1), message('other', '9', T0 + 2), message('home/temp', '22', T0 + 3)]);
    expect(points(series)).toEqual([[T0, 21.5], [T0 + 3, 22]]);
    expect(series.skipped).toBe(1);
  });

  it('back-fills from the kept history, which comes newest first, oldest point first', () => {
    const model = new ChartModel();
    const history = [message('t', '3', T0 + 2), message('t', 'x', T0 + 1), message('t', '1', T0)];
    const series = model.add({ topic: 't' }, () => history);
    if (typeof series === 'string') throw new Error(series);
    model.ingest([message('t', '4', T0 + 3)]);
    expect(points(series)).toEqual([[T0, 1], [T0 + 2, 3], [T0 + 3, 4]]);
    expect(series.skipped).toBe(1);
  });

  it('counts the messages the core merged into a later one, whose values it never saw', () => {
    const series = new ChartSeries({ topic: 't' }, readerOf(payloadNumber));
    series.take({ ...message('t', '5', T0), coalesced: 41 });
    expect([series.length, series.merged]).toEqual([1, 41]);
  });

  it('keeps times in order when the clock steps back', () => {
    const series = new ChartSeries({ topic: 't' }, readerOf(payloadNumber));
    series.take(message('t', '1', T0 + 10));
    series.take(message('t', '2', T0));
    expect(points(series)).toEqual([[T0 + 10, 1], [T0 + 10, 2]]);
  });

  it(`keeps the newest ${MAX_POINTS_PER_SERIES.toLocaleString('en')} points and says how many older ones it dropped`, () => {
    const series = new ChartSeries({ topic: 't' }, readerOf(payloadNumber));
    const total = MAX_POINTS_PER_SERIES * 2 + 5;
    for (let i = 0; i < total; i++) series.take(message('t', String(i), T0 + i));
    expect(series.length).toBe(MAX_POINTS_PER_SERIES);
    expect(series.dropped).toBe(total - MAX_POINTS_PER_SERIES);
    const { times, values } = series.columns();
    expect([values[0], values[values.length - 1]]).toEqual([total - MAX_POINTS_PER_SERIES, total - 1]);
    expect(times[0]).toBe(T0 + total - MAX_POINTS_PER_SERIES);
  });

  it('gives a copy that later points do not change, for a paused chart', () => {
    const buffer = new SeriesBuffer(3);
    for (let i = 0; i < 3; i++) buffer.append(i, i);
    const frozen = buffer.copy();
    for (let i = 3; i < 10; i++) buffer.append(i, i);
    expect(Array.from(frozen.values)).toEqual([0, 1, 2]);
    expect(Array.from(buffer.columns().values)).toEqual([7, 8, 9]);
  });

  it('refuses the same source twice, and a Sparkplug metric until a decoder supplies its reader', () => {
    const model = new ChartModel();
    model.add({ topic: 't', path: ['a'] }, () => []);
    expect(model.add({ topic: 't', path: ['a'] }, () => [])).toBe('already-charted');
    expect(model.add({ topic: 'spBv1.0/g/DDATA/n', metric: 'm' }, () => [])).toBe('unsupported');
    const withMetrics = new ChartModel({ readerFor: (source) => (source.metric ? readerOf({ extract: () => 7 }) : null) });
    const metric = withMetrics.add({ topic: 'spBv1.0/g/DDATA/n', metric: 'm' }, () => [message('spBv1.0/g/DDATA/n', '', T0)]);
    expect(typeof metric === 'string' ? metric : points(metric)).toEqual([[T0, 7]]);
  });

  it('feeds every series of a topic, and stops feeding one once removed', () => {
    const model = new ChartModel();
    const whole = model.add({ topic: 't' }, () => []);
    const field = model.add({ topic: 't', path: ['v'] }, () => []);
    if (typeof whole === 'string' || typeof field === 'string') throw new Error('not added');
    expect(model.ingest([message('t', '{"v":2}', T0)])).toBe(true);
    expect([whole.length, whole.skipped, field.length]).toEqual([0, 1, 1]);
    model.remove(field.key);
    model.remove(whole.key);
    expect(model.ingest([message('t', '{"v":3}', T0 + 1)])).toBe(false);
    expect(field.length).toBe(1);
  });
});

describe('several series on one time axis', () => {
  it('joins their times, each series empty where it has no point', () => {
    const a = { times: Float64Array.of(1, 3, 5), values: Float64Array.of(10, 30, 50) };
    const b = { times: Float64Array.of(2, 3, 6), values: Float64Array.of(-2, -3, -6) };
    const [times, first, second] = alignSeries([a, b]);
    expect(Array.from(times)).toEqual([1, 2, 3, 5, 6]);
    expect(first).toEqual([10, undefined, 30, 50, undefined]);
    expect(second).toEqual([undefined, -2, -3, undefined, -6]);
  });

  it('passes one series through without copying', () => {
    const a = { times: Float64Array.of(1, 2), values: Float64Array.of(3, 4) };
    const [times, values] = alignSeries([a]);
    expect(times).toBe(a.times);
    expect(values).toBe(a.values);
  });
});

describe('CSV export', () => {
  it('writes time_iso,time_ms,value, one CRLF line per point', () => {
    const csv = seriesCsv({ times: Float64Array.of(T0, T0 + 1000), values: Float64Array.of(21.5, -0.000001) });
    expect(csv).toBe(`time_iso,time_ms,value\r\n2026-01-02T03:04:05.006Z,${T0},21.5\r\n2026-01-02T03:04:06.006Z,${T0 + 1000},-0.000001\r\n`);
  });

  it('quotes a field holding a comma, a quote or a line break, doubling quotes (RFC 4180)', () => {
    expect(['plain', 'a,b', 'say "hi"', 'two\nlines'].map(csvField)).toEqual(['plain', '"a,b"', '"say ""hi"""', '"two\nlines"']);
  });

  it('names the file after the series', () => {
    expect(csvFileName('home/living room/temp $.values[0]')).toBe('home-living-room-temp-values-0.csv');
    expect(csvFileName('///')).toBe('series.csv');
  });
});
