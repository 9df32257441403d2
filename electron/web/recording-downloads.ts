/**
 * Browser mode's recordings: each new one is a file with a generated name in the
 * config folder's `recordings/`, and `GET /recordings/<name>?token=<token>` downloads
 * it. The route wants the same token as the WebSocket (compared in constant time), and
 * serves only names the host generates (RECORDING_DOWNLOAD_NAME: no separators, no
 * ".."), as regular files in that folder: never a path from the page.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { recordingFileName } from '../../shared/recording/recording-file-name';
import type { RecordingTarget } from '../core/recording/recording-jobs';
import { recordingFile } from './recording-list';

export const RECORDINGS_ROUTE = '/recordings/';

/** The recordings folder inside the config folder, readable by the user only. */
export function recordingsFolder(configDir: string): string {
  return join(configDir, 'recordings');
}

/** A new file name in the recordings folder (the folder made if missing): a name no other recording has (time plus random). */
async function newRecordingName(folder: string, at: number, gzip: boolean): Promise<string> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  return recordingFileName(at, gzip, randomBytes(4).toString('hex'));
}

export async function newRecordingTarget(folder: string, startedAt: number, gzip: boolean): Promise<RecordingTarget> {
  const name = await newRecordingName(folder, startedAt, gzip);
  return { path: join(folder, name), downloadName: name };
}

/** Keeps an uploaded recording under a new generated name; never overwrites (a name is new by its random part). */
export async function addRecording(folder: string, bytes: Uint8Array, gzip: boolean, receivedAt: number): Promise<string> {
  const name = await newRecordingName(folder, receivedAt, gzip);
  await writeFile(join(folder, name), bytes, { mode: 0o600, flag: 'wx' });
  return name;
}

const HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };

/**
 * The route's handler: true when the request was for it (answered), false to pass it on.
 * `authorized` checks the token the request carries.
 */
export function createRecordingDownloads(folder: string, authorized: (token: string | null) => boolean): (request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
  return async (request, response) => {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://127.0.0.1');
    } catch {
      return false;
    }
    if (!url.pathname.startsWith(RECORDINGS_ROUTE)) return false;
    const answer = (status: number, text: string): void => {
      response.writeHead(status, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...HEADERS, Allow: 'GET, HEAD' }).end();
      return true;
    }
    if (!authorized(url.searchParams.get('token'))) {
      answer(403, 'Forbidden');
      return true;
    }
    const name = url.pathname.slice(RECORDINGS_ROUTE.length);
    const file = await recordingFile(folder, name);
    if (!file) {
      answer(404, 'No such recording');
      return true;
    }
    const { path, size } = file;
    response.writeHead(200, {
      ...HEADERS,
      'Content-Type': name.endsWith('.gz') ? 'application/gzip' : 'application/jsonl',
      'Content-Length': String(size),
      'Content-Disposition': `attachment; filename="${name}"`,
    });
    if (request.method === 'HEAD' || size === 0) {
      response.end();
      return true;
    }
    // A file still being recorded is sent as far as it was when asked (its Content-Length);
    // a client that goes away mid-download costs its stream only.
    await pipeline(createReadStream(path, { end: size - 1 }), response).catch(() => response.destroy());
    return true;
  };
}
