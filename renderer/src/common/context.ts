/**
 * Typed context keys: the root and each tab provide the state, tests can provide fakes.
 * Components get every state object from here, read it, and call its methods; only
 * state classes talk to the API.
 */
import { getContext, setContext } from 'svelte';
import type { AppInfoState } from './app-info-state.svelte';
import type { ConnectionState } from '../connection/connection-state.svelte';
import type { ExplorerState } from '../explorer/explorer-state.svelte';
import type { ProfilesState } from '../profiles/profiles-state.svelte';
import type { PublishState } from '../publish/publish-state.svelte';
import type { SettingsState } from '../settings/settings-state.svelte';
import type { TabsState } from '../tabs/tabs-state.svelte';
import type { WorkspaceState } from '../workspace/workspace-state.svelte';
import type { DecodingState } from '../inspect/decoding-state.svelte';
import type { SavedMessagesState } from '../publish/saved/saved-messages-state.svelte';
import type { DecodeSparkplug } from '../inspect/sparkplug/sparkplug-state.svelte';
import type { RecordingState } from '../recording/recording-state.svelte';
import type { ReplayState } from '../recording/replay-state.svelte';
import type { RecordingViewState } from '../recording/recording-view-state.svelte';
import type { OpenRecordingState } from '../recording/open-recording-state.svelte';

/** What the whole window shares. */
export interface WindowContext {
  profiles: ProfilesState;
  tabs: TabsState;
  /** Where the window runs (whether main can open a file dialog), fetched once at start-up. */
  appInfo: AppInfoState;
  /** The pane layout, the open window dialog, and requests for the active tab. */
  workspace: WorkspaceState;
  /**
   * The user's settings (`settings.current`), and what follows from them for display:
   * `settings.formatTime(ms)` for every time shown, `settings.rowHeight` for the tree.
   */
  settings: SettingsState;
  /** "Open recording…": choosing a recording to open offline in a tab of its own. */
  openRecording: OpenRecordingState;
}

/** What the components inside one tab see: the window's state and that tab's connection. */
export interface AppContext extends WindowContext {
  connection: ConnectionState;
  /**
   * The explorer of the tab's current connection, replaced on each new connection: a
   * getter, read where it is used (`app.explorer().view`), so the component follows it.
   */
  explorer: () => ExplorerState;
  publisher: PublishState;
  /** Record / Stop recording for the tab's connection, and where the last recording went. */
  recording: RecordingState;
  /** Replay… for the tab's connection: the dialog's choices and the running replay. */
  replay: ReplayState;
  /** The recording this tab shows offline, read-only; null in a connection's tab (then everything acts on the connection). */
  recordingView: RecordingViewState | null;
  /** The tab's "Decode as" rules and the decoded form of what a view shows. */
  decoding: DecodingState;
  /** The publish-form messages the tab's profile keeps by name. */
  saved: SavedMessagesState;
  /**
   * Decodes Sparkplug B payloads in the core (`payload:decode`) for the Sparkplug
   * metrics of a selected `spBv1.0` topic; without it they are not shown.
   */
  decodeSparkplug?: DecodeSparkplug;
}

const WINDOW_KEY = Symbol('topicscope-window');
const TAB_KEY = Symbol('topicscope-tab');

export function provideWindow(context: WindowContext): void {
  setContext(WINDOW_KEY, context);
}

export function useWindow(): WindowContext {
  return getContext<WindowContext>(WINDOW_KEY);
}

/** Provided by each tab's panel, so the same components serve every tab. */
export function provideApp(context: AppContext): void {
  setContext(TAB_KEY, context);
}

export function useApp(): AppContext {
  return getContext<AppContext>(TAB_KEY);
}
