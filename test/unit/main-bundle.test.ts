/**
 * The built main process (out/main/index.js), started under plain Node with a
 * stand-in `electron` module (test/unit/stand-in/): the window loads the renderer
 * through app://topicscope, whose handler serves the built renderer with the CSP
 * header; ELECTRON_RENDERER_URL steers only an unpackaged app to a loopback dev
 * server; and the handlers main installs refuse what they must. Needs `npm run build`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DESKTOP_CSP } from '../../electron/core/security/content-security-policy';
import { COMMAND_NAMES } from '../../shared/ipc/channel-names';

const run = promisify(execFile);
const MAIN = resolve('out/main/index.js');
const REGISTER = resolve('test/unit/stand-in/register.mjs');
const folders: string[] = [];

interface Probes {
  protocol?: { url: string; method?: string }[];
  permissions?: { permission: string; origin: string; isMainFrame?: boolean }[];
  navigation?: string[];
  windowOpen?: string[];
  ipcFrames?: string[];
  menuClicks?: [menu: string, item: string][];
  /** Sent as the app page after the other probes, through main's real handlers. */
  commands?: { channel: string; args: unknown }[];
}

interface Report {
  sequence: { step: string; ready: boolean }[];
  privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[];
  protocolSchemes: string[];
  loadedUrl: string | null;
  webPreferences: Record<string, unknown> | null;
  devicePermission: boolean | null;
  ipcChannels: number;
  ipcHandled: string[];
  ipcListened: string[];
  ipcRefusals: { channel: string; frame: string | null; code: string }[];
  appInfo: { ok: boolean; value?: { mode: string } } | null;
  windows: { loadedUrl: string | null; show: boolean | null; webPreferences: Record<string, unknown> | null }[];
  applicationMenu: (string | null)[] | null;
  applicationMenuItems: { menu: string | null; label: string | null; role: string | null; accelerator: string | null; registerAccelerator: boolean | null }[];
  menuClicks: { menu: string; label: string; found: boolean; sent: [channel: string, payload: unknown][] }[];
  protocol: { url: string; method: string; status: number; contentType: string | null; csp: string | null; body: string }[];
  permissions: { permission: string; origin: string; isMainFrame: boolean; check: boolean; request: boolean }[];
  navigation: { event: string; url: string; listeners: number; prevented: boolean }[];
  webviewPrevented: boolean;
  windowOpen: { url: string; result: { action: string } | null }[];
  openedExternally: string[];
  ipc: { channel: string; url: string; result: { ok: boolean; error?: { code: string; message: string } } }[];
  errorBoxes: { title: string; content: string }[];
  commands: { channel: string; result: { ok: boolean; value?: unknown; error?: { code: string; message: string } } | null }[];
  /** Not printed by the stand-in: main's stderr, and what main wrote to its log file. */
  stderr: string;
  log: string;
}

/** A folder for the stand-in's app.getPath(name), which is <folder>/<name>. */
function newAppFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'topicscope-main-'));
  folders.push(folder);
  return folder;
}

