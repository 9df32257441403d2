/**
 * Serves the built renderer, and nothing else, with the same path rules as the
 * desktop's `app://` handler (renderer-files.ts) and browser mode's CSP.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { browserModeCsp } from '../core/security/content-security-policy';
import { createRendererFileReader, rendererHeaders, resolveRendererPath } from '../core/security/renderer-files';

/** A handler for the renderer folder `root`, sending the CSP that allows this host's `port`. */
export function createStaticFiles(root: string, port: () => number): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const read = createRendererFileReader(root);
  return async (request, response) => {
    const headers = { ...rendererHeaders(browserModeCsp(port())), 'Cache-Control': 'no-store' };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    } catch {
      response.writeHead(400, headers).end('Bad path');
      return;
    }
    const resolved = resolveRendererPath(pathname, root);
    const file = resolved.ok ? await read(resolved.path) : resolved;
    if (!file.ok) {
      response.writeHead(file.status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(file.reason);
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': resolved.ok ? resolved.contentType : 'application/octet-stream' });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  };
}
