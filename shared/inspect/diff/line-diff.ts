/**
 * A unified, line-numbered diff of two texts: diff-match-patch in line mode (each
 * distinct line stands for one character, the characters are diffed, then turned back
 * into lines), with long runs of unchanged lines folded to a few lines of context.
 * The work is bounded: at most `maxLines` lines of each side, and diff-match-patch's
 * own deadline, after which it returns a coarser but still correct diff.
 */
import { DIFF_DELETE, DIFF_INSERT, diff_match_patch } from '@dmsnell/diff-match-patch';

export interface LineRow {
  /** `gap`: unchanged lines folded away; `text` says how many. */
  readonly kind: 'same' | 'added' | 'removed' | 'gap';
  /** 1-based line number in the old text (null for an added line or a gap). */
  readonly oldLine: number | null;
  /** 1-based line number in the new text (null for a removed line or a gap). */
  readonly newLine: number | null;
  readonly text: string;
}

export interface LineDiff {
  readonly rows: readonly LineRow[];
  readonly added: number;
  readonly removed: number;
  /** True when a side had more than `maxLines` lines and only its start was compared. */
  readonly cut: boolean;
}

export interface LineDiffLimits {
  /** Lines of each side compared; the rest is left out (`cut`). */
  maxLines: number;
  /** Unchanged lines kept around each change. */
  context: number;
  /** Seconds diff-match-patch may spend before it settles for a coarser diff. */
  timeoutSeconds: number;
}

/** A frame's worth of diffing at most (then a coarser diff); a view shows a few thousand rows anyway. */
export const DEFAULT_LINE_LIMITS: LineDiffLimits = { maxLines: 2_000, context: 3, timeoutSeconds: 0.016 };
/** Characters of a line a row carries: a 1 MiB one-line payload must not become a 1 MiB row. */
const MAX_ROW_CHARS = 2_000;

type Op = 'same' | 'added' | 'removed';

export function lineDiff(before: string, after: string, limits: Partial<LineDiffLimits> = {}): LineDiff {
  const { maxLines, context, timeoutSeconds } = { ...DEFAULT_LINE_LIMITS, ...limits };
  // One line more than compared tells whether a side was cut.
  const oldLines = splitLines(before, maxLines + 1);
  const newLines = splitLines(after, maxLines + 1);
  const cut = oldLines.length > maxLines || newLines.length > maxLines;
  oldLines.length = Math.min(oldLines.length, maxLines);
  newLines.length = Math.min(newLines.length, maxLines);

  // Line mode: one character per distinct line. 2 × maxLines distinct lines stay below
  // the surrogate range, so no character is split in two by the diff.
  const codes = new Map<string, string>();
  const encode = (lines: string[]): string => {
    let out = '';
    for (const line of lines) {
      let code = codes.get(line);
      if (code === undefined) {
        code = String.fromCharCode(codes.size + 1);
        codes.set(line, code);
      }
      out += code;
    }
    return out;
  };
  const dmp = new diff_match_patch();
  dmp.Diff_Timeout = timeoutSeconds;
  const diffs = dmp.diff_main(encode(oldLines), encode(newLines), false);

  const ops: { op: Op; old: number | null; new: number | null; text: string }[] = [];
  let oldAt = 0;
  let newAt = 0;
  let added = 0;
  let removed = 0;
  for (const diff of diffs) {
    const [op, chars] = [diff[0], diff[1]];
    for (let left = chars.length; left > 0; left--) {
      if (op === DIFF_DELETE) {
        ops.push({ op: 'removed', old: ++oldAt, new: null, text: oldLines[oldAt - 1] ?? '' });
        removed++;
      } else if (op === DIFF_INSERT) {
        ops.push({ op: 'added', old: null, new: ++newAt, text: newLines[newAt - 1] ?? '' });
        added++;
      } else {
        ops.push({ op: 'same', old: ++oldAt, new: ++newAt, text: oldLines[oldAt - 1] ?? '' });
      }
    }
  }
  return { rows: foldUnchanged(ops, context), added, removed, cut };
}

/** Keeps `context` unchanged lines around each change and folds the rest into gap rows. */
function foldUnchanged(ops: readonly { op: Op; old: number | null; new: number | null; text: string }[], context: number): LineRow[] {
  const near = new Uint8Array(ops.length);
  ops.forEach((entry, index) => {
    if (entry.op === 'same') return;
    for (let i = Math.max(0, index - context); i <= Math.min(ops.length - 1, index + context); i++) near[i] = 1;
  });
  const rows: LineRow[] = [];
  let folded = 0;
  const flush = (): void => {
    if (folded === 0) return;
    rows.push({ kind: 'gap', oldLine: null, newLine: null, text: `${folded.toLocaleString('en-US')} unchanged line${folded === 1 ? '' : 's'}` });
    folded = 0;
  };
  ops.forEach((entry, index) => {
    if (entry.op === 'same' && near[index] === 0) {
      folded++;
      return;
    }
    flush();
    const text = entry.text.length > MAX_ROW_CHARS ? `${entry.text.slice(0, MAX_ROW_CHARS)}…` : entry.text;
    rows.push({ kind: entry.op, oldLine: entry.old, newLine: entry.new, text });
  });
  flush();
  return rows;
}

/** The first `max` lines of `text`, found without splitting the rest of a long text. */
function splitLines(text: string, max: number): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < text.length && lines.length < max) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    lines.push(text.slice(start, stop > start && text[stop - 1] === '\r' ? stop - 1 : stop));
    // A final line break ends the last line rather than starting an empty one.
    start = end < 0 ? text.length : end + 1;
  }
  return lines;
}
