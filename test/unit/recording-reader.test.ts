/**
 * Reading recordings back: what Export, Replay and "Open recording…" will show. A
 * damaged file gives what it holds and says what it left out.
 */
import { describe, expect, it } from 'vitest';
import { describeSkipped, readRecordingText, RecordingReader } from '../../shared/recording/recording-reader';

const HEADER = '{"format":"topicscope-recording","version":1,"startedAt":1700000000000,"filters":[]}';
const line = (i: number): string => JSON.stringify({ receivedAt: 1700000000000 + i, topic: `plant/m${i}`, qos: 1, retain: false, payload: String(i), encoding: 'utf8' });
const END = '{"end":{"endedAt":1700000009999,"messages":3,"missed":0,"reason":"user"}}';

describe('RecordingReader', () => {
  it('reads a complete recording: header, messages in order with their bytes, properties and the end line', () => {
    const binary = JSON.stringify({
      receivedAt: 1700000000005,
      topic: 'plant/raw',
      qos: 2,
      retain: true,
      payload: Buffer.from([0, 255, 1]).toString('base64'),
      encoding: 'base64',
      properties: { correlationData: Buffer.from([9, 8]).toString('base64'), userProperties: [['site', 'a'], ['tag', 'x'], ['tag', 'y']], contentType: 'application/octet-stream' },
    });
    const { messages, summary } = readRecordingText([HEADER, line(1), binary, line(2), END, ''].join('\n'));

    expect(messages.map((m) => m.topic)).toEqual(['plant/m1', 'plant/raw', 'plant/m2']);
    expect(messages[0]).toMatchObject({ receivedAt: 1700000000001, qos: 1, retain: false, payload: new TextEncoder().encode('1'), line: 2, coalesced: 0 });
    expect(messages[1]).toMatchObject({ qos: 2, retain: true, payload: Uint8Array.of(0, 255, 1), payloadSize: 3 });
    expect(messages[1]?.properties).toEqual({ correlationData: Uint8Array.of(9, 8), userProperties: { site: 'a', tag: ['x', 'y'] }, contentType: 'application/octet-stream' });
    expect(summary).toMatchObject({ messages: 3, skippedCount: 0, truncatedLastLine: false, header: { startedAt: 1700000000000 }, end: { reason: 'user', messages: 3 } });
    expect(describeSkipped(summary)).toBeNull();
  });

  it('keeps what a file cut mid-line holds and says the last line was cut short', () => {
    const text = [HEADER, line(1), line(2), line(3).slice(0, 30)].join('\n');
    const { messages, summary } = readRecordingText(text);

    expect(messages.map((m) => m.topic)).toEqual(['plant/m1', 'plant/m2']);
    expect(summary.truncatedLastLine).toBe(true);
    expect(summary.skippedCount).toBe(0);
    expect(describeSkipped(summary)).toBe('the last line was cut short; the recording has no end line: it was cut short.');
  });

  it('skips corrupt lines in the middle, counting each with its line number and why', () => {
    const badBase64 = JSON.stringify({ receivedAt: 1, topic: 'a', qos: 0, retain: false, payload: 'no*base64', encoding: 'base64' });
    const badProperties = JSON.stringify({ receivedAt: 1, topic: 'a', qos: 0, retain: false, payload: '', encoding: 'utf8', properties: { userProperties: { a: 'b' } } });
    const text = [HEADER, line(1), '{"receivedAt":17000', badBase64, '[1,2]', badProperties, line(2), END].join('\n') + '\n';
    const { messages, summary } = readRecordingText(text);

    expect(messages.map((m) => m.topic)).toEqual(['plant/m1', 'plant/m2']);
    expect(summary.skippedCount).toBe(4);
    expect(summary.skipped.map((s) => [s.line, s.reason])).toEqual([
      [3, 'not-json'],
      [4, 'bad-payload'],
      [5, 'not-a-recording-line'],
      [6, 'bad-payload'],
    ]);
    expect(summary.truncatedLastLine).toBe(false);
    expect(describeSkipped(summary)).toBe('4 lines skipped (line 3: not JSON).');
  });

  it('skips a line longer than the limit without holding it, and reads on after it', () => {
    const reader = new RecordingReader({ maxLineLength: 200 });
    const lines = [...reader.push(`${HEADER}\n${line(1)}\n{"receivedAt":1,"topic":"big","payload":"`), ...reader.push('x'.repeat(500)), ...reader.push('"}\n' + line(2) + '\n'), ...reader.finish()];

    expect(lines.filter((l) => l.kind === 'message').map((l) => (l.kind === 'message' ? l.message.topic : ''))).toEqual(['plant/m1', 'plant/m2']);
    expect(reader.summary.skipped).toEqual([{ line: 3, reason: 'too-long', detail: 'longer than 200 characters' }]);
  });

  it('reads the same lines whatever the chunks the text arrives in', () => {
    const text = [HEADER, line(1), line(2), line(3), END, ''].join('\n');
    const reader = new RecordingReader();
    const topics: string[] = [];
    for (let i = 0; i < text.length; i += 7) for (const l of reader.push(text.slice(i, i + 7))) if (l.kind === 'message') topics.push(l.message.topic);
    reader.finish();

    expect(topics).toEqual(['plant/m1', 'plant/m2', 'plant/m3']);
    expect(reader.summary.end?.messages).toBe(3);
  });

  it('counts the gaps the writer marked, and refuses a format version newer than it knows', () => {
    const gap = '{"gap":{"missed":250,"from":1700000000002,"to":1700000000003}}';
    const { summary } = readRecordingText([HEADER, line(1), gap, line(2), ''].join('\n'));
    expect(summary.gaps).toEqual([{ missed: 250, from: 1700000000002, to: 1700000000003 }]);
    expect(describeSkipped(summary)).toBe('250 messages were missed while recording; the recording has no end line: it was cut short.');

    const newer = readRecordingText([HEADER.replace('"version":1', '"version":2'), line(1), ''].join('\n'));
    expect(newer.summary.header).toBeNull();
    expect(newer.summary.skipped[0]).toEqual({ line: 1, reason: 'bad-header', detail: 'format version 2 is newer than this reader (1)' });
  });
});
