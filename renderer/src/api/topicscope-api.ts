/**
 * Finds the contract's transport: the preload's bridge in Electron, or the
 * browser-mode socket, whose token arrives in the page's URL fragment.
 */
import { unpackingBatches } from '../../../shared/ipc/batch-packing';
import type { BridgedApi, TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import { createWebSocketApi, type HostLink } from './web-socket-api';

declare global {
  interface Window {
    topicscope?: BridgedApi;
  }
}

/** The API, and in browser mode the socket carrying it (Electron's IPC cannot be lost). */
export function connectToCore(): { api: TopicscopeApi; hostLink: HostLink | null } {
  if (window.topicscope) return { api: unpackingBatches(window.topicscope), hostLink: null };
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  const url = `ws://${location.host}/ipc?token=${encodeURIComponent(token)}`;
  const { api, link } = createWebSocketApi(url);
  return { api, hostLink: link };
}
