/**
 * Only our own renderer may drive the connection core. A frame is trusted when its
 * URL is on the app's own origin, `app://topicscope`, or, in development only, on the
 * dev server's origin (`devServerUrl`, already vetted by `devRendererUrl`, which is
 * null in a packaged app). Never another origin a navigation or an iframe could
 * bring in, and never `file://`.
 */
import { APP_HOST, APP_SCHEME } from '../window/app-protocol';

export function isTrustedRendererUrl(frameUrl: string, devServerUrl: string | null = null): boolean {
  let frame: URL;
  try {
    frame = new URL(frameUrl);
  } catch {
    return false;
  }
  if (frame.username !== '' || frame.password !== '') return false;
  // Node's URL gives a non-special scheme an opaque origin ("null"), so the app's
  // origin is compared by its parts; Chromium sees the same scheme, host and no port.
  if (frame.protocol === `${APP_SCHEME}:`) return frame.hostname === APP_HOST && frame.port === '';
  if (devServerUrl === null) return false;
  let dev: URL;
  try {
    dev = new URL(devServerUrl);
  } catch {
    return false;
  }
  return (dev.protocol === 'http:' || dev.protocol === 'https:') && frame.origin === dev.origin;
}
