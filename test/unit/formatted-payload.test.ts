import { afterEach, describe, expect, it, vi } from 'vitest';
import { FormattedPayload, formattedPayload, peekFormatted } from '../../renderer/src/inspect/formatted-payload.svelte';

const encoder = new TextEncoder();

/** Runs the scheduled slices one timer at a time, counting them, until none is left. */
async function runSlices(): Promise<number> {
  let slices = 0;
  while (vi.getTimerCount() > 0) {
    await vi.advanceTimersToNextTimerAsync();
    slices++;
  }
  return slices;
}

describe('FormattedPayload', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('formats only while a view is attached, in several slices, then reports JSON', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const text = JSON.stringify(Array.from({ length: 120_000 }, (_, i) => ({ id: i, name: `sensor-${i}` })));
    const formatted = new FormattedPayload(text, 'pretty');
    expect(vi.getTimerCount()).toBe(0);
    expect(formatted.kind).toBe('pending');
    const detach = formatted.attach();
    // 4 MB take far more than one slice (6 ms): the first stops at its budget, the rest runs later.
    await vi.advanceTimersToNextTimerAsync();
    detach();
    const soFar = formatted.rowCount;
    expect(soFar).toBeGreaterThan(0);
    expect(formatted.done).toBe(false);
    // Detached, it stops where it was.
    await runSlices();
    expect(formatted.rowCount).toBe(soFar);
    const partial = formatted.view;
    formatted.attach();
    await runSlices();
    expect(formatted.done).toBe(true);
    // A view published earlier is a snapshot: it did not grow with the formatting.
    expect(formatted.view).not.toBe(partial);
    expect(partial).toMatchObject({ rowCount: soFar, done: false });
    expect(formatted.kind).toBe('json');
    expect(formatted.lineCount).toBe(120_000 * 4 + 2);
    expect(formatted.row(2)).toBe('    "id": 0,');
  });

  it('shows text that only looked like JSON line by line', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const formatted = new FormattedPayload('[1, 2\nthree]', 'pretty');
    formatted.attach();
    await runSlices();
    expect(formatted.kind).toBe('text');
    expect([formatted.row(0), formatted.row(1)]).toEqual(['[1, 2', 'three]']);
  });

  it('is kept per payload, per mode, for the most recent payloads', () => {
    const payloads = Array.from({ length: 8 }, (_, i) => encoder.encode(`[${i}]`));
    const first = formattedPayload(payloads[0]!, '[0]', 'pretty');
    expect(formattedPayload(payloads[0]!, '[0]', 'pretty')).toBe(first);
    expect(formattedPayload(payloads[0]!, '[0]', 'raw')).not.toBe(first);
    // Equal bytes in another message are another payload.
    expect(formattedPayload(encoder.encode('[0]'), '[0]', 'pretty')).not.toBe(first);
    for (const [i, payload] of payloads.entries()) formattedPayload(payload, `[${i}]`, 'pretty');
    expect(peekFormatted(payloads[7]!, 'pretty')).toBeDefined();
    expect(peekFormatted(payloads[0]!, 'pretty')).toBeUndefined();
  });
});
