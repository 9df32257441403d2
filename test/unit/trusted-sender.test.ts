import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isTrustedRendererUrl } from '../../electron/main/trusted-sender';

const RENDERER_FILE = pathToFileURL('/opt/Topicscope/resources/app/out/renderer/index.html').href;
const DEV_SERVER = 'http://localhost:5173/';

describe('isTrustedRendererUrl with the packaged renderer file', () => {
  it('trusts the renderer page itself, with or without a hash or query', () => {
    expect(isTrustedRendererUrl(RENDERER_FILE, RENDERER_FILE)).toBe(true);
    expect(isTrustedRendererUrl(`${RENDERER_FILE}#/details`, RENDERER_FILE)).toBe(true);
    expect(isTrustedRendererUrl(`${RENDERER_FILE}?x=1`, RENDERER_FILE)).toBe(true);
  });

  it('does not trust another local file', () => {
    expect(isTrustedRendererUrl(pathToFileURL('/tmp/evil.html').href, RENDERER_FILE)).toBe(false);
    expect(isTrustedRendererUrl(pathToFileURL('/opt/Topicscope/resources/app/out/renderer/other.html').href, RENDERER_FILE)).toBe(false);
    expect(isTrustedRendererUrl(pathToFileURL('/opt/Topicscope/resources/app/out/renderer/index.html.evil').href, RENDERER_FILE)).toBe(false);
  });

  it('does not trust the same path on another host (a network share)', () => {
    const url = new URL(RENDERER_FILE);
    url.host = 'attacker.example';
    expect(url.href.startsWith('file://attacker.example/')).toBe(true);
    expect(isTrustedRendererUrl(url.href, RENDERER_FILE)).toBe(false);
  });

  it('does not trust web pages, even at the same path', () => {
    expect(isTrustedRendererUrl('https://evil.example/opt/Topicscope/resources/app/out/renderer/index.html', RENDERER_FILE)).toBe(false);
    expect(isTrustedRendererUrl(DEV_SERVER, RENDERER_FILE)).toBe(false);
  });
});

describe('isTrustedRendererUrl with the dev server', () => {
  it('trusts any page of the same origin', () => {
    expect(isTrustedRendererUrl('http://localhost:5173/', DEV_SERVER)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5173/src/App.svelte?x#y', DEV_SERVER)).toBe(true);
  });

  it('does not trust another port, scheme, host or a look-alike host', () => {
    expect(isTrustedRendererUrl('http://localhost:5174/', DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl('https://localhost:5173/', DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl('http://127.0.0.1:5173/', DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost.evil.example:5173/', DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173@evil.example/', DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl(RENDERER_FILE, DEV_SERVER)).toBe(false);
  });

  it('does not trust pages without an origin', () => {
    expect(isTrustedRendererUrl('about:blank', DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl('data:text/html,<script>1</script>', DEV_SERVER)).toBe(false);
  });
});

describe('isTrustedRendererUrl with garbage', () => {
  it.each(['', 'not a url', 'http://', '://x', 'localhost:5173'])('refuses the frame URL %j', (frameUrl) => {
    expect(isTrustedRendererUrl(frameUrl, DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl(frameUrl, RENDERER_FILE)).toBe(false);
  });

  it('refuses everything when the expected renderer URL is itself garbage', () => {
    expect(isTrustedRendererUrl(DEV_SERVER, 'not a url')).toBe(false);
    expect(isTrustedRendererUrl('', '')).toBe(false);
  });
});
