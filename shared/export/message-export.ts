/**
 * Export: the selected topic's history, or the last value of every topic in a subtree,
 * as a file's text. Pure; the page saves it through `export:save`.
 *
 * - JSON: an array, one message object a line: `time` (ISO 8601), then the recording
 *   line's fields (receivedAt, topic, qos, retain, payload, encoding, properties), and
 *   `json`, the payload parsed, when its text is JSON.
 * - JSON Lines: a recording (shared/recording/recording-format.ts) to the byte — header,
 *   message lines oldest first, trailer — so the file opens and replays like one.
 * - CSV: message-csv.ts.
 *
 * What the app holds is not always what the broker sent, and the notes say so: a
 * payload the core cut to its display limit (`payloadSize` then says the size it had;
 * readers of recordings ignore the field), and messages folded into newer ones under
 * load (the history never had them).
 */
import type { ReceivedMessage } from '../mqtt/mqtt-message';
import type { TopicNode } from '../explorer/topic-tree';
import type { RecordedMessageLine } from '../recording/recording-format';
import { endLine, headerLine, recordedMessageLine, type PayloadCodec } from '../recording/recording-writer';
import { ExportText, TOO_LARGE_TEXT, type ExportFormat } from './export-file';
import { MAX_JSON_COLUMNS, messagesCsv } from './message-csv';

/** What to export: the topic's kept history, or the last message of it and every topic below. */
export type ExportScope = 'history' | 'subtree';

export type ExportOutcome =
  | { ok: true; text: string; bytes: number; messages: number; notes: string[] }
  | { ok: false; problem: string };

/** One message of the JSON export. */
export interface ExportedMessage extends RecordedMessageLine {
  time: string;
  /** The payload's size as received, only when the app holds it cut. */
  payloadSize?: number;
  /** The payload parsed, when its text is JSON. */
  json?: unknown;
}

/** The last message of `node` and of every topic below it, in the tree's display order (depth first, by segment). */
export function subtreeLastMessages(node: TopicNode): ReceivedMessage[] {
  const out: ReceivedMessage[] = [];
  // A stack rather than recursion: a topic may be thousands of levels deep.
  const stack: TopicNode[] = [node];
  for (let next = stack.pop(); next; next = stack.pop()) {
    // Copies the tree does not remember: an export of a large subtree leaves nothing behind.
    const last = next.copyOfLast();
    if (last) out.push(last);
    const children = next.sortedChildren();
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

/** The topic filter that selects what an export holds, for the recording header. */
export function scopeFilter(topic: string, scope: ExportScope): string {
  return scope === 'history' ? topic : `${topic}/#`;
}

function line(message: ReceivedMessage, codec: PayloadCodec): RecordedMessageLine & { payloadSize?: number } {
  const recorded: RecordedMessageLine & { payloadSize?: number } = recordedMessageLine(message, codec);
  if (message.payloadSize > message.payload.byteLength) recorded.payloadSize = message.payloadSize;
  return recorded;
}

function parsedJson(recorded: RecordedMessageLine): unknown {
  if (recorded.encoding !== 'utf8') return undefined;
  try {
    return JSON.parse(recorded.payload) as unknown;
  } catch {
    return undefined;
  }
}

/** The JSON export's text; null past the size limit. */
export function messagesJson(messages: readonly ReceivedMessage[], codec: PayloadCodec, maxBytes?: number): { text: string; bytes: number } | null {
  const out = new ExportText(maxBytes);
  let fits = out.add('[');
  messages.forEach((message, i) => {
    if (!fits) return;
    const recorded = line(message, codec);
    const exported: ExportedMessage = { time: new Date(message.receivedAt).toISOString(), ...recorded };
    const json = parsedJson(recorded);
    if (json !== undefined) exported.json = json;
    fits = out.add(`${i === 0 ? '' : ','}\n${JSON.stringify(exported)}`);
  });
  return fits && out.add('\n]\n') ? out.finish() : null;
}

/**
 * The JSON Lines export: a recording of `messages`, sorted oldest first, `filters` in
 * its header, ended at `exportedAt` (ms since the epoch); null past the size limit.
 */
export function messagesJsonLines(
  messages: readonly ReceivedMessage[],
  codec: PayloadCodec,
  filters: readonly string[],
  exportedAt: number,
  maxBytes?: number,
): { text: string; bytes: number } | null {
  // A recording is in the order received; sort is stable, so equal times keep their order.
  const ordered = [...messages].sort((a, b) => a.receivedAt - b.receivedAt);
  const out = new ExportText(maxBytes);
  let fits = out.add(headerLine(ordered[0]?.receivedAt ?? exportedAt, filters));
  for (const message of ordered) {
    if (!fits) break;
    fits = out.add(`${JSON.stringify(line(message, codec))}\n`);
  }
  fits &&= out.add(endLine({ endedAt: exportedAt, messages: ordered.length, missed: 0, reason: 'user' }));
  return fits ? out.finish() : null;
}

export interface ExportRequest {
  messages: readonly ReceivedMessage[];
  format: ExportFormat;
  /** For the JSON Lines header: the filter the messages were chosen by (scopeFilter). */
  filter: string;
  exportedAt: number;
  codec: PayloadCodec;
  maxBytes?: number;
}

/** The export's text and what the user should know about it, or why there is none. */
export function exportMessages(request: ExportRequest): ExportOutcome {
  const { messages, format, codec, maxBytes } = request;
  if (messages.length === 0) return { ok: false, problem: 'There is no message to export.' };
  const notes: string[] = [];
  let made: { text: string; bytes: number } | null;
  if (format === 'csv') {
    const csv = messagesCsv(messages, codec, maxBytes === undefined ? {} : { maxBytes });
    made = csv;
    if (csv && csv.columnsLeftOut > 0) {
      notes.push(`${csv.columnsLeftOut.toLocaleString('en-US')} more JSON fields were left out: the CSV has at most ${MAX_JSON_COLUMNS} JSON columns (JSON and JSON Lines keep them all).`);
    }
  } else if (format === 'json') {
    made = messagesJson(messages, codec, maxBytes);
  } else {
    made = messagesJsonLines(messages, codec, [request.filter], request.exportedAt, maxBytes);
  }
  if (!made) return { ok: false, problem: TOO_LARGE_TEXT };
  const cut = messages.filter((m) => m.payloadSize > m.payload.byteLength).length;
  if (cut > 0) notes.push(`${plural(cut, 'payload was', 'payloads were')} cut to the display limit when received; the file holds what was kept.`);
  const merged = messages.reduce((sum, m) => sum + m.coalesced, 0);
  if (merged > 0) notes.push(`${plural(merged, 'message was', 'messages were')} merged into newer ones under load: the app never held them.`);
  return { ok: true, text: made.text, bytes: made.bytes, messages: messages.length, notes };
}

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
