import { describe, expect, it } from 'vitest';
import { TopicTree, type TopicNode } from '../../shared/explorer/topic-tree';
import { captureRows, visibleRows, type TreeRow } from '../../shared/explorer/tree-rows';
import { nodeAt } from '../support/tree-lookup';
import { msg, sampleTree, search } from '../support/sample-tree';

/** Rows as indented text: "  kitchen [-]" is an expanded node at depth 2. */
const render = (rows: readonly TreeRow[]): string[] => rows.map((r) => `${'  '.repeat(r.node.depth - 1)}${r.node.segment}${r.expanded ? ' [-]' : ''}`);

function expandedSet(tree: TopicTree, ...topics: string[]): Set<TopicNode> {
  return new Set(topics.map((t) => nodeAt(tree, t)));
}

describe('visibleRows without a search', () => {
  it('shows the top level, sorted, when nothing is expanded', () => {
    const tree = sampleTree();
    expect(render(visibleRows(tree, new Set(), null))).toEqual(['$SYS', 'a', 'ab', 'home', 'office']);
  });

  it('shows the children of expanded nodes only, in sorted order', () => {
    const tree = sampleTree();
    const rows = visibleRows(tree, expandedSet(tree, 'home', 'home/kitchen', 'a/b'), null);
    expect(render(rows)).toEqual(['$SYS', 'a', 'ab', 'home [-]', '  garage', '  kitchen [-]', '    humidity', '    temp', 'office']);
  });

  it('an expanded node under a collapsed parent stays hidden', () => {
    const tree = sampleTree();
    const rows = visibleRows(tree, expandedSet(tree, 'home/kitchen'), null);
    expect(render(rows)).toEqual(['$SYS', 'a', 'ab', 'home', 'office']);
  });

  it('a leaf in the expanded set is not shown as expanded', () => {
    const tree = sampleTree();
    const rows = visibleRows(tree, expandedSet(tree, 'office', 'office/Temp'), null);
    expect(render(rows)).toEqual(['$SYS', 'a', 'ab', 'home', 'office [-]', '  Temp']);
  });
});

describe('visibleRows with a search', () => {
  it('shows the matches with their ancestors expanded and hides non-matching branches', () => {
    const tree = sampleTree();
    const rows = visibleRows(tree, new Set(), search(tree, 'temp'));
    expect(render(rows)).toEqual(['home [-]', '  kitchen [-]', '    temp', 'office [-]', '  Temp']);
  });

  it('keeps hiding non-matching siblings of an expanded ancestor', () => {
    const tree = sampleTree();
    const rows = visibleRows(tree, expandedSet(tree, 'home'), search(tree, 'temp'));
    expect(render(rows)).toEqual(['home [-]', '  kitchen [-]', '    temp', 'office [-]', '  Temp']);
  });

  it('a node the user collapsed while searching hides its children', () => {
    const tree = sampleTree();
    const s = search(tree, 'temp');
    const rows = visibleRows(tree, new Set(), s, expandedSet(tree, 'home'));
    expect(render(rows)).toEqual(['home', 'office [-]', '  Temp']);
    const deeper = visibleRows(tree, new Set(), s, expandedSet(tree, 'home/kitchen'));
    expect(render(deeper)).toEqual(['home [-]', '  kitchen', 'office [-]', '  Temp']);
  });

  it('a matching branch stays closed unless expanded; expanded, it shows all its children', () => {
    const tree = sampleTree();
    const s = search(tree, 'home/+'); // matches home/garage and home/kitchen, none of their children
    expect(render(visibleRows(tree, new Set(), s))).toEqual(['home [-]', '  garage', '  kitchen']);
    expect(render(visibleRows(tree, expandedSet(tree, 'home/kitchen'), s))).toEqual([
      'home [-]',
      '  garage',
      '  kitchen [-]',
      '    humidity',
      '    temp',
    ]);

    const kitchen = search(tree, 'kitchen/'); // matches only the children of kitchen
    expect(render(visibleRows(tree, new Set(), kitchen))).toEqual(['home [-]', '  kitchen [-]', '    humidity', '    temp']);
  });

  it('an explicitly expanded match with no matches below shows its non-matching children', () => {
    const tree = sampleTree();
    const s = search(tree, 'a/+/c'); // matches a/b/c and a/x/c, not a/b/c/d
    expect(render(visibleRows(tree, new Set(), s))).toEqual(['a [-]', '  b [-]', '    c', '  x [-]', '    c']);
    expect(render(visibleRows(tree, expandedSet(tree, 'a/b/c'), s))).toEqual(['a [-]', '  b [-]', '    c [-]', '      d', '  x [-]', '    c']);
  });

  it('shows nothing when nothing matches', () => {
    const tree = sampleTree();
    expect(visibleRows(tree, expandedSet(tree, 'home'), search(tree, 'zzz'))).toEqual([]);
  });
});

describe('captureRows', () => {
  it('captures what each row shows, so later messages do not change rows already captured', () => {
    const tree = sampleTree();
    tree.ingest([msg('office/Temp', '21', true)]);
    const rows = captureRows(visibleRows(tree, expandedSet(tree, 'office'), null), [], (n) => (n.topic === 'office/Temp' ? 42 : -Infinity));
    const temp = rows.find((r) => r.node.topic === 'office/Temp')!;
    expect(temp).toMatchObject({ ownCount: 2, subtreeCount: 2, topicCount: 1, hasChildren: false, retained: true, changedAt: 42 });
    expect(new TextDecoder().decode(temp.last!.payload)).toBe('21');
    const office = rows.find((r) => r.node.topic === 'office')!;
    expect(office).toMatchObject({ ownCount: 0, subtreeCount: 2, hasChildren: true, expanded: true, last: null });

    tree.ingest([msg('office/Temp', '22')]);
    expect(temp.ownCount).toBe(2);
    expect(new TextDecoder().decode(temp.last!.payload)).toBe('21');
  });

  it('keeps the objects of unchanged rows, and the whole list when no row changed', () => {
    const tree = sampleTree();
    const expanded = expandedSet(tree, 'home', 'home/kitchen');
    const never = (): number => -Infinity;
    const first = captureRows(visibleRows(tree, expanded, null), [], never);
    expect(captureRows(visibleRows(tree, expanded, null), first, never)).toBe(first);

    tree.ingest([msg('home/kitchen/temp', '23')]);
    const second = captureRows(visibleRows(tree, expanded, null), first, never);
    expect(second).not.toBe(first);
    const changed = second.flatMap((row, i) => (row === first[i] ? [] : [row.node.topic]));
    // The topic and the levels above it whose subtree count moved.
    expect(changed).toEqual(['home', 'home/kitchen', 'home/kitchen/temp']);

    // A new row shifts the rows below it: their objects are kept all the same.
    tree.ingest([msg('home/attic')]);
    const third = captureRows(visibleRows(tree, expanded, null), second, never);
    expect(render(third)).toContain('  attic');
    const made = third.filter((row) => !second.includes(row)).map((r) => r.node.topic);
    expect(made).toEqual(['home', 'home/attic']);
  });
});
