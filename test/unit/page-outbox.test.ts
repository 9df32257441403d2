import { describe, expect, it } from 'vitest';
import { PageOutbox, type PageSocket } from '../../electron/web/page-outbox';
import type { MessageBatch, ReceivedMessage } from '../../shared/mqtt/mqtt-message';

const MiB = 1024 * 1024;
const limits = { softBytes: 8 * MiB, lowBytes: 2 * MiB, hardBytes: 64 * MiB, stallMs: 20_000, batchBytes: 8 * MiB };

/** A socket whose send buffer the test sets, and that records what was sent. */
class FakeSocket implements PageSocket {
  bufferedAmount = 0;
  readonly sent: MessageBatch[] = [];
  sendBatch(batch: MessageBatch): void {
    this.sent.push(batch);
  }
}

function message(topic: string, value: string, payloadBytes = 0): ReceivedMessage {
  const payload = payloadBytes > 0 ? new Uint8Array(payloadBytes) : new TextEncoder().encode(value);
  return { topic, payload, payloadSize: payload.byteLength, qos: 0, retain: false, receivedAt: 0, coalesced: 0 };
}

function batch(seq: number, messages: ReceivedMessage[], connectionId = 'c1'): MessageBatch {
  return { connectionId, messages, coalesced: 0, truncated: 0, seq, rendererBehind: false };
}

const represented = (batches: MessageBatch[]): number => batches.reduce((sum, b) => sum + b.messages.reduce((s, m) => s + 1 + m.coalesced, 0), 0);

function setup(): { socket: FakeSocket; outbox: PageOutbox; clock: { now: number } } {
  const socket = new FakeSocket();
  const clock = { now: 0 };
  return { socket, clock, outbox: new PageOutbox(socket, () => clock.now, limits) };
}

describe('PageOutbox', () => {
  it('sends batches straight through while the page keeps up', () => {
    const { socket, outbox } = setup();
    const b = batch(0, [message('a', '1')]);
    expect(outbox.batch(b)).toBeNull();
    expect(socket.sent).toEqual([b]);
    expect(outbox.behind).toBe(false);
  });

  it('holds batches back once the send buffer passes the soft limit, coalescing per topic with exact counts', () => {
    const { socket, outbox } = setup();
    socket.bufferedAmount = 9 * MiB;
    expect(outbox.batch(batch(4, [message('a', '1'), message('b', '1'), message('a', '2')]))).toBeNull();
    expect(outbox.batch({ ...batch(5, [message('a', '3')]), coalesced: 7, truncated: 1 })).toBeNull();
    expect(socket.sent).toEqual([]);
    expect(outbox.behind).toBe(true);

    // Still over the low-water mark: nothing yet.
    socket.bufferedAmount = 3 * MiB;
    expect(outbox.check()).toBeNull();
    expect(socket.sent).toEqual([]);

    socket.bufferedAmount = 1 * MiB;
    expect(outbox.check()).toBeNull();
    expect(socket.sent).toHaveLength(1);
    const sent = socket.sent[0]!;
    expect(sent).toMatchObject({ connectionId: 'c1', seq: 5, rendererBehind: true, truncated: 1 });
    expect(sent.messages.map((m) => [m.topic, new TextDecoder().decode(m.payload), m.coalesced])).toEqual([
      ['a', '3', 2],
      ['b', '1', 0],
    ]);
    // 4 messages arrived plus 7 the batcher had already folded: all counted.
    expect(represented(socket.sent) + 7).toBe(4 + 7);
    expect(sent.coalesced).toBe(7 + 2);
    expect(outbox.behind).toBe(false);
  });

  it('keeps one backlog per connection and never changes the shared batch', () => {
    const { socket, outbox } = setup();
    socket.bufferedAmount = 9 * MiB;
    const first = batch(0, [message('a', '1')], 'c1');
    outbox.batch(first);
    outbox.batch(batch(0, [message('x', '1')], 'c2'));
    outbox.batch(batch(1, [message('a', '2')], 'c1'));
    socket.bufferedAmount = 0;
    outbox.check();
    expect(socket.sent.map((b) => [b.connectionId, b.seq, b.messages.length])).toEqual([
      ['c1', 1, 1],
      ['c2', 0, 1],
    ]);
    expect(first.messages[0]!.coalesced).toBe(0);
  });

  it('reports a page that stays behind for stallMs as stopped reading', () => {
    const { socket, outbox, clock } = setup();
    socket.bufferedAmount = 9 * MiB;
    outbox.batch(batch(0, [message('a', '1')]));
    clock.now = 19_999;
    expect(outbox.check()).toBeNull();
    clock.now = 20_000;
    expect(outbox.check()?.queuedBytes).toBeGreaterThanOrEqual(9 * MiB);
  });

  it('reports a page whose queue passes the hard limit at once', () => {
    const { socket, outbox } = setup();
    socket.bufferedAmount = 9 * MiB;
    let stalled = null;
    // Distinct topics of 1 MiB each: the backlog grows with every one.
    for (let i = 0; i < 100 && !stalled; i++) stalled = outbox.batch(batch(i, [message(`t${i}`, '', MiB)]));
    expect(stalled?.queuedBytes).toBeGreaterThan(64 * MiB);
    expect(outbox.queuedBytes).toBeLessThan(74 * MiB);
  });

  it('a page that drains in time is not reported, and starts its stall clock afresh next time', () => {
    const { socket, outbox, clock } = setup();
    socket.bufferedAmount = 9 * MiB;
    outbox.batch(batch(0, [message('a', '1')]));
    clock.now = 15_000;
    socket.bufferedAmount = 0;
    expect(outbox.check()).toBeNull();
    socket.bufferedAmount = 9 * MiB;
    outbox.batch(batch(1, [message('a', '2')]));
    clock.now = 30_000;
    expect(outbox.check()).toBeNull();
  });

  it('sends a large backlog in pieces of at most batchBytes, every message once, counts on the first piece', () => {
    const { socket, outbox } = setup();
    socket.bufferedAmount = 9 * MiB;
    // 40 topics of 1 MiB each, twice: 40 MiB held, one message per topic.
    for (let seq = 0; seq < 2; seq++) outbox.batch(batch(seq, Array.from({ length: 40 }, (_, i) => message(`big/${i}`, '', MiB))));
    socket.bufferedAmount = 0;
    outbox.check();
    expect(socket.sent.length).toBeGreaterThanOrEqual(5);
    for (const sent of socket.sent) expect(sent.messages.reduce((sum, m) => sum + m.payload.byteLength, 0)).toBeLessThanOrEqual(8 * MiB);
    expect(socket.sent.flatMap((b) => b.messages.map((m) => m.topic))).toEqual(Array.from({ length: 40 }, (_, i) => `big/${i}`));
    expect(represented(socket.sent)).toBe(80);
    expect(socket.sent.map((b) => b.seq)).toEqual(socket.sent.map(() => 1));
    expect(socket.sent.every((b) => b.rendererBehind)).toBe(true);
    expect(socket.sent.slice(1).every((b) => b.coalesced === 0)).toBe(true);
  });
});
