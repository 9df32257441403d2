/**
 * Waiting on a condition instead of sleeping: the wait ends as soon as the condition
 * holds, and on a slow machine it simply takes longer instead of failing.
 */

export interface WaitForOptions {
  /** Default 10 s: generous, because the 2-core CI machines are noisy. */
  timeoutMs?: number;
  /** Default 20 ms. */
  intervalMs?: number;
  /** Extra state for the timeout message, read only when the wait fails. */
  diagnostics?: () => string;
}

/**
 * Resolves with the first truthy value `probe` returns; rejects after the timeout,
 * naming what was awaited so a failure reads as a sentence.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false,
  options: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline) {
      const extra = options.diagnostics ? `\n${options.diagnostics()}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.${extra}`);
    }
    await delay(intervalMs);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
