/**
 * The rows of the topic tree as a view shows them, in two parts, as editors that hold
 * huge documents do: the whole list of visible rows is light (a node and whether it is
 * open), cheap enough to rebuild for 100,000 rows; the values a row displays are
 * captured only for the rows in the viewport, so what a view reads is a fixed snapshot,
 * never the model that keeps changing under it.
 *
 * Given the rows captured last time, an unchanged row keeps its object (and unchanged
 * rows keep their array), so a view keyed by identity redraws only what changed.
 */
import type { ReceivedMessage } from '../mqtt/mqtt-message';
import type { TopicSearch } from './topic-search';
import type { TopicNode, TopicTree } from './topic-tree';

/** One row of the flattened, visible tree; immutable once made. */
export interface TreeRow {
  /** The node, as a handle for selecting and expanding; its values are read from a ShownRow. */
  readonly node: TopicNode;
  readonly expanded: boolean;
}

/** A row in the viewport, with the values it displays as they were when captured; immutable. */
export interface ShownRow extends TreeRow {
  readonly hasChildren: boolean;
  /** Messages on exactly this topic (coalesced ones included). */
  readonly ownCount: number;
  /** Messages on this topic and every topic below it. */
  readonly subtreeCount: number;
  /** Topics at and below this node that have received a message. */
  readonly topicCount: number;
  /** Whether the latest message arrived retained. */
  readonly retained: boolean;
  /** The latest message on exactly this topic. */
  readonly last: ReceivedMessage | null;
  /** When the node last changed, on the caller's clock (-Infinity: not recently). */
  readonly changedAt: number;
}

const NO_NODES: ReadonlySet<TopicNode> = new Set();

/**
 * The rows currently visible, in display order: children of expanded nodes only,
 * and while searching only shown nodes, with ancestors of matches expanded.
 * Cost is proportional to the visible rows, not to the tree.
 */
export function visibleRows(
  tree: TopicTree,
  expanded: ReadonlySet<TopicNode>,
  search: TopicSearch | null,
  /** Nodes the user closed while searching, which the search would otherwise open. */
  collapsed: ReadonlySet<TopicNode> = NO_NODES,
): TreeRow[] {
  const builder = new RowBuilder(tree, expanded, search, collapsed);
  builder.step(Infinity);
  return builder.rows;
}

/** A level being listed: its children in display order and the next one to list. */
interface Level {
  readonly children: readonly TopicNode[];
  next: number;
  /** Every child is listed, not only those the search shows (an explicitly expanded match). */
  readonly all: boolean;
}

/**
 * `visibleRows` in steps, for a list too long for one frame (a filter matching most of
 * a million topics gives a million rows): each `step` adds some rows where the last
 * one stopped. The sets are read as they are at each step.
 */
export class RowBuilder {
  readonly rows: TreeRow[] = [];
  readonly #expanded: ReadonlySet<TopicNode>;
  readonly #search: TopicSearch | null;
  readonly #collapsed: ReadonlySet<TopicNode>;
  readonly #levels: Level[];

  constructor(tree: TopicTree, expanded: ReadonlySet<TopicNode>, search: TopicSearch | null, collapsed: ReadonlySet<TopicNode> = NO_NODES) {
    this.#expanded = expanded;
    this.#search = search;
    this.#collapsed = collapsed;
    this.#levels = [{ children: tree.root.sortedChildren(), next: 0, all: false }];
  }

  /** Adds up to `maxRows` more rows (depth first, as displayed); returns true once every row is there. */
  step(maxRows: number): boolean {
    const levels = this.#levels;
    const search = this.#search;
    const expanded = this.#expanded;
    for (let added = 0; added < maxRows && levels.length > 0; ) {
      const level = levels[levels.length - 1]!;
      if (level.next >= level.children.length) {
        levels.pop();
        continue;
      }
      const node = level.children[level.next++]!;
      let open: boolean;
      let all = level.all;
      if (all || search === null) {
        open = node.hasChildren && expanded.has(node);
      } else {
        if (!search.isShown(node)) continue;
        const below = search.hasMatchesBelow(node);
        open = node.hasChildren && (expanded.has(node) || (below && !this.#collapsed.has(node)));
        // An explicitly expanded match shows all its children, even non-matching ones.
        all = open && !below;
      }
      this.rows.push({ node, expanded: open });
      added++;
      if (open) levels.push({ children: node.sortedChildren(), next: 0, all });
    }
    return levels.length === 0;
  }
}

/**
 * The values of `rows` as they are now, reusing each row of `previous` (and the whole
 * array) that still shows the same. `changedAt` says when a node last changed.
 */
export function captureRows(rows: readonly TreeRow[], previous: readonly ShownRow[], changedAt: (node: TopicNode) => number): readonly ShownRow[] {
  const before = new Map<TopicNode, ShownRow>();
  for (const row of previous) before.set(row.node, row);
  let same = rows.length === previous.length;
  const shown = rows.map((row, i) => {
    const { node, expanded } = row;
    const old = before.get(node);
    if (old !== undefined && unchanged(old, node, expanded)) {
      if (previous[i] !== old) same = false;
      return old;
    }
    same = false;
    return {
      node,
      expanded,
      hasChildren: node.hasChildren,
      ownCount: node.ownCount,
      subtreeCount: node.subtreeCount,
      topicCount: node.topicCount,
      retained: node.retained,
      last: node.last,
      changedAt: changedAt(node),
    };
  });
  return same ? previous : shown;
}

/** Whether a row still shows what the node holds: a node's latest message is a new object whenever it changed. */
function unchanged(row: ShownRow, node: TopicNode, expanded: boolean): boolean {
  return (
    row.expanded === expanded &&
    row.last === node.last &&
    row.ownCount === node.ownCount &&
    row.subtreeCount === node.subtreeCount &&
    row.topicCount === node.topicCount &&
    row.hasChildren === node.hasChildren
  );
}
