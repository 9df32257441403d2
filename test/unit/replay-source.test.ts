import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRecordingStream } from '../../electron/core/recording/recording-file';
import { previewRecording } from '../../electron/core/recording/replay-source';
import { RECORDING_FORMAT } from '../../shared/recording/recording-format';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'ts-replay-source-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

function recordingText(count: number): string {
  const lines = [JSON.stringify({ format: RECORDING_FORMAT, version: 1, startedAt: 1_000, filters: [] })];
  for (let i = 0; i < count; i++) lines.push(JSON.stringify({ receivedAt: 1_000 + i * 10, topic: `plant/line${i % 3}/m${i % 7}`, qos: 0, retain: false, payload: `v${i}`, encoding: 'utf8' }));
  lines.push(JSON.stringify({ end: { endedAt: 1_000 + count * 10, messages: count, missed: 0, reason: 'user' } }));
  return `${lines.join('\n')}\n`;
}

describe('replay source and preview', () => {
  it('previews a gzip recording by its magic bytes: count, topics in first-seen order, time span', async () => {
    const path = join(folder, 'r.jsonl');
    writeFileSync(path, gzipSync(recordingText(5_000)));
    const preview = await previewRecording(path, false);
    expect(preview).toMatchObject({ fileName: 'r.jsonl', gzip: true, messages: 5_000, topics: 21, topicsCapped: false, firstAt: 1_000, lastAt: 1_000 + 4_999 * 10, skipped: null, truncated: false });
    expect(preview.firstTopics).toEqual(['plant/line0/m0', 'plant/line1/m1', 'plant/line2/m2', 'plant/line0/m3', 'plant/line1/m4']);
  });

  it('a gzip file cut short gives what came before the cut and says so', async () => {
    const path = join(folder, 'cut.jsonl.gz');
    const whole = gzipSync(recordingText(20_000));
    writeFileSync(path, whole.subarray(0, Math.floor(whole.byteLength / 2)));
    const preview = await previewRecording(path, false);
    expect(preview.messages).toBeGreaterThan(1_000);
    expect(preview.messages).toBeLessThan(20_000);
    expect(preview).toMatchObject({ gzip: true, truncated: true });
    expect(preview.skipped).toMatch(/the recording has no end line: it was cut short/);
  });

  it('yields the messages in batches as they are pulled, in file order', async () => {
    const path = join(folder, 'big.jsonl');
    writeFileSync(path, recordingText(20_000));
    const stream = await openRecordingStream(path);
    const sizes: number[] = [];
    let next = 0;
    for await (const batch of stream.batches) {
      sizes.push(batch.length);
      for (const message of batch) expect(new TextDecoder().decode(message.payload)).toBe(`v${next++}`);
    }
    expect(next).toBe(20_000);
    // One 64 KiB chunk at a time, not the whole file at once.
    expect(sizes.length).toBeGreaterThan(10);
    expect(Math.max(...sizes)).toBeLessThan(2_000);
  });
});
