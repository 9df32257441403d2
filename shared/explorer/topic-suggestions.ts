/**
 * Topics to suggest as the user types one (the Diff tab's "other topic"): the known
 * topics one level below what is typed, like a file path's completion. Costs one
 * lookup and one pass over one level's children, never a walk of the tree.
 */
import type { TopicTree } from './topic-tree';

export function topicSuggestions(tree: TopicTree, typed: string, max = 20): string[] {
  const slash = typed.lastIndexOf('/');
  const parent = slash < 0 ? tree.root : tree.find(typed.slice(0, slash));
  if (!parent) return [];
  const start = typed.slice(slash + 1);
  const found: string[] = [];
  for (const child of parent.sortedChildren()) {
    if (found.length >= max) break;
    if (child.segment.startsWith(start)) found.push(child.topic);
  }
  return found;
}
