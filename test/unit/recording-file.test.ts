/** Reading recording files from disk: plain or gzip by their bytes, and a gzip file cut short gives what it holds. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRecordingMessages } from '../../electron/core/recording/recording-file';

const HEADER = '{"format":"topicscope-recording","version":1,"startedAt":1700000000000,"filters":[]}';
const lines = Array.from({ length: 2_000 }, (_, i) =>
  JSON.stringify({ receivedAt: 1700000000000 + i, topic: `t/${i}`, qos: 0, retain: false, payload: Buffer.from([i % 256, 0xff]).toString('base64'), encoding: 'base64' }),
);
const text = [HEADER, ...lines, '{"end":{"endedAt":1700000009999,"messages":2000,"missed":0,"reason":"user"}}', ''].join('\n');

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ts-recording-file-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('readRecordingMessages', () => {
  it('reads a gzip recording whatever its name, with the bytes of each payload', async () => {
    const path = join(folder, 'named-plain.jsonl');
    await writeFile(path, gzipSync(text));
    const { messages, summary, compressionProblem } = await readRecordingMessages(path);

    expect(messages).toHaveLength(2_000);
    expect(messages[257]?.payload).toEqual(Uint8Array.of(1, 0xff));
    expect(summary.end?.messages).toBe(2_000);
    expect(compressionProblem).toBeNull();
  });

  it('reads what a gzip file cut in the middle holds, and says it was cut', async () => {
    const path = join(folder, 'cut.jsonl.gz');
    const whole = gzipSync(text);
    await writeFile(path, whole.subarray(0, Math.floor(whole.byteLength * 0.6)));
    const { messages, summary, compressionProblem } = await readRecordingMessages(path);

    expect(messages.length).toBeGreaterThan(100);
    expect(messages.length).toBeLessThan(2_000);
    expect(messages.map((m) => m.topic)).toEqual(lines.slice(0, messages.length).map((_, i) => `t/${i}`));
    // Decompressed up to the cut: the last line is cut short, and there is no end line.
    expect(compressionProblem).toBeNull();
    expect(summary).toMatchObject({ truncatedLastLine: true, end: null, skippedCount: 0 });
  });
});
