/**
 * How a scenario hands its figures to the runner (bench/run.mjs): one line on stdout
 * starting with RESULT_MARKER, followed by JSON. Everything else is progress text.
 */
import type { MachineInfo } from './stats';

export const RESULT_MARKER = '@@bench-result ';

/** A target: the figure must be `op` `value` (e.g. >= 1,000,000). */
export interface Goal {
  op: '>=' | '<=' | '<';
  value: number;
}

/** One row of the runner's table. */
export interface MetricRow {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  /** The target, or null when the figure is only reported. */
  goal: Goal | null;
  /** Human-readable target, e.g. "≥ 1,000,000"; empty without a goal. */
  target: string;
  /** Whether the target is met; null without a goal. */
  met: boolean | null;
}

export function meetsGoal(value: number, goal: Goal): boolean {
  if (!Number.isFinite(value)) return false;
  return goal.op === '>=' ? value >= goal.value : goal.op === '<=' ? value <= goal.value : value < goal.value;
}

export function goalText(goal: Goal): string {
  return `${goal.op === '>=' ? '≥' : goal.op === '<=' ? '≤' : '<'} ${goal.value.toLocaleString('en-US')}`;
}

/**
 * A table row. `valid` false (lost messages, ...) means the target is not met
 * whatever the value says.
 */
export function metricRow(scenario: string, metric: string, value: number, unit: string, goal: Goal | null = null, valid = true): MetricRow {
  return {
    scenario,
    metric,
    value,
    unit,
    goal,
    target: goal ? goalText(goal) : '',
    met: goal ? valid && meetsGoal(value, goal) : null,
  };
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
