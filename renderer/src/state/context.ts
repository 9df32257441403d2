/** Typed context keys: the root provides the state, tests can provide fakes. */
import { getContext, setContext } from 'svelte';
import type { TopicscopeApi } from '../../../shared/ipc-contract';
import type { ConnectionState } from './connection-state.svelte';
import type { ExplorerState } from './explorer-state.svelte';

export interface AppContext {
  api: TopicscopeApi;
  connection: ConnectionState;
  /** Whether main can open a file dialog (Electron), fetched once at start-up. */
  canPickFiles: () => boolean;
  /** The explorer of the current connection (replaced on each new connection). */
  explorer: () => ExplorerState;
}

const KEY = Symbol('topicscope');

export function provideApp(context: AppContext): void {
  setContext(KEY, context);
}

export function useApp(): AppContext {
  return getContext<AppContext>(KEY);
}
