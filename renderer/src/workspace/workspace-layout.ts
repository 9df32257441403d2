/**
 * How the window's panes are arranged, as the user left them: whether the profiles
 * sidebar is shown, where the splitter between the tree and the details sits, and which
 * panels are folded. Pure: parsed from and written to Web Storage by WorkspaceState.
 */

export const WORKSPACE_LAYOUT_KEY = 'topicscope.workspaceLayout';

export interface WorkspaceLayout {
  profilesShown: boolean;
  /** The tree's share of the width the tree and the details divide, in percent. */
  treePercent: number;
  /** The connection log panel is unfolded. */
  logOpen: boolean;
  /** The publish panel under the details is unfolded. */
  publishOpen: boolean;
}

/** Below this width the panes stack instead of standing side by side (about 800 px and less). */
export const STACKED_MEDIA_QUERY = '(max-width: 900px)';

export const TREE_PERCENT_MIN = 20;
export const TREE_PERCENT_MAX = 80;

export const DEFAULT_LAYOUT: Readonly<WorkspaceLayout> = Object.freeze({ profilesShown: true, treePercent: 55, logOpen: false, publishOpen: true });

export function clampTreePercent(percent: number): number {
  if (!Number.isFinite(percent)) return DEFAULT_LAYOUT.treePercent;
  return Math.round(Math.min(TREE_PERCENT_MAX, Math.max(TREE_PERCENT_MIN, percent)));
}

/** What was stored, field by field; anything missing or malformed takes its default. */
export function parseLayout(stored: string | null): WorkspaceLayout {
  let value: unknown = null;
  try {
    value = stored === null ? null : JSON.parse(stored);
  } catch {
    value = null;
  }
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const flag = (key: 'profilesShown' | 'logOpen' | 'publishOpen'): boolean => (typeof record[key] === 'boolean' ? record[key] : DEFAULT_LAYOUT[key]);
  return {
    profilesShown: flag('profilesShown'),
    treePercent: typeof record.treePercent === 'number' ? clampTreePercent(record.treePercent) : DEFAULT_LAYOUT.treePercent,
    logOpen: flag('logOpen'),
    publishOpen: flag('publishOpen'),
  };
}
