import { describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { payloadContains, TopicSearch, topicPredicate, VALUE_SEARCH_BYTES } from '../../shared/explorer/topic-search';
import { visibleRows, type TreeRow } from '../../shared/explorer/tree-rows';
import { TopicTree } from '../../shared/explorer/topic-tree';
import { allNodes, nodeAt } from '../support/tree-lookup';
import { msg, sampleTree, search } from '../support/sample-tree';

const matchTopics = (s: TopicSearch): string[] => [...s.matches].map((n) => n.topic).sort();

/** Rows as indented text: "  kitchen [-]" is an expanded node at depth 2. */
const render = (rows: readonly TreeRow[]): string[] => rows.map((r) => `${'  '.repeat(r.node.depth - 1)}${r.node.segment}${r.expanded ? ' [-]' : ''}`);

describe('topicPredicate', () => {
  it('matches a substring, ignoring case', () => {
    const p = topicPredicate('TEMP');
    expect(p('home/kitchen/temp')).toBe(true);
    expect(p('office/Temp')).toBe(true);
    expect(p('home/kitchen/humidity')).toBe(false);
    expect(topicPredicate('itchen/te')('home/kitchen/temp')).toBe(true);
    expect(topicPredicate('sys')('$SYS/broker/uptime')).toBe(true);
  });

  it('matches text with "+" as an MQTT filter', () => {
    const p = topicPredicate('a/+/c');
    expect(p('a/b/c')).toBe(true);
    expect(p('a//c')).toBe(true);
    expect(p('a/b/c/d')).toBe(false);
    expect(p('a/b')).toBe(false);
    expect(p('xa/b/c')).toBe(false); // not a substring match
  });

  it('matches text with "#" as an MQTT filter, including the parent level', () => {
    const p = topicPredicate('a/#');
    expect(p('a')).toBe(true);
    expect(p('a/b/c')).toBe(true);
    expect(p('ab')).toBe(false);
    expect(p('b/a/c')).toBe(false);
  });

  it('"#" alone matches every topic except $SYS ones', () => {
    const p = topicPredicate('#');
    expect(p('a')).toBe(true);
    expect(p('home/kitchen/temp')).toBe(true);
    expect(p('$SYS/broker/uptime')).toBe(false);
    expect(p('$SYS')).toBe(false);
  });

  it('wildcard matching is case-sensitive, as MQTT is', () => {
    expect(topicPredicate('office/+')('office/Temp')).toBe(true);
    expect(topicPredicate('Office/+')('office/Temp')).toBe(false);
  });

  it('falls back to a substring match when the wildcard text is not a valid filter', () => {
    const p = topicPredicate('a+b');
    expect(p('xA+By/z')).toBe(true);
    expect(p('ab')).toBe(false);
    expect(p('a/b')).toBe(false);
    const hash = topicPredicate('room#1');
    expect(hash('floor/room#1/light')).toBe(true);
    expect(hash('floor/room')).toBe(false);
  });
});

describe('TopicSearch', () => {
  it('scan finds every matching node, intermediate levels included', () => {
    const tree = sampleTree();
    expect(matchTopics(search(tree, 'kitchen'))).toEqual(['home/kitchen', 'home/kitchen/humidity', 'home/kitchen/temp']);
    expect(matchTopics(search(tree, 'temp'))).toEqual(['home/kitchen/temp', 'office/Temp']);
    expect(matchTopics(search(tree, 'a/+/c'))).toEqual(['a/b/c', 'a/x/c']);
    expect(matchTopics(search(tree, 'nothing-like-this'))).toEqual([]);
  });

  it('knows which nodes are shown: matches and their ancestors, nothing else', () => {
    const tree = sampleTree();
    const s = search(tree, 'temp');
    const shown = allNodes(tree)
      .filter((n) => s.isShown(n))
      .map((n) => n.topic)
      .sort();
    expect(shown).toEqual(['home', 'home/kitchen', 'home/kitchen/temp', 'office', 'office/Temp']);
    expect(s.hasMatchesBelow(nodeAt(tree, 'home'))).toBe(true);
    expect(s.hasMatchesBelow(nodeAt(tree, 'home/kitchen/temp'))).toBe(false);
    expect(s.hasMatchesBelow(nodeAt(tree, 'home/garage'))).toBe(false);
  });

  it('"#" does not show the $SYS branch', () => {
    const tree = sampleTree();
    const s = search(tree, '#');
    expect(s.isShown(nodeAt(tree, '$SYS'))).toBe(false);
    expect(s.isShown(nodeAt(tree, '$SYS/broker/uptime'))).toBe(false);
    expect(s.isShown(nodeAt(tree, 'home/garage/door'))).toBe(true);
  });

  it('addCreated after new batches gives the same matches as a fresh scan', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const levels = ['', 'a', 'b', 'temp', 'Temp', 'x', '$SYS'] as const;
    const randomTopic = (): string => {
      const depth = 1 + Math.floor(random() * 4);
      return Array.from({ length: depth }, () => levels[Math.floor(random() * levels.length)]!).join('/') || 'a';
    };

    for (const text of ['temp', 'a/+', '+/temp/#', '#', 'b/']) {
      const tree = new TopicTree();
      tree.ingest(Array.from({ length: 30 }, () => msg(randomTopic())));
      const incremental = search(tree, text);
      for (let batch = 0; batch < 40; batch++) {
        const { created } = tree.ingest(Array.from({ length: 5 }, () => msg(randomTopic())));
        incremental.addCreated(created);
      }
      const fresh = search(tree, text);
      expect(matchTopics(incremental), text).toEqual(matchTopics(fresh));
      expect(fresh.matches.size, `${text} matches something`).toBeGreaterThan(0);
      for (const n of allNodes(tree)) {
        expect(incremental.isShown(n), `${text}: ${n.topic}`).toBe(fresh.isShown(n));
        expect(incremental.hasMatchesBelow(n), `${text}: ${n.topic}`).toBe(fresh.hasMatchesBelow(n));
      }
    }
  });

  it('a topic first seen through our own retained publish is found by the active search', () => {
    // The app's flow: the search learns about new nodes only from ingest's `created`.
    const tree = sampleTree();
    const s = search(tree, 'lamp');
    tree.noteOwnRetainedPublish(msg('home/lamp', 'on', true));
    const { created } = tree.ingest([msg('home/lamp', 'on')]); // the broker's echo
    s.addCreated(created);
    expect(matchTopics(s)).toEqual(matchTopics(search(tree, 'lamp')));
    expect(render(visibleRows(tree, new Set(), s))).toEqual(['home [-]', '  lamp']);
  });
});

