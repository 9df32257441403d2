/**
 * The permission check and request handlers: only the clipboard write behind
 * "Copy topic", only for the app's own page in the main frame; both handlers agree.
 */
import type { Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { installPermissionHandlers, isPermissionGranted } from '../../electron/main/window/permission-policy';

type CheckHandler = Parameters<Session['setPermissionCheckHandler']>[0];
type RequestHandler = Parameters<Session['setPermissionRequestHandler']>[0];
type DeviceHandler = Parameters<Session['setDevicePermissionHandler']>[0];

/** A stand-in session that keeps the handlers main installs. */
function standInSession() {
  const installed: { check: CheckHandler; request: RequestHandler; device: DeviceHandler } = { check: null, request: null, device: null };
  const session = {
    setPermissionCheckHandler: (handler: CheckHandler) => void (installed.check = handler),
    setPermissionRequestHandler: (handler: RequestHandler) => void (installed.request = handler),
    setDevicePermissionHandler: (handler: DeviceHandler) => void (installed.device = handler),
  };
  return { session, installed };
}

/** Asks both handlers, as Chromium does, and returns both answers. */
function ask(devServerUrl: string | null, permission: string, origin: string, isMainFrame = true): { check: boolean; request: boolean | 'no answer' } {
  const { session, installed } = standInSession();
  installPermissionHandlers(session, devServerUrl);
  const check = installed.check!(null, permission as never, origin, { isMainFrame, requestingUrl: `${origin}/index.html` });
  let request: boolean | 'no answer' = 'no answer';
  installed.request!({} as never, permission as never, (granted) => (request = granted), { isMainFrame, requestingUrl: `${origin}/index.html` });
  return { check, request };
}

const EVERYTHING_ELSE = [
  'clipboard-read',
  'deprecated-sync-clipboard-read',
  'display-capture',
  'fullscreen',
  'geolocation',
  'hid',
  'idle-detection',
  'keyboardLock',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'notifications',
  'openExternal',
  'pointerLock',
  'serial',
  'speaker-selection',
  'storage-access',
  'top-level-storage-access',
  'usb',
  'window-management',
  'fileSystem',
  'unknown',
];

describe('permission handlers, packaged', () => {
  it('grant the sanitized clipboard write to app://topicscope (check and request)', () => {
    expect(ask(null, 'clipboard-sanitized-write', 'app://topicscope')).toEqual({ check: true, request: true });
  });

  it.each(EVERYTHING_ELSE)('refuse %s even to the app page', (permission) => {
    expect(ask(null, permission, 'app://topicscope')).toEqual({ check: false, request: false });
  });

  it.each(['https://evil.example', 'http://localhost:5173', 'file://', 'app://evil', 'null', ''])('refuse the clipboard write to %j', (origin) => {
    expect(ask(null, 'clipboard-sanitized-write', origin)).toEqual({ check: false, request: false });
  });

  it('refuse the clipboard write to a sub-frame, even of the app origin', () => {
    expect(ask(null, 'clipboard-sanitized-write', 'app://topicscope', false)).toEqual({ check: false, request: false });
  });

  it('refuse HID, serial and USB devices', () => {
    const { session, installed } = standInSession();
    installPermissionHandlers(session, null);
    expect(installed.device!({ deviceType: 'usb', origin: 'app://topicscope', device: {} as never })).toBe(false);
  });
});

describe('permission handlers, with a dev server (unpackaged)', () => {
  it('grant the clipboard write to the dev server’s origin and the app, no one else', () => {
    expect(ask('http://localhost:5173/', 'clipboard-sanitized-write', 'http://localhost:5173')).toEqual({ check: true, request: true });
    expect(ask('http://localhost:5173/', 'clipboard-sanitized-write', 'app://topicscope')).toEqual({ check: true, request: true });
    expect(ask('http://localhost:5173/', 'clipboard-sanitized-write', 'http://localhost:5174')).toEqual({ check: false, request: false });
    expect(ask('http://localhost:5173/', 'notifications', 'http://localhost:5173')).toEqual({ check: false, request: false });
  });
});

describe('isPermissionGranted', () => {
  it('needs all three: the permission, the main frame and a trusted requester', () => {
    const ok = { permission: 'clipboard-sanitized-write', requester: 'app://topicscope/index.html', isMainFrame: true };
    expect(isPermissionGranted(ok, null)).toBe(true);
    expect(isPermissionGranted({ ...ok, permission: 'clipboard-read' }, null)).toBe(false);
    expect(isPermissionGranted({ ...ok, isMainFrame: false }, null)).toBe(false);
    expect(isPermissionGranted({ ...ok, requester: 'https://evil.example/' }, null)).toBe(false);
  });
});
