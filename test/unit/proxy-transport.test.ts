/**
 * The stream mqtt.js gets before the proxy tunnel is up: what mqtt.js writes early
 * (CONNECT) reaches the broker once the tunnel joins, and a connection closed while
 * the tunnel was still opening does not leave the tunnel open behind it.
 */
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PendingStream } from '../../electron/core/connection/proxy-transport';

/** A stand-in tunnel: what is written to it is kept in `sent`; `reply` is what the broker sends back. */
function tunnel(): { socket: Duplex; sent: Buffer[]; reply: (text: string) => void } {
  const sent: Buffer[] = [];
  const socket = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      sent.push(chunk);
      callback();
    },
    read() {
      // Data arrives through `reply`.
    },
  });
  return { socket, sent, reply: (text) => socket.push(Buffer.from(text)) };
}

describe('PendingStream', () => {
  it('holds early writes until the tunnel joins, then carries both directions', async () => {
    const stream = new PendingStream();
    stream.write(Buffer.from('CONNECT'));
    const { socket, sent, reply } = tunnel();
    expect(sent).toEqual([]);

    stream.join(socket);
    await new Promise((resolve) => setImmediate(resolve));
    expect(Buffer.concat(sent).toString()).toBe('CONNECT');

    const received = new Promise<string>((resolve) => stream.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    reply('CONNACK');
    expect(await received).toBe('CONNACK');
  });

  it('ending it (after DISCONNECT) ends the tunnel', async () => {
    const stream = new PendingStream();
    const { socket } = tunnel();
    stream.join(socket);
    const ended = new Promise<void>((resolve) => socket.once('finish', resolve));
    stream.end();
    await ended;
    expect(socket.writableEnded).toBe(true);
  });

  it('closed while the tunnel was opening: the tunnel is closed as soon as it arrives', () => {
    const stream = new PendingStream();
    stream.destroy();
    const { socket } = tunnel();
    stream.join(socket);
    expect(socket.destroyed).toBe(true);
  });

  it('a tunnel that fails passes its error on, so the session can say what happened', async () => {
    const stream = new PendingStream();
    const { socket } = tunnel();
    stream.join(socket);
    const failed = new Promise<Error>((resolve) => stream.once('error', resolve));
    socket.destroy(Object.assign(new Error('reset by the proxy'), { code: 'ECONNRESET' }));
    expect((await failed).message).toBe('reset by the proxy');
  });
});
