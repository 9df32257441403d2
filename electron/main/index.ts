/**
 * The Electron shell: one hardened window around the renderer, and the connection
 * core wired to it over the typed IPC contract. Everything else lives in the
 * Electron-free core so it can be tested and run in browser mode.
 */
import { app, BrowserWindow, dialog, Menu, protocol, shell, type FileFilter, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventPayloads } from '../../shared/ipc/ipc-contract';
import { ConnectionRegistry } from '../core/connection/connection-registry';
import { RotatingLog } from './app/rotating-log';
import { aboutPanelOptions } from './app/about-panel';
import { APP_ENTRY_URL, APP_SCHEME, appSchemePrivileges, createAppProtocolHandler } from './window/app-protocol';
import { buildMenuTemplate } from './app/app-menu';
import { openDesktopProfiles } from './profiles/desktop-profiles';
import { openDesktopSettings } from './settings/desktop-settings';
import { devRendererUrl } from './window/dev-renderer-url';
import { registerCommandHandlers, sendEvent } from './ipc/ipc-main';
import { secureWebPreferences } from './window/web-preferences';
import { hardenWebContents, openExternalSafely } from './window/window-security';
import { MIN_WINDOW_SIZE } from './window/window-bounds';
import { rememberWindowState, restoredPlacement } from './window/window-state';
import { openPublishHistoryFile } from '../core/publish/publish-history-store';

// The built renderer, served as app://topicscope/ (never file://).
const rendererFolder = fileURLToPath(new URL('../renderer', import.meta.url));
// electron-vite dev sets ELECTRON_RENDERER_URL; only an unpackaged app on a loopback
// http URL honours it, since the page loaded is the page trusted with every command.
const devServerUrl = devRendererUrl(process.env['ELECTRON_RENDERER_URL'], app.isPackaged);
const rendererUrl = devServerUrl ?? APP_ENTRY_URL;

// Must happen before `ready`: the scheme's privileges are fixed at start-up.
protocol.registerSchemesAsPrivileged(appSchemePrivileges());

let mainWindow: BrowserWindow | null = null;

/** The save dialog's file type, by the extension of the name suggested (profiles and exports). */
const SAVE_FILTERS: Record<string, FileFilter> = {
  csv: { name: 'CSV', extensions: ['csv'] },
  json: { name: 'JSON', extensions: ['json'] },
  jsonl: { name: 'JSON Lines', extensions: ['jsonl'] },
};

const FILE_FILTERS: Record<'ca' | 'cert' | 'key', FileFilter[]> = {
  ca: [{ name: 'CA certificates', extensions: ['pem', 'crt', 'cer'] }],
  cert: [{ name: 'Certificates', extensions: ['pem', 'crt', 'cer'] }],
  key: [{ name: 'Private keys', extensions: ['pem', 'key'] }],
};

const versions = {
  topicscope: app.getVersion(),
  // Typed as always present, but absent when the built main runs under plain Node in tests.
  electron: (process.versions.electron as string | undefined) ?? '',
  chrome: (process.versions.chrome as string | undefined) ?? '',
  node: process.versions.node,
};

// Logs go next to the app's settings, where "Open Logs Folder" finds them.
const log = new RotatingLog({ directory: join(app.getPath('userData'), 'logs') });
// Registering this replaces Electron's own error dialog, so the user still gets one,
// pointing at the log that has the details.
process.on('uncaughtException', (error) => {
  log.write('error', 'main', error.stack ?? String(error));
  if (app.isReady()) dialog.showErrorBox('Topicscope: unexpected error', `${error.message}\n\nDetails are in ${log.currentFile}.`);
});
if (process.env['ELECTRON_RENDERER_URL'] && devServerUrl === null) {
  log.write('warn', 'app', `Ignored ELECTRON_RENDERER_URL: ${app.isPackaged ? 'an installed app loads only its own renderer' : 'only an http://localhost or http://127.0.0.1 URL is accepted'}.`);
}
process.on('unhandledRejection', (reason) => log.write('error', 'main', reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)));

