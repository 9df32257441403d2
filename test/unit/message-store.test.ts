import { describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { HELD_AS_RETAINED, HELD_IN_HISTORY, MessageStore } from '../../shared/explorer/message-store';
import { seededRandom } from '../support/seeded-random';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function message(text: string | Uint8Array, fields: Partial<ReceivedMessage> = {}): ReceivedMessage {
  const payload = typeof text === 'string' ? encoder.encode(text) : text;
  return { topic: 'ignored', payload, payloadSize: payload.byteLength, qos: 0, retain: false, receivedAt: 1_700_000_000_123, coalesced: 0, ...fields };
}

/** A payload of `size` bytes whose content says which message it was. */
function bytesOf(tag: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (tag * 31 + i) & 0xff;
  return out;
}

describe('MessageStore', () => {
  it('gives back every field of a message under the topic it is asked for', () => {
    const store = new MessageStore();
    const properties = { contentType: 'application/json', userProperties: { site: 'north' } };
    const entry = store.add(message('{"t":21.5}', { qos: 2, retain: true, payloadSize: 900, coalesced: 3, receivedAt: 42.5, properties }), HELD_IN_HISTORY);
    expect(store.message(entry, 'plant/boiler')).toEqual({
      topic: 'plant/boiler',
      payload: encoder.encode('{"t":21.5}'),
      payloadSize: 900,
      qos: 2,
      retain: true,
      receivedAt: 42.5,
      coalesced: 3,
      properties,
    });
    expect(store.isRetain(entry)).toBe(true);
    expect(store.storedBytes(entry)).toBe(10);
  });

  it('keeps its own copy of the payload: the bytes the message brought can change or go', () => {
    const store = new MessageStore();
    const payload = encoder.encode('before');
    const entry = store.add(message(payload), HELD_IN_HISTORY);
    payload.set(encoder.encode('AFTER!'));
    expect(decoder.decode(store.message(entry, 't').payload)).toBe('before');
  });

  it('returns the same object for an entry until it is freed, and a view may keep it without seeing later writes', () => {
    const store = new MessageStore();
    const entry = store.add(message('first'), HELD_IN_HISTORY);
    const shown = store.message(entry, 't');
    expect(store.message(entry, 't')).toBe(shown);
    expect(store.copy(entry, 't')).not.toBe(shown);
    expect(store.copy(entry, 't')).toEqual(shown);
    store.release(entry, HELD_IN_HISTORY);
    const reused = store.add(message('second'), HELD_IN_HISTORY);
    // Numbers are reused, objects are not: a view comparing by identity sees the change.
    expect(reused).toBe(entry);
    expect(store.message(reused, 't')).not.toBe(shown);
    expect(decoder.decode(shown.payload)).toBe('first');
  });

  it('frees an entry only when neither history nor the retained value holds it', () => {
    const store = new MessageStore();
    const entry = store.add(message('on', { retain: true }), HELD_IN_HISTORY | HELD_AS_RETAINED);
    store.release(entry, HELD_IN_HISTORY);
    expect(store.size).toBe(1);
    expect(decoder.decode(store.message(entry, 'lamp').payload)).toBe('on');
    store.release(entry, HELD_AS_RETAINED);
    expect(store.size).toBe(0);
  });

  it('keeps payloads above the slab size whole, and empty payloads as empty', () => {
    const store = new MessageStore();
    const big = bytesOf(7, 20_000);
    const large = store.add(message(big), HELD_IN_HISTORY);
    const empty = store.add(message(''), HELD_IN_HISTORY);
    expect(store.message(large, 't').payload).toEqual(big);
    expect(store.payloadView(empty).byteLength).toBe(0);
    expect(store.message(empty, 't').payload.byteLength).toBe(0);
  });

  it('keeps every field and history link of 150,000 entries held at once, through frees and reuse', () => {
    // More entries than one run of its columns holds: entries on both sides of each
    // boundary must read back as written, and links must cross them.
    const store = new MessageStore();
    const count = 150_000;
    const fieldsOf = (tag: number): Partial<ReceivedMessage> => ({ qos: (tag % 3) as 0 | 1 | 2, retain: tag % 5 === 0, receivedAt: 1_700_000_000_000 + tag * 7 });
    const entries: number[] = [];
    for (let tag = 0; tag < count; tag++) {
      const entry = store.add(message(bytesOf(tag, 1 + (tag % 40)), fieldsOf(tag)), tag % 5 === 0 ? HELD_IN_HISTORY | HELD_AS_RETAINED : HELD_IN_HISTORY);
      if (tag > 0) store.linkNewer(entries[tag - 1]!, entry);
      entries.push(entry);
    }
    expect(new Set(entries).size).toBe(count);
    // Every entry compared, mismatches collected: an expect per field would take a minute.
    const mismatches = (): string[] => {
      const found: string[] = [];
      for (let tag = 0; tag < count && found.length < 5; tag++) {
        const entry = entries[tag]!;
        const copy = store.copy(entry, 't');
        const want = fieldsOf(tag);
        const bytes = bytesOf(tag, 1 + (tag % 40));
        const view = store.payloadView(entry);
        const same = copy.qos === want.qos && copy.retain === want.retain && copy.receivedAt === want.receivedAt && store.isRetain(entry) === want.retain;
        const payloadSame = view.length === bytes.length && view.every((byte, i) => byte === bytes[i]) && store.storedBytes(entry) === bytes.length;
        if (!same || !payloadSame) found.push(`message ${tag} (entry ${entry}) reads back wrong`);
      }
      return found;
    };
    expect(mismatches()).toEqual([]);
    const brokenLinks = entries.filter((entry, tag) => store.newer(entry) !== (tag + 1 < count ? entries[tag + 1]! : -1));
    expect(brokenLinks).toEqual([]);
    // Free the odd ones (a retained hold keeps some), then fill the freed places again.
    for (let tag = 1; tag < count; tag += 2) {
      store.release(entries[tag]!, HELD_IN_HISTORY);
      if (tag % 5 === 0) store.release(entries[tag]!, HELD_AS_RETAINED);
    }
    expect(store.size).toBe(count / 2);
    for (let tag = 1; tag < count; tag += 2) entries[tag] = store.add(message(bytesOf(tag, 1 + (tag % 40)), fieldsOf(tag)), HELD_IN_HISTORY);
    expect(new Set(entries).size).toBe(count);
    expect(entries.reduce((a, b) => Math.max(a, b))).toBe(count - 1);
    expect(mismatches()).toEqual([]);
  });

  it('holds every payload intact through a long random life, and its slabs stay within twice the live bytes plus slack', () => {
    // As a tree at steady state: most entries go in arrival order (the history budget),
    // some topics keep an old value for a long time (their latest), so slabs empty
    // unevenly and must be compacted.
    const store = new MessageStore();
    const random = seededRandom(20_261_129);
    const live = new Map<number, { tag: number; size: number }>();
    const order: number[] = [];
    const pinned: number[] = [];
    let slabsAtMost = 0;
    for (let tag = 0; tag < 200_000; tag++) {
      const size = 1 + Math.floor(random() * 200);
      const entry = store.add(message(bytesOf(tag, size)), HELD_IN_HISTORY);
      live.set(entry, { tag, size });
      if (random() < 0.002) pinned.push(entry);
      else order.push(entry);
      while (order.length > 5_000) {
        const gone = order.shift()!;
        store.release(gone, HELD_IN_HISTORY);
        live.delete(gone);
      }
      if (pinned.length > 300) {
        const gone = pinned.splice(Math.floor(random() * pinned.length), 1)[0]!;
        store.release(gone, HELD_IN_HISTORY);
        live.delete(gone);
      }
      let liveBytes = 0;
      if (tag % 1_000 === 0) {
        for (const { size: bytes } of live.values()) liveBytes += bytes;
        slabsAtMost = Math.max(slabsAtMost, store.slabBytes - 2 * liveBytes);
      }
    }
    expect(store.size).toBe(live.size);
    for (const [entry, { tag, size }] of live) expect(store.payloadView(entry), `message ${tag}`).toEqual(bytesOf(tag, size));
    // Compaction keeps the slabs within twice the live bytes and 4 MiB of slack.
    expect(slabsAtMost).toBeLessThanOrEqual(4 * 1024 * 1024);
  });
});
