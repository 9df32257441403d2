/**
 * The app:// protocol handler serves the built renderer and nothing else: the pure
 * URL → file guard, then the handler on real files (symlinks included).
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, appSchemePrivileges, createAppProtocolHandler, resolveAppRequest } from '../../electron/main/window/app-protocol';
import { DESKTOP_CSP } from '../../electron/core/security/content-security-policy';

const ROOT = '/opt/Topicscope/resources/app.asar/out/renderer';

describe('appSchemePrivileges', () => {
  it('registers app as standard, secure and fetchable, and grants nothing more', () => {
    expect(appSchemePrivileges()).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(APP_ENTRY_URL).toBe('app://topicscope/index.html');
  });
});

describe('resolveAppRequest', () => {
  it('maps app://topicscope/ paths to files in the renderer folder, with their types', () => {
    expect(resolveAppRequest('app://topicscope/index.html', 'GET', ROOT)).toEqual({ ok: true, path: `${ROOT}/index.html`, contentType: 'text/html; charset=utf-8' });
    expect(resolveAppRequest('app://topicscope/', 'GET', ROOT)).toMatchObject({ ok: true, path: `${ROOT}/index.html` });
    expect(resolveAppRequest('app://topicscope/assets/index-abc.js?v=1#x', 'GET', ROOT)).toEqual({
      ok: true,
      path: `${ROOT}/assets/index-abc.js`,
      contentType: 'text/javascript; charset=utf-8',
    });
    expect(resolveAppRequest('app://topicscope/assets/index-abc.css', 'GET', ROOT)).toMatchObject({ contentType: 'text/css; charset=utf-8' });
    expect(resolveAppRequest('app://topicscope/icon.SVG', 'GET', ROOT)).toMatchObject({ contentType: 'image/svg+xml' });
    expect(resolveAppRequest('app://topicscope/my%20file.png', 'GET', ROOT)).toMatchObject({ ok: true, path: `${ROOT}/my file.png` });
  });

  it.each(['POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'get'])('refuses the method %s', (method) => {
    expect(resolveAppRequest('app://topicscope/index.html', method, ROOT)).toMatchObject({ ok: false, status: 405 });
  });

  it.each([
    'app://evil/index.html',
    'app://topicscope.evil/index.html',
    'app://topicscope:8080/index.html',
    'app://user:pass@topicscope/index.html',
    'app://user@topicscope/index.html',
    'file:///opt/Topicscope/resources/app.asar/out/renderer/index.html',
    'https://topicscope/index.html',
    'app:///index.html',
  ])('refuses another host or scheme: %s', (url) => {
    expect(resolveAppRequest(url, 'GET', ROOT)).toMatchObject({ ok: false });
  });

  it.each([
    'app://topicscope/..%2f..%2fmain%2findex.js',
    'app://topicscope/assets/..%2F..%2F..%2Fapp.asar',
    'app://topicscope/..%5c..%5cmain%5cindex.js',
    'app://topicscope/%5c%5cserver%5cshare%5cx.html',
    'app://topicscope/C:%5cWindows%5cwin.ini',
    'app://topicscope/C:/Windows/win.ini',
    'app://topicscope//etc/passwd.html',
    'app://topicscope/%2fetc%2fpasswd.html',
    'app://topicscope/index.html%00.png',
    'app://topicscope/%E0%A4%A',
  ])('refuses a path that could leave the folder: %s', (url) => {
    const result = resolveAppRequest(url, 'GET', ROOT);
    expect(result.ok, JSON.stringify(result)).toBe(false);
  });

  it('never maps to a file outside the folder, whatever the URL parser folds (%2e%2e, ..)', () => {
    for (const url of ['app://topicscope/%2e%2e/%2e%2e/etc/passwd.html', 'app://topicscope/../../etc/passwd.html', 'app://topicscope/assets/./../.%2E/x.js', 'app://topicscope/%252e%252e/%252e%252e/etc/passwd.html']) {
      const result = resolveAppRequest(url, 'GET', ROOT);
      if (result.ok) expect(result.path.startsWith(`${ROOT}/`), result.path).toBe(true);
    }
  });

  it('refuses file types the renderer build does not produce', () => {
    expect(resolveAppRequest('app://topicscope/assets/index.js.map', 'GET', ROOT)).toMatchObject({ ok: false, status: 404 });
    expect(resolveAppRequest('app://topicscope/secrets', 'GET', ROOT)).toMatchObject({ ok: false, status: 404 });
    expect(resolveAppRequest('app://topicscope/app.asar', 'GET', ROOT)).toMatchObject({ ok: false, status: 404 });
  });

  it('with Windows paths, keeps drive letters and UNC shares out', () => {
    const root = 'C:\\Program Files\\Topicscope\\resources\\app.asar\\out\\renderer';
    expect(resolveAppRequest('app://topicscope/assets/a.js', 'GET', root, path.win32)).toMatchObject({ ok: true, path: `${root}\\assets\\a.js` });
    for (const url of ['app://topicscope/D:/x.html', 'app://topicscope/%5c%5cserver%5cshare%5cx.html', 'app://topicscope/..%5cx.html', 'app://topicscope/a/..%5c..%5cx.html']) {
      expect(resolveAppRequest(url, 'GET', root, path.win32), url).toMatchObject({ ok: false });
    }
  });
});

describe('createAppProtocolHandler on real files', () => {
  let base: string;
  let root: string;

  beforeAll(() => {
    base = realpathSync(mkdtempSync(path.join(tmpdir(), 'topicscope-protocol-')));
    root = path.join(base, 'renderer');
    mkdirSync(path.join(root, 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(path.join(root, 'assets', 'app.js'), 'export {};');
    writeFileSync(path.join(base, 'secret.json'), '{"password":"hunter2"}');
    symlinkSync(path.join(base, 'secret.json'), path.join(root, 'leak.json'));
    symlinkSync(base, path.join(root, 'up'));
    symlinkSync(path.join(root, 'assets', 'app.js'), path.join(root, 'alias.js'));
  });

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const get = (url: string, method = 'GET') => createAppProtocolHandler(root)(new Request(url, { method }));

  it('serves a file with its type, the desktop CSP and nosniff', async () => {
    const response = await get('app://topicscope/index.html');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<!doctype html><title>app</title>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await get('app://topicscope/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('refuses symlinks that lead out of the folder, and serves ones that stay inside', async () => {
    const leak = await get('app://topicscope/leak.json');
    expect(leak.status).toBe(403);
    expect(await leak.text()).not.toContain('hunter2');
    expect((await get('app://topicscope/up/secret.json')).status).toBe(403);
    expect(await (await get('app://topicscope/alias.js')).text()).toBe('export {};');
  });

  it('answers 404 for missing files and folders, 405 for POST, 403 for other hosts', async () => {
    expect((await get('app://topicscope/missing.html')).status).toBe(404);
    expect((await get('app://topicscope/assets.js')).status).toBe(404);
    expect((await get('app://topicscope/index.html', 'POST')).status).toBe(405);
    const other = await get('app://other/index.html');
    expect(other.status).toBe(403);
    expect(other.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
  });

  it('refuses everything when the renderer folder itself is missing', async () => {
    const handler = createAppProtocolHandler(path.join(base, 'nowhere'));
    expect((await handler(new Request('app://topicscope/index.html'))).status).toBe(404);
  });
});
