/**
 * Reads the file the user chose in main's dialog as a payload: the bytes and the base
 * name, never more than a publish may carry. The size is checked before reading, so a
 * multi-gigabyte file chosen by mistake is refused without being loaded.
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { fail, ok, type Result } from '../../../shared/ipc/app-error';
import { MAX_PAYLOAD_BYTES } from '../../../shared/ipc/ipc-contract';

export async function readPayloadFile(path: string, maxBytes = MAX_PAYLOAD_BYTES): Promise<Result<{ name: string; bytes: Uint8Array }>> {
  const name = basename(path);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return fail({ code: 'FILE_UNREADABLE', message: `"${name}" could not be opened: ${(error as Error).message}` });
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) {
      return fail({ code: 'INVALID_INPUT', message: `"${name}" is ${size.toLocaleString('en-US')} bytes, more than the ${maxBytes / 1024 / 1024} MiB Topicscope publishes. Nothing was read.` });
    }
    // Read at most one byte past the limit: a file that grew since stat is still caught.
    const buffer = new Uint8Array(Math.min(size, maxBytes) + 1);
    let read = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, read, buffer.byteLength - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
      if (read === buffer.byteLength) break;
    }
    if (read > maxBytes) return fail({ code: 'INVALID_INPUT', message: `"${name}" grew beyond ${maxBytes / 1024 / 1024} MiB while it was read. Nothing was read.` });
    return ok({ name, bytes: buffer.subarray(0, read) });
  } catch (error) {
    return fail({ code: 'FILE_UNREADABLE', message: `"${name}" could not be read: ${(error as Error).message}` });
  } finally {
    await handle.close();
  }
}
