/** Lookups over a TopicTree that tests share. */
import type { TopicNode, TopicTree } from '../../shared/explorer/topic-tree';

/** The node for an exact topic; throws when it does not exist, naming the topic. */
export function nodeAt(tree: TopicTree, topic: string): TopicNode {
  const found = tree.find(topic);
  if (!found) throw new Error(`no node for ${JSON.stringify(topic)}`);
  return found;
}

/** Every node below the root, depth first. */
export function allNodes(tree: TopicTree): TopicNode[] {
  const out: TopicNode[] = [];
  const visit = (n: TopicNode): void => {
    for (const c of n.children?.values() ?? []) {
      out.push(c);
      visit(c);
    }
  };
  visit(tree.root);
  return out;
}