const registry = new ConnectionRegistry({
  emit: (event, payload) => {
    // The connection log and status changes go to the file as well; messages do not.
    if (event === 'connection:log') {
      // Narrowing `event` does not narrow the generic payload; the pair is typed by the signature.
      const { connectionId, entry } = payload as EventPayloads['connection:log'];
      log.write(entry.kind === 'error' ? 'warn' : 'info', connectionId, `${entry.kind}: ${entry.text}`);
    }
    if (mainWindow) sendEvent(mainWindow.webContents, event, payload);
  },
  pickFile: async (purpose) => {
    const options: OpenDialogOptions = { properties: ['openFile'], filters: [...FILE_FILTERS[purpose], { name: 'All files', extensions: ['*'] }] };
    const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  pickPayloadFile: async () => {
    const options: OpenDialogOptions = { title: 'Publish a file', buttonLabel: 'Use as payload', properties: ['openFile'] };
    const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  saveFile: async (fileName, text) => {
    const extension = fileName.slice(fileName.lastIndexOf('.') + 1);
    const filter = SAVE_FILTERS[extension] ?? { name: 'JSON', extensions: ['json'] };
    const options: SaveDialogOptions = { defaultPath: fileName, filters: [filter] };
    const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
    if (result.canceled || !result.filePath) return null;
    // Readable by the user only: the export may hold passwords the user asked for.
    await writeFile(result.filePath, text, { mode: 0o600 });
    return result.filePath;
  },
  recordingTarget: async (fileName, gzip) => {
    const filter = gzip ? { name: 'Gzip-compressed JSON Lines', extensions: ['gz'] } : { name: 'JSON Lines', extensions: ['jsonl'] };
    const options: SaveDialogOptions = { title: 'Record messages to', defaultPath: fileName, filters: [filter] };
    const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
    // The core streams to the path itself; the window never learns more than the name and where it is.
    return result.canceled || !result.filePath ? null : { path: result.filePath, downloadName: null };
  },
  recordingSources: {
    // The path stays in main and the core; the window sees the preview only.
    pick: async (purpose) => {
      const options: OpenDialogOptions = {
        title: purpose === 'replay' ? 'Replay recording' : 'Open recording',
        properties: ['openFile'],
        filters: [{ name: 'Topicscope recordings', extensions: ['jsonl', 'gz'] }, { name: 'All files', extensions: ['*'] }],
      };
      const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  },
  openExternal: async (url) => openExternalSafely(url),
  mode: 'electron',
  versions,
});

function createWindow(): void {
  const placement = restoredPlacement();
  mainWindow = new BrowserWindow({
    ...(placement.x !== undefined && placement.y !== undefined ? { x: placement.x, y: placement.y } : {}),
    width: placement.width,
    height: placement.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'Topicscope',
    show: false,
    webPreferences: secureWebPreferences(fileURLToPath(new URL('../preload/index.cjs', import.meta.url))),
  });
  if (placement.maximized) mainWindow.maximize();
  rememberWindowState(mainWindow);
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = null;
    void registry.closeAll();
  });
  void mainWindow.loadURL(rendererUrl);
}

/**
 * Saved profiles are opened once the app is ready (safeStorage needs it). Their files
 * being unreadable must not keep the window from opening: connecting still works, and
 * the user is told what to fix.
 */
function openProfiles(): void {
  try {
    registry.useProfiles(openDesktopProfiles());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log.write('error', 'profiles', `Saved profiles could not be opened: ${reason}`);
    dialog.showErrorBox(
      'Topicscope: saved profiles could not be opened',
      `${reason}\n\nCheck the permissions of the files in ${app.getPath('userData')}. You can still connect by entering the settings; they will not be saved.`,
    );
  }
}

// A second launch (from the dock, a desktop file or a shortcut) focuses this window
// instead of opening a second app that would hold its own connections.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) {
      if (app.isReady()) createWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.whenReady().then(() => {
    log.write('info', 'app', `Topicscope ${versions.topicscope} started (Electron ${versions.electron}, ${process.platform})`);
    app.setAboutPanelOptions(aboutPanelOptions(versions.topicscope, versions));
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate(process.platform, app.getName(), {
          openLogsFolder: () => void shell.openPath(log.directory),
          openLink: (url) => void openExternalSafely(url),
          // The window the menu was used in; with none focused (macOS), the app's window.
          runCommand: (command, window) => {
            const target = window instanceof BrowserWindow ? window : mainWindow;
            if (target) sendEvent(target.webContents, 'app:menu-command', { command });
          },
        }),
      ),
    );
    protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererFolder));
    hardenWebContents(devServerUrl);
    openProfiles();
    registry.useSettings(openDesktopSettings());
    registry.usePublishHistory(openPublishHistoryFile(app.getPath('userData')));
    registerCommandHandlers(registry.handlers, devServerUrl);
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  }).catch((error: unknown) => {
    // Without a window the app would hold the single-instance lock for nothing, and
    // every later launch would quit at once: report, then quit.
    const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log.write('error', 'main', `Start-up failed: ${reason}`);
    dialog.showErrorBox('Topicscope could not start', `${error instanceof Error ? error.message : reason}\n\nDetails are in ${log.currentFile}.`);
    app.quit();
  });

  app.on('window-all-closed', () => {
    void registry.closeAll().finally(() => {
      if (process.platform !== 'darwin') app.quit();
    });
  });

  app.on('quit', () => log.write('info', 'app', 'Topicscope quit'));
}
