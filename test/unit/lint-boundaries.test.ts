/**
 * The architecture's boundaries are lint rules (`boundary/*` in eslint.config.js), and
 * `npm run lint` shows the real tree keeps them. This file shows the rules still catch
 * what they are meant to: each offending snippet, linted with the project's own config
 * as if it were a file at that path, must be reported by its boundary, and the gateway
 * files themselves must not be.
 *
 * The snippets live at paths that exist in no tsconfig, so type information is switched
 * off and only the boundary rules run (none of them needs types).
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId.startsWith('boundary/'),
});

async function boundaryFindings(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath, warnIgnored: true });
  if (!result) throw new Error(`ESLint returned nothing for ${filePath}`);
  const fatal = result.messages.filter((m) => m.fatal === true || m.ruleId === null);
  expect(fatal.map((m) => m.message), `${filePath} parses and is not ignored`).toEqual([]);
  return result.messages.map((m) => m.ruleId ?? '');
}

/** [boundary rule, virtual file path, offending code] */
const VIOLATIONS: Array<[rule: string, filePath: string, code: string]> = [
  ['shared-imports', 'shared/mqtt/x.ts', "import { app } from 'electron';"],
  ['shared-imports', 'shared/mqtt/x.ts', "import { readFile } from 'node:fs/promises';"],
  ['shared-imports', 'shared/inspect/x.ts', "import path from 'path';"],
  ['shared-imports', 'shared/inspect/x.ts', "import { createHash } from 'crypto';"],
  ['shared-imports', 'shared/ipc/x.ts', "import { registerCommandHandlers } from '../../electron/main/ipc/ipc-main';"],
  ['shared-imports', 'shared/ipc/x.ts', "import type { Api } from '../../renderer/src/api/topicscope-api';"],
  ['shared-globals', 'shared/explorer/x.ts', "document.title = 'x';"],
  ['shared-globals', 'shared/explorer/x.ts', "window.topicscope.on('x', () => undefined);"],
  ['shared-globals', 'shared/explorer/x.ts', "localStorage.getItem('k');"],
  ['shared-globals', 'shared/explorer/x.ts', 'export const isEl = (v: unknown) => v instanceof HTMLElement;'],
  ['shared-globals', 'shared/explorer/x.ts', 'export const lang = navigator.language;'],
  ['shared-globals', 'shared/explorer/x.ts', "export const b = Buffer.from('x');"],
  ['shared-globals', 'shared/explorer/x.ts', 'export const env = process.env;'],
  ['renderer-imports', 'renderer/src/explorer/x.ts', "import { ipcRenderer } from 'electron';"],
  ['renderer-imports', 'renderer/src/explorer/x.ts', "import { readFile } from 'node:fs';"],
  ['renderer-imports', 'renderer/src/explorer/x.ts', "import { MqttSession } from '../../../electron/core/connection/mqtt-session';"],
  ['renderer-imports', 'renderer/src/explorer/X.svelte', "<script lang=\"ts\">\n  import { shell } from 'electron';\n</script>\n"],
  ['renderer-imports', 'renderer/src/explorer/x.svelte.ts', "import { join } from 'node:path';\nexport const p = $state(join('a'));"],
  ['renderer-api-gateway', 'renderer/src/explorer/x.ts', "export const api = topicscope;"],
  ['renderer-api-gateway', 'renderer/src/explorer/x.ts', "export const socket = new WebSocket('ws://localhost');"],
  ['renderer-api-gateway-property', 'renderer/src/explorer/x.ts', "window.topicscope?.on('connection:status', () => undefined);"],
  ['renderer-api-gateway-property', 'renderer/src/explorer/x.ts', 'export const S = globalThis.WebSocket;'],
  ['renderer-api-gateway-property', 'renderer/src/tabs/X.svelte', '<script lang="ts">\n  const api = window.topicscope;\n</script>\n{String(api)}\n'],
  ['core-electron-free', 'electron/core/connection/x.ts', "import { app } from 'electron';"],
  ['core-electron-free', 'electron/web/x.ts', "import { safeStorage } from 'electron';"],
  ['core-electron-free', 'electron/core/profiles/x.ts', "import { sendEvent } from '../../main/ipc/ipc-main';"],
  ['ipc-main-gateway', 'electron/main/window/x.ts', "import { ipcMain } from 'electron';"],
  ['ipc-main-gateway', 'electron/main/index.ts', "import * as electron from 'electron';"],
  ['ipc-main-gateway', 'electron/preload/index.ts', "import { ipcMain } from 'electron';"],
  ['preload-gateway', 'electron/main/index.ts', "import { ipcRenderer } from 'electron';"],
  ['preload-gateway', 'electron/main/ipc/ipc-main.ts', "import { contextBridge } from 'electron';"],
  ['dialog-gateway', 'electron/main/app/x.ts', "import { dialog } from 'electron';"],
  ['dialog-gateway', 'electron/main/window/x.ts', "import { protocol } from 'electron';"],
  ['open-external-gateway', 'electron/main/index.ts', 'void shell.openExternal(url);'],
  ['open-path-gateway', 'electron/main/app/x.ts', 'void shell.openPath(folder);'],
  ['window-load-gateway', 'electron/main/window/x.ts', "void win.loadURL('https://example.com');"],
  ['window-load-gateway', 'electron/main/window/x.ts', "void win.webContents.loadFile('/etc/passwd');"],
  ['permission-gateway', 'electron/main/index.ts', 'session.defaultSession.setPermissionRequestHandler(() => true);'],
  ['permission-gateway', 'electron/main/window/x.ts', 'session.setDevicePermissionHandler(() => true);'],
  ['navigation-gateway', 'electron/main/window/x.ts', 'contents.setWindowOpenHandler(() => ({ action: "allow" }));'],
  ['navigation-gateway', 'electron/main/index.ts', "contents.on('will-navigate', () => undefined);"],
  ['preload-bridge-shape', 'electron/preload/index.ts', "import { contextBridge, ipcRenderer } from 'electron';\ncontextBridge.exposeInMainWorld('ipc', ipcRenderer);"],
  ['preload-bridge-shape', 'electron/preload/index.ts', "import { ipcRenderer } from 'electron';\nconst api = { ipc: ipcRenderer };"],
  ['preload-bridge-shape', 'electron/preload/index.ts', "import { ipcRenderer } from 'electron';\nexport const send = (c: string) => ipcRenderer.send(c);"],
  ['preload-bridge-shape', 'electron/preload/index.ts', "import { contextBridge } from 'electron';\nexport const bridge = contextBridge;"],
  ['preload-bridge-shape', 'electron/preload/index.ts', "import * as electron from 'electron';"],
];

