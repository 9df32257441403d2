import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isTrustedRendererUrl } from '../../electron/main/ipc/trusted-sender';

const APP_PAGE = 'app://topicscope/index.html';
const DEV_SERVER = 'http://localhost:5173/';
const OLD_RENDERER_FILE = pathToFileURL('/opt/Topicscope/resources/app.asar/out/renderer/index.html').href;

describe('isTrustedRendererUrl, packaged (no dev server)', () => {
  it('trusts every page of app://topicscope, with or without a hash or query', () => {
    expect(isTrustedRendererUrl(APP_PAGE)).toBe(true);
    expect(isTrustedRendererUrl(APP_PAGE, null)).toBe(true);
    expect(isTrustedRendererUrl(`${APP_PAGE}#/details`)).toBe(true);
    expect(isTrustedRendererUrl('app://topicscope/?x=1')).toBe(true);
    // Permission checks pass the origin, without a path.
    expect(isTrustedRendererUrl('app://topicscope')).toBe(true);
  });

  it('does not trust another app:// host, a port, credentials or a look-alike', () => {
    expect(isTrustedRendererUrl('app://evil/index.html')).toBe(false);
    expect(isTrustedRendererUrl('app://topicscope.evil/index.html')).toBe(false);
    expect(isTrustedRendererUrl('app://topicscope:1/index.html')).toBe(false);
    expect(isTrustedRendererUrl('app://x@topicscope/index.html')).toBe(false);
    expect(isTrustedRendererUrl('app://topicscope@evil/index.html')).toBe(false);
    expect(isTrustedRendererUrl('apps://topicscope/index.html')).toBe(false);
    expect(isTrustedRendererUrl('https://topicscope/index.html')).toBe(false);
  });

  it('does not trust file:// any more, not even the renderer file itself', () => {
    expect(isTrustedRendererUrl(OLD_RENDERER_FILE)).toBe(false);
    expect(isTrustedRendererUrl('file:///tmp/evil.html')).toBe(false);
  });

  it('does not trust a dev server, web pages or pages without an origin', () => {
    expect(isTrustedRendererUrl(DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl('https://evil.example/index.html')).toBe(false);
    expect(isTrustedRendererUrl('about:blank')).toBe(false);
    expect(isTrustedRendererUrl('data:text/html,<script>1</script>')).toBe(false);
  });
});

describe('isTrustedRendererUrl with a dev server (unpackaged only)', () => {
  it('trusts the app origin and any page of the dev server’s origin', () => {
    expect(isTrustedRendererUrl(APP_PAGE, DEV_SERVER)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5173/', DEV_SERVER)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5173/src/App.svelte?x#y', DEV_SERVER)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5173', DEV_SERVER)).toBe(true);
  });

  it('does not trust another port, scheme, host or a look-alike host', () => {
    expect(isTrustedRendererUrl('http://localhost:5174/', DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl('https://localhost:5173/', DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl('ws://localhost:5173/', DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl('http://127.0.0.1:5173/', DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost.evil.example:5173/', DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173@evil.example/', DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl('http://user@localhost:5173/', DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl(OLD_RENDERER_FILE, DEV_SERVER)).toBe(false);
  });
});

describe('isTrustedRendererUrl with garbage', () => {
  it.each(['', 'not a url', 'http://', '://x', 'localhost:5173', 'app:', 'app:topicscope'])('refuses the frame URL %j', (frameUrl) => {
    expect(isTrustedRendererUrl(frameUrl, DEV_SERVER)).toBe(false);
    expect(isTrustedRendererUrl(frameUrl)).toBe(false);
  });

  it('trusts no dev page when the dev server URL is garbage or not http(s)', () => {
    expect(isTrustedRendererUrl(DEV_SERVER, 'not a url')).toBe(false);
    expect(isTrustedRendererUrl('file:///tmp/x.html', 'file:///tmp/x.html')).toBe(false);
    expect(isTrustedRendererUrl('null', 'null')).toBe(false);
  });
});
