/**
 * Hardening for every web contents the app creates, including ones created later
 * (DevTools, anything a future feature opens): the navigation guard on each, and the
 * permission handlers on the session. Links the user clicks go to the system browser
 * through one checked gateway (http and https only).
 */
import { app, session, shell } from 'electron';
import { isSafeExternalUrl } from '../../core/security/external-url';
import { guardWebContents } from './navigation-guard';
import { installPermissionHandlers } from './permission-policy';

/** The one gateway to the system browser: only URLs that pass `isSafeExternalUrl`. */
export async function openExternalSafely(url: string): Promise<void> {
  if (isSafeExternalUrl(url)) await shell.openExternal(url);
}

/** Call before the first window: `web-contents-created` only sees contents made after it. */
export function hardenWebContents(devServerUrl: string | null): void {
  installPermissionHandlers(session.defaultSession, devServerUrl);
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, devServerUrl, (url) => void openExternalSafely(url));
  });
}
