/**
 * Messages as CSV for a spreadsheet: one record per message, always (RFC 4180: a field
 * holding a comma, a quote, CR or LF is quoted, quotes doubled, so a multi-line payload
 * stays one record), records ending in CRLF. Pure.
 *
 * Columns: `time` (ISO 8601, UTC, ms), `topic`, `qos`, `retain` (true/false), `payload`
 * (its text when valid UTF-8, else base64) and `encoding` ("utf8"/"base64"), then one
 * column per leaf of the JSON object and array payloads (`temperature`, `sensor.id`,
 * `values[0]`; a key that is not plain letters, digits, "_", "-" or "$", or that would
 * read as one of the fixed columns, is written `["a key"]`), the union over all rows in
 * first-seen order, at most MAX_JSON_COLUMNS of them. A leaf's cell is its string, or
 * its JSON text (numbers, true/false, null, {} and []); a row without that leaf leaves
 * the cell empty.
 *
 * The file starts with a UTF-8 byte order mark: Excel reads a CSV without one in the
 * system's legacy code page, garbling every non-ASCII character, and with it reads
 * UTF-8; LibreOffice, Numbers and Google Sheets accept it (Python: encoding="utf-8-sig").
 *
 * Payloads come from anyone who may publish to the broker, and a spreadsheet runs a
 * cell starting with "=", "+", "-" or "@" as a formula (CSV injection): such a cell,
 * unless it is a plain number, is written with a leading apostrophe. The JSON and JSON
 * Lines exports keep every text exact.
 */
import type { ReceivedMessage } from '../mqtt/mqtt-message';
import type { PayloadCodec } from '../recording/recording-writer';
import { ExportText } from './export-file';

/** JSON leaf columns at most; past it, new leaves are left out and counted. */
export const MAX_JSON_COLUMNS = 500;
/** Nesting followed at most; a value deeper down is one cell holding its JSON text. */
export const MAX_FLATTEN_DEPTH = 32;

export const FIXED_COLUMNS = ['time', 'topic', 'qos', 'retain', 'payload', 'encoding'] as const;
const FIXED = new Set<string>(FIXED_COLUMNS);
const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;
const UTF8_BOM = '\uFEFF';

/** A field as RFC 4180 writes it: quoted (quotes doubled) when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A cell a spreadsheet will not run as a formula (see the header comment). */
export function spreadsheetText(text: string): string {
  // Most cells start with none of the formula characters: one char code compare, no regex.
  const first = text.charCodeAt(0);
  if (first > 0x40 || Number.isNaN(first)) return text;
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

function keyPath(parent: string, key: string): string {
  if (PLAIN_KEY.test(key) && (parent !== '' || !FIXED.has(key))) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

/**
 * The leaves of a parsed JSON object or array, path → cell text, in document order.
 * `admit(path)` says whether a leaf's column is kept (the column cap); a scalar has no leaves.
 */
export function flattenJson(value: unknown, admit: (path: string) => boolean = () => true): Map<string, string> {
  const cells = new Map<string, string>();
  const leaf = (path: string, text: string): void => {
    if (admit(path)) cells.set(path, text);
  };
  const visit = (node: unknown, path: string, depth: number): void => {
    if (node === null || typeof node !== 'object') leaf(path, typeof node === 'string' ? node : JSON.stringify(node));
    else if (depth >= MAX_FLATTEN_DEPTH) leaf(path, JSON.stringify(node));
    else if (Array.isArray(node)) {
      if (node.length === 0 && path !== '') leaf(path, '[]');
      for (let i = 0; i < node.length; i++) visit(node[i], `${path}[${i}]`, depth + 1);
    } else {
      let empty = true;
      for (const key in node) {
        empty = false;
        visit((node as Record<string, unknown>)[key], keyPath(path, key), depth + 1);
      }
      if (empty && path !== '') leaf(path, '{}');
    }
  };
  if (value !== null && typeof value === 'object') visit(value, '', 0);
  return cells;
}

/** The payload parsed, when its text is a JSON object or array; null otherwise. */
function jsonContainer(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export interface CsvExport {
  text: string;
  bytes: number;
  /** JSON leaf columns written. */
  jsonColumns: string[];
  /** Distinct leaf paths left out past MAX_JSON_COLUMNS. */
  columnsLeftOut: number;
}

export interface CsvOptions {
  maxBytes?: number;
  maxJsonColumns?: number;
}

/** The CSV of `messages`, in the order given; null when it would pass the size limit. */
export function messagesCsv(messages: readonly ReceivedMessage[], codec: PayloadCodec, options: CsvOptions = {}): CsvExport | null {
  const maxColumns = options.maxJsonColumns ?? MAX_JSON_COLUMNS;
  const columns = new Map<string, number>();
  const leftOut = new Set<string>();
  const admit = (path: string): boolean => {
    if (columns.has(path)) return true;
    if (columns.size < maxColumns) {
      columns.set(path, columns.size);
      return true;
    }
    leftOut.add(path);
    return false;
  };
  // First pass: every row's cells, which also settles the columns (the header comes first).
  const rows = messages.map((message) => {
    const text = codec.utf8Text(message.payload);
    const json = text === null ? null : jsonContainer(text);
    return {
      fixed: [new Date(message.receivedAt).toISOString(), message.topic, String(message.qos), String(message.retain), text ?? codec.base64(message.payload), text === null ? 'base64' : 'utf8'],
      leaves: json === null ? null : flattenJson(json, admit),
    };
  });
  const jsonColumns = [...columns.keys()];
  const out = new ExportText(options.maxBytes);
  const record = (cells: readonly string[]): boolean => out.add(`${cells.map((cell) => csvField(spreadsheetText(cell))).join(',')}\r\n`);
  let fits = out.add(UTF8_BOM) && record([...FIXED_COLUMNS, ...jsonColumns]);
  for (const row of rows) {
    if (!fits) break;
    const leaves = row.leaves;
    // Every record has every column (RFC 4180), empty where the row has no such leaf.
    fits = record([...row.fixed, ...jsonColumns.map((path) => leaves?.get(path) ?? '')]);
  }
  const done = fits ? out.finish() : null;
  return done && { ...done, jsonColumns, columnsLeftOut: leftOut.size };
}
