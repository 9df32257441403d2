/**
 * Exponential backoff for reconnects: the first delay, doubling each attempt, capped,
 * with up to 20 % random jitter so many clients dropped by one broker restart do not
 * all come back in the same second.
 */
export interface BackoffOptions {
  /** Delay before attempt 1, in ms. */
  initialDelayMs: number;
  /** Cap on any delay, in ms. */
  maxDelayMs: number;
  /** Returns a number in [0, 1); injected so tests are deterministic. */
  random?: () => number;
}

export function reconnectDelayMs(attempt: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const base = Math.min(options.initialDelayMs * 2 ** exponent, options.maxDelayMs);
  const jitter = base * 0.2 * random();
  return Math.round(Math.min(base - jitter, options.maxDelayMs));
}
