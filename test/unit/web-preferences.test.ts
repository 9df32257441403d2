import { describe, expect, it } from 'vitest';

describe('secureWebPreferences', () => {
  it('loads under plain Node: the module imports only types from electron', async () => {
    await expect(import('../../electron/main/window/web-preferences')).resolves.toHaveProperty('secureWebPreferences');
  });

  it('isolates and sandboxes the renderer, with no Node integration anywhere', async () => {
    const { secureWebPreferences } = await import('../../electron/main/window/web-preferences');
    const prefs = secureWebPreferences('/app/out/preload/index.cjs');
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
  });

  it('passes the preload path through unchanged', async () => {
    const { secureWebPreferences } = await import('../../electron/main/window/web-preferences');
    expect(secureWebPreferences('/app/out/preload/index.cjs').preload).toBe('/app/out/preload/index.cjs');
    expect(secureWebPreferences('C:\\Program Files\\Topicscope\\preload.cjs').preload).toBe('C:\\Program Files\\Topicscope\\preload.cjs');
  });

  it('returns a fresh object each call, so one window cannot loosen another', async () => {
    const { secureWebPreferences } = await import('../../electron/main/window/web-preferences');
    const a = secureWebPreferences('/p');
    a.sandbox = false;
    expect(secureWebPreferences('/p').sandbox).toBe(true);
  });
});
