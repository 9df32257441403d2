/**
 * Export's file formats: CSV a spreadsheet reads one row per message with JSON fields
 * as columns, JSON, and JSON Lines that read back through the recording reader exact.
 */
import { describe, expect, it } from 'vitest';
import type { ReceivedMessage, MessageProperties } from '../../shared/mqtt/mqtt-message';
import { TopicTree } from '../../shared/explorer/topic-tree';
import { MAX_JSON_COLUMNS, messagesCsv } from '../../shared/export/message-csv';
import { exportMessages, subtreeLastMessages, type ExportedMessage } from '../../shared/export/message-export';
import { exportFileName, TOO_LARGE_TEXT } from '../../shared/export/export-file';
import { webPayloadCodec } from '../../shared/recording/recording-writer';
import { describeSkipped, readRecordingText } from '../../shared/recording/recording-reader';
import { csvObjects, csvRecords } from '../support/csv-records';
import { nodeAt } from '../support/tree-lookup';

const T0 = Date.UTC(2026, 2, 4, 5, 6, 7, 89);
const utf8 = new TextEncoder();

function message(topic: string, payload: string | Uint8Array, receivedAt = T0, extra: Partial<ReceivedMessage> = {}): ReceivedMessage {
  const bytes = typeof payload === 'string' ? utf8.encode(payload) : payload;
  return { topic, payload: bytes, payloadSize: bytes.byteLength, qos: 1, retain: false, receivedAt, coalesced: 0, ...extra };
}

function exported(messages: ReceivedMessage[], format: 'csv' | 'json' | 'jsonl', maxBytes?: number) {
  return exportMessages({ messages, format, filter: 'plant/#', exportedAt: T0 + 60_000, codec: webPayloadCodec, ...(maxBytes !== undefined && { maxBytes }) });
}

function text(outcome: ReturnType<typeof exported>): string {
  if (!outcome.ok) throw new Error(outcome.problem);
  return outcome.text;
}

