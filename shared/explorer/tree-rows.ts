/**
 * The rows of the topic tree as a view shows them: the visible nodes in display order,
 * each with the values its row displays captured when the rows were made, so a view
 * reading a row reads a fixed snapshot, never the model that keeps changing under it.
 *
 * Cost is proportional to the visible rows, not to the tree. Given the previous rows,
 * an unchanged row keeps its object (and unchanged rows keep their array), so a view
 * keyed by identity redraws only the rows whose values changed.
 */
import type { ReceivedMessage } from '../mqtt/mqtt-message';
import type { TopicSearch } from './topic-search';
import type { TopicNode, TopicTree } from './topic-tree';

/** One row of the flattened, visible tree; immutable once made. */
export interface TreeRow {
  /** The node, as a handle for selecting and expanding; read the values from the row. */
  readonly node: TopicNode;
  readonly expanded: boolean;
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
  /** When the node last changed, on the caller's clock (-Infinity: not known). */
  readonly changedAt: number;
}

export interface RowOptions {
  /** Nodes the user closed while searching, which the search would otherwise open. */
  collapsed?: ReadonlySet<TopicNode>;
  /** The rows made last time: unchanged rows (and an unchanged list) are reused. */
  previous?: readonly TreeRow[];
  /** When a node last changed, for the flash on update. */
  changedAt?: (node: TopicNode) => number;
}

const NO_NODES: ReadonlySet<TopicNode> = new Set();
const NEVER = (): number => -Infinity;

/**
 * The rows currently visible, in display order: children of expanded nodes only,
 * and while searching only shown nodes, with ancestors of matches expanded.
 */
export function visibleRows(tree: TopicTree, expanded: ReadonlySet<TopicNode>, search: TopicSearch | null, options: RowOptions = {}): readonly TreeRow[] {
  const collapsed = options.collapsed ?? NO_NODES;
  const previous = options.previous ?? [];
  const changedAt = options.changedAt ?? NEVER;
  const rows: TreeRow[] = [];
  let reusedAll = true;

  const push = (node: TopicNode, open: boolean): void => {
    const index = rows.length;
    const before = previous[index];
    if (before !== undefined && before.node === node && unchanged(before, node, open)) {
      rows.push(before);
      return;
    }
    reusedAll = false;
    rows.push({
      node,
      expanded: open,
      hasChildren: node.hasChildren,
      ownCount: node.ownCount,
      subtreeCount: node.subtreeCount,
      topicCount: node.topicCount,
      retained: node.retained,
      last: node.last,
      changedAt: changedAt(node),
    });
  };
  const visit = (parent: TopicNode): void => {
    for (const node of parent.sortedChildren()) {
      if (search && !search.isShown(node)) continue;
      const open = node.hasChildren && (expanded.has(node) || (search !== null && search.hasMatchesBelow(node) && !collapsed.has(node)));
      push(node, open);
      if (open) {
        // An explicitly expanded match shows all its children, even non-matching ones.
        if (search && expanded.has(node) && !search.hasMatchesBelow(node)) visitAll(node);
        else visit(node);
      }
    }
  };
  const visitAll = (parent: TopicNode): void => {
    for (const node of parent.sortedChildren()) {
      const open = node.hasChildren && expanded.has(node);
      push(node, open);
      if (open) visitAll(node);
    }
  };
  visit(tree.root);
  // Same rows, same objects: hand back the previous array so a view sees no change at all.
  if (reusedAll && rows.length === previous.length && options.previous) return options.previous;
  return rows;
}

/**
 * Whether a row still shows what the node holds. A node's latest message is a new
 * object whenever it changed, and its change time moves only then.
 */
function unchanged(row: TreeRow, node: TopicNode, open: boolean): boolean {
  return (
    row.expanded === open &&
    row.last === node.last &&
    row.ownCount === node.ownCount &&
    row.subtreeCount === node.subtreeCount &&
    row.topicCount === node.topicCount &&
    row.hasChildren === node.hasChildren
  );
}
