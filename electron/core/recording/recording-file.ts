/**
 * Reads a recording file back with the shared RecordingReader, as a pulled stream of
 * messages: plain or gzip (told by the magic bytes, not the name), read (and gunzipped)
 * only as fast as the consumer asks for the next batch, so memory holds one chunk's
 * messages however long the recording is. A gzip stream cut short gives what it
 * decompressed up to the cut (its last line then reads as truncated); a damaged one,
 * what came before the damage and the reason.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, constants as zlibConstants } from 'node:zlib';
import { describeSkipped, RecordingReader, type RecordedMessage, type RecordingSummary } from '../../../shared/recording/recording-reader';

/** Bytes read from disk at a time: with gzip, one chunk inflates to a few hundred KiB of lines at most. */
const READ_CHUNK_BYTES = 64 * 1024;

const fromBase64 = (text: string): Uint8Array | null => {
  // Buffer's decoder skips characters it does not know: check the alphabet first.
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  return new Uint8Array(Buffer.from(text, 'base64'));
};

async function isGzip(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await file.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await file.close();
  }
}

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

/** Every message of a (small enough) recording in memory, with what was read and skipped: for tests and short files. */
export async function readRecordingMessages(path: string): Promise<{ messages: RecordedMessage[]; summary: RecordingSummary; compressionProblem: string | null }> {
  const stream = await openRecordingStream(path);
  const messages: RecordedMessage[] = [];
  for await (const batch of stream.batches) messages.push(...batch);
  return { messages, summary: stream.summary(), compressionProblem: stream.compressionProblem() };
}
