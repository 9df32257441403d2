/**
 * A stand-in for the `electron` module, just enough for the built main process to
 * start: it records what main registers (schemes, protocol handlers, permission
 * handlers, web-contents guards, IPC handlers, the window and the URL it loads), then,
 * once the window has loaded its URL, drives those recorded handlers with the probes
 * the test passed in STANDIN_PROBES and prints one JSON report on stdout. It also
 * calls every IPC handler it recorded as a web page and as a vanished frame (each must
 * refuse), and reports every channel main registered, with or without a handler.
 *
 * Environment: STANDIN_USER_DATA (a temporary folder), STANDIN_PACKAGED ("1" or "0"),
 * STANDIN_PROBES (JSON: { protocol: [{url, method}], permissions: [{permission, origin,
 * isMainFrame}], navigation: [url], windowOpen: [url], ipcFrames: [url], menuClicks:
 * [[menu, item]], commands: [{channel, args}] }). A menu click is made as Electron makes
 * it, with the window as the focused one, and reports what main then sent to that
 * window's contents. `commands` are sent in order as the app's own page, after the other
 * probes, and their results reported (`commands` in the report).
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';

const probes = JSON.parse(process.env.STANDIN_PROBES ?? '{}');
const record = {
  readyAt: null,
  sequence: [],
  privilegedSchemes: null,
  protocolHandlers: new Map(),
  permissionCheck: null,
  permissionRequest: null,
  devicePermission: null,
  ipcHandlers: new Map(),
  /** Every ipcMain.handle call, in order (a channel registered twice shows twice). */
  ipcHandled: [],
  /** Channels main listens to with ipcMain.on/once (fire-and-forget: none expected). */
  ipcListened: [],
  applicationMenu: undefined,
  windows: [],
  errorBoxes: [],
  openedExternally: [],
};
let ready = false;
let reported = false;

function note(step) {
  record.sequence.push({ step, ready });
}

const appEmitter = new EventEmitter();
export const app = Object.assign(appEmitter, {
  isPackaged: process.env.STANDIN_PACKAGED === '1',
  getPath: (name) => join(process.env.STANDIN_USER_DATA ?? '/nonexistent', name),
  getVersion: () => '0.0.0-stand-in',
  getName: () => 'Topicscope',
  requestSingleInstanceLock: () => true,
  whenReady: () =>
    new Promise((resolve) =>
      setImmediate(() => {
        ready = true;
        note('ready');
        resolve();
      }),
    ),
  isReady: () => ready,
  setAboutPanelOptions: () => undefined,
  quit: () => note('quit'),
});

export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    note('registerSchemesAsPrivileged');
    record.privilegedSchemes = schemes;
  },
  handle(scheme, handler) {
    note(`protocol.handle:${scheme}`);
    record.protocolHandlers.set(scheme, handler);
  },
};

export const session = {
  defaultSession: {
    setPermissionCheckHandler(handler) {
      note('setPermissionCheckHandler');
      record.permissionCheck = handler;
    },
    setPermissionRequestHandler(handler) {
      note('setPermissionRequestHandler');
      record.permissionRequest = handler;
    },
    setDevicePermissionHandler(handler) {
      note('setDevicePermissionHandler');
      record.devicePermission = handler;
    },
  },
};

class StandInWebContents extends EventEmitter {
  windowOpenHandler = null;
  /** What main sent to the page: [channel, payload]. */
  sent = [];
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  send(channel, payload) {
    this.sent.push([channel, payload]);
  }
  isDestroyed() {
    return false;
  }
}

export class BrowserWindow extends EventEmitter {
  static #all = [];
  static getAllWindows() {
    return [...BrowserWindow.#all];
  }
  constructor(options) {
    super();
    note('new BrowserWindow');
    this.options = options;
    this.loadedUrl = null;
    this.webContents = new StandInWebContents();
    BrowserWindow.#all.push(this);
    record.windows.push(this);
    // As in Electron: the window's contents are announced to the app.
    appEmitter.emit('web-contents-created', {}, this.webContents);
  }
  maximize() {}
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
  show() {}
  getNormalBounds() {
    return { x: 0, y: 0, width: 1200, height: 800 };
  }
  isMaximized() {
    return false;
  }
  loadURL(url) {
    note(`loadURL:${url}`);
    this.loadedUrl = url;
    setTimeout(() => void report(), 20);
    return Promise.resolve();
  }
}

export const dialog = {
  showErrorBox: (title, content) => record.errorBoxes.push({ title, content }),
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showSaveDialog: async () => ({ canceled: true }),
};
export const Menu = {
  buildFromTemplate: (template) => template,
  setApplicationMenu(menu) {
    note('setApplicationMenu');
    record.applicationMenu = menu;
  },
};
export const shell = {
  openExternal: async (url) => void record.openedExternally.push(url),
  openPath: async () => '',
};
export const ipcMain = {
  handle(channel, handler) {
    record.ipcHandled.push(channel);
    // As Electron does: a second handler for one channel is an error.
    if (record.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    record.ipcHandlers.set(channel, handler);
  },
  on: (channel) => void record.ipcListened.push(channel),
  once: (channel) => void record.ipcListened.push(channel),
  addListener: (channel) => void record.ipcListened.push(channel),
};
export const safeStorage = {
  isEncryptionAvailable: () => false,
  getSelectedStorageBackend: () => 'basic_text',
  encryptString: () => {
    throw new Error('stand-in: no encryption');
  },
  decryptString: () => {
    throw new Error('stand-in: no encryption');
  },
};
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };

function navigationEvent(url, isMainFrame = true) {
  const event = { url, isMainFrame, isSameDocument: false, prevented: false };
  event.preventDefault = () => {
    event.prevented = true;
  };
  return event;
}

async function report() {
  if (reported) return;
  reported = true;
  const window = record.windows[0];
  const contents = window?.webContents;
  const appHandler = record.protocolHandlers.get('app');

  const protocolResults = [];
  for (const { url, method = 'GET' } of probes.protocol ?? []) {
    const response = await appHandler(new Request(url, { method }));
    const body = Buffer.from(await response.arrayBuffer());
    protocolResults.push({
      url,
      method,
      status: response.status,
      contentType: response.headers.get('content-type'),
      csp: response.headers.get('content-security-policy'),
      body: body.subarray(0, 4096).toString('utf8'),
    });
  }

  const permissionResults = [];
  for (const { permission, origin, isMainFrame = true } of probes.permissions ?? []) {
    const check = record.permissionCheck?.(null, permission, origin, { isMainFrame, requestingUrl: `${origin}/index.html` });
    let requested = 'no answer';
    record.permissionRequest?.(contents, permission, (granted) => (requested = granted), { isMainFrame, requestingUrl: `${origin}/index.html` });
    permissionResults.push({ permission, origin, isMainFrame, check, request: requested });
  }

  const navigationResults = [];
  for (const url of probes.navigation ?? []) {
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const event = navigationEvent(url);
      const listeners = contents?.listeners(name) ?? [];
      for (const listener of listeners) listener(event, url);
      navigationResults.push({ event: name, url, listeners: listeners.length, prevented: event.prevented });
    }
  }
  const webview = navigationEvent('about:blank');
  for (const listener of contents?.listeners('will-attach-webview') ?? []) listener(webview);

