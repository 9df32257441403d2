/**
 * The renderer's Content Security Policy, sent as a response header by whatever
 * serves the page: the `app://` protocol handler in the app, the electron-vite dev
 * server in development, and the browser-mode host. There is no `<meta>` policy in
 * renderer/index.html: a meta policy would be enforced on top of every mode's header
 * (policies intersect), so it would have to allow browser mode's WebSocket, and it
 * could not be loosened for the dev server. One list of directives, and each mode
 * says only how it differs.
 *
 * No `ws:`/`http:` anywhere: the desktop renderer talks to main over IPC only; MQTT
 * connections are made by main. `'self'` is `app://topicscope`.
 */
const DESKTOP_DIRECTIVES: readonly string[] = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

export const DESKTOP_CSP = DESKTOP_DIRECTIVES.join('; ');

/**
 * The same policy for `electron-vite dev`, with what Vite's dev server needs and
 * nothing else: component styles arrive as injected `<style>` elements, hence
 * `'unsafe-inline'` for styles (never for scripts); the HMR socket is same host and
 * port, which `'self'` covers. Never used by a packaged app (see dev-renderer-url.ts).
 */
export const DEV_SERVER_CSP = DESKTOP_DIRECTIVES.map((directive) =>
  directive.startsWith('style-src ') ? `${directive} 'unsafe-inline'` : directive,
).join('; ');

/** Browser mode: the same policy, plus the host's own WebSocket, which carries the IPC contract. */
export function browserModeCsp(port: number): string {
  return DESKTOP_DIRECTIVES.map((directive) =>
    directive.startsWith('connect-src ') ? `${directive} ws://127.0.0.1:${port}` : directive,
  ).join('; ');
}
