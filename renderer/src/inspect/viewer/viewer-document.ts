/**
 * The text the value viewer shows, made from what the decoder found: pretty JSON for
 * structured values and for text that parses as JSON, the text itself otherwise. A
 * 1 MiB value is 100,000 lines pretty-printed, and making them (and CodeMirror's
 * document from them) at once is a task of a hundred milliseconds and more, so the
 * work runs in slices of a few milliseconds, the main thread free in between, and
 * CodeMirror is handed the finished document once. JSON is printed from the received
 * text by the token-keeping printer (shared/inspect/json-pretty.ts): a 64-bit integer
 * shows as it was sent, never rounded through `JSON.parse`.
 */
import { Text } from '@codemirror/state';
import type { DecodeResult } from '../../../../shared/inspect/decode/decoded-payload';
import { TextLineSplitter, type SlicedJob } from '../../../../shared/inspect/display-lines';
import { JsonPrettyPrinter } from '../../../../shared/inspect/json-pretty';

/** Milliseconds of work per slice; well under the 50 ms of a long task. */
const SLICE_MS = 8;
/** Input characters worked through between checks of the clock. */
const CHUNK_CHARS = 8_192;
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
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });

/**
 * Makes the document of `text`: pretty JSON when `json` and it parses (else the text
 * line by line). `progress` hears from 0 to 1; `signal` abandons the work between slices.
 */
export async function buildDocument(
  text: string,
  json: boolean,
  options: { yieldToMain?: YieldToMain; signal?: AbortSignal; progress?: (done: number) => void; now?: () => number } = {},
): Promise<ViewerDocument | null> {
  const yieldNow = options.yieldToMain ?? yieldToMain;
  if (json) {
    const doc = await runJob(new JsonPrettyPrinter(text, Infinity), yieldNow, options);
    if (doc === 'aborted') return null;
    if (doc !== 'failed') return { doc, language: 'json' };
  }
  const doc = await runJob(new TextLineSplitter(text, Infinity), yieldNow, options);
  if (doc === 'aborted' || doc === 'failed') return null;
  return { doc, language: 'text' };
}

/** The document of a small text (up to AT_ONCE_CHARS), made at once. */
export function buildDocumentNow(text: string, json: boolean): ViewerDocument {
  if (json) {
    const doc = runJobSync(new JsonPrettyPrinter(text, Infinity));
    if (doc !== null) return { doc, language: 'json' };
  }
  return { doc: runJobSync(new TextLineSplitter(text, Infinity)) ?? Text.empty, language: 'text' };
}

function runJobSync(job: JsonPrettyPrinter | TextLineSplitter): Text | null {
  while (!job.step(1 << 20));
  if (job instanceof JsonPrettyPrinter && job.failed) return null;
  const lines: string[] = [];
  for (let i = 0; i < job.lines.rowCount; i++) lines.push(job.lines.row(i));
  return lines.length > 0 ? Text.of(lines) : Text.empty;
}

async function runJob(
  job: SlicedJob & { readonly failed?: boolean },
  yieldNow: YieldToMain,
  options: { signal?: AbortSignal; progress?: (done: number) => void; now?: () => number },
): Promise<Text | 'failed' | 'aborted'> {
  const now = options.now ?? (() => performance.now());
  // The document grows by pieces: Text.of of a slice's lines, appended (appending joins trees, it does not copy lines).
  let doc: Text | null = null;
  let made = 0;
  let finished = false;
  while (!finished) {
    const deadline = now() + SLICE_MS;
    do {
      finished = job.step(CHUNK_CHARS);
      if (job.failed) return 'failed';
      // Lines are pushed complete (rows of unbounded width: one per line).
      const lines: string[] = [];
      for (const rows = job.lines.rowCount; made < rows; made++) lines.push(job.lines.row(made));
      // After a line break: the appended text's first, empty line ends the document's last one.
      if (lines.length > 0) doc = doc ? doc.append(Text.of(['', ...lines])) : Text.of(lines);
    } while (!finished && now() < deadline);
    if (!finished) {
      options.progress?.(job.progress);
      await yieldNow();
      if (options.signal?.aborted) return 'aborted';
    }
  }
  return doc ?? Text.empty;
}

/** Documents kept for when their topic is selected again. */
const CACHE_ENTRIES = 6;
const cache = new Map<Uint8Array, { text: string; mode: DocumentMode; document: ViewerDocument }[]>();

/**
 * The document made recently of this very payload's `text` in `mode`, if any. Keyed by
 * the payload (messages are immutable) and checked against the text, which changes when
 * the payload is decoded another way.
 */
export function cachedDocument(payload: Uint8Array, text: string, mode: DocumentMode): ViewerDocument | undefined {
  return cache.get(payload)?.find((entry) => entry.mode === mode && entry.text === text)?.document;
}

/** Keeps a document for `cachedDocument`; the least recently kept payloads are forgotten. */
export function keepDocument(payload: Uint8Array, text: string, mode: DocumentMode, document: ViewerDocument): void {
  const entries = (cache.get(payload) ?? []).filter((entry) => entry.mode !== mode);
  cache.delete(payload);
  cache.set(payload, [...entries, { text, mode, document }]);
  while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
}
