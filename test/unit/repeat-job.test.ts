import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ok, fail, type Result } from '../../shared/ipc/app-error';
import type { ComposedMessage } from '../../shared/publish/compose-message';
import { emptyDraft, type MessageDraft } from '../../shared/publish/message-draft';
import type { RepeatProgress } from '../../shared/publish/repeat-progress';
import { RepeatJob, type RepeatPlan } from '../../electron/core/publish/repeat-job';
import { systemScheduler } from '../../electron/core/connection/scheduler';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** One publish handed to the connection: when, what, and how to answer it. */
interface Sent {
  at: number;
  message: ComposedMessage;
  answer: (result: Result<{ acknowledged: boolean }>) => void;
}

let sent: Sent[];
let reports: RepeatProgress[];
let startedAt: number;

function draft(overrides: Partial<MessageDraft> = {}): MessageDraft {
  return { ...emptyDraft(), topic: 'repeat/test', payload: 'n={{counter}}', ...overrides };
}

/**
 * A repeat whose publishes wait for the test to answer them (`answerAll`), or are
 * answered at once with `autoAnswer`.
 */
function repeat(plan: Partial<RepeatPlan> = {}, autoAnswer = false): RepeatJob {
  const job = new RepeatJob(
    { draft: draft(), file: null, mqtt5: true, clientId: 'me', counterStart: 1, periodMs: 100, times: null, window: 16, ...plan },
    {
      scheduler: systemScheduler,
      publish: (message) =>
        new Promise((resolve) => {
          sent.push({ at: Date.now() - startedAt, message, answer: resolve });
          if (autoAnswer) resolve(ok({ acknowledged: message.qos > 0 }));
        }),
      report: (progress) => reports.push(progress),
      uuid: () => 'uuid',
      random: () => 0.5,
    },
  );
  job.start();
  return job;
}

async function answerAll(): Promise<void> {
  for (const s of sent.splice(0)) s.answer(ok({ acknowledged: true }));
  await vi.advanceTimersByTimeAsync(0);
}

const last = (): RepeatProgress => reports.at(-1)!;

beforeEach(() => {
  vi.useFakeTimers();
  startedAt = Date.now();
  sent = [];
  reports = [];
});

afterEach(() => {
  vi.useRealTimers();
});

describe('RepeatJob pacing', () => {
  it('sends the first message at once, then one per period, each with the next counter', async () => {
    repeat({ periodMs: 100, times: 5 }, true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent.map((s) => s.at)).toEqual([0, 100, 200, 300, 400]);
    expect(sent.map((s) => text(s.message.payload))).toEqual(['n=1', 'n=2', 'n=3', 'n=4', 'n=5']);
    expect(last()).toMatchObject({ state: 'ended', ended: 'done', sent: 5, acknowledged: 5, total: 5, nextCounter: 6, waiting: 0, skippedFull: 0, skippedLate: 0 });
  });

  it('makes each message afresh: the instant and the counter change per message, topic and payload alike', async () => {
    repeat({ draft: draft({ topic: 'repeat/{{counter}}', payload: '{{timestamp}} {{random(1,10)}}' }), periodMs: 250, times: 3, counterStart: 41 }, true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent.map((s) => s.message.topic)).toEqual(['repeat/41', 'repeat/42', 'repeat/43']);
    expect(sent.map((s) => text(s.message.payload))).toEqual([`${startedAt} 6`, `${startedAt + 250} 6`, `${startedAt + 500} 6`]);
    expect(last().nextCounter).toBe(44);
  });

  it('does not drift: a period of 1 ms sends 1,000 messages in a second', async () => {
    repeat({ periodMs: 1, times: 1_000 }, true);
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toHaveLength(1_000);
    expect(last()).toMatchObject({ ended: 'done', sent: 1_000 });
  });
});

describe('RepeatJob keeps a bounded number waiting', () => {
  it('skips ticks while the window is full, and counts them', async () => {
    const job = repeat({ draft: draft({ qos: 1 }), periodMs: 10, window: 3 });
    await vi.advanceTimersByTimeAsync(100);
    // Ticks at 0, 10 and 20 sent; the 8 from 30 to 100 found 3 waiting.
    expect(sent.map((s) => s.at)).toEqual([0, 10, 20]);
    job.stop();
    await answerAll();
    expect(last()).toMatchObject({ ended: 'stopped', sent: 3, acknowledged: 3, peakWaiting: 3, window: 3, skippedFull: 8 });
  });

  it('sends again on the next tick once an answer frees a place', async () => {
    repeat({ draft: draft({ qos: 1 }), periodMs: 10, window: 3 });
    await vi.advanceTimersByTimeAsync(100);
    sent[0]!.answer(ok({ acknowledged: true }));
    await vi.advanceTimersByTimeAsync(10);
    expect(sent.map((s) => s.at)).toEqual([0, 10, 20, 110]);
  });

  it('sends `times` messages however many ticks were skipped', async () => {
    repeat({ draft: draft({ qos: 2 }), periodMs: 10, window: 2, times: 6 });
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(50);
      await answerAll();
    }
    expect(last()).toMatchObject({ ended: 'done', sent: 6, acknowledged: 6, peakWaiting: 2 });
    expect(last().skippedFull).toBeGreaterThan(0);
  });
});

