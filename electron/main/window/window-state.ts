/**
 * Remembers the main window's size, position and maximized state between runs. The
 * stored value is only a hint: `placeWindow` checks it against today's displays.
 */
import { screen, type BrowserWindow } from 'electron';
import Store from 'electron-store';
import { placeWindow, type SavedWindowState, type WindowPlacement } from './window-bounds';

type WindowStateStore = Store<{ window?: SavedWindowState }>;
let store: WindowStateStore | null | undefined;

/**
 * The store, or null when its file cannot be read or written (permissions, a folder in
 * its place): the window then opens at the default size, and nothing else is affected.
 */
function windowStateStore(): WindowStateStore | null {
  if (store !== undefined) return store;
  try {
    // A corrupt window-state file holds nothing worth keeping, so it is simply reset.
    store = new Store<{ window?: SavedWindowState }>({ name: 'window-state', clearInvalidConfig: true });
  } catch {
    store = null;
  }
  return store;
}

export function restoredPlacement(): WindowPlacement {
  return placeWindow(windowStateStore()?.get('window'), screen.getAllDisplays().map((d) => d.workArea));
}

/** Saves the normal (not maximized) bounds when the window closes. */
export function rememberWindowState(window: BrowserWindow): void {
  window.on('close', () => {
    const bounds = window.getNormalBounds();
    try {
      windowStateStore()?.set('window', { ...bounds, maximized: window.isMaximized() });
    } catch {
      // Losing the window's size is not worth an error on the way out.
    }
  });
}
