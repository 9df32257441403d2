/**
 * Charting decoded payloads: points in arrival order although the core answers later, one
 * request per series at a time, a bounded queue whose drops are counted, Sparkplug metrics
 * by name through the birth's aliases. The core is a fake here (payloads are JSON of what
 * it would answer, answered when the test says); the real decoders are in the e2e spec.
 */
import { describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import type { DecodedJson, DecodeResult, SparkplugMetric, SparkplugPayload } from '../../shared/inspect/decode/decoded-payload';
import type { DecoderSpec } from '../../shared/inspect/decode/decode-rules';
import { ChartModel } from '../../shared/inspect/chart/chart-model';
import type { ChartSeries } from '../../shared/inspect/chart/chart-series';
import { birthTopicOf, decodedReadersFor, pickedSource, type ChartDecoding } from '../../shared/inspect/chart/decoded-readers';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
const DDATA = 'spBv1.0/plant/DDATA/edge1/press';
const DBIRTH = 'spBv1.0/plant/DBIRTH/edge1/press';

function message(topic: string, payload: string, receivedAt: number): ReceivedMessage {
  const bytes = new TextEncoder().encode(payload);
  return { topic, payload: bytes, payloadSize: bytes.byteLength, qos: 0, retain: false, receivedAt, coalesced: 0 };
}

/**
 * A core that decodes when told: `cbor/...` topics decode in the core (the payload is
 * the JSON the decoder would give; "bad" does not decode), others are read at once.
 */
class FakeCore implements ChartDecoding {
  readonly requests: { decoder: DecoderSpec; payloads: string[]; answer: () => void }[] = [];

  decoderFor(topic: string): DecoderSpec {
    if (topic.startsWith('spBv1.0/')) return { kind: 'sparkplug' };
    return topic.startsWith('cbor/') ? { kind: 'cbor' } : { kind: 'auto' };
  }

  decode(decoder: DecoderSpec, payloads: Uint8Array[]): Promise<readonly DecodeResult[]> {
    const texts = payloads.map((p) => new TextDecoder().decode(p));
    return new Promise((resolve) => {
      this.requests.push({ decoder, payloads: texts, answer: () => resolve(texts.map((text) => decoded(decoder, text))) });
    });
  }

  /** Answers the oldest request (once what was queued in the task has been sent) and lets its promise callbacks run. */
  async answerNext(): Promise<void> {
    await settle();
    const request = this.requests.shift();
    if (!request) throw new Error('nothing was asked');
    request.answer();
    await settle();
  }

  /** Answers until nothing more is asked. */
  async answerAll(): Promise<void> {
    await settle();
    while (this.requests.length > 0) await this.answerNext();
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function decoded(decoder: DecoderSpec, text: string): DecodeResult {
  if (text === 'bad') return { kind: 'error', format: decoder.kind, message: 'Not CBOR' };
  const value = JSON.parse(text) as DecodedJson;
  return decoder.kind === 'sparkplug' ? { kind: 'structured', format: 'Sparkplug B', value, sparkplug: value as unknown as SparkplugPayload } : { kind: 'structured', format: 'CBOR', value };
}

function points(series: ChartSeries): [number, number][] {
  const { times, values } = series.columns();
  return Array.from(times, (time, i) => [time, values[i] ?? NaN]);
}

function added(model: ChartModel, ...args: Parameters<ChartModel['add']>): ChartSeries {
  const series = model.add(...args);
  if (typeof series === 'string') throw new Error(series);
  return series;
}

function metric(fields: Partial<SparkplugMetric> & { value: SparkplugMetric['value'] }): SparkplugMetric {
  return { datatype: 10, datatypeName: 'Double', ...fields };
}

function sparkplug(topic: string, metrics: SparkplugMetric[], receivedAt: number): ReceivedMessage {
  return message(topic, JSON.stringify({ timestamp: T0, seq: 0, metrics }), receivedAt);
}

describe('a series of a payload the core decodes', () => {
  it('plots the messages in arrival order although the decoder answers later, one request at a time', async () => {
    const core = new FakeCore();
    let late = 0;
    const model = new ChartModel({ readerFor: decodedReadersFor(core), onLatePoints: () => late++ });
    const series = added(model, { topic: 'cbor/t', path: ['temp'] }, () => []);
    model.ingest([message('cbor/t', '{"temp":1}', T0)]);
    model.ingest([message('cbor/t', '{"temp":2}', T0 + 1)]);
    await Promise.resolve();
    // One request for what arrived in the task; what comes next waits for its answer.
    model.ingest([message('cbor/t', '{"temp":3}', T0 + 2)]);
    expect(core.requests.map((r) => r.payloads.length)).toEqual([2]);
    expect([series.length, series.pending]).toEqual([0, 3]);
    await core.answerNext();
    expect(points(series)).toEqual([[T0, 1], [T0 + 1, 2]]);
    expect(core.requests.map((r) => r.payloads.length)).toEqual([1]);
    await core.answerNext();
    expect(points(series)).toEqual([[T0, 1], [T0 + 1, 2], [T0 + 2, 3]]);
    expect([series.pending, late]).toEqual([0, 2]);
  });

  it('does not put a message read at once before earlier ones still being decoded', async () => {
    const core = new FakeCore();
    const model = new ChartModel({ readerFor: decodedReadersFor(core) });
    // A rule for "cbor/..." chooses CBOR; this publisher's content type says JSON on one message.
    const decoderFor = core.decoderFor.bind(core);
    core.decoderFor = (topic, m?: ReceivedMessage) => (m?.properties?.contentType === 'application/json' ? { kind: 'json' } : decoderFor(topic));
    const series = added(model, { topic: 'cbor/t', path: ['v'] }, () => []);
    model.ingest([message('cbor/t', '{"v":1}', T0), { ...message('cbor/t', '{"v":2}', T0 + 1), properties: { contentType: 'application/json' } }]);
    expect(series.length).toBe(0);
    await core.answerNext();
    expect(points(series)).toEqual([[T0, 1], [T0 + 1, 2]]);
  });

  it('skips and counts what does not decode or has no number at the path', async () => {
    const core = new FakeCore();
    const model = new ChartModel({ readerFor: decodedReadersFor(core) });
    const series = added(model, { topic: 'cbor/t', path: ['temp'] }, () => []);
    model.ingest([message('cbor/t', 'bad', T0), message('cbor/t', '{"temp":"warm"}', T0 + 1), message('cbor/t', '{"temp":"21.5"}', T0 + 2)]);
    await core.answerAll();
    expect(points(series)).toEqual([[T0 + 2, 21.5]]);
    expect(series.skipped).toBe(2);
  });

  it('back-fills from the history (newest first) through the decoder, before live messages', async () => {
    const core = new FakeCore();
    const model = new ChartModel({ readerFor: decodedReadersFor(core) });
    const history = [message('cbor/t', '{"temp":3}', T0 + 2), message('cbor/t', '{"temp":2}', T0 + 1), message('cbor/t', '{"temp":1}', T0)];
    const series = added(model, { topic: 'cbor/t', path: ['temp'] }, () => history);
    await Promise.resolve();
    model.ingest([message('cbor/t', '{"temp":4}', T0 + 3)]);
    expect(core.requests[0]?.payloads).toHaveLength(3);
    await core.answerNext();
    await core.answerNext();
    expect(points(series).map(([, v]) => v)).toEqual([1, 2, 3, 4]);
  });

  it('keeps what waits bounded in a flood, dropping the older half and counting it', async () => {
    const core = new FakeCore();
    const model = new ChartModel({ readerFor: decodedReadersFor(core), queue: { waiting: 10, batchPayloads: 4 } });
    const series = added(model, { topic: 'cbor/t', path: ['v'] }, () => []);
    model.ingest([message('cbor/t', '{"v":0}', T0)]);
    await Promise.resolve();
    // While the first is decoded, 99 more arrive one by one.
    for (let i = 1; i < 100; i++) model.ingest([message('cbor/t', `{"v":${i}}`, T0 + i)]);
    expect(series.pending).toBeLessThanOrEqual(11);
    expect(series.notDecoded + series.pending).toBe(100);
    await core.answerAll();
    const values = points(series).map(([, v]) => v);
    expect(values[0]).toBe(0);
    expect(values[values.length - 1]).toBe(99);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(values.length + series.notDecoded).toBe(100);
  });

  it('forgets a removed series: a late answer adds nothing and nothing more is sent', async () => {
    const core = new FakeCore();
    const model = new ChartModel({ readerFor: decodedReadersFor(core) });
    const series = added(model, { topic: 'cbor/t', path: ['v'] }, () => []);
    model.ingest([message('cbor/t', '{"v":1}', T0)]);
    await Promise.resolve();
    model.ingest([message('cbor/t', '{"v":2}', T0 + 1)]);
    model.remove(series.key);
    await core.answerNext();
    expect([series.length, core.requests.length]).toEqual([0, 0]);
  });
});

describe('a Sparkplug metric by name', () => {
  const birth = (alias: number, value: number, at: number): ReceivedMessage => sparkplug(DBIRTH, [metric({ name: 'bdSeq', alias: 0, value: 0 }), metric({ name: 'Pressure', alias, value })], at);
  const data = (alias: number, value: number, at: number): ReceivedMessage => sparkplug(DDATA, [metric({ alias, value })], at);

  it('charts data sent by alias only under the name the device birth gave it, following a rebirth', async () => {
    const core = new FakeCore();
    const model = new ChartModel({ readerFor: decodedReadersFor(core) });
    const histories: Record<string, ReceivedMessage[]> = { [DBIRTH]: [birth(7, 1.5, T0)], [DDATA]: [data(7, 2.5, T0 + 1)] };
    const series = added(model, { topic: DDATA, metric: 'Pressure' }, (topic) => histories[topic] ?? []);
    // Another alias, a historical value and a null one are not this metric's points.
    model.ingest([data(8, 99, T0 + 2), sparkplug(DDATA, [metric({ alias: 7, value: 50, isHistorical: true })], T0 + 3), data(7, 3.5, T0 + 4)]);
    model.ingest([birth(4, 10, T0 + 5), data(7, 98, T0 + 6), data(4, 11, T0 + 7)]);
    await core.answerAll();
    expect(points(series)).toEqual([[T0, 1.5], [T0 + 1, 2.5], [T0 + 4, 3.5], [T0 + 5, 10], [T0 + 7, 11]]);
    expect(series.skipped).toBe(3);
  });

  it('has no value for an alias before any birth names it', async () => {
    const core = new FakeCore();
    const model = new ChartModel({ readerFor: decodedReadersFor(core) });
    const series = added(model, { topic: DDATA, metric: 'Pressure' }, () => []);
    model.ingest([data(7, 2, T0)]);
    await core.answerNext();
    expect([series.length, series.skipped]).toEqual([0, 1]);
  });

  it('never drops a birth in a flood: its aliases name what comes after', async () => {
    const core = new FakeCore();
    const model = new ChartModel({ readerFor: decodedReadersFor(core), queue: { waiting: 6, batchPayloads: 2 } });
    const series = added(model, { topic: DDATA, metric: 'Pressure' }, () => []);
    model.ingest([data(1, 0, T0)]);
    model.ingest([birth(5, 1, T0 + 1)]);
    for (let i = 2; i < 40; i++) model.ingest([data(5, i, T0 + i)]);
    await core.answerAll();
    const values = points(series).map(([, v]) => v);
    expect(values[0]).toBe(1);
    expect(values[values.length - 1]).toBe(39);
    expect(series.notDecoded).toBeGreaterThan(0);
  });

  it('finds the birth topic of node and device data, and what a number picked in the viewer charts', () => {
    expect(birthTopicOf(DDATA)).toBe(DBIRTH);
    expect(birthTopicOf('spBv1.0/plant/NDATA/edge1')).toBe('spBv1.0/plant/NBIRTH/edge1');
    expect(birthTopicOf(DBIRTH)).toBeNull();
    const payload: SparkplugPayload = { metrics: [metric({ name: 'Pressure', alias: 7, value: 1 }), metric({ alias: 8, value: 2 })] };
    const result: DecodeResult = { kind: 'structured', format: 'Sparkplug B', value: payload as never, sparkplug: payload };
    expect(pickedSource(DDATA, ['metrics', 0, 'value'], result)).toEqual({ source: { topic: DDATA, metric: 'Pressure' } });
    expect(pickedSource(DDATA, ['metrics', 1, 'value'], result)).toEqual({ topic: DDATA, alias: 8 });
    expect(pickedSource(DDATA, ['timestamp'], result)).toEqual({ source: { topic: DDATA, path: ['timestamp'] } });
    expect(pickedSource('cbor/t', ['metrics', 0, 'value'], { kind: 'structured', format: 'CBOR', value: { metrics: [{ value: 1 }] } })).toEqual({ source: { topic: 'cbor/t', path: ['metrics', 0, 'value'] } });
  });
});
