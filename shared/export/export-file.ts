/**
 * What an exported file may be called and how large it may be: the limits the
 * `export:save` command enforces and the page checks first, so it can say what to do.
 */
import { utf8ByteLength } from '../inspect/payload-format';

export type ExportFormat = 'csv' | 'json' | 'jsonl';

/**
 * The largest exported file, in UTF-8 bytes (32 MiB, as for a publish payload): in
 * browser mode the text crosses the WebSocket in one frame, which the wire codec caps
 * at 64 MiB, and the page, the host and the dialog each hold it once.
 */
export const MAX_EXPORT_BYTES = 32 * 1024 * 1024;

/** All the save command accepts: a plain name, no folders, one of the export extensions. */
export const EXPORT_FILE_NAME = /^[A-Za-z0-9_-]{1,100}\.(?:csv|json|jsonl)$/;

/** The media type a page downloads each format as. */
export const EXPORT_MEDIA_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv',
  json: 'application/json',
  jsonl: 'application/jsonl',
};

/** A file name from a topic: its letters and digits, other runs as "-", then `suffix` and the extension. */
export function exportFileName(topic: string, suffix: string, format: ExportFormat): string {
  const stem = `${topic.replace(/[^A-Za-z0-9_]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'topic'}-${suffix}`.slice(0, 100);
  return `${stem}.${format}`;
}

/** What the user is told when an export would pass MAX_EXPORT_BYTES. */
export const TOO_LARGE_TEXT = `The export would be larger than ${MAX_EXPORT_BYTES / 1024 / 1024} MiB, the most Topicscope saves at once: export fewer topics (a smaller subtree) or fewer messages.`;

/**
 * Gathers an export's text piece by piece and gives up as soon as it passes the limit,
 * so a huge subtree is never built whole only to be refused. Counts UTF-16 code units
 * on the way (never more than the UTF-8 bytes) and the exact bytes at the end.
 */
export class ExportText {
  readonly #parts: string[] = [];
  #units = 0;
  readonly #maxBytes: number;

  constructor(maxBytes = MAX_EXPORT_BYTES) {
    this.#maxBytes = maxBytes;
  }

  /** False once the text is certainly over the limit: stop adding. */
  add(piece: string): boolean {
    this.#parts.push(piece);
    this.#units += piece.length;
    return this.#units <= this.#maxBytes;
  }

  /** The text, or null when it is over the limit. */
  finish(): { text: string; bytes: number } | null {
    if (this.#units > this.#maxBytes) return null;
    const text = this.#parts.join('');
    const bytes = utf8ByteLength(text);
    return bytes > this.#maxBytes ? null : { text, bytes };
  }
}