async function startMain(options: { packaged: boolean; rendererUrl?: string; probes?: Probes; appFolder?: string }): Promise<Report> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first.`);
  const userData = options.appFolder ?? newAppFolder();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    STANDIN_USER_DATA: userData,
    STANDIN_PACKAGED: options.packaged ? '1' : '0',
    STANDIN_PROBES: JSON.stringify(options.probes ?? {}),
  };
  if (options.rendererUrl !== undefined) env['ELECTRON_RENDERER_URL'] = options.rendererUrl;
  const { stdout, stderr } = await run(process.execPath, ['--import', REGISTER, MAIN], { env, timeout: 20_000 });
  // The stand-in's app.getPath(name) is <STANDIN_USER_DATA>/<name>.
  const logs = join(userData, 'userData', 'logs');
  const log = existsSync(logs) ? readdirSync(logs).map((file) => readFileSync(join(logs, file), 'utf8')).join('') : '';
  return { ...(JSON.parse(stdout) as Omit<Report, 'stderr' | 'log'>), stderr, log };
}

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const builtIndex = existsSync('out/renderer/index.html') ? readFileSync('out/renderer/index.html', 'utf8') : '';
const scriptAsset = /<script[^>]+src="\.\/(assets\/[^"]+\.js)"/.exec(builtIndex)?.[1] ?? 'assets/missing.js';
const styleAsset = /<link[^>]+href="\.\/(assets\/[^"]+\.css)"/.exec(builtIndex)?.[1] ?? 'assets/missing.css';

describe('the built main process, packaged', { timeout: 60_000 }, () => {
  const probes: Probes = {
    protocol: [
      { url: 'app://topicscope/index.html' },
      { url: 'app://topicscope/' },
      { url: `app://topicscope/${scriptAsset}` },
      { url: `app://topicscope/${styleAsset}` },
      { url: 'app://topicscope/index.html', method: 'POST' },
      { url: 'app://topicscope/..%2fmain%2findex.js' },
      { url: 'app://topicscope/%2e%2e/main/index.js' },
      { url: 'app://elsewhere/index.html' },
    ],
    permissions: [
      { permission: 'clipboard-sanitized-write', origin: 'app://topicscope' },
      { permission: 'clipboard-sanitized-write', origin: 'https://evil.example' },
      { permission: 'clipboard-read', origin: 'app://topicscope' },
      { permission: 'notifications', origin: 'app://topicscope' },
      { permission: 'clipboard-sanitized-write', origin: 'http://localhost:5173' },
    ],
    navigation: ['https://evil.example/', 'file:///etc/passwd', 'app://topicscope/index.html'],
    windowOpen: ['https://example.com/docs', 'file:///etc/passwd'],
    ipcFrames: ['https://evil.example/', 'file:///opt/Topicscope/resources/app.asar/out/renderer/index.html', 'app://topicscope/index.html'],
    menuClicks: [['File', 'New Tab'], ['Help', 'Keyboard Shortcuts']],
  };
  let report: Report;

  it('starts, registers app:// as privileged before ready and handles it before the window loads', async () => {
    report = await startMain({ packaged: true, probes });
    expect(report.errorBoxes).toEqual([]);
    const steps = report.sequence.map((s) => s.step);
    expect(report.sequence.find((s) => s.step === 'registerSchemesAsPrivileged')?.ready).toBe(false);
    expect(report.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(report.protocolSchemes).toEqual(['app']);
    expect(steps.indexOf('protocol.handle:app')).toBeLessThan(steps.indexOf('new BrowserWindow'));
    expect(steps.indexOf('setPermissionCheckHandler')).toBeLessThan(steps.indexOf('new BrowserWindow'));
    expect(steps.indexOf('setPermissionRequestHandler')).toBeLessThan(steps.indexOf('new BrowserWindow'));
  });

  it('loads without an error: nothing on stderr, no error in the log, no error dialog', () => {
    expect(report.stderr).toBe('');
    expect(report.log).toMatch(/INFO \[app\] Topicscope .* started/);
    expect(report.log).not.toMatch(/ ERROR /);
    expect(report.log).not.toMatch(/ WARN /);
    expect(report.errorBoxes).toEqual([]);
    expect(report.sequence.map((s) => s.step)).not.toContain('quit');
  });

  it('opens one window, hidden until ready, with the secure web preferences and the built preload', () => {
    expect(report.windows).toHaveLength(1);
    const [window] = report.windows;
    expect(window?.show).toBe(false);
    expect(window?.webPreferences).toEqual({
      preload: resolve('out/preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    });
    expect(existsSync(String(window?.webPreferences?.['preload'])), 'the preload file main names exists').toBe(true);
  });

  it('loads the renderer from app://topicscope/index.html, in the sandboxed window', () => {
    expect(report.loadedUrl).toBe('app://topicscope/index.html');
    expect(report.windows[0]?.loadedUrl).toBe('app://topicscope/index.html');
    expect(report.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });

  it('installs the application menu and the permission handlers once each, before the window', () => {
    expect(report.applicationMenu).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    const steps = report.sequence.map((s) => s.step);
    for (const step of ['setApplicationMenu', 'setPermissionCheckHandler', 'setPermissionRequestHandler', 'setDevicePermissionHandler']) {
      expect(steps.filter((s) => s === step), step).toHaveLength(1);
      expect(steps.indexOf(step), step).toBeLessThan(steps.indexOf('new BrowserWindow'));
    }
  });

  it('shows the shortcut table\'s keys in the menu, left to the page, and Ctrl+W closes the tab, not the window', () => {
    const keys = (label: string) => report.applicationMenuItems.find((i) => i.label === label);
    // The stand-in runs on this machine's platform; these keys are the same on every one.
    expect(keys('New Tab')).toMatchObject({ menu: 'File', accelerator: 'CmdOrCtrl+T', registerAccelerator: false });
    expect(keys('Close Tab')).toMatchObject({ menu: 'File', accelerator: 'CmdOrCtrl+W', registerAccelerator: false });
    expect(keys('Filter Topics')).toMatchObject({ menu: 'View', accelerator: 'CmdOrCtrl+F', registerAccelerator: false });
    expect(keys('Hide/Show Profiles')).toMatchObject({ menu: 'View', accelerator: 'CmdOrCtrl+B', registerAccelerator: false });
    expect(report.applicationMenuItems.find((i) => i.label?.startsWith('Settings'))).toMatchObject({ accelerator: 'CmdOrCtrl+,', registerAccelerator: false });
    expect(keys('Keyboard Shortcuts')).toMatchObject({ menu: 'Help', accelerator: null });
    expect(report.applicationMenuItems.filter((i) => i.role === 'close')).toEqual([
      { menu: 'File', label: 'Close Window', role: 'close', accelerator: 'CmdOrCtrl+Shift+W', registerAccelerator: null },
    ]);
  });

  it('runs a menu item in the window: clicking New Tab sends the command to the focused window\'s page', () => {
    expect(report.menuClicks).toEqual([
      { menu: 'File', label: 'New Tab', found: true, sent: [['app:menu-command', { command: 'new-tab' }]] },
      { menu: 'Help', label: 'Keyboard Shortcuts', found: true, sent: [['app:menu-command', { command: 'shortcuts' }]] },
    ]);
  });

  it('registers exactly one handler per contract command, and no other channel but electron-store\'s', () => {
    expect(report.ipcHandled.length, 'each channel once').toBe(new Set(report.ipcHandled).size);
    expect([...report.ipcHandled].sort()).toEqual([...COMMAND_NAMES].sort());
    // electron-store's constructor answers this sendSync with the user-data path and the
    // app version; the page cannot send it (the preload exposes no send), and nothing else may listen.
    expect(report.ipcListened).toEqual(['electron-store-get-data']);
    expect(report.sequence.findIndex((s) => s.step === 'new BrowserWindow')).toBeGreaterThan(0);
  });

  it('every channel refuses a web page and a vanished frame with UNTRUSTED_SENDER, and serves the app page', () => {
    expect(report.ipcRefusals).toHaveLength(COMMAND_NAMES.length * 2);
    for (const refusal of report.ipcRefusals) expect(refusal.code, `${refusal.channel} from ${refusal.frame}`).toBe('UNTRUSTED_SENDER');
    expect(report.appInfo).toMatchObject({ ok: true, value: { mode: 'electron' } });
  });

  it('serves the built page and its assets with their types and the desktop CSP header', () => {
    const [page, root, script, style] = report.protocol;
    expect(page).toMatchObject({ status: 200, contentType: 'text/html; charset=utf-8', csp: DESKTOP_CSP });
    expect(page?.body).toBe(builtIndex);
    expect(root).toMatchObject({ status: 200, body: builtIndex });
    expect(script).toMatchObject({ status: 200, contentType: 'text/javascript; charset=utf-8' });
    expect(style).toMatchObject({ status: 200, contentType: 'text/css; charset=utf-8' });
  });

  it('refuses other methods, paths out of the renderer folder and other hosts', () => {
    const [, , , , post, encodedSlash, encodedDots, otherHost] = report.protocol;
    expect(post?.status).toBe(405);
    expect(encodedSlash?.status).toBe(400);
    // The URL parser folds %2e%2e away: it asks for renderer/main/index.js, which is not there.
    expect(encodedDots?.status).toBe(404);
    expect(otherHost?.status).toBe(403);
    for (const refused of [post, encodedSlash, encodedDots, otherHost]) expect(refused?.body).not.toContain('import ');
  });

  it('grants the clipboard write to the app page only, and nothing else', () => {
    expect(report.permissions.map((p) => [p.permission, p.origin, p.check, p.request])).toEqual([
      ['clipboard-sanitized-write', 'app://topicscope', true, true],
      ['clipboard-sanitized-write', 'https://evil.example', false, false],
      ['clipboard-read', 'app://topicscope', false, false],
      ['notifications', 'app://topicscope', false, false],
      // A packaged app trusts no dev server.
      ['clipboard-sanitized-write', 'http://localhost:5173', false, false],
    ]);
    expect(report.devicePermission).toBe(false);
  });

  it('guards the window’s web contents: navigation, frame navigation and redirects away are cancelled', () => {
    for (const n of report.navigation) expect(n.listeners, n.event).toBe(1);
    const prevented = report.navigation.map((n) => [n.event, n.url, n.prevented]);
    expect(prevented).toEqual([
      ['will-navigate', 'https://evil.example/', true],
      ['will-frame-navigate', 'https://evil.example/', true],
      ['will-redirect', 'https://evil.example/', true],
      ['will-navigate', 'file:///etc/passwd', true],
      ['will-frame-navigate', 'file:///etc/passwd', true],
      ['will-redirect', 'file:///etc/passwd', true],
      ['will-navigate', 'app://topicscope/index.html', false],
      ['will-frame-navigate', 'app://topicscope/index.html', false],
      ['will-redirect', 'app://topicscope/index.html', false],
    ]);
    expect(report.webviewPrevented).toBe(true);
  });

  it('denies new windows, handing only http(s) links to the system browser', () => {
    expect(report.windowOpen.map((w) => w.result)).toEqual([{ action: 'deny' }, { action: 'deny' }]);
    expect(report.openedExternally).toEqual(['https://example.com/docs']);
  });

  it('answers IPC from the app page only (not a web page, not file://)', () => {
    expect(report.ipcChannels).toBe(COMMAND_NAMES.length);
    const [web, file, own] = report.ipc;
    expect(web?.result.error).toMatchObject({ code: 'UNTRUSTED_SENDER', message: expect.stringMatching(/not Topicscope/) });
    expect(file?.result.error).toMatchObject({ code: 'UNTRUSTED_SENDER', message: expect.stringMatching(/not Topicscope/) });
    // The app page gets past the sender check to argument validation.
    expect(own?.result.error?.code).toBe('INVALID_INPUT');
  });
});

describe('ELECTRON_RENDERER_URL in the built main process', { timeout: 60_000 }, () => {
  const probes: Probes = {
    permissions: [{ permission: 'clipboard-sanitized-write', origin: 'http://localhost:5173' }],
    ipcFrames: ['http://localhost:5173/'],
  };

  it('is ignored by a packaged app, which still trusts no dev server', async () => {
    const report = await startMain({ packaged: true, rendererUrl: 'http://localhost:5173/', probes });
    expect(report.loadedUrl).toBe('app://topicscope/index.html');
    expect(report.permissions[0]?.check).toBe(false);
    expect(report.ipc[0]?.result.error?.message).toMatch(/not Topicscope/);
  });

  it('is honoured by an unpackaged app for a loopback http dev server, which is then trusted', async () => {
    const report = await startMain({ packaged: false, rendererUrl: 'http://localhost:5173/', probes });
    expect(report.loadedUrl).toBe('http://localhost:5173/');
    expect(report.permissions[0]?.check).toBe(true);
    expect(report.ipc[0]?.result.error?.message ?? '').not.toMatch(/not Topicscope/);
  });

  it('is ignored by an unpackaged app when it names another host', async () => {
    const report = await startMain({ packaged: false, rendererUrl: 'https://evil.example/', probes: { ipcFrames: ['https://evil.example/'] } });
    expect(report.loadedUrl).toBe('app://topicscope/index.html');
    expect(report.ipc[0]?.result.error?.message).toMatch(/not Topicscope/);
  });
});

describe('settings in the built main process (electron-store in the user data folder)', { timeout: 60_000 }, () => {
  const chosen = { theme: 'dark', historyPerTopic: 3, historyBudgetMiB: 64, timeFormat: 'utc', defaultMqttVersion: '3.1.1', density: 'compact' };
  const get = { channel: 'settings:get', args: {} };
  const settingsFile = (appFolder: string): string => join(appFolder, 'userData', 'settings.json');

  it('serves the defaults, saves what the page sets, reads it back, and still has it on the next start', async () => {
    const appFolder = newAppFolder();
    const first = await startMain({ packaged: true, appFolder, probes: { commands: [get, { channel: 'settings:set', args: { settings: chosen } }, get] } });
    expect(first.errorBoxes).toEqual([]);
    const [before, saved, after] = first.commands;
    expect(before?.result).toEqual({ ok: true, value: { settings: { theme: 'system', historyPerTopic: 50, historyBudgetMiB: 128, timeFormat: 'local', defaultMqttVersion: '5', density: 'comfortable' }, recovery: null } });
    expect(saved?.result).toEqual({ ok: true, value: { settings: chosen } });
    expect(after?.result).toEqual({ ok: true, value: { settings: chosen, recovery: null } });
    // electron-store's own file, under the name given to it.
    expect(JSON.parse(readFileSync(settingsFile(appFolder), 'utf8'))).toMatchObject(chosen);

    const second = await startMain({ packaged: true, appFolder, probes: { commands: [get] } });
    expect(second.commands[0]?.result).toEqual({ ok: true, value: { settings: chosen, recovery: null } });
  });

  it('refuses an invalid value naming the field, and keeps the settings it had', async () => {
    const appFolder = newAppFolder();
    const report = await startMain({ packaged: true, appFolder, probes: { commands: [{ channel: 'settings:set', args: { settings: { ...chosen, historyPerTopic: 0 } } }, get] } });
    expect(report.commands[0]?.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('Messages kept per topic must be a whole number from 1 to 10000.') } });
    expect(report.commands[1]?.result).toMatchObject({ ok: true, value: { settings: { historyPerTopic: 50, theme: 'system' } } });
  });

  it.each([
    ['not JSON', '{ "theme": "dark", trunc', /^it is not valid JSON/],
    ['valid JSON but not an object', '["dark"]', /^it holds a list, not a settings object$/],
  ])('keeps a settings file that is %s as a backup, serves the defaults, and tells the page once', async (_kind, damaged, problem) => {
    const appFolder = newAppFolder();
    mkdirSync(join(appFolder, 'userData'), { recursive: true });
    writeFileSync(settingsFile(appFolder), damaged);
    const report = await startMain({ packaged: true, appFolder, probes: { commands: [get] } });
    expect(report.errorBoxes).toEqual([]);
    const result = report.commands[0]?.result as { ok: true; value: { settings: Record<string, unknown>; recovery: { backupPath: string; problem: string } } };
    expect(result.value.settings).toMatchObject({ theme: 'system', historyPerTopic: 50 });
    expect(result.value.recovery.problem).toMatch(problem);
    expect(result.value.recovery.backupPath).toMatch(/userData\/settings\.json\.corrupt-[\dT:.Z-]+$/);
    expect(readFileSync(result.value.recovery.backupPath, 'utf8')).toBe(damaged);
    // The defaults replaced it, so the next start has nothing to report.
    expect(JSON.parse(readFileSync(settingsFile(appFolder), 'utf8'))).toMatchObject({ theme: 'system', historyPerTopic: 50 });
    const next = await startMain({ packaged: true, appFolder, probes: { commands: [get] } });
    expect(next.commands[0]?.result).toMatchObject({ ok: true, value: { recovery: null } });
  });
});
