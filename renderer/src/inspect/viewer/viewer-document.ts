/**
 * The text the value viewer shows, made from what the decoder found: pretty JSON for
 * structured values and for text that parses as JSON, the text itself otherwise. A
 * 1 MiB value is 100,000 lines pretty-printed, and making them (and CodeMirror's
 * document from them) at once is a task of a hundred milliseconds and more, so the
 * work runs in slices of a few milliseconds, the main thread free in between. Its
 * first few hundred lines are made at once (`documentHead`), so the value shows in the
 * frame after the click, and CodeMirror gets the finished document once, as a change
 * that adds the rest. JSON is printed from the received
 * text by the token-keeping printer (shared/inspect/json-pretty.ts): a 64-bit integer
 * shows as it was sent, never rounded through `JSON.parse`.
 */
import { Text } from '@codemirror/state';
import type { DecodeResult } from '../../../../shared/inspect/decode/decoded-payload';
import { JsonLinePrinter } from '../../../../shared/inspect/json-pretty';

/** Milliseconds of work per slice; well under the 50 ms of a long task. */
const SLICE_MS = 8;
/** Input characters worked through between checks of the clock. */
const CHUNK_CHARS = 8_192;
/** Input characters `documentHead` works through: a few hundred lines of JSON, more than a screen. */
const HEAD_CHARS = 8_192;
/** Up to this many characters a value is made at once, without yielding: no flicker for the usual small value. */
export const AT_ONCE_CHARS = 64 * 1024;

/** What the viewer shows a document as. */
export type DocumentLanguage = 'json' | 'text';

export interface ViewerDocument {
  readonly doc: Text;
  /** 'json' when the text was pretty-printed as JSON (or is JSON as received). */
  readonly language: DocumentLanguage;
}

/** 'pretty' lays JSON out on lines; 'raw' shows the text as received. */
export type DocumentMode = 'pretty' | 'raw';

/** The text behind a decode result, or null when there is none to show (bytes, errors: the hex view shows those). */
export function decodedText(result: DecodeResult): { text: string; json: boolean } | null {
  switch (result.kind) {
    case 'structured':
      // Plain data with no big integers as numbers (they arrive as strings): stringify keeps it exact.
      return { text: JSON.stringify(result.value), json: true };
    case 'text': {
      const start = result.text.trimStart()[0];
      return { text: result.text, json: start === '{' || start === '[' };
    }
    default:
      return null;
  }
}

/** Hands the main thread back for a moment; injected so tests run the builder at once. */
export type YieldToMain = () => Promise<void>;

/** A macrotask without setTimeout's 4 ms clamp on nested timers. */
export const yieldToMain: YieldToMain = () =>
  new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.addEventListener(
      'message',
      () => {
        channel.port1.close();
        resolve();
      },
      { once: true },
    );
    channel.port1.start();
    channel.port2.postMessage(null);
  });

export interface BuildOptions {
  yieldToMain?: YieldToMain;
  /** Abandons the work between slices. */
  signal?: AbortSignal;
  /** Hears how much is done, from 0 to 1. */
  progress?: (done: number) => void;
  now?: () => number;
}

/**
 * Makes the document of `text`: pretty JSON when `json` and it parses (else the text
 * line by line).
 */
export async function buildDocument(text: string, json: boolean, options: BuildOptions = {}): Promise<ViewerDocument | null> {
  const yieldNow = options.yieldToMain ?? yieldToMain;
  if (json) {
    const doc = await runJob(new JsonLinePrinter(text), yieldNow, options);
    if (doc === 'aborted') return null;
    if (doc !== 'failed') return { doc, language: 'json' };
  }
  const doc = await runJob(new TextLines(text), yieldNow, options);
  if (doc === 'aborted' || doc === 'failed') return null;
  return { doc, language: 'text' };
}

