/**
 * Which dev server, if any, the window may load instead of `app://topicscope/`.
 * Whatever page the window loads is trusted with every IPC command (exporting saved
 * secrets included), so the environment variable electron-vite sets in development
 * must not steer an installed app: a packaged app ignores it, and an unpackaged one
 * accepts only a plain-http page on this machine's loopback name.
 */
export function devRendererUrl(value: string | undefined, isPackaged: boolean): string | null {
  if (isPackaged || value === undefined || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' || url.username !== '' || url.password !== '') return null;
  if (url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') return null;
  return url.href;
}