describe('TopicSearch in steps', () => {
  /** 12 x 12 x 12 topics `s/aI/bJ/cK`, plus intermediate levels. */
  function bigTree(): TopicTree {
    const tree = new TopicTree();
    const messages: ReceivedMessage[] = [];
    for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) for (let k = 0; k < 12; k++) messages.push(msg(`s/a${i}/b${j}/c${k}`));
    tree.ingest(messages);
    return tree;
  }

  it('finds matches progressively, step by step, and ends with exactly what a full scan finds', () => {
    for (const text of ['b1', 'B1/C1', 's/+/b3/#', 's/a1/+/c1', '+/+/+/c11', '#']) {
      const tree = bigTree();
      const stepped = new TopicSearch(text);
      const sizes: number[] = [];
      let steps = 0;
      while (!stepped.scanStep(tree, 100)) {
        sizes.push(stepped.matches.size);
        steps++;
        expect(stepped.scanned).toBe(false);
      }
      expect(stepped.scanned).toBe(true);
      expect(steps, text).toBeGreaterThan(10);
      // Never fewer matches than the step before.
      for (let i = 1; i < sizes.length; i++) expect(sizes[i]!).toBeGreaterThanOrEqual(sizes[i - 1]!);
      const full = search(tree, text);
      expect(full.matches.size, text).toBeGreaterThan(0);
      expect(matchTopics(stepped), text).toEqual(matchTopics(full));
      for (const n of allNodes(tree)) expect(stepped.hasMatchesBelow(n), `${text}: ${n.topic}`).toBe(full.hasMatchesBelow(n));
    }
  });

  it('stays exact when batches create nodes between steps, some under levels it has not visited yet', () => {
    for (const text of ['c1', 's/+/b2/+', 'new']) {
      const tree = bigTree();
      const stepped = new TopicSearch(text);
      let round = 0;
      while (!stepped.scanStep(tree, 150)) {
        // New topics both under visited and unvisited levels, and brand-new branches.
        const { created } = tree.ingest([msg(`s/a${round % 12}/b2/c1/new${round}`), msg(`s/a${11 - (round % 12)}/b2/new${round}`), msg(`x${round}/c1`)]);
        stepped.addCreated(created);
        round++;
      }
      const full = search(tree, text);
      expect(matchTopics(stepped), text).toEqual(matchTopics(full));
      for (const n of allNodes(tree)) expect(stepped.hasMatchesBelow(n), `${text}: ${n.topic}`).toBe(full.hasMatchesBelow(n));
    }
  });

  it('"+" matches exactly one level and "#" the level itself and everything below, never as a substring', () => {
    const tree = bigTree();
    tree.ingest([msg('s/a1'), msg('t/a1/b1/c1'), msg('s/a1/b1/c1/d')]);
    expect(matchTopics(search(tree, 's/+/b1/c1'))).toEqual(Array.from({ length: 12 }, (_, i) => `s/a${i}/b1/c1`).sort());
    expect(matchTopics(search(tree, '+/a1/b1/c1'))).toEqual(['s/a1/b1/c1', 't/a1/b1/c1']);
    expect(matchTopics(search(tree, 's/a1/b1/c1/#'))).toEqual(['s/a1/b1/c1', 's/a1/b1/c1/d']);
    expect(matchTopics(search(tree, 's/a1/+'))).toEqual([...Array.from({ length: 12 }, (_, j) => `s/a1/b${j}`)].sort());
    expect(search(tree, 's/+').matches.size).toBe(12);
    expect(search(tree, 'a1/+').matches.size).toBe(0);
  });
});

