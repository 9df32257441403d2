/**
 * Where the renderer's CSP comes from in each mode. There is no meta policy in
 * index.html (it would be enforced on top of every header, so it would have to allow
 * browser mode's WebSocket in the desktop app too); each host sends a header: the
 * app:// handler and the dev server the desktop policy, browser mode its own.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESKTOP_CSP, DEV_SERVER_CSP } from '../../electron/core/security/content-security-policy';
import { createStaticFiles } from '../../electron/web/static-files';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

describe('the desktop CSP (app:// header)', () => {
  const policy = directives(DESKTOP_CSP);

  it('allows scripts and styles from the app only, and nothing by default', () => {
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
  });

  it('opens no network: no ws:, http(s): or wildcard source anywhere (MQTT runs in main)', () => {
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(DESKTOP_CSP).not.toMatch(/ws:|wss:|http:|https:|\*|unsafe-|127\.0\.0\.1|localhost/);
  });
});

describe('the dev server CSP', () => {
  it('is the desktop policy plus inline styles for Vite’s injected CSS, never inline scripts', () => {
    const dev = directives(DEV_SERVER_CSP);
    const desktop = directives(DESKTOP_CSP);
    expect(dev.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(dev.get('script-src')).toEqual(["'self'"]);
    for (const [name, values] of desktop) if (name !== 'style-src') expect(dev.get(name), name).toEqual(values);
  });

  it('is what `electron-vite dev` sends with the renderer', async () => {
    const config = (await import('../../electron.vite.config')).default as { renderer?: { server?: { headers?: Record<string, string> } } };
    expect(config.renderer?.server?.headers?.['Content-Security-Policy']).toBe(DEV_SERVER_CSP);
  });
});

describe('renderer/index.html', () => {
  const source = readFileSync('renderer/index.html', 'utf8');

  it('carries no CSP meta, so no host’s header is intersected with a looser or stricter one', () => {
    expect(source).not.toMatch(/http-equiv\s*=\s*["']?content-security-policy/i);
  });

  it('is built without inline scripts or styles, which the header policies would block', () => {
    const built = resolve('out/renderer/index.html');
    expect(existsSync(built), 'run `npm run build` first').toBe(true);
    const html = readFileSync(built, 'utf8');
    expect(html).not.toMatch(/http-equiv\s*=\s*["']?content-security-policy/i);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/i);
  });
});

describe('browser mode (electron/web/static-files.ts) does not rely on the meta', () => {
  it('sends its own CSP header with its WebSocket in connect-src', async () => {
    const sent: { status?: number; headers?: Record<string, string> } = {};
    const response = {
      writeHead(status: number, headers?: Record<string, string>) {
        sent.status = status;
        sent.headers = headers;
        return this;
      },
      end() {
        return this;
      },
    };
    await createStaticFiles(resolve('out/renderer'), () => 45123)({ method: 'GET', url: '/' } as IncomingMessage, response as unknown as ServerResponse);
    expect(sent.status).toBe(200);
    const policy = directives(sent.headers?.['Content-Security-Policy'] ?? '');
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:45123']);
    // Everything else is the desktop policy: one list, so the two cannot drift apart.
    const desktop = directives(DESKTOP_CSP);
    for (const [name, values] of desktop) if (name !== 'connect-src') expect(policy.get(name), name).toEqual(values);
    expect(policy.size).toBe(desktop.size);
  });
});
