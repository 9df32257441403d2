import { describe, expect, it } from 'vitest';
import { isSafeExternalUrl } from '../../electron/core/security/external-url';

describe('isSafeExternalUrl', () => {
  it.each(['https://example.com', 'http://example.com/docs?q=1#x', 'HTTPS://EXAMPLE.COM/', 'https://mosquitto.org/man/mosquitto-conf-5.html'])(
    'allows the web address %j',
    (url) => {
      expect(isSafeExternalUrl(url)).toBe(true);
    },
  );

  it.each(['https://user:pw@example.com/', 'https://user@example.com/', 'http://:pw@example.com/'])(
    'refuses %j, which carries credentials',
    (url) => {
      expect(isSafeExternalUrl(url)).toBe(false);
    },
  );

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'file:///etc/passwd',
    'file://server/share/x.exe',
    'data:text/html,<script>alert(1)</script>',
    'mqtt://broker.example:1883',
    'ms-settings:',
    'vscode://file/etc/passwd',
    'smb://server/share',
    'ftp://example.com/',
    'about:blank',
  ])('refuses the scheme of %j', (url) => {
    expect(isSafeExternalUrl(url)).toBe(false);
  });

  it.each(['', 'example.com', '/relative/path', 'http//example.com', 'https://'])('refuses the non-URL %j', (url) => {
    expect(isSafeExternalUrl(url)).toBe(false);
  });
});