describe('TopicSearch with values ("Search values")', () => {
  const tree = (): TopicTree => {
    const t = new TopicTree();
    t.ingest([msg('plant/boiler', '{"alarm":"Overheated"}'), msg('plant/pump', 'running'), msg('plant/overheat-log', 'none')]);
    t.ingest([{ ...msg('plant/raw'), payload: new Uint8Array([0xff, 0x4f, 0x56, 0x45, 0x52]) }]);
    return t;
  };
  const valueSearch = (t: TopicTree, text: string): TopicSearch => {
    const s = new TopicSearch(text, { values: true });
    s.scan(t);
    return s;
  };

  it('matches a topic by a word only in its latest payload, ignoring case', () => {
    expect(matchTopics(valueSearch(tree(), 'OVERHEATED'))).toEqual(['plant/boiler']);
    // The topic still matches by its name.
    expect(matchTopics(valueSearch(tree(), 'overheat'))).toEqual(['plant/boiler', 'plant/overheat-log']);
  });

  it('does not look at values when it is off', () => {
    expect(matchTopics(search(tree(), 'overheated'))).toEqual([]);
  });

  it('skips payloads that are not UTF-8', () => {
    // 0xff never occurs in UTF-8; "OVER" follows it in the raw bytes.
    expect(matchTopics(valueSearch(tree(), 'over'))).toEqual(['plant/boiler', 'plant/overheat-log']);
    expect(payloadContains(new Uint8Array([0xff, 0x61]), 'a')).toBe(false);
  });

  it('searches only the first 64 KiB of a payload, and a character cut there is no error', () => {
    const head = `${'x'.repeat(VALUE_SEARCH_BYTES - 1)}é`; // "é" is 2 bytes: cut in half at 64 KiB
    expect(payloadContains(new TextEncoder().encode(`${head}needle`), 'needle')).toBe(false);
    expect(payloadContains(new TextEncoder().encode(`needle${head}`), 'needle')).toBe(true);
  });

  it('follows values as they change: a new message adds or removes the match', () => {
    const t = tree();
    const s = valueSearch(t, 'running');
    expect(matchTopics(s)).toEqual(['plant/pump']);
    const { updated } = t.ingest([msg('plant/pump', 'stopped'), msg('plant/boiler', 'Running again')]);
    s.noteUpdated(updated);
    expect(matchTopics(s)).toEqual(['plant/boiler']);
    const plant = nodeAt(t, 'plant');
    expect(s.hasMatchesBelow(plant)).toBe(true);
    s.noteUpdated(t.ingest([msg('plant/boiler', 'idle')]).updated);
    expect(matchTopics(s)).toEqual([]);
    expect(s.hasMatchesBelow(plant)).toBe(false);
  });

  it('a topic search ignores updates', () => {
    const t = tree();
    const s = search(t, 'pump');
    s.noteUpdated(t.ingest([msg('plant/pump', 'anything')]).updated);
    expect(matchTopics(s)).toEqual(['plant/pump']);
  });
});
