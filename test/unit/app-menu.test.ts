import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, HELP_LINKS } from '../../electron/main/app/app-menu';
import { SHORTCUTS } from '../../shared/shortcuts/shortcut-table';
import { isSafeExternalUrl } from '../../electron/core/security/external-url';

function submenu(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const menu = template.find((item) => item.label === label);
  if (!menu || !Array.isArray(menu.submenu)) throw new Error(`no "${label}" menu`);
  return menu.submenu;
}

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => (item.role ? [item.role] : []));
}

const actions = () => ({ openLogsFolder: vi.fn(), openLink: vi.fn(), runCommand: vi.fn() });

/** Every item of every menu, submenus flattened. */
function allItems(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? allItems(item.submenu) : [])]);
}

function item(template: MenuItemConstructorOptions[], menu: string, label: string): MenuItemConstructorOptions {
  const found = submenu(template, menu).find((i) => i.label === label);
  if (!found) throw new Error(`no "${label}" in ${menu}`);
  return found;
}

/** Clicks an item as Electron does: the item, the focused window, the event. */
function click(menuItem: MenuItemConstructorOptions, window: unknown = { id: 1 }): void {
  (menuItem.click as (item: unknown, window: unknown, event: unknown) => void)({}, window, {});
}

describe('application menu', () => {
  it.each(['linux', 'win32', 'darwin'] as const)('on %s has Edit, View and Window built from the standard roles', (platform) => {
    const template = buildMenuTemplate(platform, 'Topicscope', actions());
    expect(roles(submenu(template, 'Edit'))).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
    expect(roles(submenu(template, 'View'))).toEqual(
      expect.arrayContaining(['reload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']),
    );
    expect(roles(submenu(template, 'Window'))).toContain('minimize');
    // Roles carry the platform's shortcuts; a hand-written accelerator would override them.
    for (const name of ['Edit', 'View', 'Window']) {
      for (const item of submenu(template, name)) if (item.role) expect(item.accelerator).toBeUndefined();
    }
  });

  it('puts About in the app menu on macOS and in Help elsewhere', () => {
    const mac = buildMenuTemplate('darwin', 'Topicscope', actions());
    expect(mac[0]?.label).toBe('Topicscope');
    expect(roles(submenu(mac, 'Topicscope'))).toEqual(expect.arrayContaining(['about', 'quit']));
    expect(roles(submenu(mac, 'Help'))).not.toContain('about');
    const linux = buildMenuTemplate('linux', 'Topicscope', actions());
    expect(linux.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(roles(submenu(linux, 'Help'))).toContain('about');
    expect(roles(submenu(linux, 'File'))).toContain('quit');
  });

  it.each(['linux', 'win32', 'darwin'] as const)('on %s shows the shortcut table\'s keys, and each item asks the focused window to run its command', (platform) => {
    const mac = platform === 'darwin';
    const a = actions();
    const template = buildMenuTemplate(platform, 'Topicscope', a);
    const expected: [menu: string, label: string, command: string, accelerator: string | undefined][] = [
      ['File', 'New Tab', 'new-tab', 'CmdOrCtrl+T'],
      ['File', 'Close Tab', 'close-tab', 'CmdOrCtrl+W'],
      ['File', 'Open Recording…', 'open-recording', 'CmdOrCtrl+O'],
      ['View', 'Filter Topics', 'filter', 'CmdOrCtrl+F'],
      ['View', 'Hide/Show Profiles', 'toggle-profiles', 'CmdOrCtrl+B'],
      [mac ? 'Topicscope' : 'File', mac ? 'Settings…' : 'Settings', 'settings', 'CmdOrCtrl+,'],
      ['Help', 'Keyboard Shortcuts', 'shortcuts', undefined],
    ];
    const window = { id: 7 };
    for (const [menu, label, command, accelerator] of expected) {
      const menuItem = item(template, menu, label);
      expect(menuItem.accelerator, label).toBe(accelerator);
      // Shown, but left to the page: it handles these keys itself, and would run them twice.
      if (accelerator) expect(menuItem.registerAccelerator, label).toBe(false);
      click(menuItem, window);
      expect(a.runCommand).toHaveBeenLastCalledWith(command, window);
    }
    expect(a.runCommand).toHaveBeenCalledTimes(expected.length);
  });

  it.each(['linux', 'win32', 'darwin'] as const)('on %s leaves Ctrl/Cmd+W to the tab and closes the window with Shift added', (platform) => {
    const template = buildMenuTemplate(platform, 'Topicscope', actions());
    const closers = allItems(template).filter((i) => i.role === 'close');
    expect(closers.map((i) => [i.label, i.accelerator])).toEqual([['Close Window', 'CmdOrCtrl+Shift+W']]);
    expect(submenu(template, 'File')).toContain(closers[0]);
    // The keys a user types into fields are never taken by the menu.
    const accelerators = allItems(template).flatMap((i) => (typeof i.accelerator === 'string' ? [i.accelerator] : []));
    for (const key of accelerators) expect(key).not.toMatch(/^(Delete|Backspace|\?|Shift\+\/)$/);
    // Every accelerator the menu shows for the app's commands is the table's.
    const table = new Set(SHORTCUTS.flatMap((s) => (s.accelerator ? [s.accelerator] : [])));
    for (const key of accelerators.filter((k) => k !== 'CmdOrCtrl+Shift+W')) expect(table, key).toContain(key);
  });

  it('opens the logs folder from File', () => {
    const a = actions();
    const item = submenu(buildMenuTemplate('linux', 'Topicscope', a), 'File').find((i) => i.label === 'Open Logs Folder');
    (item?.click as () => void)();
    expect(a.openLogsFolder).toHaveBeenCalledOnce();
  });

  it('hands each help link to the external-link gateway, and every one passes its check', () => {
    const a = actions();
    const help = submenu(buildMenuTemplate('win32', 'Topicscope', a), 'Help').filter((i) => i.label && i.click && i.label !== 'Keyboard Shortcuts');
    for (const item of help) (item.click as () => void)();
    expect(a.openLink.mock.calls.map((call) => String(call[0]))).toEqual(HELP_LINKS.map((l) => l.url));
    for (const { url } of HELP_LINKS) expect(isSafeExternalUrl(url)).toBe(true);
  });
});
