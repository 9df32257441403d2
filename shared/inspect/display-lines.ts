/**
 * The rows a payload viewer draws: the lines a formatter makes, cut into display rows of
 * at most `rowChars` characters, because the browser lays out a 1 MiB line (wrapped or
 * not) in seconds, while a viewer that draws only the rows in view needs rows of one
 * height. Rows are kept as numbers in typed arrays and their text is made on demand,
 * only for the rows in view: a million small strings would cost the garbage collector
 * pauses of hundreds of milliseconds. Filled in slices by the formatters
 * (`TextLineSplitter` here, `JsonPrettyPrinter`). Pure: no DOM, no timers.
 */

/** Characters per display row when a line is cut. Default of `DisplayLines`. */
export const ROW_CHARS = 160;

/** A formatter that works through its input a bounded amount at a time. */
export interface SlicedJob {
  /** Works through about `budget` input characters (a single token may exceed it); true once done. */
  step(budget: number): boolean;
  /** How much of the input is done, from 0 to 1. */
  readonly progress: number;
  /** The rows made so far. */
  readonly lines: DisplayLines;
}

/** A growable list of unsigned 32-bit numbers. */
export class U32List {
  #items = new Uint32Array(1024);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length === this.#items.length) {
      const grown = new Uint32Array(this.#items.length * 2);
      grown.set(this.#items);
      this.#items = grown;
    }
    this.#items[this.#length++] = value;
  }

  get(index: number): number {
    return this.#items[index] ?? 0;
  }
}

export class DisplayLines {
  /** Per row: the line it belongs to, and where in that line it starts. */
  readonly #rowLine = new U32List();
  readonly #rowOffset = new U32List();
  readonly #lineText: (line: number) => string;
  readonly #rowChars: number;
  #lines = 0;
  #widest = 0;
  /** The text of the line last asked for: the rows cut from one long line all need it. */
  #cached: { line: number; text: string } | null = null;

  /** `lineText` makes the text of a line already pushed; it is called only for rows in view. */
  constructor(lineText: (line: number) => string, rowChars = ROW_CHARS) {
    this.#lineText = lineText;
    this.#rowChars = rowChars;
  }

  /** Adds the next line, `length` characters long, as one or more rows. */
  pushLine(length: number): void {
    const line = this.#lines++;
    for (let offset = 0; offset === 0 || offset < length; offset += this.#rowChars) {
      this.#rowLine.push(line);
      this.#rowOffset.push(offset);
    }
    this.#widest = Math.max(this.#widest, Math.min(length, this.#rowChars));
  }

  /** Display rows so far. */
  get rowCount(): number {
    return this.#rowLine.length;
  }

  /** Lines pushed so far (a cut line counts once). */
  get lineCount(): number {
    return this.#lines;
  }

  /** Characters in the longest row: the width the viewer scrolls to. */
  get widest(): number {
    return this.#widest;
  }

  /** The text of one row; a character made of two UTF-16 units is never cut in half. */
  row(index: number): string {
    if (index < 0 || index >= this.rowCount) return '';
    const line = this.#rowLine.get(index);
    if (this.#cached?.line !== line) this.#cached = { line, text: this.#lineText(line) };
    const text = this.#cached.text;
    let start = this.#rowOffset.get(index);
    let end = Math.min(text.length, start + this.#rowChars);
    if (isHighSurrogate(text.charCodeAt(end - 1)) && end < text.length) end--;
    if (start > 0 && isHighSurrogate(text.charCodeAt(start - 1))) start--;
    return text.slice(start, end);
  }

  /** True when the row continues the line of the row above it. */
  isContinuation(index: number): boolean {
    return this.#rowOffset.get(index) > 0;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Where to cut `text` at `end` or just before, so no character made of two UTF-16 units is split. */
export function safeCut(text: string, end: number): number {
  return end > 0 && isHighSurrogate(text.charCodeAt(end - 1)) ? end - 1 : end;
}

/** Splits text into lines at "\n" (dropping the "\r" of "\r\n"), in slices. */
export class TextLineSplitter implements SlicedJob {
  readonly lines: DisplayLines;
  readonly #text: string;
  readonly #starts = new U32List();
  readonly #ends = new U32List();
  #pos = 0;
  #done = false;

  constructor(text: string, rowChars = ROW_CHARS) {
    this.#text = text;
    this.lines = new DisplayLines((line) => this.#text.slice(this.#starts.get(line), this.#ends.get(line)), rowChars);
  }

  step(budget: number): boolean {
    const text = this.#text;
    const stop = this.#pos + budget;
    while (!this.#done && this.#pos < stop) {
      const newline = text.indexOf('\n', this.#pos);
      const end = newline < 0 ? text.length : newline;
      const cut = end > this.#pos && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
      this.#starts.push(this.#pos);
      this.#ends.push(cut);
      this.lines.pushLine(cut - this.#pos);
      if (newline < 0) this.#done = true;
      else this.#pos = newline + 1;
    }
    return this.#done;
  }

  get progress(): number {
    return this.#done ? 1 : this.#pos / Math.max(1, this.#text.length);
  }
}

/** Runs a job to its end at once: for small inputs and tests. */
export function runToEnd(job: SlicedJob, budget = 1 << 20): void {
  while (!job.step(budget));
}

/** Every row made so far, as strings: for small inputs and tests. */
export function allRows(lines: DisplayLines): string[] {
  const rows: string[] = [];
  for (let i = 0; i < lines.rowCount; i++) rows.push(lines.row(i));
  return rows;
}
