/**
 * Finds the contract's transport: the preload's bridge in Electron, or the
 * browser-mode socket, whose token arrives in the page's URL fragment.
 */
import type { TopicscopeApi } from '../../../shared/ipc-contract';
import { createWebSocketApi } from './web-socket-api';

declare global {
  interface Window {
    topicscope?: TopicscopeApi;
  }
}

export function connectToCore(): TopicscopeApi {
  if (window.topicscope) return window.topicscope;
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  const url = `ws://${location.host}/ipc?token=${encodeURIComponent(token)}`;
  return createWebSocketApi(url);
}
