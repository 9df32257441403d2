/**
 * A structural JSON diff as a list of changes, each named by its JSONPath (`$.a.b[2]`):
 * jsondiffpatch finds the differences, this walks its delta into rows a view can list.
 * Array items are matched by value (an inserted item reads as one addition, not as every
 * later index changing); moves are reported as a removal and an addition.
 */
import { create, type ArrayDelta, type Delta } from 'jsondiffpatch';
import type { DecodedJson } from '../decode/decoded-payload';

export type ChangeKind = 'added' | 'removed' | 'changed';

/** One difference between two JSON values. */
export interface ValueChange {
  /** JSONPath of the value: `$` for the root, `$.a.b[2]`, `$["odd key"]`. */
  readonly path: string;
  readonly kind: ChangeKind;
  /** The old value as compact JSON (cut when long); absent for an addition. */
  readonly before?: string;
  /** The new value as compact JSON (cut when long); absent for a removal. */
  readonly after?: string;
}

export interface JsonChanges {
  /** The changes in document order, at most the `maxChanges` asked for. */
  readonly changes: readonly ValueChange[];
  /** How many there are in all (more than `changes.length` when cut). */
  readonly total: number;
}

/** Characters of a value shown before it is cut with "…". */
const VALUE_PREVIEW_CHARS = 200;

const differ = create({ arrays: { detectMove: false } });

/** The differences from `before` to `after`; an empty list when they are equal. */
export function jsonChanges(before: DecodedJson, after: DecodedJson, maxChanges = 1_000): JsonChanges {
  const delta = differ.diff(before, after);
  const changes: ValueChange[] = [];
  const total = delta === undefined ? 0 : walk(delta, '$', changes, maxChanges);
  return { changes, total };
}

/** Appends the changes under `delta` (up to `max` in `out`); returns how many there are. */
function walk(delta: Delta, path: string, out: ValueChange[], max: number): number {
  if (delta === undefined) return 0;
  if (Array.isArray(delta)) {
    const change = leafChange(delta, path);
    if (out.length < max) out.push(change);
    return 1;
  }
  if (isArrayDelta(delta)) return walkArray(delta, path, out, max);
  let count = 0;
  for (const [key, inner] of Object.entries(delta)) count += walk(inner, path + keyPath(key), out, max);
  return count;
}

function isArrayDelta(delta: object): delta is ArrayDelta {
  return (delta as { _t?: unknown })._t === 'a';
}

/** Array deltas name removed items by their old index (`_3`) and the rest by their new index (`3`). */
function walkArray(delta: ArrayDelta, path: string, out: ValueChange[], max: number): number {
  const entries: { index: number; removed: boolean; inner: Delta }[] = [];
  for (const [key, inner] of Object.entries(delta)) {
    if (key === '_t') continue;
    const removed = key.startsWith('_');
    entries.push({ index: Number(removed ? key.slice(1) : key), removed, inner: inner as Delta });
  }
  // Document order; at the same index the removal reads first.
  entries.sort((a, b) => a.index - b.index || Number(b.removed) - Number(a.removed));
  let count = 0;
  for (const entry of entries) count += walk(entry.inner, `${path}[${entry.index}]`, out, max);
  return count;
}

/** A leaf of the delta: `[new]` added, `[old, new]` changed, `[old, 0, 0]` removed. */
function leafChange(delta: unknown[], path: string): ValueChange {
  if (delta.length === 1) return { path, kind: 'added', after: preview(delta[0]) };
  if (delta.length === 2) return { path, kind: 'changed', before: preview(delta[0]), after: preview(delta[1]) };
  return { path, kind: 'removed', before: preview(delta[0]) };
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** How a key is written in a JSONPath: `.name`, or `["other key"]`. */
export function keyPath(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length <= VALUE_PREVIEW_CHARS ? text : `${text.slice(0, VALUE_PREVIEW_CHARS - 1)}…`;
}
