/**
 * Pretty-prints JSON text as `JSON.stringify(JSON.parse(text), null, 2)` lays it out,
 * but in slices and straight into display rows, checking the grammar as it goes. Values
 * are copied as received (numbers are not rewritten, escapes stay escapes), which is
 * also what the user should see. `JSON.parse` + `stringify` of 1 MiB are one task of
 * tens of milliseconds and a string of megabytes; this never holds more than a slice,
 * and keeps only where each output line starts and ends in the input: a line's text is
 * made again, from that span, when a viewer shows it (`JsonPrettyPrinter`). A viewer
 * that holds the whole document anyway (CodeMirror's `Text`) takes the lines as strings
 * instead, made once as each line ends (`JsonLinePrinter`): no spans kept, no second pass.
 */
import { DisplayLines, ROW_CHARS, U32List, type SlicedJob } from './display-lines';

/** What the grammar allows next. */
const Expect = {
  /** Any value (top level, after ":" or "," in an array). */
  Value: 0,
  /** A value or "]" right after "[". */
  ValueOrEnd: 1,
  /** A key string after "," in an object. */
  Key: 2,
  /** A key or "}" right after "{". */
  KeyOrEnd: 3,
  Colon: 4,
  /** "," or the close of the container. */
  CommaOrEnd: 5,
  /** The top-level value is complete: only whitespace may follow. */
  Done: 6,
} as const;
type Expect = (typeof Expect)[keyof typeof Expect];

const OBJECT = 0;
const ARRAY = 1;
const HEX4 = /[0-9a-fA-F]{4}/y;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** The grammar check and the layout; what becomes of each line is the subclass's. */
abstract class JsonLayout {
  readonly #text: string;
  readonly #stack: number[] = [];
  #pos = 0;
  #expect: Expect = Expect.Value;
  /** The line being made: where it starts in the input, its depth and its length so far. */
  #lineStart = 0;
  #lineDepth = 0;
  #lineLength = 0;
  #failed = false;
  #done = false;

  constructor(text: string) {
    this.#text = text;
  }

  /**
   * A line ended: its tokens are the input from `start` to `end` (whitespace between
   * them included), at `depth`, `length` characters once laid out.
   */
  protected abstract lineEnded(start: number, end: number, depth: number, length: number): void;

  /** True when the text turned out not to be JSON; the rows so far are then meaningless. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Where in the text the grammar broke (a UTF-16 offset), once `failed`; else null. */
  get failedAt(): number | null {
    return this.#failed ? this.#pos : null;
  }

  get progress(): number {
    return this.#done ? 1 : this.#pos / Math.max(1, this.#text.length);
  }

  step(budget: number): boolean {
    const text = this.#text;
    const stop = Math.min(text.length, this.#pos + budget);
    while (!this.#done && this.#pos < stop) {
      const code = text.charCodeAt(this.#pos);
      if (isSpace(code)) {
        this.#pos++;
        continue;
      }
      if (!this.#token(code)) return this.#fail();
    }
    if (!this.#done && this.#pos >= text.length) {
      if (this.#expect !== Expect.Done) return this.#fail();
      this.#endLine();
      this.#done = true;
    }
    return this.#done;
  }

  #fail(): boolean {
    this.#failed = true;
    this.#done = true;
    return true;
  }

  /** Handles the token starting at the current position; false when it breaks the grammar. */
  #token(code: number): boolean {
    switch (this.#expect) {
      case Expect.Done:
        return false;
      case Expect.Colon:
        if (code !== 0x3a) return false;
        this.#pos++;
        this.#lineLength += 2;
        this.#expect = Expect.Value;
        return true;
      case Expect.CommaOrEnd:
        if (code === 0x2c) {
          this.#pos++;
          this.#lineLength++;
          this.#newline();
          this.#expect = this.#stack.at(-1) === OBJECT ? Expect.Key : Expect.Value;
          return true;
        }
        return this.#close(code);
      case Expect.Key:
      case Expect.KeyOrEnd:
        if (code === 0x22) {
          if (!this.#string()) return false;
          this.#expect = Expect.Colon;
          return true;
        }
        return this.#expect === Expect.KeyOrEnd && this.#close(code);
      case Expect.ValueOrEnd:
        if (code === 0x5d) return this.#close(code);
        return this.#value(code);
      case Expect.Value:
        return this.#value(code);
    }
  }

  #value(code: number): boolean {
    if (code === 0x7b || code === 0x5b) {
      const close = code === 0x7b ? '}' : ']';
      this.#pos++;
      // An empty container stays on its line, as JSON.stringify writes it.
      const next = this.#skipSpace();
      if (this.#text[next] === close) {
        this.#pos = next + 1;
        this.#lineLength += 2;
        this.#afterValue();
        return true;
      }
      this.#lineLength++;
      this.#stack.push(code === 0x7b ? OBJECT : ARRAY);
      this.#newline();
      this.#expect = code === 0x7b ? Expect.KeyOrEnd : Expect.ValueOrEnd;
      return true;
    }
    if (code === 0x22) {
      if (!this.#string()) return false;
    } else if (!this.#literal() && !this.#number()) {
      return false;
    }
    this.#afterValue();
    return true;
  }

  #close(code: number): boolean {
    const top = this.#stack.at(-1);
    if (!((code === 0x7d && top === OBJECT) || (code === 0x5d && top === ARRAY))) return false;
    this.#stack.pop();
    this.#newline();
    this.#pos++;
    this.#lineLength++;
    this.#afterValue();
    return true;
  }

  #afterValue(): void {
    this.#expect = this.#stack.length === 0 ? Expect.Done : Expect.CommaOrEnd;
  }

  /** Ends the line at the current position; the next one starts there, indented for the current depth. */
  #newline(): void {
    this.#endLine();
    this.#lineStart = this.#pos;
    this.#lineDepth = this.#stack.length;
    this.#lineLength = 2 * this.#lineDepth;
  }

