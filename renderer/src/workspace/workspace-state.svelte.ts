/**
 * The window's workspace: the pane layout the user chose (remembered in localStorage,
 * see workspace-layout.ts), which window dialog is open, and requests that the active
 * tab acts on (focus its filter). Shared by every tab: the layout is the window's.
 */
import { MediaQuery } from 'svelte/reactivity';
import { readStored, writeStored } from '../common/web-storage';
import { clampTreePercent, parseLayout, STACKED_MEDIA_QUERY, WORKSPACE_LAYOUT_KEY, type WorkspaceLayout } from './workspace-layout';

/** The dialogs that belong to the window rather than to a tab. */
export type WindowDialog = 'settings' | 'shortcuts' | 'open-recording';

export class WorkspaceState {
  #layout = $state<WorkspaceLayout>(parseLayout(readStored('localStorage', WORKSPACE_LAYOUT_KEY)));
  #dialog = $state<WindowDialog | null>(null);
  #filterFocusRequests = $state(0);
  readonly #narrow = new MediaQuery(STACKED_MEDIA_QUERY, false);
  /**
   * Whether the profiles overlay a stacked window. Not remembered, and closed at first:
   * a narrow window opens on the tree, whatever the wide layout keeps.
   */
  #profilesOverlaid = $state(false);

  /** The window is too narrow for panes side by side: they stack, and the profiles overlay them. */
  get stacked(): boolean {
    return this.#narrow.current;
  }
  get profilesShown(): boolean {
    return this.stacked ? this.#profilesOverlaid : this.#layout.profilesShown;
  }
  get treePercent(): number {
    return this.#layout.treePercent;
  }
  get logOpen(): boolean {
    return this.#layout.logOpen;
  }
  get publishOpen(): boolean {
    return this.#layout.publishOpen;
  }
  get dialog(): WindowDialog | null {
    return this.#dialog;
  }
  /** Grows by one each time the user asks to filter (Ctrl/Cmd+F); the active tab's filter follows it. */
  get filterFocusRequests(): number {
    return this.#filterFocusRequests;
  }

  toggleProfiles(shown = !this.profilesShown): void {
    if (this.stacked) this.#profilesOverlaid = shown;
    else this.#update({ profilesShown: shown });
  }
  setTreePercent(percent: number): void {
    this.#update({ treePercent: clampTreePercent(percent) });
  }
  setLogOpen(open: boolean): void {
    this.#update({ logOpen: open });
  }
  setPublishOpen(open: boolean): void {
    this.#update({ publishOpen: open });
  }
  openDialog(dialog: WindowDialog): void {
    this.#dialog = dialog;
  }
  closeDialog(): void {
    this.#dialog = null;
  }
  requestFilterFocus(): void {
    this.#filterFocusRequests += 1;
  }

  #update(change: Partial<WorkspaceLayout>): void {
    this.#layout = { ...this.#layout, ...change };
    writeStored('localStorage', WORKSPACE_LAYOUT_KEY, JSON.stringify(this.#layout));
  }
}
