/**
 * The `app://topicscope/` protocol that serves the built renderer to the desktop
 * window instead of `file://`. A privileged standard scheme gives the page a real
 * origin of its own (so `'self'` in the CSP, the trusted-sender check and the
 * permission checks mean exactly this app), and the handler serves files from the
 * renderer folder only, with the CSP as a response header.
 *
 * Kept free of runtime `electron` imports: the URL guard and the handler are plain
 * functions over the Fetch API's Request and Response, tested under Node.
 */
import nodePath from 'node:path';
import type { CustomScheme } from 'electron';
import { DESKTOP_CSP } from '../../core/security/content-security-policy';
import {
  createRendererFileReader,
  rendererHeaders,
  resolveRendererPath,
  type RendererFileResolution,
  type RendererFiles,
} from '../../core/security/renderer-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'topicscope';
/** The page the desktop window loads when no dev server is in use. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Registered before `ready`. `standard` gives the scheme an origin and relative URL
 * resolution, `secure` makes the page a secure context, `supportFetchAPI` lets the
 * renderer's module loader fetch from it. Left off on purpose: `corsEnabled` (it would
 * let other origins read these files), `bypassCSP`, `allowServiceWorkers`, `stream`.
 */
export function appSchemePrivileges(): CustomScheme[] {
  return [{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }];
}

/**
 * Maps a request to a file under `root`, or refuses it: only GET, only
 * `app://topicscope/` with no credentials or port, then the renderer folder's own
 * path rules (renderer-files.ts). `root` must be absolute.
 */
export function resolveAppRequest(url: string, method: string, root: string, path: nodePath.PlatformPath = nodePath): RendererFileResolution {
  if (method !== 'GET') return { ok: false, status: 405, reason: `method ${method} is not allowed` };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.hostname !== APP_HOST || parsed.port !== '' || parsed.username !== '' || parsed.password !== '') {
    return { ok: false, status: 403, reason: 'unknown host' };
  }
  return resolveRendererPath(parsed.pathname, root, path);
}

function refusal(status: number, reason: string): Response {
  return new Response(reason, { status, headers: { ...rendererHeaders(DESKTOP_CSP), 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * The `protocol.handle` handler for `app://topicscope/`. A file whose real path
 * (symlinks followed) leaves the real renderer folder is refused like a `..` path.
 */
export function createAppProtocolHandler(root: string, files?: RendererFiles): (request: Request) => Promise<Response> {
  const read = createRendererFileReader(root, files);
  return async (request) => {
    const resolved = resolveAppRequest(request.url, request.method, root);
    if (!resolved.ok) return refusal(resolved.status, resolved.reason);
    const file = await read(resolved.path);
    if (!file.ok) return refusal(file.status, file.reason);
    return new Response(file.body, { status: 200, headers: { ...rendererHeaders(DESKTOP_CSP), 'Content-Type': resolved.contentType } });
  };
}
