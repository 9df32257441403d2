/**
 * Hardening for every web contents the app creates: no new windows, no navigation
 * away from the app, no webviews, no permission prompts. Links the user clicks go to
 * the system browser through one checked gateway (http and https only).
 */
import { app, shell, session } from 'electron';
import { isSafeExternalUrl } from '../core/external-url';
import { isTrustedRendererUrl } from './trusted-sender';

/** The one gateway to the system browser: only URLs that pass `isSafeExternalUrl`. */
export async function openExternalSafely(url: string): Promise<void> {
  if (isSafeExternalUrl(url)) await shell.openExternal(url);
}

export function hardenWebContents(rendererUrl: string): void {
  // Only the clipboard write behind "Copy topic"; camera, notifications and the rest are refused.
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'clipboard-sanitized-write'));
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      void openExternalSafely(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedRendererUrl(url, rendererUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