describe('CSV export', () => {
  it('writes one record per message, whatever the payload holds: commas, quotes, line breaks, unicode', () => {
    const payloads = ['plain', 'a,b', 'say "hi"', 'two\r\nlines\nand\rmore', 'température 21,5 °C — 🌡️', ''];
    const csv = text(exported(payloads.map((p, i) => message('plant/line-1/temp', p, T0 + i)), 'csv'));
    expect(csv.startsWith('\uFEFFtime,topic,qos,retain,payload,encoding\r\n')).toBe(true);
    const { rows } = csvObjects(csv.slice(1));
    expect(rows.map((r) => r['payload'])).toEqual(payloads);
    expect(rows[0]).toEqual({ time: '2026-03-04T05:06:07.089Z', topic: 'plant/line-1/temp', qos: '1', retain: 'false', payload: 'plain', encoding: 'utf8' });
  });

  it('flattens JSON objects and arrays into one column per leaf path, the union over all rows in first-seen order', () => {
    const first = { temperature: 21.5, sensor: { id: 's-1', ok: true }, values: [1, 2, { x: null }], empty: {}, none: [] };
    const second = { temperature: -3, 'a.b': 'dotted', topic: 'inside the payload', sensor: { id: 's-2', note: 'x,"y"\nz' } };
    const csv = text(exported([message('p/a', JSON.stringify(first)), message('p/a', JSON.stringify(second), T0 + 1), message('p/a', '42', T0 + 2)], 'csv'));
    const { columns, rows } = csvObjects(csv.slice(1));
    expect(columns).toEqual([
      'time', 'topic', 'qos', 'retain', 'payload', 'encoding',
      'temperature', 'sensor.id', 'sensor.ok', 'values[0]', 'values[1]', 'values[2].x', 'empty', 'none',
      '["a.b"]', '["topic"]', 'sensor.note',
    ]);
    expect(rows[0]).toMatchObject({ temperature: '21.5', 'sensor.id': 's-1', 'sensor.ok': 'true', 'values[0]': '1', 'values[2].x': 'null', empty: '{}', none: '[]', 'sensor.note': '' });
    expect(rows[1]).toMatchObject({ temperature: '-3', '["a.b"]': 'dotted', '["topic"]': 'inside the payload', topic: 'p/a', 'sensor.note': 'x,"y"\nz', 'values[0]': '' });
    // A JSON number alone is a value, not an object: no columns, every cell empty.
    expect(rows[2]).toMatchObject({ payload: '42', temperature: '', 'sensor.id': '' });
  });

  it('writes a binary payload as base64 with its encoding, and gives it no JSON columns', () => {
    const binary = new Uint8Array([0x00, 0xff, 0xfe, 0x7b, 0x22]);
    const csv = text(exported([message('p/bin', binary), message('p/json', '{"k":1}')], 'csv'));
    const { rows } = csvObjects(csv.slice(1));
    expect(rows[0]).toMatchObject({ payload: 'AP/+eyI=', encoding: 'base64', k: '' });
    expect(Buffer.from(rows[0]!['payload']!, 'base64')).toEqual(Buffer.from(binary));
    expect(rows[1]).toMatchObject({ payload: '{"k":1}', encoding: 'utf8', k: '1' });
  });

  it('keeps at most 500 JSON columns and says how many fields were left out', () => {
    const wide = Object.fromEntries(Array.from({ length: MAX_JSON_COLUMNS + 20 }, (_, i) => [`f${i}`, i]));
    const outcome = exported([message('p/wide', JSON.stringify(wide)), message('p/wide', JSON.stringify({ f0: 7, late: 1 }), T0 + 1)], 'csv');
    const { columns, rows } = csvObjects(text(outcome).slice(1));
    expect(columns).toHaveLength(6 + MAX_JSON_COLUMNS);
    expect(columns.at(-1)).toBe(`f${MAX_JSON_COLUMNS - 1}`);
    expect(rows[1]).toMatchObject({ f0: '7' });
    expect(outcome.ok && outcome.notes).toEqual([expect.stringContaining('21 more JSON fields were left out')]);
    expect(messagesCsv([message('p', '{"a":1,"b":2,"c":3}')], webPayloadCodec, { maxJsonColumns: 2 })?.columnsLeftOut).toBe(1);
  });

  it('does not let a spreadsheet run a cell from the broker as a formula, and leaves numbers alone', () => {
    const payload = JSON.stringify({ link: '=HYPERLINK("http://evil.example","click")', at: '@SUM(A1)', minus: -4.5, text: '-5 apples' });
    const csv = text(exported([message('=cmd|x', payload)], 'csv'));
    const { rows } = csvObjects(csv.slice(1));
    expect(rows[0]).toMatchObject({ topic: "'=cmd|x", link: `'=HYPERLINK("http://evil.example","click")`, at: "'@SUM(A1)", minus: '-4.5', text: "'-5 apples" });
  });

  it('counts quoting by records, not lines: a payload with 1,000 line breaks is still one row', () => {
    const csv = text(exported([message('p', 'x\n'.repeat(1_000)), message('p', 'y', T0 + 1)], 'csv'));
    expect(csvRecords(csv.slice(1))).toHaveLength(3);
  });
});

