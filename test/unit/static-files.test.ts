/**
 * The browser-mode host serves the built renderer and nothing else, on real files: the
 * same path rules as the desktop's app:// handler (renderer-files.ts), and its CSP on
 * every answer.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticFiles } from '../../electron/web/static-files';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'topicscope-static-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<div id="app"></div>');
  writeFileSync(join(root, 'assets', 'a b.js'), 'export {}');
  writeFileSync(join(base, 'secret.txt'), 'secret');
  writeFileSync(join(base, 'secret.js'), 'secret');
  symlinkSync(join(base, 'secret.js'), join(root, 'assets', 'link.js'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function get(url: string, method = 'GET'): Promise<Answer> {
  const answer: Answer = { status: 0, headers: {}, body: '' };
  const response = {
    writeHead(status: number, headers: Record<string, string> = {}) {
      answer.status = status;
      answer.headers = headers;
      return this;
    },
    end(body?: string | Uint8Array) {
      answer.body = body === undefined ? '' : Buffer.from(body).toString();
      return this;
    },
  };
  await createStaticFiles(root, () => 4321)({ method, url } as IncomingMessage, response as unknown as ServerResponse);
  return answer;
}

describe('browser mode static files', () => {
  it('serves index.html for "/" and assets by their encoded names, with the CSP and types', async () => {
    const index = await get('/');
    expect(index).toMatchObject({ status: 200, body: '<div id="app"></div>' });
    expect(index.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(index.headers['Content-Security-Policy']).toContain('ws://127.0.0.1:4321');
    expect(index.headers['X-Content-Type-Options']).toBe('nosniff');
    expect(await get('/assets/a%20b.js')).toMatchObject({ status: 200, body: 'export {}' });
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.js',
    '/assets/%2e%2e/%2e%2e/secret.js',
    '/..%2fsecret.js',
    '/..%5csecret.js',
    '/index.html%00.js',
    '/%',
    '/%c0%af',
  ])('never serves anything for %j', async (url) => {
    const answer = await get(url);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.body).not.toContain('secret');
    expect(answer.headers['Content-Security-Policy']).toBeTruthy();
  });

  it('refuses a symlink that leads out of the renderer folder', async () => {
    expect(await get('/assets/link.js')).toMatchObject({ status: 403 });
  });

  it('refuses file types the build does not produce, and methods other than GET and HEAD', async () => {
    expect((await get('/assets/index.js.map')).status).toBe(404);
    expect((await get('/', 'POST')).status).toBe(405);
    expect(await get('/', 'HEAD')).toMatchObject({ status: 200, body: '' });
  });
});