  const windowOpenResults = (probes.windowOpen ?? []).map((url) => ({ url, result: contents?.windowOpenHandler?.({ url }) ?? null }));

  const ipcResults = [];
  const [channel, handler] = [...record.ipcHandlers][0] ?? [];
  for (const url of probes.ipcFrames ?? []) {
    const result = await handler?.({ senderFrame: { url } }, undefined);
    ipcResults.push({ channel, url, result });
  }
  // Every channel, asked by a web page and by a frame that is gone: each must refuse
  // before its handler runs (the arguments would start a connection if it did not).
  const refusals = [];
  const attempt = { connectionId: 'from-web', config: { host: '127.0.0.1', port: 1 }, url: 'https://evil.example/', purpose: 'ca' };
  for (const [name, registered] of record.ipcHandlers) {
    for (const senderFrame of [{ url: 'https://evil.example/' }, null]) {
      const result = await registered({ senderFrame }, attempt);
      refusals.push({ channel: name, frame: senderFrame?.url ?? null, code: result?.ok === false ? result.error.code : 'accepted' });
    }
  }
  // And the app's own page reaches the core through the same handlers.
  const appInfo = (await record.ipcHandlers.get('app:info')?.({ senderFrame: { url: 'app://topicscope/index.html' } }, {})) ?? null;
  // The menu as built: every item with its keys, and chosen items clicked.
  const menuItems = (items, menu) =>
    (items ?? []).flatMap((item) => [
      { menu, label: item.label ?? null, role: item.role ?? null, accelerator: item.accelerator ?? null, registerAccelerator: item.registerAccelerator ?? null },
      ...(Array.isArray(item.submenu) ? menuItems(item.submenu, item.label ?? menu) : []),
    ]);
  const menuClicks = [];
  for (const [menu, label] of probes.menuClicks ?? []) {
    const item = (record.applicationMenu ?? []).find((m) => m.label === menu)?.submenu?.find((i) => i.label === label);
    const before = contents?.sent.length ?? 0;
    item?.click?.(item, window, {});
    menuClicks.push({ menu, label, found: item !== undefined, sent: contents?.sent.slice(before) ?? [] });
  }
  // Commands the test asked for, from the app's own page, through main's real handlers.
  const commandResults = [];
  for (const { channel: name, args } of probes.commands ?? []) {
    const result = (await record.ipcHandlers.get(name)?.({ senderFrame: { url: 'app://topicscope/index.html' } }, args)) ?? null;
    commandResults.push({ channel: name, result });
  }
  // Let the opened-externally gateway settle.
  await new Promise((resolve) => setImmediate(resolve));

  process.stdout.write(
    JSON.stringify({
      sequence: record.sequence,
      privilegedSchemes: record.privilegedSchemes,
      protocolSchemes: [...record.protocolHandlers.keys()],
      loadedUrl: window?.loadedUrl ?? null,
      webPreferences: window?.options?.webPreferences ?? null,
      devicePermission: record.devicePermission?.({ deviceType: 'usb', origin: 'app://topicscope' }) ?? null,
      ipcChannels: record.ipcHandlers.size,
      ipcHandled: record.ipcHandled,
      ipcListened: record.ipcListened,
      ipcRefusals: refusals,
      appInfo,
      windows: record.windows.map((w) => ({ loadedUrl: w.loadedUrl, show: w.options?.show ?? null, webPreferences: w.options?.webPreferences ?? null })),
      applicationMenu: record.applicationMenu === undefined ? null : (record.applicationMenu ?? []).map((item) => item.label ?? item.role ?? null),
      applicationMenuItems: menuItems(record.applicationMenu, null),
      menuClicks,
      protocol: protocolResults,
      permissions: permissionResults,
      navigation: navigationResults,
      webviewPrevented: webview.prevented,
      windowOpen: windowOpenResults,
      openedExternally: record.openedExternally,
      ipc: ipcResults,
      errorBoxes: record.errorBoxes,
      commands: commandResults,
    }),
  );
  process.exit(0);
}

export default { app, protocol, session, BrowserWindow, dialog, Menu, shell, ipcMain, safeStorage, screen };
