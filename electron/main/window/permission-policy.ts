/**
 * Which web permissions the renderer gets: one, `clipboard-sanitized-write`, which
 * `navigator.clipboard.writeText` needs for "Copy topic" in the topic details, and
 * only for the app's own page in the window's main frame. Everything else the app
 * does not use (clipboard reads, notifications, media, geolocation, HID/serial/USB,
 * fullscreen, `openExternal` from the page, ...) is refused. Chromium asks both
 * handlers (a check, then a request when the check says no), so both apply the same
 * rule; the sanitized write only takes text/HTML/PNG and needs a user gesture.
 */
import type { Session } from 'electron';
import { isTrustedRendererUrl } from '../ipc/trusted-sender';

const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export interface PermissionAsk {
  permission: string;
  /** The URL or origin asking: `details.requestingUrl` or the check's `requestingOrigin`. */
  requester: string;
  /** False for iframes (and, by Chromium's limits, `fileSystem` checks). */
  isMainFrame: boolean;
}

export function isPermissionGranted(ask: PermissionAsk, devServerUrl: string | null): boolean {
  return GRANTED_PERMISSIONS.has(ask.permission) && ask.isMainFrame && isTrustedRendererUrl(ask.requester, devServerUrl);
}

/** Installs the check handler and the request handler on `session`, one rule for both. */
export function installPermissionHandlers(session: Pick<Session, 'setPermissionCheckHandler' | 'setPermissionRequestHandler' | 'setDevicePermissionHandler'>, devServerUrl: string | null): void {
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionGranted({ permission, requester: requestingOrigin, isMainFrame: details.isMainFrame }, devServerUrl),
  );
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionGranted({ permission, requester: details.requestingUrl, isMainFrame: details.isMainFrame }, devServerUrl)),
  );
  // HID, serial and USB devices: none.
  session.setDevicePermissionHandler(() => false);
}
