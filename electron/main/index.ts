/**
 * The Electron shell: one hardened window around the renderer, and the connection
 * core wired to it over the typed IPC contract. Everything else lives in the
 * Electron-free core so it can be tested and run in browser mode.
 */
import { app, BrowserWindow, dialog, type FileFilter, type OpenDialogOptions } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConnectionRegistry } from '../core/connection-registry';
import { openDesktopProfiles } from './desktop-profiles';
import { registerCommandHandlers, sendEvent } from './ipc-main';
import { secureWebPreferences } from './web-preferences';
import { hardenWebContents } from './window-security';

const rendererFile = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
// electron-vite sets this in development only; in a build the renderer is a file.
const rendererUrl = process.env['ELECTRON_RENDERER_URL'] ?? pathToFileURL(rendererFile).href;

let mainWindow: BrowserWindow | null = null;

const FILE_FILTERS: Record<'ca' | 'cert' | 'key', FileFilter[]> = {
  ca: [{ name: 'CA certificates', extensions: ['pem', 'crt', 'cer'] }],
  cert: [{ name: 'Certificates', extensions: ['pem', 'crt', 'cer'] }],
  key: [{ name: 'Private keys', extensions: ['pem', 'key'] }],
};

const registry = new ConnectionRegistry({
  emit: (event, payload) => {
    if (mainWindow) sendEvent(mainWindow.webContents, event, payload);
  },
  pickFile: async (purpose) => {
    const options: OpenDialogOptions = { properties: ['openFile'], filters: [...FILE_FILTERS[purpose], { name: 'All files', extensions: ['*'] }] };
    const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  mode: 'electron',
  versions: { topicscope: app.getVersion(), electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '', node: process.versions.node },
});

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 500,
    title: 'Topicscope',
    show: false,
    webPreferences: secureWebPreferences(fileURLToPath(new URL('../preload/index.cjs', import.meta.url))),
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = null;
    void registry.closeAll();
  });
  void mainWindow.loadURL(rendererUrl);
}

app.whenReady().then(() => {
  hardenWebContents(rendererUrl);
  registry.useProfiles(openDesktopProfiles());
  registerCommandHandlers(registry.handlers, rendererUrl);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  void registry.closeAll().finally(() => {
    if (process.platform !== 'darwin') app.quit();
  });
});

