import { describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { ExplorerState } from '../../renderer/src/explorer/explorer-state.svelte';
import { sincePreviousText, keptText, sizeText } from '../../shared/inspect/history-text';
import { topicSuggestions } from '../../shared/explorer/topic-suggestions';
import { TopicTree } from '../../shared/explorer/topic-tree';

const encoder = new TextEncoder();
let clock = 1_700_000_000_000;
function msg(topic: string, payload: string): ReceivedMessage {
  const bytes = encoder.encode(payload);
  return { topic, payload: bytes, payloadSize: bytes.byteLength, qos: 1, retain: false, receivedAt: clock++, coalesced: 0 };
}

/** An explorer whose frames and deferred work run at once, with `topic`'s messages in it. */
function explorerWith(...messages: ReceivedMessage[]): ExplorerState {
  const state = new ExplorerState(null, { requestFrame: (cb) => queueMicrotask(cb), defer: (cb) => cb() });
  state.ingest({ connectionId: 'c1', messages, coalesced: 0, truncated: 0, seq: 0, rendererBehind: false });
  return state;
}

describe('the message the Value tab shows', () => {
  it('is the latest until one is picked, the picked one after, and the latest again on "Back to latest"', () => {
    const [first, second] = [msg('a', '1'), msg('a', '2')];
    const state = explorerWith(first, second);
    state.select(state.tree.find('a')!);
    const latest = state.view.selected!.last;
    expect(state.shownMessage.shown(latest)).toEqual(second);
    state.shownMessage.pick(first);
    expect(state.shownMessage.shown(latest)).toBe(first);
    state.shownMessage.backToLatest();
    expect(state.shownMessage.picked).toBeNull();
    expect(state.shownMessage.shown(latest)).toEqual(second);
  });

  it('is reset when another topic is selected, not when the same one is selected again', () => {
    const [a1, a2, b1] = [msg('a', '1'), msg('a', '2'), msg('b', 'x')];
    const state = explorerWith(a1, a2, b1);
    const a = state.tree.find('a')!;
    state.select(a);
    state.shownMessage.pick(a1);
    state.diffPick.pinOlder(a1);
    state.select(a);
    expect(state.shownMessage.picked).toBe(a1);
    state.select(state.tree.find('b')!);
    expect(state.shownMessage.picked).toBeNull();
    expect(state.diffPick.older).toBeNull();
    // Back on the first topic, its latest shows again.
    state.select(a);
    expect(state.shownMessage.shown(state.view.selected!.last)).toEqual(a2);
  });

  it('is reset when another topic is revealed from elsewhere', () => {
    const [a1, b1] = [msg('a', '1'), msg('b', 'x')];
    const state = explorerWith(a1, b1);
    state.select(state.tree.find('a')!);
    state.shownMessage.pick(a1);
    state.reveal('b');
    expect(state.shownMessage.picked).toBeNull();
  });
});

describe('the two messages the Diff tab compares', () => {
  it('are the latest against the one before by default, following new messages', () => {
    const [m1, m2, m3] = [msg('a', '1'), msg('a', '2'), msg('a', '3')];
    const state = explorerWith(m1, m2);
    expect(state.diffPick.sides([m2, m1])).toEqual({ older: m1, newer: m2 });
    expect(state.diffPick.sides([m3, m2, m1])).toEqual({ older: m2, newer: m3 });
    expect(state.diffPick.sides([m1])).toBeNull();
  });

  it('are the pinned entries, or the latest against another topic\'s value', () => {
    const [m1, m2, m3, other] = [msg('a', '1'), msg('a', '2'), msg('a', '3'), msg('b', 'x')];
    const state = explorerWith(m1, m2, m3, other);
    state.diffPick.pinOlder(m1);
    expect(state.diffPick.sides([m3, m2, m1])).toEqual({ older: m1, newer: m3 });
    state.diffPick.pinNewer(m2);
    expect(state.diffPick.sides([m3, m2, m1])).toEqual({ older: m1, newer: m2 });
    state.diffPick.reset();
    state.diffPick.compareWithTopic({ topic: 'b', message: state.lastMessageOf('b')! });
    expect(state.diffPick.sides([m3, m2, m1])).toEqual({ older: other, newer: m3 });
  });
});

describe('history columns', () => {
  it('write the time since the previous message, the size and what is kept', () => {
    expect(sincePreviousText(350)).toBe('+350 ms');
    expect(sincePreviousText(1_020)).toBe('+1.02 s');
    expect(sincePreviousText(125_000)).toBe('+2 min 5 s');
    expect(sincePreviousText(3_600_000 + 12 * 60_000)).toBe('+1 h 12 min');
    expect(sizeText(1234)).toBe('1,234 B');
    expect(keptText(50, 1234)).toBe('50 kept of 1,234 received');
  });
});

describe('topicSuggestions', () => {
  it('suggests the known topics one level below what is typed', () => {
    const tree = new TopicTree();
    tree.ingest([msg('home/kitchen/temp', '1'), msg('home/kids/temp', '1'), msg('home/garage', '1'), msg('office', '1')]);
    expect(topicSuggestions(tree, 'home/ki')).toEqual(['home/kids', 'home/kitchen']);
    expect(topicSuggestions(tree, '')).toEqual(['home', 'office']);
    expect(topicSuggestions(tree, 'home/kitchen/')).toEqual(['home/kitchen/temp']);
    expect(topicSuggestions(tree, 'nowhere/x')).toEqual([]);
  });
});
