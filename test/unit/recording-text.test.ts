/** What the connection header says about a recording. */
import { describe, expect, it } from 'vitest';
import type { RecordingStatus } from '../../shared/recording/recording-status';
import { formatBytes, parseFilterList, recordingSummary } from '../../renderer/src/recording/recording-text';

const status = (over: Partial<RecordingStatus>): RecordingStatus => ({
  state: 'recording',
  startedAt: 0,
  messages: 0,
  bytesWritten: 0,
  fileBytes: 0,
  missed: 0,
  filters: [],
  gzip: false,
  fileName: 'r.jsonl',
  savedTo: null,
  downloadName: null,
  stoppedBecause: null,
  problem: null,
  ...over,
});

describe('recordingSummary', () => {
  it('reads "Recording · 12,345 messages · 3.4 MB" while recording', () => {
    expect(recordingSummary(status({ messages: 12_345, bytesWritten: 3_412_000 }))).toBe('Recording · 12,345 messages · 3.4 MB');
    expect(recordingSummary(status({ messages: 1, bytesWritten: 812 }))).toBe('Recording · 1 message · 812 B');
  });

  it('always says what was missed, and why a recording stopped on its own', () => {
    expect(recordingSummary(status({ messages: 10, bytesWritten: 45_200, missed: 1_250 }))).toBe('Recording · 10 messages · 45.2 kB · 1,250 missed (the disk fell behind)');
    expect(recordingSummary(status({ state: 'stopped', messages: 99, bytesWritten: 1_000_000, stoppedBecause: 'size-limit' }))).toBe('Recorded 99 messages · 1.0 MB (size limit reached)');
    expect(recordingSummary(status({ state: 'stopped', messages: 99, bytesWritten: 2e9, stoppedBecause: 'user' }))).toBe('Recorded 99 messages · 2.0 GB');
  });
});

describe('formatBytes and parseFilterList', () => {
  it('formats sizes in powers of 1,000 and splits filters on lines and commas', () => {
    expect([999, 1_000, 999_999, 1_000_000].map(formatBytes)).toEqual(['999 B', '1.0 kB', '1.0 MB', '1.0 MB']);
    expect(parseFilterList(' a/# ,\n\n b/+/c \n')).toEqual(['a/#', 'b/+/c']);
  });
});
