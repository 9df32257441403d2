/**
 * Big payloads formatted off the critical path: the formatter runs in slices of a few
 * milliseconds between frames and input, rows appearing as they are made, and only while
 * some view shows it. Messages are immutable, so the result is kept per payload (a few
 * recent ones) and selecting a topic again shows it at once.
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

export class FormattedPayload {
  readonly #text: string;
  #job: SlicedJob;
  #lines: DisplayLines;
  /** 'json' once the whole text parsed as JSON; 'text' for raw mode or when it did not. */
  #kind = $state<'json' | 'text' | 'pending'>('pending');
  /** Bumped whenever rows were added, so views re-read them. */
  #version = $state(0);
  #progress = $state(0);
  #finished = $state(false);
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
  }

  get kind(): 'json' | 'text' | 'pending' {
    return this.#kind;
  }

  get done(): boolean {
    return this.#finished;
  }

  /** From 0 to 1. */
  get progress(): number {
    return this.#progress;
  }

  /** The text as received. */
  get text(): string {
    return this.#text;
  }

  /** Display rows so far (re-read as formatting goes on). */
  get rowCount(): number {
    void this.#version;
    return this.#lines.rowCount;
  }

  /** Lines so far (a line cut into several rows counts once). */
  get lineCount(): number {
    void this.#version;
    return this.#lines.lineCount;
  }

  /** Characters in the widest row so far. */
  get widest(): number {
    void this.#version;
    return this.#lines.widest;
  }

  /** The text of one row, made on demand. */
  row(index: number): string {
    return this.#lines.row(index);
  }

  /** True when the row continues the line above it (a cut, not a line break). */
  isContinuation(index: number): boolean {
    return this.#lines.isContinuation(index);
  }

  get version(): number {
    return this.#version;
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
    this.#progress = finished ? 1 : this.#job.progress;
    this.#finished = finished;
    this.#version++;
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
  while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as Uint8Array);
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