describe('JSON Lines export', () => {
  const properties: MessageProperties = {
    contentType: 'application/json',
    correlationData: new Uint8Array([0, 1, 2, 255]),
    userProperties: { site: 'north', tag: ['a', 'b'] },
    messageExpiryInterval: 60,
    responseTopic: 'reply/here',
    payloadFormatIndicator: true,
  };

  it('is a recording: reads back through the recording reader with payload bytes, flags and MQTT 5 properties exact', () => {
    const notUtf8 = new Uint8Array([0xc3, 0x28, 0x00, 0xff]);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, 0x41]);
    const messages = [
      message('plant/b', '{"t":21.5}', T0 + 20, { properties, qos: 2 }),
      message('plant/a', notUtf8, T0 + 10, { retain: true, qos: 0 }),
      message('plant/c', withBom, T0 + 30),
      message('plant/d', '', T0 + 40),
    ];
    const jsonl = text(exported(messages, 'jsonl'));
    const { messages: read, summary } = readRecordingText(jsonl);
    expect(summary.header).toMatchObject({ format: 'topicscope-recording', version: 1, startedAt: T0 + 10, filters: ['plant/#'] });
    expect(summary.end).toEqual({ endedAt: T0 + 60_000, messages: 4, missed: 0, reason: 'user' });
    expect(describeSkipped(summary)).toBeNull();
    // Oldest first, as a recording is.
    expect(read.map((m) => m.topic)).toEqual(['plant/a', 'plant/b', 'plant/c', 'plant/d']);
    expect(read.map((m) => Buffer.from(m.payload))).toEqual([notUtf8, utf8.encode('{"t":21.5}'), withBom, new Uint8Array()].map((b) => Buffer.from(b)));
    expect(read[0]).toMatchObject({ qos: 0, retain: true, receivedAt: T0 + 10 });
    expect(read[1]).toMatchObject({ qos: 2, retain: false, properties: { ...properties, correlationData: new Uint8Array([0, 1, 2, 255]) } });
    expect(read[1]!.properties?.userProperties).toEqual({ site: 'north', tag: ['a', 'b'] });
  });

  it('says when payloads were cut on arrival, and marks their size as received', () => {
    const cut = message('plant/big', 'x'.repeat(16), T0, { payloadSize: 2_000_000 });
    const outcome = exported([cut], 'jsonl');
    expect(outcome.ok && outcome.notes).toEqual([expect.stringContaining('1 payload was cut')]);
    expect(JSON.parse(text(outcome).split('\n')[1]!)).toMatchObject({ payload: 'x'.repeat(16), payloadSize: 2_000_000 });
  });
});

describe('JSON export', () => {
  it('is an array of message objects with the ISO time, the payload as text or base64, and JSON payloads parsed', () => {
    const json = text(exported([message('p/a', '{"t":1}'), message('p/b', new Uint8Array([0xff]), T0 + 1, { properties: { contentType: 'x' } })], 'json'));
    const parsed = JSON.parse(json) as ExportedMessage[];
    expect(parsed).toEqual([
      { time: '2026-03-04T05:06:07.089Z', receivedAt: T0, topic: 'p/a', qos: 1, retain: false, payload: '{"t":1}', encoding: 'utf8', json: { t: 1 } },
      { time: '2026-03-04T05:06:07.090Z', receivedAt: T0 + 1, topic: 'p/b', qos: 1, retain: false, payload: '/w==', encoding: 'base64', properties: { contentType: 'x' } },
    ]);
  });
});

describe('export limits and scope', () => {
  it.each(['csv', 'json', 'jsonl'] as const)('refuses a %s export over the size limit and says to export fewer topics', (format) => {
    const many = Array.from({ length: 200 }, (_, i) => message(`p/${i}`, 'v'.repeat(100), T0 + i));
    expect(exported(many, format, 10_000)).toEqual({ ok: false, problem: TOO_LARGE_TEXT });
    expect(TOO_LARGE_TEXT).toContain('export fewer topics');
    expect(exported(many, format, 1_000_000).ok).toBe(true);
  });

  it('has nothing to export for no messages', () => {
    expect(exported([], 'csv')).toEqual({ ok: false, problem: 'There is no message to export.' });
  });

  it('takes a subtree\'s last values: the node and every topic below it, in tree order, nothing beside it', () => {
    const tree = new TopicTree();
    tree.ingest(['plant/b/2', 'plant/a', 'plant', 'plant/b/1', 'other/x', 'plant/a'].map((topic, i) => message(topic, `v${i}`, T0 + i)));
    const last = subtreeLastMessages(nodeAt(tree, 'plant'));
    expect(last.map((m) => [m.topic, new TextDecoder().decode(m.payload)])).toEqual([['plant', 'v2'], ['plant/a', 'v5'], ['plant/b/1', 'v3'], ['plant/b/2', 'v0']]);
  });

  it('names files after the topic, with a name the save command accepts', () => {
    expect(exportFileName('plant/line 1/temp', 'history', 'csv')).toBe('plant-line-1-temp-history.csv');
    expect(exportFileName('$SYS/#', 'subtree', 'jsonl')).toBe('SYS-subtree.jsonl');
    expect(exportFileName('🌡️', 'history', 'json')).toBe('topic-history.json');
    expect(exportFileName('x'.repeat(300), 'subtree', 'jsonl')).toMatch(/^x{80}-subtree\.jsonl$/);
  });
});