/** The document of a small text (up to AT_ONCE_CHARS), made at once. */
export function buildDocumentNow(text: string, json: boolean): ViewerDocument {
  if (json) {
    const doc = runJobSync(new JsonLinePrinter(text));
    if (doc !== null) return { doc, language: 'json' };
  }
  return { doc: runJobSync(new TextLines(text)) ?? Text.empty, language: 'text' };
}

/**
 * The first lines of a big text's document, made at once: what `buildDocument` will
 * make begins with them, so they show while it works (a new value of the same topic
 * keeps the previous one instead). Null when not even one line ends early on.
 */
export function documentHead(text: string, json: boolean): ViewerDocument | null {
  if (json) {
    const printer = new JsonLinePrinter(text);
    printer.step(HEAD_CHARS);
    // Not JSON already in its first lines: the text's lines, as buildDocument will make.
    if (!printer.failed) return headOf(printer.takeLines(), 'json');
  }
  const splitter = new TextLines(text);
  splitter.step(HEAD_CHARS);
  return headOf(splitter.takeLines(), 'text');
}

function headOf(lines: string[], language: DocumentLanguage): ViewerDocument | null {
  return lines.length > 0 ? { doc: Text.of(lines), language } : null;
}

/** Something that makes a document's lines as strings, a bounded amount of input at a time. */
interface LineJob {
  /** Works through about `budget` input characters; true once done. */
  step(budget: number): boolean;
  readonly progress: number;
  /** True when the input turned out not to be what the job reads (JSON). */
  readonly failed: boolean;
  /** The lines made since the last call. */
  takeLines(): string[];
}

/** Text split into lines at "\n" (the "\r" of "\r\n" dropped), as strings. */
class TextLines implements LineJob {
  readonly failed = false;
  readonly #text: string;
  #pos = 0;
  #done = false;
  #lines: string[] = [];

  constructor(text: string) {
    this.#text = text;
  }

  get progress(): number {
    return this.#done ? 1 : this.#pos / Math.max(1, this.#text.length);
  }

