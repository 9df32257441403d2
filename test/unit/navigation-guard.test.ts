/**
 * Every web contents is held to the app's page: navigation, frame navigation and
 * redirects elsewhere are cancelled, new windows are denied (http(s) links go to the
 * external-link gateway), webviews are refused. A stand-in web contents records the
 * listeners the guard installs; then each is fired as Electron would.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { guardWebContents, type GuardedContents } from '../../electron/main/window/navigation-guard';

class StandInContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

function guarded(devServerUrl: string | null = null) {
  const contents = new StandInContents();
  const openExternal = vi.fn();
  guardWebContents(contents as unknown as GuardedContents, devServerUrl, openExternal);
  return { contents, openExternal };
}

/** Fires `name` like Electron does (an Event carrying the details) and says whether it was cancelled. */
function fire(contents: StandInContents, name: string, url: string, isMainFrame = true): boolean {
  let prevented = false;
  const event = { url, isMainFrame, isSameDocument: false, frame: null, preventDefault: () => void (prevented = true) };
  expect(contents.listenerCount(name), `${name} has a listener`).toBe(1);
  contents.emit(name, event, url);
  return prevented;
}

const NAVIGATION_EVENTS = ['will-navigate', 'will-frame-navigate', 'will-redirect'];
const AWAY = ['https://evil.example/', 'http://localhost:5173/', 'file:///etc/passwd', 'app://evil/index.html', 'javascript:alert(1)', 'data:text/html,x', 'about:blank'];

describe('guardWebContents', () => {
  it.each(NAVIGATION_EVENTS)('%s: cancels every URL that is not the app', (name) => {
    const { contents } = guarded();
    for (const url of AWAY) expect(fire(contents, name, url), url).toBe(true);
  });

  it.each(NAVIGATION_EVENTS)('%s: lets the app’s own page through', (name) => {
    const { contents } = guarded();
    expect(fire(contents, name, 'app://topicscope/index.html')).toBe(false);
    expect(fire(contents, name, 'app://topicscope/index.html#/topic')).toBe(false);
  });

  it('cancels any sub-frame navigation, even to the app (the app has no frames)', () => {
    const { contents } = guarded();
    expect(fire(contents, 'will-frame-navigate', 'app://topicscope/index.html', false)).toBe(true);
  });

  it('with a dev server, lets its origin through and nothing else', () => {
    const { contents } = guarded('http://localhost:5173/');
    for (const name of NAVIGATION_EVENTS) {
      expect(fire(contents, name, 'http://localhost:5173/'), name).toBe(false);
      expect(fire(contents, name, 'http://localhost:5174/'), name).toBe(true);
    }
  });

  it('denies every new window, passing the URL to the external-link gateway', () => {
    const { contents, openExternal } = guarded();
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://topicscope/index.html' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls.map((call) => String(call[0]))).toEqual(['https://example.com/', 'app://topicscope/index.html']);
  });

  it('refuses to attach a webview', () => {
    const { contents } = guarded();
    expect(fire(contents, 'will-attach-webview', 'about:blank')).toBe(true);
  });
});
