/**
 * A recording file as a pulled stream of messages, for the preview and the replay: the
 * file is read (and gunzipped) only as fast as the consumer asks for the next batch,
 * so memory holds one chunk's messages however long the recording is.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, constants as zlibConstants } from 'node:zlib';
import { describeSkipped, RecordingReader, type RecordedMessage, type RecordingSummary } from '../../../shared/recording/recording-reader';
import { MAX_PREVIEW_TOPICS, PREVIEW_TOPIC_NAMES, type ReplayPreview } from '../../../shared/recording/replay';
import { fromBase64, isGzip } from './recording-file';

/** Bytes read from disk at a time: with gzip, one chunk inflates to a few hundred KiB of lines at most. */
const READ_CHUNK_BYTES = 64 * 1024;

export interface RecordingStream {
  gzip: boolean;
  /** Batches of messages in file order; pulling the next one reads the next chunk. */
  batches: AsyncGenerator<RecordedMessage[], void, undefined>;
  /** What the reader kept and skipped so far (final once `batches` is done). */
  summary: () => RecordingSummary;
  /** The gzip stream ended early or was damaged (what came before was read); null otherwise. */
  compressionProblem: () => string | null;
}

/** Opens `path` for pulling; throws when the file cannot be opened. */
export async function openRecordingStream(path: string): Promise<RecordingStream> {
  const gzip = await isGzip(path);
  const reader = new RecordingReader({ fromBase64 });
  let compressionProblem: string | null = null;

  async function* batches(): AsyncGenerator<RecordedMessage[], void, undefined> {
    const decoder = new StringDecoder('utf8');
    const raw = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
    // Sync flush: a cut-off gzip file yields everything before the cut instead of nothing.
    const source = gzip ? raw.pipe(createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH, chunkSize: READ_CHUNK_BYTES })) : raw;
    raw.on('error', (error) => source.destroy(error));
    const messagesOf = (lines: ReturnType<RecordingReader['push']>): RecordedMessage[] => {
      const out: RecordedMessage[] = [];
      for (const line of lines) if (line.kind === 'message') out.push(line.message);
      return out;
    };
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        const messages = messagesOf(reader.push(decoder.write(chunk)));
        if (messages.length > 0) yield messages;
      }
    } catch (error) {
      if (!gzip) throw error;
      compressionProblem = (error as Error).message;
    } finally {
      // A consumer that stops early (replay stopped) closes the file.
      raw.destroy();
    }
    const rest = messagesOf([...reader.push(decoder.end()), ...reader.finish()]);
    if (rest.length > 0) yield rest;
  }

  return { gzip, batches: batches(), summary: () => reader.summary, compressionProblem: () => compressionProblem };
}

/**
 * Once a stream is read to its end: what the reader left out, in words (null when it
 * kept every line), and whether the file was cut short (mid-line, mid-gzip, no end line).
 */
export function whatWasLeftOut(stream: RecordingStream): { skipped: string | null; truncated: boolean } {
  const summary = stream.summary();
  const compression = stream.compressionProblem();
  const skipped = [describeSkipped(summary), compression ? `The compressed file ends early or is damaged (${compression}); what came before it is kept.` : null]
    .filter((text): text is string => text !== null)
    .join(' ');
  return {
    skipped: skipped === '' ? null : skipped,
    truncated: summary.truncatedLastLine || compression !== null || (summary.header !== null && summary.end === null),
  };
}

/** Reads the whole file once, streaming, into what the Replay dialog shows before starting. */
export async function previewRecording(path: string, propertiesDropped: boolean): Promise<ReplayPreview> {
  const stream = await openRecordingStream(path);
  const topics = new Set<string>();
  let topicsCapped = false;
  const firstTopics: string[] = [];
  let firstAt: number | null = null;
  let lastAt: number | null = null;
  let withProperties = 0;
  for await (const batch of stream.batches) {
    for (const message of batch) {
      firstAt ??= message.receivedAt;
      lastAt = message.receivedAt;
      if (message.properties) withProperties++;
      if (topicsCapped || topics.has(message.topic)) continue;
      if (topics.size === MAX_PREVIEW_TOPICS) {
        topicsCapped = true;
        continue;
      }
      topics.add(message.topic);
      if (firstTopics.length < PREVIEW_TOPIC_NAMES) firstTopics.push(message.topic);
    }
  }
  const summary = stream.summary();
  const { skipped, truncated } = whatWasLeftOut(stream);
  return {
    fileName: basename(path),
    gzip: stream.gzip,
    messages: summary.messages,
    topics: topics.size,
    topicsCapped,
    firstTopics,
    firstAt,
    lastAt,
    withProperties,
    propertiesDropped: propertiesDropped && withProperties > 0,
    skipped,
    skippedLines: summary.skippedCount,
    truncated,
  };
}
