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
import { readFile as readFileCallback, realpath as realpathCallback } from 'node:fs';
import nodePath from 'node:path';
import { promisify } from 'node:util';
import type { CustomScheme } from 'electron';
import { DESKTOP_CSP } from './content-security-policy';

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

/** Served content types; anything else is refused rather than sniffed. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
};

export type AppRequestResolution =
  | { ok: true; path: string; contentType: string }
  | { ok: false; status: 400 | 403 | 404 | 405; reason: string };

/**
 * Maps a request to a file under `root`, or refuses it: only GET, only
 * `app://topicscope/` with no credentials or port, no `..` segment (also not
 * percent-encoded), no backslash, drive letter, NUL or empty segment, and only the
 * file types the renderer build produces. `root` must be absolute. Symlinks are
 * checked by the handler, which can see the disk.
 */
export function resolveAppRequest(url: string, method: string, root: string, path: nodePath.PlatformPath = nodePath): AppRequestResolution {
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
  // The URL parser already folds `..` and `%2e%2e` segments away; decode once more and
  // refuse what would escape after decoding (`..%2f`, `%5c`, `%00`, ...).
  let decoded: string;
  try {
    decoded = decodeURIComponent(parsed.pathname === '/' ? '/index.html' : parsed.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'bad percent-encoding' };
  }
  const segments = decoded.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || /[\\:\0]/.test(segment)) {
      return { ok: false, status: 400, reason: 'bad path' };
    }
  }
  const full = path.join(root, ...segments);
  const relative = path.relative(root, full);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { ok: false, status: 400, reason: 'outside the renderer folder' };
  const contentType = CONTENT_TYPES[path.extname(full).toLowerCase()];
  if (!contentType) return { ok: false, status: 404, reason: 'not a renderer file type' };
  return { ok: true, path: full, contentType };
}

/** True when `child` is `parent` itself or lies inside it (both already resolved). */
function isInside(parent: string, child: string, path: nodePath.PlatformPath): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

export interface AppProtocolFiles {
  /** Resolves symlinks; Electron's callback `fs.realpath` also understands app.asar. */
  realpath(path: string): Promise<string>;
  readFile(path: string): Promise<Uint8Array>;
}

const nodeFiles: AppProtocolFiles = {
  realpath: promisify(realpathCallback),
  readFile: promisify(readFileCallback),
};

/** Headers on every answer: the desktop CSP and no MIME sniffing. */
function baseHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': DESKTOP_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

function refusal(status: number, reason: string): Response {
  return new Response(reason, { status, headers: { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * The `protocol.handle` handler for `app://topicscope/`. A file whose real path
 * (symlinks followed) leaves the real renderer folder is refused like a `..` path.
 */
export function createAppProtocolHandler(root: string, files: AppProtocolFiles = nodeFiles): (request: Request) => Promise<Response> {
  const realRoot = files.realpath(root);
  // Unhandled until a request comes; each request awaits it and reports a failure.
  realRoot.catch(() => undefined);
  return async (request) => {
    const resolved = resolveAppRequest(request.url, request.method, root);
    if (!resolved.ok) return refusal(resolved.status, resolved.reason);
    let body: Uint8Array;
    try {
      const [rootPath, filePath] = await Promise.all([realRoot, files.realpath(resolved.path)]);
      if (!isInside(rootPath, filePath, nodePath)) return refusal(403, 'outside the renderer folder');
      body = await files.readFile(filePath);
    } catch {
      return refusal(404, 'not found');
    }
    return new Response(body, { status: 200, headers: { ...baseHeaders(), 'Content-Type': resolved.contentType } });
  };
}
