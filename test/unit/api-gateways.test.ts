/**
 * Each dangerous Electron API has one gateway; a use anywhere else would bypass its
 * check (sender, URL allow-list, narrow file dialog). These scans pin that down.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(entry.name) ? [path] : [];
  });
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const FILES = [...sourceFiles('electron'), ...sourceFiles('renderer/src'), ...sourceFiles('shared')].map((f) => relative('.', f));

const GATEWAYS: Array<[api: string, pattern: RegExp, allowedIn: string[]]> = [
  ['shell.openExternal', /\bshell\s*\.\s*openExternal\b/, ['electron/main/window/window-security.ts']],
  ['shell.openPath', /\bshell\s*\.\s*openPath\b/, ['electron/main/index.ts']],
  ['ipcMain', /\bipcMain\b/, ['electron/main/ipc/ipc-main.ts']],
  ['ipcRenderer', /\bipcRenderer\b/, ['electron/preload/index.ts']],
  ['dialog', /\bdialog\s*\.\s*show\w+/, ['electron/main/index.ts']],
  // What the window may load and what it may be granted: one place each.
  ['protocol', /\bprotocol\s*\.\s*(handle|register\w+|intercept\w+)\b/, ['electron/main/index.ts']],
  ['loadURL / loadFile', /\.\s*(loadURL|loadFile)\s*\(/, ['electron/main/index.ts']],
  ['permission handlers', /\.\s*set(Permission\w+|Device\w+|DisplayMedia\w+)Handler\b/, ['electron/main/window/permission-policy.ts']],
  ['navigation guards', /['"]will-(navigate|frame-navigate|redirect|attach-webview)['"]|setWindowOpenHandler/, ['electron/main/window/navigation-guard.ts']],
];

function usesOf(pattern: RegExp): string[] {
  return FILES.filter((file) => pattern.test(stripComments(readFileSync(file, 'utf8'))));
}

describe('dangerous Electron APIs are used only through their gateway', () => {
  it('scans the app sources', () => {
    expect(FILES).toContain('electron/main/window/window-security.ts');
    expect(FILES.some((f) => f.endsWith('.svelte'))).toBe(true);
  });

  it.each(GATEWAYS)('%s', (_api, pattern, allowedIn) => {
    expect(usesOf(pattern)).toEqual(allowedIn);
  });
});
