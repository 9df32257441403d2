/**
 * What each shortcut does, whether its key was pressed in the page or its item chosen
 * in the desktop menu (the `app:menu-command` event; browser mode has no menu). The
 * window's keydown handler (KeyboardShortcuts.svelte) says which command; this runs it
 * on the active tab and the workspace.
 */
import type { TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import type { ShortcutCommand } from '../../../shared/shortcuts/shortcut-table';
import type { TabsState } from '../tabs/tabs-state.svelte';
import type { WorkspaceState } from './workspace-state.svelte';
import { tabIndexFor } from './keyboard-shortcuts';

export interface WindowCommandTargets {
  tabs: TabsState;
  workspace: WorkspaceState;
}

export class WindowCommands {
  readonly #tabs: TabsState;
  readonly #workspace: WorkspaceState;
  readonly #stopMenu: () => void;

  constructor(api: TopicscopeApi, { tabs, workspace }: WindowCommandTargets) {
    this.#tabs = tabs;
    this.#workspace = workspace;
    this.#stopMenu = api.on('app:menu-command', ({ command }) => void this.run(command));
  }

  /**
   * Runs `command`; false when it had nothing to act on (no such tab, no retained topic
   * chosen), so the key keeps its usual meaning. `retainedTopic` is the topic Delete
   * means, for 'clear-retained'.
   */
  run(command: ShortcutCommand, retainedTopic: string | null = null): boolean {
    const tabs = this.#tabs;
    const active = tabs.active;
    switch (command) {
      case 'filter':
        this.#workspace.requestFilterFocus();
        return true;
      case 'publish':
        // A recording's tab is read-only: nothing to publish from.
        if (!active || active.recordingView) return false;
        active.publisher.requestPublish();
        return true;
      case 'new-tab':
        tabs.add();
        return true;
      case 'close-tab':
        if (active) void tabs.close(active.key);
        return active !== undefined;
      case 'toggle-profiles':
        this.#workspace.toggleProfiles();
        return true;
      case 'open-recording':
        this.#workspace.openDialog('open-recording');
        return true;
      case 'settings':
        this.#workspace.openDialog('settings');
        return true;
      case 'shortcuts':
        this.#workspace.openDialog('shortcuts');
        return true;
      case 'clear-retained':
        if (!active || active.recordingView || retainedTopic === null) return false;
        active.explorer.clearing.ask(retainedTopic);
        return true;
      default: {
        const index = tabIndexFor(command, tabs.tabs.length);
        const tab = index === null ? undefined : tabs.tabs[index];
        if (tab) tabs.activate(tab.key);
        return tab !== undefined;
      }
    }
  }

  /** The topic selected in the active tab's tree, when it has a retained value to clear. */
  selectedRetainedTopic(): string | null {
    const view = this.#tabs.active?.explorer.view;
    const topic = view?.selected?.topic;
    return topic !== undefined && view?.retained.topics.includes(topic) ? topic : null;
  }

  dispose(): void {
    this.#stopMenu();
  }
}
