/**
 * Reads a recording file back with the shared RecordingReader: plain or gzip (told by
 * the magic bytes, not the name), streaming, so memory holds one chunk and one line.
 * A gzip stream cut short gives what it decompressed up to the cut (its last line then
 * reads as truncated); a damaged one, what came before the damage and the reason.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip, constants as zlibConstants } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { RecordingReader, type RecordedMessage, type RecordingLine, type RecordingSummary } from '../../../shared/recording/recording-reader';

export const fromBase64 = (text: string): Uint8Array | null => {
  // Buffer's decoder skips characters it does not know: check the alphabet first.
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  return new Uint8Array(Buffer.from(text, 'base64'));
};

export async function isGzip(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await file.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await file.close();
  }
}

export interface RecordingFileRead {
  summary: RecordingSummary;
  /** The gzip stream was damaged: what came before the damage was read. */
  compressionProblem: string | null;
}

/** Calls `onLine` for every line of the file, in order; resolves with what was read and skipped. */
export async function readRecordingFile(path: string, onLine: (line: RecordingLine) => void): Promise<RecordingFileRead> {
  const reader = new RecordingReader({ fromBase64 });
  const decoder = new StringDecoder('utf8');
  const raw = createReadStream(path);
  let compressionProblem: string | null = null;
  // Sync flush: a cut-off gzip file yields everything before the cut instead of nothing.
  const source = (await isGzip(path)) ? raw.pipe(createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH })) : raw;
  raw.on('error', (error) => source.destroy(error));
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) for (const line of reader.push(decoder.write(chunk))) onLine(line);
  } catch (error) {
    if (source === raw) throw error;
    compressionProblem = (error as Error).message;
  }
  for (const line of [...reader.push(decoder.end()), ...reader.finish()]) onLine(line);
  return { summary: reader.summary, compressionProblem };
}

/** Every message of a (small enough) recording in memory: for tests and short files. */
export async function readRecordingMessages(path: string): Promise<RecordingFileRead & { messages: RecordedMessage[] }> {
  const messages: RecordedMessage[] = [];
  const read = await readRecordingFile(path, (line) => {
    if (line.kind === 'message') messages.push(line.message);
  });
  return { ...read, messages };
}