  #endLine(): void {
    this.lineEnded(this.#lineStart, this.#pos, this.#lineDepth, this.#lineLength);
  }

  #skipSpace(): number {
    let at = this.#pos;
    while (at < this.#text.length && isSpace(this.#text.charCodeAt(at))) at++;
    return at;
  }

  /** Copies a string token as received, checking its escapes; the position is on its opening quote. */
  #string(): boolean {
    const text = this.#text;
    let at = this.#pos + 1;
    for (;;) {
      if (at >= text.length) return false;
      const code = text.charCodeAt(at);
      if (code === 0x22) break;
      if (code < 0x20) return false;
      if (code === 0x5c) {
        const escaped = text[at + 1];
        if (escaped === 'u') {
          HEX4.lastIndex = at + 2;
          if (!HEX4.test(text)) return false;
          at += 6;
        } else if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) {
          at += 2;
        } else {
          return false;
        }
      } else {
        at++;
      }
    }
    this.#lineLength += at + 1 - this.#pos;
    this.#pos = at + 1;
    return true;
  }

  #literal(): boolean {
    const first = this.#text.charCodeAt(this.#pos);
    const word = first === 0x74 ? 'true' : first === 0x66 ? 'false' : first === 0x6e ? 'null' : null;
    if (word === null || !this.#text.startsWith(word, this.#pos)) return false;
    this.#lineLength += word.length;
    this.#pos += word.length;
    return true;
  }

  /** Copies a number as received, checking it against JSON's grammar. */
  #number(): boolean {
    const text = this.#text;
    const start = this.#pos;
    let at = start;
    if (text.charCodeAt(at) === 0x2d) at++;
    const firstDigit = at;
    at = skipDigits(text, at);
    if (at === firstDigit || (text.charCodeAt(firstDigit) === 0x30 && at - firstDigit > 1)) return false;
    if (text.charCodeAt(at) === 0x2e) {
      const fraction = at + 1;
      at = skipDigits(text, fraction);
      if (at === fraction) return false;
    }
    const e = text.charCodeAt(at);
    if (e === 0x65 || e === 0x45) {
      let exponent = at + 1;
      const sign = text.charCodeAt(exponent);
      if (sign === 0x2b || sign === 0x2d) exponent++;
      at = skipDigits(text, exponent);
      if (at === exponent) return false;
    }
    this.#lineLength += at - start;
    this.#pos = at;
    return true;
  }
}

/** Laid-out lines, as rows of a `DisplayLines` made again from their span when shown. */
export class JsonPrettyPrinter extends JsonLayout implements SlicedJob {
  readonly lines: DisplayLines;
  readonly #text: string;
  readonly #indents = new Indents();
  /** Per output line: where its span of the input starts and ends, and its depth. */
  readonly #starts = new U32List();
  readonly #ends = new U32List();
  readonly #depths = new U32List();

  constructor(text: string, rowChars = ROW_CHARS) {
    super(text);
    this.#text = text;
    this.lines = new DisplayLines((line) => this.#lineText(line), rowChars);
  }

  protected lineEnded(start: number, end: number, depth: number, length: number): void {
    this.#starts.push(start);
    this.#ends.push(end);
    this.#depths.push(depth);
    this.lines.pushLine(length);
  }

  #lineText(line: number): string {
    return this.#indents.of(this.#depths.get(line)) + compactJson(this.#text, this.#starts.get(line), this.#ends.get(line));
  }
}

/** Laid-out lines as strings, handed over as they are made (`takeLines`). */
export class JsonLinePrinter extends JsonLayout {
  readonly #text: string;
  readonly #indents = new Indents();
  #lines: string[] = [];

  constructor(text: string) {
    super(text);
    this.#text = text;
  }

  protected lineEnded(start: number, end: number, depth: number): void {
    this.#lines.push(this.#indents.of(depth) + compactJson(this.#text, start, end));
  }

  /** The lines ended since the last call, in order. */
  takeLines(): string[] {
    const lines = this.#lines;
    this.#lines = [];
    return lines;
  }
}

/** Two spaces per level, each depth's string made once. */
class Indents {
  readonly #byDepth = [''];

  of(depth: number): string {
    while (this.#byDepth.length <= depth) this.#byDepth.push(`${this.#byDepth.at(-1)}  `);
    return this.#byDepth[depth] ?? '';
  }
}

function skipDigits(text: string, from: number): number {
  let at = from;
  for (let code = text.charCodeAt(at); code >= 0x30 && code <= 0x39; code = text.charCodeAt(++at));
  return at;
}

/**
 * The tokens of a span of valid JSON as the printer lays them out on one line: no
 * whitespace between tokens, ": " after a key. Strings are copied as they are.
 */
function compactJson(text: string, start: number, end: number): string {
  let out = '';
  let from = start;
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x22) {
      // Skip to the closing quote; escapes are two or more characters, none of them a lone quote.
      for (at++; at < end && text.charCodeAt(at) !== 0x22; at++) if (text.charCodeAt(at) === 0x5c) at++;
    } else if (isSpace(code)) {
      out += text.slice(from, at);
      from = at + 1;
    } else if (code === 0x3a) {
      out += text.slice(from, at + 1) + ' ';
      from = at + 1;
    }
  }
  return out + text.slice(from, end);
}
