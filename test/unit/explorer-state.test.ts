import { describe, expect, it } from 'vitest';
import type { MessageBatch, ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { ExplorerState, FLASH_MS } from '../../renderer/src/explorer/explorer-state.svelte';
import type { CommandArgs, CommandResult } from '../../shared/ipc/ipc-contract';
import { fakeApi } from './fake-api';

const encoder = new TextEncoder();

function msg(topic: string, payload = 'x', coalesced = 0): ReceivedMessage {
  const bytes = encoder.encode(payload);
  return { topic, payload: bytes, payloadSize: bytes.byteLength, qos: 0, retain: false, receivedAt: 0, coalesced };
}

/** One message on each of `s/a0/b0` .. `s/a<levels-1>/b<leaves-1>`. */
function grid(levels: number, leaves: number): ReceivedMessage[] {
  const messages: ReceivedMessage[] = [];
  for (let i = 0; i < levels; i++) for (let j = 0; j < leaves; j++) messages.push(msg(`s/a${i}/b${j}`));
  return messages;
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

function explorer(
  acks: number[] = [],
  publish: (args: CommandArgs<'message:publish'>) => Promise<CommandResult<'message:publish'>> = async () => ({ ok: true, value: { acknowledged: true } }),
): { state: ExplorerState; loop: FakeLoop } {
  const loop = new FakeLoop();
  const api = fakeApi({
    'messages:ack': async ({ seq }) => {
      acks.push(seq);
      return { ok: true, value: {} };
    },
    'message:publish': publish,
  });
  const state = new ExplorerState(
    { api, connectionId: 'c1' },
    {
      requestFrame: (cb) => loop.frames.push(cb),
      defer: (cb) => loop.deferred.push(cb),
      // Each reading of the clock moves it on, so a filter slice ends after one chunk.
      now: () => (loop.time += 5),
    },
  );
  // As the tree does once mounted: the first 100 rows are in view.
  state.setViewport(0, 100);
  return { state, loop };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
const topics = (state: ExplorerState): string[] => state.view.rows.map((r) => r.node.topic);

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
    loop.runFrame();
    await settle();
    expect(acks).toEqual([1]);
  });

  it('publishes the view at most once per frame, however many batches arrive', () => {
    const { state, loop } = explorer();
    const initial = state.view;
    for (let seq = 0; seq < 25; seq++) state.ingest(batch(seq, [msg(`t/${seq % 5}`, String(seq))]));
    // Batches change the model, not what the view shows, until a frame runs.
    expect(state.view).toBe(initial);
    expect(loop.frames).toHaveLength(1);
    loop.runFrame();
    const first = state.view;
    expect(first).not.toBe(initial);
    expect(first.stats.messages).toBe(25);
    expect(topics(state)).toEqual(['t']);
    expect(first.shown.rows[0]).toMatchObject({ subtreeCount: 25, topicCount: 5 });
    // A frame with nothing new publishes nothing.
    loop.runFrame();
    expect(state.view).toBe(first);

    for (let seq = 25; seq < 50; seq++) state.ingest(batch(seq, [msg('t/0', String(seq))]));
    expect(loop.frames).toHaveLength(1);
    loop.runFrame();
    expect(state.view).not.toBe(first);
    expect(state.view.stats.messages).toBe(50);
    // The snapshot published earlier did not change under the view.
    expect(first.stats.messages).toBe(25);
    expect(first.shown.rows[0]?.subtreeCount).toBe(25);
  });

  it('while paused, the view stays put but counts keep counting and batches are still acknowledged', async () => {
    const acks: number[] = [];
    const { state, loop } = explorer(acks);
    state.ingest(batch(0, [msg('a')]));
    loop.runFrame();
    state.select(state.tree.find('a')!);
    state.setPaused(true);
    loop.runFrame();
    const frozen = state.view;
    state.ingest(batch(1, [msg('b'), msg('a', 'y', 4)], { coalesced: 4, rendererBehind: true }));
    loop.runFrame();
    await settle();
    expect(acks).toEqual([0, 1]);
    expect(state.view.rows).toBe(frozen.rows);
    expect(state.view.shown).toBe(frozen.shown);
    expect(state.view.selected).toBe(frozen.selected);
    expect(state.view.selected?.ownCount).toBe(1);
    expect(state.view.stats).toMatchObject({ messages: 7, topics: 2, coalesced: 4, coalescedBehind: 4 });
    // The pane tells how many arrived since pausing: 6 after the 1 already shown.
    expect(state.newSincePause).toBe(6);

    // A filter typed while paused still shows its matches: the user asked for them.
    state.setFilter('b');
    loop.runFrame();
    expect(topics(state)).toEqual(['b']);
    expect(state.view.search).toEqual({ matches: 1, values: false, complete: true });
    state.setFilter('');
    expect(state.view.search).toBeNull();

    state.setPaused(false);
    expect(state.newSincePause).toBe(0);
    loop.runFrame();
    expect(topics(state)).toEqual(['a', 'b']);
    expect(state.view.shown.rows[0]?.ownCount).toBe(6);
    expect(state.view.selected).toMatchObject({ topic: 'a', ownCount: 6 });
    expect(new TextDecoder().decode(state.view.selected?.last?.payload)).toBe('y');
  });

  it('keeps expansion and selection across updates; the details follow the selected topic, history newest first', () => {
    const { state, loop } = explorer();
    state.ingest(batch(0, [msg('home/kitchen/temp'), msg('home/garage', '1')]));
    loop.runFrame();
    const home = state.tree.find('home')!;
    state.toggle(home, true);
    // The user's own action shows at once, without waiting for a frame.
    expect(topics(state)).toEqual(['home', 'home/garage', 'home/kitchen']);
    state.select(state.tree.find('home/garage')!);
    expect(state.view.selected).toMatchObject({ topic: 'home/garage', ownCount: 1 });
    state.ingest(batch(1, [msg('home/kitchen/temp', '22'), msg('home/attic'), msg('home/garage', '2')]));
    loop.runFrame();
    expect(topics(state)).toEqual(['home', 'home/attic', 'home/garage', 'home/kitchen']);
    expect(state.view.rows[0]?.expanded).toBe(true);
    const selected = state.view.selected;
    expect(selected).toMatchObject({ topic: 'home/garage', ownCount: 2 });
    expect(selected?.history.map((m) => new TextDecoder().decode(m.payload))).toEqual(['2', '1']);
    // Another topic changing leaves the details' snapshot as it was.
    state.ingest(batch(2, [msg('home/attic', 'z')]));
    loop.runFrame();
    expect(state.view.selected).toBe(selected);
  });

  it('a smaller history setting shows in the selected topic\'s history at the next frame, even while paused', () => {
    const { state, loop } = explorer();
    state.ingest(batch(0, ['1', '2', '3', '4', '5'].map((p) => msg('a', p))));
    loop.runFrame();
    state.select(state.tree.find('a')!);
    expect(state.view.selected?.history).toHaveLength(5);
    state.setPaused(true);
    state.setHistoryLimits({ historyPerTopic: 3 });
    loop.runFrame();
    expect(state.view.selected?.history.map((m) => new TextDecoder().decode(m.payload))).toEqual(['5', '4', '3']);
    expect(state.view.stats.historyDropped).toBe(2);
    // The same limits again cost nothing: no frame is asked for.
    state.setHistoryLimits({ historyPerTopic: 3 });
    expect(loop.frames).toHaveLength(0);
  });

  it('captures the values of the rows in the viewport only, and again when it moves', () => {
    const { state, loop } = explorer();
    state.ingest(batch(0, Array.from({ length: 50 }, (_, i) => msg(`t${String(i).padStart(2, '0')}`))));
    loop.runFrame();
    expect(state.view.rows).toHaveLength(50);
    expect(state.view.shown.rows).toHaveLength(50);
    state.setViewport(10, 20);
    expect(state.view.shown.first).toBe(10);
    expect(state.view.shown.rows.map((r) => r.node.topic)).toEqual(Array.from({ length: 10 }, (_, i) => `t${i + 10}`));
    // A message outside the viewport leaves the captured rows as they were.
    const shown = state.view.shown;
    state.ingest(batch(1, [msg('t45', 'y')]));
    loop.runFrame();
    expect(state.view.shown).toBe(shown);
    state.ingest(batch(2, [msg('t15', 'y')]));
    loop.runFrame();
    expect(state.view.shown.rows[5]).toMatchObject({ ownCount: 2 });
    // Only the row that changed is a new object.
    expect(state.view.shown.rows.filter((row, i) => row !== shown.rows[i]).map((r) => r.node.topic)).toEqual(['t15']);
  });

  it('marks the rows that just changed, for the flash, on the same clock as the view', () => {
    const { state, loop } = explorer();
    state.ingest(batch(0, [msg('a'), msg('b')]));
    loop.runFrame();
    state.ingest(batch(1, [msg('b')]));
    loop.runFrame();
    const [a, b] = state.view.shown.rows;
    expect(b!.changedAt).toBeGreaterThan(a!.changedAt);
    expect(state.view.at - b!.changedAt).toBeLessThan(FLASH_MS);
  });

  it('filters a large tree in slices, matches appearing as they are found; a new filter replaces a running one', () => {
    const { state, loop } = explorer();
    state.ingest(batch(0, grid(100, 100)));
    loop.runFrame();

    state.setFilter('b7');
    expect(state.view.search?.complete).toBe(false);
    state.setFilter('s/+/b99');
    const partial = state.view.search?.matches ?? 0;
    expect(partial).toBeLessThan(100);
    // The first filter was dropped: running the deferred work only continues the second.
    for (let i = 0; i < 1_000 && loop.deferred.length > 0; i++) loop.runDeferred();
    // The view shows the matches on the next frame, once however many slices ran.
    expect(state.view.search?.matches).toBe(partial);
    loop.runFrame();
    expect(state.view.search).toEqual({ matches: 100, values: false, complete: true });
    expect(state.view.rows.filter((r) => r.node.topic.endsWith('/b99'))).toHaveLength(100);
    expect(state.view.rows.every((r) => r.node.topic === 's' || /^s\/a\d+(\/b99)?$/.test(r.node.topic))).toBe(true);

    state.setFilter('');
    expect(state.view.search).toBeNull();
    expect(topics(state)).toEqual(['s']);
  });

  it('lists a filter matching tens of thousands of topics in slices, showing the top of the list until it is whole', () => {
    const { state, loop } = explorer();
    state.ingest(batch(0, grid(30, 1_000)));
    loop.runFrame();
    expect(topics(state)).toEqual(['s']);

    const settleAll = (): void => {
      for (let i = 0; i < 10_000 && (loop.deferred.length > 0 || loop.frames.length > 0); i++) {
        loop.runDeferred();
        loop.runFrame();
      }
    };
    // Every level open, each in the order of its segments (a0, a1, a10, ...).
    const segments = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, n) => `${prefix}${n}`).sort();
    const expected = ['s', ...segments('a', 30).flatMap((a) => [`s/${a}`, ...segments('b', 1_000).map((b) => `s/${a}/${b}`)])];

    // The key's own task scans a little and keeps the rows it had, saying "searching…";
    // the frames that follow list the rows for a few ms each (here one chunk of 250, as
    // each reading of the clock moves it on), whatever the matches: the top of the list
    // as it will be, listed again with the matches found meanwhile.
    state.setFilter('s/');
    expect(topics(state)).toEqual(['s']);
    expect(state.view.search?.complete).toBe(false);
    expect(state.view.search?.matches).toBeGreaterThan(0);
    // Nor does a frame that messages asked for before the next slice list them.
    state.ingest(batch(1, [msg('s/a0/b0')]));
    loop.runFrame();
    expect(topics(state)).toEqual(['s']);
    loop.runDeferred();
    loop.runFrame();
    expect(state.view.rows.length).toBeGreaterThan(1);
    expect(state.view.rows.length).toBeLessThanOrEqual(250);
    expect(topics(state)).toEqual(expected.slice(0, state.view.rows.length));
    for (let i = 0; i < 100 && state.view.rows.length < 250; i++) {
      loop.runDeferred();
      loop.runFrame();
    }
    expect(topics(state)).toEqual(expected.slice(0, 250));
    expect(state.view.shown.rows.map((r) => r.node.topic).slice(0, 2)).toEqual(['s', 's/a0']);
    expect(state.view.search?.complete).toBe(false);
    settleAll();
    expect(state.view.search).toEqual({ matches: 30_030, values: false, complete: true });
    expect(topics(state)).toEqual(expected);

    // New topics while the filter stays: the whole list stays until the new one is whole.
    const kept = state.view.rows;
    state.ingest(batch(2, [msg('s/a30/b0')]));
    loop.runFrame();
    expect(state.view.rows).toBe(kept);
    settleAll();
    expect(state.view.rows).toHaveLength(1 + 31 + 30_001);
    // Frames with nothing new leave a long list as it is.
    const settled = state.view.rows;
    state.ingest(batch(3, [msg('s/a0/b0')]));
    loop.runFrame();
    expect(state.view.rows).toBe(settled);
    expect(loop.deferred).toHaveLength(0);

    // Another filter never shows the previous one's rows once its first frame came: the top of its own list.
    state.setFilter('s/a2');
    loop.runDeferred();
    loop.runFrame();
    expect(topics(state)).toEqual(expected.filter((t) => t === 's' || t.startsWith('s/a2')).slice(0, state.view.rows.length));
    expect(state.view.rows.every((r) => r.node.topic === 's' || r.node.topic.startsWith('s/a2'))).toBe(true);

    // A new filter drops the listing under way; a narrow one is listed at once.
    state.setFilter('s/');
    for (let i = 0; i < 20; i++) {
      loop.runDeferred();
      loop.runFrame();
    }
    state.setFilter('a7/b99');
    settleAll();
    expect(state.view.rows.map((r) => r.node.topic)).toEqual(['s', 's/a7', 's/a7/b99', 's/a7/b990', 's/a7/b991', 's/a7/b992', 's/a7/b993', 's/a7/b994', 's/a7/b995', 's/a7/b996', 's/a7/b997', 's/a7/b998', 's/a7/b999']);
  });

  it('keeps the retained values sorted as they come and go, and clears one on the broker', async () => {
    const published: CommandArgs<'message:publish'>[] = [];
    const { state, loop } = explorer([], async (args) => {
      published.push(args);
      return { ok: true, value: { acknowledged: true } };
    });
    const retained = (topic: string, payload = 'v'): ReceivedMessage => ({ ...msg(topic, payload), retain: true });
    state.ingest(batch(0, [retained('b/2'), retained('a'), msg('c'), retained('b/1')]));
    loop.runFrame();
    expect(state.view.retained.topics).toEqual(['a', 'b/1', 'b/2']);
    const topicsBefore = state.view.retained.topics;

    // A new value on a known retained topic: same topics array, a new entry.
    state.ingest(batch(1, [retained('b/1', 'new'), msg('c')]));
    loop.runFrame();
    expect(state.view.retained.topics).toBe(topicsBefore);
    expect(new TextDecoder().decode(state.view.retained.entries[1]?.message.payload)).toBe('new');

    state.noteOwnPublish('0', 'mine', 1, true);
    loop.runFrame();
    expect(state.view.retained.topics).toEqual(['0', 'a', 'b/1', 'b/2']);

    const result = await state.clearRetained('b/1');
    expect(result.ok).toBe(true);
    expect(published).toEqual([{ connectionId: 'c1', topic: 'b/1', payload: '', qos: 1, retain: true }]);
    loop.runFrame();
    expect(state.view.retained.topics).toEqual(['0', 'a', 'b/2']);
  });

  it('keeps a retained value when the broker refused to clear it, and says why', async () => {
    const { state, loop } = explorer([], async () => ({ ok: false, error: { code: 'NOT_CONNECTED', message: 'Not connected to the broker.' } }));
    state.ingest(batch(0, [{ ...msg('a'), retain: true }]));
    loop.runFrame();
    const result = await state.clearRetained('a');
    expect(result).toMatchObject({ ok: false, error: { message: 'Not connected to the broker.' } });
    loop.runFrame();
    expect(state.view.retained.topics).toEqual(['a']);
  });

  it('reveals a topic chosen elsewhere: opens the levels above it, selects it, clears a filter that hides it', () => {
    const { state } = explorer();
    state.ingest(batch(0, [msg('home/kitchen/temp', '21'), msg('office/lamp', 'on')]));
    state.setFilter('lamp');
    expect(state.reveal('home/kitchen/temp')).toBe(true);
    expect(state.filterText).toBe('');
    expect(state.view.search).toBeNull();
    expect(state.view.rows.map((row) => row.node.topic)).toEqual(['home', 'home/kitchen', 'home/kitchen/temp', 'office']);
    expect(state.view.selected?.topic).toBe('home/kitchen/temp');
    expect(state.revealRequest?.topic).toBe('home/kitchen/temp');
    state.revealDone();
    expect(state.revealRequest).toBeNull();
    expect(state.reveal('never/seen')).toBe(false);
  });

  it('ranks the busiest topics from every batch it ingests', () => {
    const { state } = explorer();
    state.ingest(batch(0, [msg('flood'), msg('flood'), msg('flood'), msg('calm', 'a longer payload')]));
    const ranked = (sortBy: 'messagesPerSec' | 'bytesPerSec'): string[] =>
      state.busiest({ scope: { kind: 'topics' }, sortBy, descending: true, limit: 10 }).rows.map((row) => row.topic);
    expect(ranked('messagesPerSec')).toEqual(['flood', 'calm']);
    expect(ranked('bytesPerSec')).toEqual(['calm', 'flood']);
  });
  it('in a recording opened offline, ranks the busiest topics in the recording\'s own time, however fast it was read', () => {
    const api = fakeApi({ 'messages:ack': async () => ({ ok: true, value: {} }) });
    // The whole recording arrives within the same millisecond of the window's clock.
    const state = new ExplorerState({ api, connectionId: 'recording-1' }, { requestFrame: () => undefined, now: () => 1, recordedTime: true });
    const at = (topic: string, seconds: number): ReceivedMessage => ({ ...msg(topic), receivedAt: 1_700_000_000_000 + seconds * 1_000 });
    const ranked = (sortBy: 'messagesPerSec' | 'messages') => state.busiest({ scope: { kind: 'topics' }, sortBy, descending: true, limit: 10 });
    expect(ranked('messagesPerSec').rows).toEqual([]);
    // Early on, "early" is busy: 20 messages in its first 10 s...
    state.ingest(batch(0, Array.from({ length: 20 }, (_, i) => at('early', i / 2))));
    expect(ranked('messagesPerSec')).toMatchObject({ rows: [{ topic: 'early', messagesPerSec: 20 / 9.5 }], windowSeconds: 9.5 });
    // ...then "steady" sends every 3 s for five minutes, all in one batch as the core sends a
    // recording: counted slot by slot, its rate is that of its last 10 s, not of the batch.
    state.ingest(batch(1, Array.from({ length: 100 }, (_, i) => at('steady', 60 + i * 3))));
    expect(ranked('messagesPerSec').rows.map((r) => [r.topic, r.messagesPerSec])).toEqual([['steady', 4 / 9]]);
    // ...and a minute later only "late" sends, once a second: the last 10 s of the recording are its.
    state.ingest(batch(2, Array.from({ length: 10 }, (_, i) => at('late', 420 + i))));
    expect(ranked('messagesPerSec').rows.map((r) => [r.topic, r.messagesPerSec])).toEqual([['late', 10 / 9]]);
    expect(ranked('messages').rows.map((r) => r.topic)).toEqual(['steady', 'early', 'late']);
  });

  it('"Search values" matches topics by their latest payload, keeps scanning in slices, and follows new messages', () => {
    const { state, loop } = explorer();
    const messages: ReceivedMessage[] = [];
    for (let i = 0; i < 3_000; i++) messages.push(msg(`plant/m${i}`, i === 2_500 ? '{"state":"OVERHEATED"}' : '{"state":"ok"}'));
    state.ingest(batch(0, messages));
    loop.runFrame();

    state.setFilter('overheated');
    for (let i = 0; i < 100 && loop.deferred.length > 0; i++) loop.runDeferred();
    loop.runFrame();
    expect(state.view.search).toEqual({ matches: 0, values: false, complete: true });

    state.setSearchValues(true);
    expect(state.searchValues).toBe(true);
    // Each reading of the clock ends a slice: the scan is not done in one go.
    expect(state.view.search?.complete).toBe(false);
    for (let i = 0; i < 1_000 && loop.deferred.length > 0; i++) loop.runDeferred();
    loop.runFrame();
    expect(state.view.search).toEqual({ matches: 1, values: true, complete: true });
    expect(topics(state)).toEqual(['plant', 'plant/m2500']);

    // A later message that puts the text in another topic's value shows that topic too;
    // one that takes it out of a value hides that one.
    state.ingest(batch(1, [msg('plant/m7', 'Overheated!'), msg('plant/m2500', '{"state":"ok"}')]));
    loop.runFrame();
    expect(topics(state)).toEqual(['plant', 'plant/m7']);
    expect(state.view.search?.matches).toBe(1);
  });
});
