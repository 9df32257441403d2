import { describe, expect, it } from 'vitest';
import { devRendererUrl } from '../../electron/main/window/dev-renderer-url';

describe('devRendererUrl (ELECTRON_RENDERER_URL)', () => {
  it('is ignored by a packaged app, whatever it names', () => {
    for (const value of ['http://localhost:5173/', 'http://127.0.0.1:5173', 'https://evil.example/']) {
      expect(devRendererUrl(value, true), value).toBeNull();
    }
  });

  it('is honoured unpackaged for a loopback http dev server', () => {
    expect(devRendererUrl('http://localhost:5173', false)).toBe('http://localhost:5173/');
    expect(devRendererUrl('http://127.0.0.1:5174/', false)).toBe('http://127.0.0.1:5174/');
    expect(devRendererUrl('http://LOCALHOST:5173/', false)).toBe('http://localhost:5173/');
  });

  it('is absent when unset or empty', () => {
    expect(devRendererUrl(undefined, false)).toBeNull();
    expect(devRendererUrl('', false)).toBeNull();
  });

  it.each([
    'https://localhost:5173/',
    'http://evil.example/',
    'http://localhost.evil.example:5173/',
    'http://127.0.0.1.nip.io:5173/',
    'http://localhost:5173@evil.example/',
    'http://user:pass@localhost:5173/',
    'http://192.168.1.10:5173/',
    'http://0.0.0.0:5173/',
    'file:///tmp/evil.html',
    'app://topicscope/index.html',
    'javascript:alert(1)',
    'localhost:5173',
    'not a url',
  ])('refuses %s even unpackaged', (value) => {
    expect(devRendererUrl(value, false)).toBeNull();
  });
});
