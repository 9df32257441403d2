/**
 * How a scenario hands its figures to the runner (bench/run.mjs): one line on stdout
 * starting with RESULT_MARKER, followed by JSON. Everything else is progress text.
 */
import type { MachineInfo } from './stats';

export const RESULT_MARKER = '@@bench-result ';

/** One row of the runner's table. */
export interface MetricRow {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. "≥ 1,000,000"; empty when the figure is only reported. */
  target: string;
  /** Whether the target is met; null when there is no target. */
  met: boolean | null;
}

export interface ScenarioResult {
  scenario: string;
  machine: MachineInfo;
  /** Every measured field, flat, as the JSON output promises (msgsPerSec, ratio, ...). */
  fields: Record<string, number | string | boolean | null>;
  rows: MetricRow[];
  /** Reasons a figure is missing or suspect (lost messages, ...); empty when clean. */
  problems: string[];
}

export function emitResult(result: ScenarioResult): void {
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

/** Prints a progress line for the person watching. */
export function progress(text: string): void {
  process.stdout.write(`  ${text}\n`);
}