/** [virtual file path, code that is allowed there] */
const ALLOWED: Array<[filePath: string, code: string]> = [
  ['shared/mqtt/x.ts', "import { z } from 'zod';\nconst mywindow = { x: 1 };\nexport const n = mywindow.x + z.string().parse('a').length;"],
  ['renderer/src/api/x.ts', "export const api = window.topicscope;\nexport const socket = new WebSocket('ws://localhost');"],
  ['renderer/src/explorer/x.ts', "import { matches } from '../../../shared/mqtt/mqtt-topic';\nexport const el = document.body;\nexport { matches };"],
  ['electron/main/ipc/ipc-main.ts', "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);"],
  ['electron/preload/index.ts', "import { contextBridge, ipcRenderer } from 'electron';\ncontextBridge.exposeInMainWorld('topicscope', { a: (x: unknown) => ipcRenderer.invoke('a', x) });"],
  ['electron/main/index.ts', "import { dialog, protocol, shell } from 'electron';\nvoid dialog.showOpenDialog({});\nprotocol.handle('app', f);\nvoid shell.openPath(dir);\nvoid win.loadURL(u);"],
  ['electron/main/window/window-security.ts', 'void shell.openExternal(url);'],
  ['electron/main/window/permission-policy.ts', 'session.setPermissionCheckHandler(() => false);'],
  ['electron/main/window/navigation-guard.ts', "contents.setWindowOpenHandler(() => ({ action: 'deny' }));\ncontents.on('will-navigate', (e) => e.preventDefault());"],
  ['electron/core/connection/x.ts', "import mqtt from 'mqtt';\nimport { readFile } from 'node:fs/promises';\nexport { mqtt, readFile };"],
];

describe('architecture boundaries as lint rules', () => {
  it.each(VIOLATIONS)('boundary/%s reports %s: %s', async (rule, filePath, code) => {
    expect(await boundaryFindings(code, filePath)).toContain(`boundary/${rule}`);
  });

  it.each(ALLOWED)('%s may do this: %s', async (filePath, code) => {
    expect(await boundaryFindings(code, filePath)).toEqual([]);
  });

  it('every boundary rule in the config has a case above', async () => {
    const config = (await eslint.calculateConfigForFile('electron/main/index.ts')) as { plugins?: Record<string, { rules?: Record<string, unknown> }> };
    const defined = Object.keys(config.plugins?.['boundary']?.rules ?? {});
    expect(defined.length).toBeGreaterThanOrEqual(10);
    expect(new Set(VIOLATIONS.map(([rule]) => rule))).toEqual(new Set(defined));
  });
});
