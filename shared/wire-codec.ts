/**
 * Encodes contract values for the browser-mode WebSocket, where Electron's structured
 * clone is not available. Byte arrays travel raw after a JSON header instead of as
 * base64 text: a frame is [header length: u32 LE][header JSON][bytes of each array].
 *
 * In the JSON, a byte array becomes `{"\u0000b": index}`. MQTT forbids U+0000 in its
 * strings, so no topic, property name or user property can collide with that key.
 */

const MARKER = '\u0000b';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeFrame(value: unknown): Uint8Array<ArrayBuffer> {
  const blobs: Uint8Array[] = [];
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) {
      blobs.push(v);
      return { [MARKER]: blobs.length - 1 };
    }
    return v;
  });
  const header = encoder.encode(JSON.stringify({ j: json, s: blobs.map((b) => b.byteLength) }));
  let total = 4 + header.byteLength;
  for (const b of blobs) total += b.byteLength;
  const frame = new Uint8Array(total);
  new DataView(frame.buffer).setUint32(0, header.byteLength, true);
  frame.set(header, 4);
  let offset = 4 + header.byteLength;
  for (const b of blobs) {
    frame.set(b, offset);
    offset += b.byteLength;
  }
  return frame;
}

export class FrameError extends Error {}

/** Decodes a frame; throws FrameError on anything malformed (the peer may be hostile). */
export function decodeFrame(frame: Uint8Array): unknown {
  if (frame.byteLength < 4) throw new FrameError('Frame too short.');
  const headerLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, true);
  if (4 + headerLength > frame.byteLength) throw new FrameError('Frame header exceeds the frame.');
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(frame.subarray(4, 4 + headerLength)));
  } catch {
    throw new FrameError('Frame header is not JSON.');
  }
  const { j, s } = (header ?? {}) as { j?: unknown; s?: unknown };
  if (typeof j !== 'string' || !Array.isArray(s) || !s.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new FrameError('Frame header has the wrong shape.');
  }
  const blobs: Uint8Array[] = [];
  let offset = 4 + headerLength;
  for (const size of s as number[]) {
    if (offset + size > frame.byteLength) throw new FrameError('Frame is shorter than its header says.');
    blobs.push(frame.subarray(offset, offset + size));
    offset += size;
  }
  try {
    return JSON.parse(j, (_key, v: unknown) => {
      if (v !== null && typeof v === 'object' && MARKER in v) {
        const blob = blobs[(v as Record<string, number>)[MARKER] ?? -1];
        if (!blob) throw new FrameError('Frame refers to a missing byte array.');
        return blob;
      }
      return v;
    });
  } catch (error) {
    if (error instanceof FrameError) throw error;
    throw new FrameError('Frame body is not JSON.');
  }
}

/** Messages on the browser-mode socket. */
export type WireMessage =
  | { kind: 'command'; id: number; name: string; args: unknown }
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'event'; name: string; payload: unknown };
