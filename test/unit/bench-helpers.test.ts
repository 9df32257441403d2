/**
 * The benchmark's workload and arithmetic: if these drift, `npm run bench` silently
 * measures something else than the scenarios.
 */
import { describe, expect, it } from 'vitest';
import { parseIntegerFlags, UsageError } from '../../bench/args';
import { encodePublish, remainingLength } from '../../bench/mqtt-wire';
import { randomCycle, randomLoadNanos } from '../../bench/machine-costs';
import { median, percentile } from '../../bench/stats';
import { benchTopic, benchTopics, FAN_OUT, messageOrder, payloadText } from '../../bench/topics';

describe('bench topics', () => {
  it('names topics depth levels deep with a fan-out of 12, like bench/a11/b6/c10/d7', () => {
    const index = ((11 * FAN_OUT + 6) * FAN_OUT + 10) * FAN_OUT + 7;
    expect(benchTopic(index, 5)).toBe('bench/a11/b6/c10/d7');
    expect(benchTopic(0, 5)).toBe('bench/a0/b0/c0/d0');
    expect(benchTopic(5, 2)).toBe('bench/a5');
  });

  it('gives every topic a distinct name and widens only the first level past 12^(depth-1)', () => {
    const topics = benchTopics(100_000, 5);
    expect(new Set(topics).size).toBe(100_000);
    const misshapen = topics.filter((topic) => {
      const [root, a, ...rest] = topic.split('/');
      return root !== 'bench' || !/^a\d+$/.test(a ?? '') || rest.length !== 3 || rest.some((s) => Number(s.slice(1)) >= FAN_OUT);
    });
    expect(misshapen).toEqual([]);
    expect(topics.at(-1)).toBe(benchTopic(99_999, 5));
    expect(benchTopic(99_999, 5).split('/')[1]).toBe('a57');
  });

  it('refuses a depth without levels below bench', () => {
    expect(() => benchTopic(0, 1)).toThrow(RangeError);
  });
});

describe('bench payloads', () => {
  it('are ASCII JSON of exactly the asked size', () => {
    for (const [n, bytes] of [[0, 64], [999_999, 64], [42, 19], [7, 1024]] as const) {
      const text = payloadText(n, bytes);
      expect(Buffer.byteLength(text, 'utf8')).toBe(bytes);
      expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
      expect(JSON.parse(text)).toMatchObject({ n });
    }
  });

  it('refuses a size too small for the message number', () => {
    expect(() => payloadText(1_000_000, 16)).toThrow(/at least 20 bytes/);
  });
});

describe('bench message order', () => {
  it('sends every topic once per round, shuffled differently each round, the same on every run', () => {
    const order = messageOrder(30, 10);
    for (let round = 0; round < 3; round++) {
      expect([...order.subarray(round * 10, round * 10 + 10)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    expect([...order.subarray(0, 10)]).not.toEqual([...order.subarray(10, 20)]);
    expect([...messageOrder(30, 10)]).toEqual([...order]);
  });

  it('ends with a partial round when messages are not a multiple of topics', () => {
    const order = messageOrder(25, 10);
    expect(order).toHaveLength(25);
    expect(new Set(order.subarray(20)).size).toBe(5);
  });
});

describe('bench percentile', () => {
  it('uses the nearest rank: p95 of 1..100 is 95, of 1..20 is 19', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 95)).toBe(19);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 95)).toBeNaN();
  });
});

describe('bench median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('bench random loads', () => {
  it('walk one cycle through every slot, never a shorter one that would stay cached', () => {
    for (const slots of [2, 3, 1_000, 4_096]) {
      const next = randomCycle(slots, 16);
      const seen = new Set<number>();
      let at = 0;
      do {
        expect(at % 16).toBe(0);
        seen.add(at);
        at = next[at]!;
      } while (at !== 0 && seen.size <= slots);
      expect(seen.size).toBe(slots);
    }
  });

  it('visit the slots out of order', () => {
    const next = randomCycle(1_000, 1);
    let inOrder = 0;
    for (let i = 0; i < 1_000; i++) if (next[i] === i + 1) inOrder++;
    expect(inOrder).toBeLessThan(10);
  });

  it('report a time per load', () => {
    expect(randomLoadNanos(64 * 1024, 20_000)).toBeGreaterThan(0);
  });
});

describe('bench flags', () => {
  it('reads positive integers with separators and keeps defaults', () => {
    expect(parseIntegerFlags(['--messages', '1_000_000'], { messages: 200_000, topics: 20_000 })).toEqual({ messages: 1_000_000, topics: 20_000 });
  });

  it('refuses unknown flags and non-positive values with the flag named', () => {
    expect(() => parseIntegerFlags(['--mesages', '5'], { messages: 1 })).toThrow(UsageError);
    expect(() => parseIntegerFlags(['--messages', '0'], { messages: 1 })).toThrow(/--messages must be a positive integer/);
    expect(() => parseIntegerFlags(['--messages', 'lots'], { messages: 1 })).toThrow(/"lots"/);
  });
});

describe('bench raw publisher encoding', () => {
  it('encodes the remaining length as MQTT varints', () => {
    expect([...remainingLength(0)]).toEqual([0x00]);
    expect([...remainingLength(127)]).toEqual([0x7f]);
    expect([...remainingLength(128)]).toEqual([0x80, 0x01]);
    expect([...remainingLength(16_383)]).toEqual([0xff, 0x7f]);
    expect([...remainingLength(2_097_152)]).toEqual([0x80, 0x80, 0x80, 0x01]);
  });

  it('encodes a QoS 0 PUBLISH: header, topic with its length, payload', () => {
    const packet = encodePublish('a/b', Buffer.from('hi'));
    expect([...packet]).toEqual([0x30, 7, 0, 3, 0x61, 0x2f, 0x62, 0x68, 0x69]);
  });
});
