import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RotatingLog } from '../../electron/main/app/rotating-log';

let directory: string;
const fixedClock = () => new Date('2026-11-21T10:00:00.000Z');

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'topicscope-log-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function logFiles(): string[] {
  return readdirSync(directory).sort();
}

describe('RotatingLog', () => {
  it('writes one time-stamped line per entry', () => {
    const log = new RotatingLog({ directory, now: fixedClock });
    log.write('info', 'app', 'Topicscope 0.1.0 started');
    log.write('error', 'c1', 'Not authorized');
    expect(readFileSync(log.currentFile, 'utf8')).toBe(
      '2026-11-21T10:00:00.000Z INFO [app] Topicscope 0.1.0 started\n2026-11-21T10:00:00.000Z ERROR [c1] Not authorized\n',
    );
  });

  it('keeps a message with line breaks on one line, so a broker cannot forge log lines', () => {
    const log = new RotatingLog({ directory, now: fixedClock });
    log.write('warn', 'c1', 'topic a\n2026-01-01T00:00:00.000Z ERROR [app] fake\r');
    const lines = readFileSync(log.currentFile, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('topic a 2026-01-01');
  });

  it('rotates by size and keeps only the configured number of old files', () => {
    const log = new RotatingLog({ directory, now: fixedClock, maxBytes: 200, maxRotatedFiles: 2 });
    for (let i = 0; i < 40; i++) log.write('info', 'app', `entry ${String(i).padStart(3, '0')} ${'x'.repeat(40)}`);
    expect(logFiles()).toEqual(['topicscope.log', 'topicscope.log.1', 'topicscope.log.2']);
    for (const file of logFiles()) expect(statSync(join(directory, file)).size).toBeLessThanOrEqual(200);
    // The newest entry is in the current file, the one before the rotation in `.1`.
    expect(readFileSync(log.currentFile, 'utf8')).toContain('entry 039');
    const previous = readFileSync(join(directory, 'topicscope.log.1'), 'utf8');
    const current = readFileSync(log.currentFile, 'utf8');
    const firstCurrent = Number(/entry (\d+)/.exec(current)?.[1]);
    expect(previous).toContain(`entry ${String(firstCurrent - 1).padStart(3, '0')}`);
    // Older entries are gone for good: the total stays bounded.
    expect(readdirSync(directory).map((f) => readFileSync(join(directory, f), 'utf8')).join('')).not.toContain('entry 000');
  });

  it('continues an existing file after a restart and counts its size', () => {
    writeFileSync(join(directory, 'topicscope.log'), 'x'.repeat(190) + '\n');
    const log = new RotatingLog({ directory, now: fixedClock, maxBytes: 200, maxRotatedFiles: 1 });
    log.write('info', 'app', 'after restart');
    expect(logFiles()).toEqual(['topicscope.log', 'topicscope.log.1']);
    expect(readFileSync(log.currentFile, 'utf8')).toContain('after restart');
  });

  it('does not throw when the folder becomes unwritable', () => {
    const log = new RotatingLog({ directory, now: fixedClock });
    rmSync(directory, { recursive: true, force: true });
    writeFileSync(directory, 'now a file');
    expect(() => log.write('info', 'app', 'lost')).not.toThrow();
    rmSync(directory, { force: true });
  });
});