describe('RepeatJob ends', () => {
  it('stops sending on stop, and ends once what waits is answered', async () => {
    const job = repeat({ draft: draft({ qos: 1 }), periodMs: 100 });
    await vi.advanceTimersByTimeAsync(250);
    expect(sent).toHaveLength(3);
    expect(job.stop()).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(3);
    expect(last()).toMatchObject({ state: 'finishing', waiting: 3 });
    await answerAll();
    expect(last()).toMatchObject({ state: 'ended', ended: 'stopped', sent: 3, acknowledged: 3, waiting: 0 });
    expect(job.stop()).toBe(false);
  });

  it('ends at once when the connection is lost, saying what was left waiting', async () => {
    const job = repeat({ draft: draft({ qos: 1 }), periodMs: 100 });
    await vi.advanceTimersByTimeAsync(150);
    job.connectionLost('The connection was lost: the broker went away.');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(2);
    expect(last()).toMatchObject({ state: 'ended', ended: 'connection-lost', waiting: 2 });
    expect(last().problem).toBe('The connection was lost: the broker went away. 2 messages were waiting for the broker and may not have been delivered.');
  });

  it('stops at the first refusal and says which message and why', async () => {
    repeat({ draft: draft({ qos: 1 }), periodMs: 100 });
    await vi.advanceTimersByTimeAsync(50);
    sent[0]!.answer(fail({ code: 'PUBLISH_REFUSED', message: 'Not authorized (0x87).' }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(1);
    expect(last()).toMatchObject({ ended: 'failed', failed: 1, problem: 'Message to "repeat/test" failed: Not authorized (0x87).' });
  });

  it('stops when a message cannot be made, before sending it', async () => {
    // Hex "0{{counter}}": "09" is a byte, "010" is not.
    repeat({ draft: draft({ format: 'hex', payload: '0{{counter}}' }), counterStart: 9, periodMs: 100 }, true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(1);
    expect(last()).toMatchObject({ ended: 'failed', sent: 1, acknowledged: 1 });
    expect(last().problem).toMatch(/^Message 2 was not sent: .*hex/i);
  });
});

describe('RepeatJob reports', () => {
  it('reports at most 4 times a second, however fast it sends', async () => {
    repeat({ periodMs: 1, times: 2_000 }, true);
    await vi.advanceTimersByTimeAsync(1_000);
    const whileRunning = reports.filter((r) => r.state === 'running');
    expect(whileRunning.length).toBeLessThanOrEqual(5);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(last()).toMatchObject({ ended: 'done', sent: 2_000 });
    expect(reports.length).toBeLessThanOrEqual(11);
  });

  it('tells of each retained message the broker took, the last per topic, once', async () => {
    repeat({ draft: draft({ topic: 'repeat/{{counter}}', payload: 'v{{counter}}', retain: true, qos: 1 }), periodMs: 100, times: 3 }, true);
    await vi.advanceTimersByTimeAsync(1_000);
    const retained = reports.flatMap((r) => r.retained).map((r) => `${r.topic}=${text(r.payload)}`);
    expect(retained).toEqual(['repeat/1=v1', 'repeat/2=v2', 'repeat/3=v3']);
  });

  it('skips ticks the process was too busy to send, rather than bursting afterwards', async () => {
    const job = repeat({ periodMs: 10 }, true);
    await vi.advanceTimersByTimeAsync(5);
    // The process stalls for a second: the clock moves on and the timer fires late, at 1,010 ms.
    vi.setSystemTime(Date.now() + 1_000);
    await vi.advanceTimersByTimeAsync(5);
    expect(Date.now() - startedAt).toBe(1_010);
    job.stop();
    await vi.advanceTimersByTimeAsync(0);
    // Tick 0 on time; ticks 1 to 90 over 100 ms late, skipped; 91 to 101 (the last 100 ms) caught up.
    expect(last()).toMatchObject({ ended: 'stopped', sent: 12, skippedLate: 90, skippedFull: 0 });
    expect(sent.slice(1).every((s) => s.at === 1_010)).toBe(true);
  });
});
