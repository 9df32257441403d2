/**
 * What every web contents may load: the app's own page and nothing else. Navigations
 * of the main frame or any sub-frame (`will-navigate`, `will-frame-navigate`) and
 * server redirects (`will-redirect`) to another URL are cancelled, new windows are
 * refused (their URL goes to the external-link gateway, which opens only http(s) in
 * the system browser), and `<webview>` cannot be attached. Type-only `electron`
 * import, so it is tested with a stand-in web contents.
 */
import type { WebContents } from 'electron';
import { isTrustedRendererUrl } from '../ipc/trusted-sender';

/** The part of `WebContents` the guard uses. */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function guardWebContents(contents: GuardedContents, devServerUrl: string | null, openExternal: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (!isTrustedRendererUrl(event.url, devServerUrl)) event.preventDefault();
  });
  // Sub-frames too: the app has no iframes, and one must not be steered anywhere.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame || !isTrustedRendererUrl(event.url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isTrustedRendererUrl(event.url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