  step(budget: number): boolean {
    const text = this.#text;
    const stop = this.#pos + budget;
    while (!this.#done && this.#pos < stop) {
      const newline = text.indexOf('\n', this.#pos);
      const end = newline < 0 ? text.length : newline;
      this.#lines.push(text.slice(this.#pos, end > this.#pos && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end));
      if (newline < 0) this.#done = true;
      else this.#pos = newline + 1;
    }
    return this.#done;
  }

  takeLines(): string[] {
    const lines = this.#lines;
    this.#lines = [];
    return lines;
  }
}

function runJobSync(job: LineJob): Text | null {
  while (!job.step(1 << 20));
  if (job.failed) return null;
  const lines = job.takeLines();
  return lines.length > 0 ? Text.of(lines) : Text.empty;
}

async function runJob(job: LineJob, yieldNow: YieldToMain, options: BuildOptions): Promise<Text | 'failed' | 'aborted'> {
  const now = options.now ?? (() => performance.now());
  // The lines are gathered and CodeMirror's Text is made of them once, at the end: a
  // document grown slice by slice (Text.append) rebalances its tree on every append.
  const lines: string[] = [];
  let finished = false;
  while (!finished) {
    const deadline = now() + SLICE_MS;
    do {
      finished = job.step(CHUNK_CHARS);
      if (job.failed) return 'failed';
      for (const line of job.takeLines()) lines.push(line);
    } while (!finished && now() < deadline);
    if (!finished) {
      options.progress?.(job.progress);
      await yieldNow();
      if (options.signal?.aborted) return 'aborted';
    }
  }
  return lines.length > 0 ? Text.of(lines) : Text.empty;
}

/** A change of a shown document: `insert` replaces `from`..`to` of the old one. */
export interface DocumentChange {
  from: number;
  to: number;
  insert: Text | string;
}

/** More changed lines than this are one change: CodeMirror applies it faster than thousands. */
const MAX_LINE_CHANGES = 1_000;

/**
 * What turns `before` into `after`, as small as cheaply found; null when they are equal.
 * Applied to the view instead of a whole new document, it leaves CodeMirror's scroll
 * position, caret and folds where they were wherever they lie outside it. A new reading
 * of the same fields keeps the lines and changes values on some of them: one change per
 * changed line, only the characters that differ. Otherwise, one change of what lies
 * between the common start and the common end. Costs a walk over the lines, stopping at
 * the first that differs from either end.
 */
export function documentChanges(before: Text, after: Text): DocumentChange[] | null {
  const whole = documentChange(before, after);
  if (!whole) return null;
  if (before.lines !== after.lines) return [whole];
  // The lines between the common start and end, in both documents: same numbers, same count.
  const first = before.lineAt(whole.from).number;
  const last = before.lineAt(whole.to).number;
  const changes: DocumentChange[] = [];
  const beforeLines = before.iterLines(first, last + 1);
  const afterLines = after.iterLines(first, last + 1);
  for (let at = before.line(first).from; ; ) {
    const a = beforeLines.next();
    const b = afterLines.next();
    if (a.done || b.done) break;
    if (a.value !== b.value) {
      if (changes.length === MAX_LINE_CHANGES) return [whole];
      const start = commonStart(a.value, b.value);
      const end = Math.min(commonEnd(a.value, b.value), Math.min(a.value.length, b.value.length) - start);
      changes.push({ from: at + start, to: at + a.value.length - end, insert: b.value.slice(start, b.value.length - end) });
    }
    at += a.value.length + 1;
  }
  return changes;
}

/**
 * The one change that turns `before` into `after`: what lies between their common start
 * and their common end. Null when they are equal.
 */
export function documentChange(before: Text, after: Text): { from: number; to: number; insert: Text } | null {
  if (before === after) return null;
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  const beforeLines = before.iterLines();
  const afterLines = after.iterLines();
  for (;;) {
    const a = beforeLines.next();
    const b = afterLines.next();
    if (a.done || b.done) break;
    if (a.value !== b.value) {
      start += commonStart(a.value, b.value);
      break;
    }
    start += a.value.length + 1;
  }
  start = Math.min(start, shorter);
  if (start === before.length && start === after.length) return null;
  // The common end, line by line from the last, never reaching into the common start.
  let end = 0;
  const room = shorter - start;
  for (let k = 0; k < before.lines && k < after.lines && end < room; k++) {
    const a = before.line(before.lines - k).text;
    const b = after.line(after.lines - k).text;
    if (a !== b) {
      end += commonEnd(a, b);
      break;
    }
    end += a.length + 1;
  }
  end = Math.min(end, room);
  return { from: start, to: before.length - end, insert: after.slice(start, after.length - end) };
}

function commonStart(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonEnd(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/** Documents kept for when their topic is selected again. */
const CACHE_ENTRIES = 6;
interface CacheEntry {
  text: string;
  mode: DocumentMode;
  document: ViewerDocument;
}
const cache = new Map<Uint8Array, CacheEntry[]>();

/**
 * The document made recently of this payload's `text` in `mode`, if any: of this very
 * payload (messages are immutable), or of an earlier one with the same bytes (a device
 * that repeats its value: nothing is made again). Checked against the text, which
 * changes when the payload is decoded another way.
 */
export function cachedDocument(payload: Uint8Array, text: string, mode: DocumentMode): ViewerDocument | undefined {
  const find = (entries: CacheEntry[] | undefined): ViewerDocument | undefined => entries?.find((entry) => entry.mode === mode && entry.text === text)?.document;
  const own = find(cache.get(payload));
  if (own) return own;
  for (const [kept, entries] of cache) if (sameBytes(kept, payload)) return find(entries);
  return undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Keeps a document for `cachedDocument`; the least recently kept payloads are forgotten. */
export function keepDocument(payload: Uint8Array, text: string, mode: DocumentMode, document: ViewerDocument): void {
  const entries = (cache.get(payload) ?? []).filter((entry) => entry.mode !== mode);
  cache.delete(payload);
  cache.set(payload, [...entries, { text, mode, document }]);
  while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
}
