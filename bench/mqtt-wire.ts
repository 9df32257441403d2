/**
 * A minimal MQTT 3.1.1 publisher over a raw socket, for floods only. The publisher
 * writes pre-encoded QoS 0 PUBLISH packets so that it is never the bottleneck of a
 * benchmark that measures the subscribers; mqtt.js would spend as much CPU encoding
 * as the subscriber under test spends decoding, on the same two cores.
 */
import { connect, type Socket } from 'node:net';

function utf8Field(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(2 + bytes.length);
  out.writeUInt16BE(bytes.length, 0);
  bytes.copy(out, 2);
  return out;
}

/** MQTT's variable-length "remaining length" (spec 2.2.3). */
export function remainingLength(length: number): Buffer {
  const bytes: number[] = [];
  let rest = length;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0);
  return Buffer.from(bytes);
}

/** CONNECT, protocol level 4, clean session, keepalive off (the flood never idles). */
export function encodeConnect(clientId: string, username: string, password: string): Buffer {
  const variableHeader = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x80 | 0x40 | 0x02, 0x00, 0x00]);
  const body = Buffer.concat([variableHeader, utf8Field(clientId), utf8Field(username), utf8Field(password)]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

/** A QoS 0 PUBLISH without retain (spec 3.3). */
export function encodePublish(topic: string, payload: Uint8Array): Buffer {
  const topicField = utf8Field(topic);
  const length = topicField.length + payload.byteLength;
  return Buffer.concat([Buffer.from([0x30]), remainingLength(length), topicField, payload]);
}

export const DISCONNECT = Buffer.from([0xe0, 0x00]);

export interface RawPublisher {
  /** Writes bytes; resolves when the socket can take more (backpressure). */
  write(bytes: Buffer): Promise<void>;
  /** Sends DISCONNECT and resolves once everything written has left and the socket closed. */
  end(): Promise<void>;
}

export async function connectRawPublisher(host: string, port: number, clientId: string, username: string, password: string): Promise<RawPublisher> {
  const socket: Socket = connect({ host, port });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => resolve());
  });
  socket.write(encodeConnect(clientId, username, password));
  const connack = await new Promise<Buffer>((resolve, reject) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4) {
        socket.off('data', onData);
        resolve(received);
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('The broker closed the connection before CONNACK.')));
  });
  if (connack[0] !== 0x20 || connack[3] !== 0) {
    socket.destroy();
    throw new Error(`The broker refused the publisher (CONNACK ${connack.subarray(0, 4).toString('hex')}).`);
  }
  // Nothing else is read, but the socket must keep flowing (the broker sends nothing more).
  socket.resume();
  return {
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        if (socket.destroyed) {
          reject(new Error('The publisher connection closed.'));
          return;
        }
        if (socket.write(bytes)) resolve();
        else socket.once('drain', () => resolve());
      }),
    end: () =>
      new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end(DISCONNECT);
      }),
  };
}
