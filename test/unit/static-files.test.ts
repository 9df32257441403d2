import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInside } from '../../electron/web/static-files';

const ROOT = resolve('/srv/topicscope/renderer');

/** Whether a path is the root or below it. */
const inside = (path: string): boolean => path === ROOT || path.startsWith(ROOT + sep);

describe('resolveInside', () => {
  it('serves index.html for "/"', () => {
    expect(resolveInside(ROOT, '/')).toBe(join(ROOT, 'index.html'));
  });

  it('resolves files and nested assets inside the root', () => {
    expect(resolveInside(ROOT, '/assets/x.js')).toBe(join(ROOT, 'assets', 'x.js'));
    expect(resolveInside(ROOT, '/index.html')).toBe(join(ROOT, 'index.html'));
    expect(resolveInside(ROOT, '/assets/a%20b.css')).toBe(join(ROOT, 'assets', 'a b.css'));
  });

  it('accepts a root given with a trailing separator', () => {
    expect(resolveInside(ROOT + sep, '/assets/x.js')).toBe(join(ROOT, 'assets', 'x.js'));
  });

  it('does not treat a sibling folder that shares the root name as inside', () => {
    const escaped = resolveInside(ROOT, '/%2e%2e/renderer-evil/x.js');
    expect(escaped === null || inside(escaped)).toBe(true);
  });

  const traversals = [
    '/../etc/passwd',
    '/%2e%2e/secret',
    '/%2E%2E/secret',
    '/a/../../b',
    '/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2fetc%2fpasswd',
    '/..%5c..%5cwindows%5cwin.ini',
  ];

  it.each(traversals)('never resolves %j outside the root', (urlPath) => {
    const result = resolveInside(ROOT, urlPath);
    if (result !== null) expect(inside(result), result).toBe(true);
  });

  it.each(['/../etc/passwd', '/%2e%2e/secret', '/a/../../b'])('refuses the traversal attempt %j outright', (urlPath) => {
    expect(resolveInside(ROOT, urlPath)).toBeNull();
  });

  it.each(['/index.html%00.js', '/%00', '/assets/\u0000x.js'])('refuses a NUL byte in %j', (urlPath) => {
    expect(resolveInside(ROOT, urlPath)).toBeNull();
  });

  it.each(['/%', '/%zz', '/assets/%e0%a4%a', '/%c0%af'])('refuses malformed percent-encoding %j', (urlPath) => {
    expect(resolveInside(ROOT, urlPath)).toBeNull();
  });
});
