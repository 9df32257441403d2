/** Command-line flags of the scenario entry points, validated with clear messages. */
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

/**
 * Parses `--name value` flags that must be positive integers, with defaults.
 * Underscores and commas are accepted as digit separators (`--messages 1_000_000`).
 */
export function parseIntegerFlags<K extends string>(argv: readonly string[], defaults: Record<K, number>): Record<K, number> {
  const names = Object.keys(defaults) as K[];
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Known flags: ${names.map((n) => `--${n}`).join(', ')}.`);
  }
  const out = { ...defaults };
  for (const name of names) {
    const raw = values[name];
    if (raw === undefined) continue;
    const value = Number(String(raw).replace(/[_,]/g, ''));
    if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`--${name} must be a positive integer (got "${String(raw)}").`);
    out[name] = value;
  }
  return out;
}
