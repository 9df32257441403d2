/**
 * Big payloads formatted off the critical path: the formatter runs in slices of a few
 * milliseconds between frames and input, rows appearing as they are made, and only while
 * some view shows it. Messages are immutable, so the result is kept per payload (a few
 * recent ones) and selecting a topic again shows it at once.
 *
 * What a view reads is `view`, an immutable snapshot replaced after each slice: rows
 * once made never change, so a snapshot's `row(i)` stays right for every `i` below its
 * `rowCount`.
 */
import { TextLineSplitter, type DisplayLines, type SlicedJob } from '../../../shared/inspect/display-lines';
import { JsonPrettyPrinter } from '../../../shared/inspect/json-pretty';

/** Milliseconds of formatting per slice of main-thread time. */
const SLICE_MS = 6;
/** Input characters formatted between checks of the clock. */
const CHUNK_CHARS = 4_096;
/** Formatted payloads kept for when their topic is selected again. */
const CACHE_ENTRIES = 6;

export type FormatMode = 'pretty' | 'raw';

/** Rows of one height for a view that draws only those in view (see LineView). */
export interface LineSource {
  readonly rowCount: number;
  /** Characters in the widest row: the width to scroll to. */
  readonly widest: number;
  /** The text of row `index`; called only for the rows in view. */
  row(index: number): string;
  /** True when row `index` continues the line above (a cut, not a line break). */
  continued?(index: number): boolean;
}

/** The formatting as of its last slice; never changed once published. */
export interface FormattedView extends LineSource {
  /** 'json' once the whole text parsed as JSON; 'text' for raw mode or when it did not. */
  readonly kind: 'json' | 'text' | 'pending';
  readonly done: boolean;
  /** From 0 to 1. */
  readonly progress: number;
  /** Lines so far (a line cut into several rows counts once). */
  readonly lineCount: number;
}

export class FormattedPayload {
  readonly #text: string;
  #job: SlicedJob;
  #lines: DisplayLines;
  #kind: 'json' | 'text' | 'pending' = 'pending';
  #finished = false;
  #view: FormattedView;
  #viewers = 0;
  #scheduled = false;

  constructor(text: string, mode: FormatMode) {
    this.#text = text;
    if (mode === 'pretty') {
      this.#job = new JsonPrettyPrinter(text);
    } else {
      this.#job = new TextLineSplitter(text);
      this.#kind = 'text';
    }
    this.#lines = this.#job.lines;
    this.#view = $state.raw(this.#snapshot(0));
  }

  /** What a view shows: replaced after each slice of formatting. */
  get view(): FormattedView {
    return this.#view;
  }

  #snapshot(progress: number): FormattedView {
    const lines = this.#lines;
    return {
      kind: this.#kind,
      done: this.#finished,
      progress,
      rowCount: lines.rowCount,
      lineCount: lines.lineCount,
      widest: lines.widest,
      row: (index) => lines.row(index),
      continued: (index) => lines.isContinuation(index),
    };
  }

  #publish(progress: number): void {
    this.#view = this.#snapshot(progress);
  }

  get kind(): 'json' | 'text' | 'pending' {
    return this.#view.kind;
  }

  get done(): boolean {
    return this.#view.done;
  }

  /** The text as received. */
  get text(): string {
    return this.#text;
  }

  /** Display rows so far. */
  get rowCount(): number {
    return this.#view.rowCount;
  }

  /** Lines so far (a line cut into several rows counts once). */
  get lineCount(): number {
    return this.#view.lineCount;
  }

  /** The text of one row, made on demand. */
  row(index: number): string {
    return this.#view.row(index);
  }

  /** A view shows this payload: formatting runs (again) until done. Returns the detach. */
  attach(): () => void {
    this.#viewers++;
    this.#schedule();
    return () => {
      this.#viewers--;
    };
  }

  #schedule(): void {
    if (this.#scheduled || this.done) return;
    this.#scheduled = true;
    setTimeout(() => this.#slice(), 0);
  }

  #slice(): void {
    this.#scheduled = false;
    // Nobody looks: stop here, and go on when a view attaches again.
    if (this.#viewers === 0) return;
    const deadline = performance.now() + SLICE_MS;
    let finished = false;
    while (!finished && performance.now() < deadline) finished = this.#job.step(CHUNK_CHARS);
    if (finished && this.#job instanceof JsonPrettyPrinter && this.#job.failed) {
      // Not JSON after all: the same text, line by line.
      this.#job = new TextLineSplitter(this.#text);
      this.#lines = this.#job.lines;
      this.#kind = 'text';
      finished = false;
    } else if (finished) {
      this.#kind = this.#kind === 'pending' ? 'json' : this.#kind;
    }
    this.#finished = finished;
    this.#publish(finished ? 1 : this.#job.progress);
    if (!finished) this.#schedule();
  }
}

const cache = new Map<Uint8Array, Map<FormatMode, FormattedPayload>>();

/**
 * The formatted form of a payload (its decoded `text`), from the cache when this very
 * payload was shown recently. The least recently used entries are forgotten.
 */
export function formattedPayload(payload: Uint8Array, text: string, mode: FormatMode): FormattedPayload {
  let modes = cache.get(payload);
  if (modes) cache.delete(payload);
  else modes = new Map();
  cache.set(payload, modes);
  while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  let formatted = modes.get(mode);
  if (!formatted) {
    formatted = new FormattedPayload(text, mode);
    modes.set(mode, formatted);
  }
  return formatted;
}

/** The formatted form of a payload if it is in the cache; never starts formatting. */
export function peekFormatted(payload: Uint8Array, mode: FormatMode): FormattedPayload | undefined {
  return cache.get(payload)?.get(mode);
}
