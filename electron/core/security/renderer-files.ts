/**
 * Which file of the built renderer a request names, for both hosts that serve it: the
 * desktop's `app://` protocol handler and the browser-mode host. One guard, so a path
 * trick refused by one is refused by the other: no `..` segment (also not
 * percent-encoded), no backslash, drive letter, NUL or empty segment, only the file
 * types the renderer build produces, and no symlink whose real path leaves the folder.
 */
import { readFile as readFileCallback, realpath as realpathCallback } from 'node:fs';
import nodePath from 'node:path';
import { promisify } from 'node:util';

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

export interface RendererRefusal {
  ok: false;
  status: 400 | 403 | 404 | 405;
  reason: string;
}
export type RendererFileResolution = { ok: true; path: string; contentType: string } | RendererRefusal;

/**
 * Maps a URL's pathname (still percent-encoded, as `URL.pathname` gives it) to a file
 * under `root`, or refuses it. `root` must be absolute. Symlinks are checked by
 * `readRendererFile`, which can see the disk.
 */
export function resolveRendererPath(pathname: string, root: string, path: nodePath.PlatformPath = nodePath): RendererFileResolution {
  // The URL parser already folds `..` and `%2e%2e` segments away; decode once more and
  // refuse what would escape after decoding (`..%2f`, `%5c`, `%00`, ...).
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
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
  if (!isInside(root, full, path)) return { ok: false, status: 400, reason: 'outside the renderer folder' };
  const contentType = CONTENT_TYPES[path.extname(full).toLowerCase()];
  if (!contentType) return { ok: false, status: 404, reason: 'not a renderer file type' };
  return { ok: true, path: full, contentType };
}

/** True when `child` lies inside `parent` (both already resolved). */
function isInside(parent: string, child: string, path: nodePath.PlatformPath): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

export interface RendererFiles {
  /** Resolves symlinks; Electron's callback `fs.realpath` also understands app.asar. */
  realpath(path: string): Promise<string>;
  readFile(path: string): Promise<Uint8Array>;
}

const nodeFiles: RendererFiles = {
  realpath: promisify(realpathCallback),
  readFile: promisify(readFileCallback),
};

/**
 * A reader for files resolved under `root`: a file whose real path (symlinks followed)
 * leaves the real renderer folder is refused like a `..` path; a missing one is a 404.
 */
export function createRendererFileReader(
  root: string,
  files: RendererFiles = nodeFiles,
): (resolvedPath: string) => Promise<{ ok: true; body: Uint8Array } | RendererRefusal> {
  const realRoot = files.realpath(root);
  // Unhandled until a request comes; each request awaits it and reports a failure.
  realRoot.catch(() => undefined);
  return async (resolvedPath) => {
    try {
      const [rootPath, filePath] = await Promise.all([realRoot, files.realpath(resolvedPath)]);
      if (!isInside(rootPath, filePath, nodePath)) return { ok: false, status: 403, reason: 'outside the renderer folder' };
      return { ok: true, body: await files.readFile(filePath) };
    } catch {
      return { ok: false, status: 404, reason: 'not found' };
    }
  };
}

/** Headers on every answer of either host: its CSP, no MIME sniffing, no referrer. */
export function rendererHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}
