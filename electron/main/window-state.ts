/**
 * Remembers the main window's size, position and maximized state between runs. The
 * stored value is only a hint: `placeWindow` checks it against today's displays.
 */
import { screen, type BrowserWindow } from 'electron';
import Store from 'electron-store';
import { placeWindow, type SavedWindowState, type WindowPlacement } from '../core/window-bounds';

// A corrupt window-state file holds nothing worth keeping, so it is simply reset.
const store = new Store<{ window?: SavedWindowState }>({ name: 'window-state', clearInvalidConfig: true });

export function restoredPlacement(): WindowPlacement {
  return placeWindow(store.get('window'), screen.getAllDisplays().map((d) => d.workArea));
}

/** Saves the normal (not maximized) bounds when the window closes. */
export function rememberWindowState(window: BrowserWindow): void {
  window.on('close', () => {
    const bounds = window.getNormalBounds();
    store.set('window', { ...bounds, maximized: window.isMaximized() });
  });
}
