import { describe, expect, it } from 'vitest';
import type { MessageBatch, ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { ExplorerState } from '../../renderer/src/explorer/explorer-state.svelte';

const encoder = new TextEncoder();

function msg(topic: string, payload = 'x', coalesced = 0): ReceivedMessage {
  const bytes = encoder.encode(payload);
  return { topic, payload: bytes, payloadSize: bytes.byteLength, qos: 0, retain: false, receivedAt: 0, coalesced };
}

function batch(seq: number, messages: ReceivedMessage[], extra: Partial<MessageBatch> = {}): MessageBatch {
  return { connectionId: 'c1', messages, coalesced: 0, truncated: 0, seq, rendererBehind: false, ...extra };
}

/** Animation frames and deferred work that only run when the test says so. */
class FakeLoop {
  frames: (() => void)[] = [];
  deferred: (() => void)[] = [];
  time = 0;
  runFrame(): void {
    const frames = this.frames;
    this.frames = [];
    for (const f of frames) f();
  }
  runDeferred(): void {
    const deferred = this.deferred;
    this.deferred = [];
    for (const d of deferred) d();
  }
}

function explorer(acks: number[] = []): { state: ExplorerState; loop: FakeLoop } {
  const loop = new FakeLoop();
  const state = new ExplorerState((seq) => acks.push(seq), {
    requestFrame: (cb) => loop.frames.push(cb),
    defer: (cb) => loop.deferred.push(cb),
    // Each reading of the clock moves it on, so a filter slice ends after one chunk.
    now: () => (loop.time += 5),
  });
  return { state, loop };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('ExplorerState', () => {
  it('acknowledges the newest batch once it is applied and a frame has run, not before', async () => {
    const acks: number[] = [];
    const { state, loop } = explorer(acks);
    state.ingest(batch(0, [msg('a/b')]));
    state.ingest(batch(1, [msg('a/c')]));
    await settle();
    expect(acks).toEqual([]);
    expect(state.tree.stats.messages).toBe(2);
    loop.runFrame();
    await settle();
    expect(acks).toEqual([1]);
    // One frame for both batches: the view re-reads once.
    expect(state.version).toBe(1);
    loop.runFrame();
    await settle();
    expect(acks).toEqual([1]);
  });

  it('while paused, the view stays put but counts keep counting and batches are still acknowledged', async () => {
    const acks: number[] = [];
    const { state, loop } = explorer(acks);
    state.ingest(batch(0, [msg('a')]));
    loop.runFrame();
    state.setPaused(true);
    const frozen = state.version;
    state.ingest(batch(1, [msg('b'), msg('a', 'y', 4)], { coalesced: 4, rendererBehind: true }));
    loop.runFrame();
    await settle();
    expect(acks).toEqual([0, 1]);
    // The view re-reads the model only when `version` changes.
    expect(state.version).toBe(frozen);
    expect(state.countsVersion).toBe(2);
    expect(state.tree.stats).toMatchObject({ messages: 7, topics: 2, coalesced: 4, coalescedBehind: 4 });

    // A filter typed while paused still shows its matches: the user asked for them.
    state.setFilter('b');
    loop.runFrame();
    expect(state.version).toBe(frozen + 1);
    expect(state.rows.map((r) => r.node.topic)).toEqual(['b']);
    state.setFilter('');

    state.setPaused(false);
    loop.runFrame();
    expect(state.version).toBeGreaterThan(frozen);
    expect(state.rows.map((r) => r.node.topic)).toEqual(['a', 'b']);
  });

  it('keeps expansion and selection across updates', () => {
    const { state, loop } = explorer();
    state.ingest(batch(0, [msg('home/kitchen/temp'), msg('home/garage')]));
    loop.runFrame();
    const home = state.tree.find('home')!;
    state.toggle(home, true);
    state.select(state.tree.find('home/garage')!);
    state.ingest(batch(1, [msg('home/kitchen/temp', '22'), msg('home/attic')]));
    loop.runFrame();
    expect(state.rows.map((r) => r.node.topic)).toEqual(['home', 'home/attic', 'home/garage', 'home/kitchen']);
    expect(state.selected?.topic).toBe('home/garage');
  });

  it('filters a large tree in slices, matches appearing as they are found; a new filter replaces a running one', () => {
    const { state, loop } = explorer();
    const messages: ReceivedMessage[] = [];
    for (let i = 0; i < 100; i++) for (let j = 0; j < 100; j++) messages.push(msg(`s/a${i}/b${j}`));
    state.ingest(batch(0, messages));
    loop.runFrame();

    state.setFilter('b7');
    expect(state.searchComplete).toBe(false);
    state.setFilter('s/+/b99');
    const partial = state.matchCount;
    expect(partial).toBeLessThan(100);
    // The first filter was dropped: running the deferred work only continues the second.
    for (let i = 0; i < 1_000 && !state.searchComplete; i++) loop.runDeferred();
    expect(state.searchComplete).toBe(true);
    // The view re-reads the matches on the next frame.
    const before = state.version;
    loop.runFrame();
    expect(state.version).toBe(before + 1);
    expect(state.matchCount).toBe(100);
    expect(state.rows.filter((r) => r.node.topic.endsWith('/b99'))).toHaveLength(100);
    expect(state.rows.every((r) => r.node.topic === 's' || /^s\/a\d+(\/b99)?$/.test(r.node.topic))).toBe(true);

    state.setFilter('');
    expect(state.searching).toBe(false);
    expect(state.rows.map((r) => r.node.topic)).toEqual(['s']);
  });
});
