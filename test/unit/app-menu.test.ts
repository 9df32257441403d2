import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, HELP_LINKS } from '../../electron/main/app/app-menu';
import { isSafeExternalUrl } from '../../electron/core/security/external-url';

function submenu(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const menu = template.find((item) => item.label === label);
  if (!menu || !Array.isArray(menu.submenu)) throw new Error(`no "${label}" menu`);
  return menu.submenu;
}

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => (item.role ? [item.role] : []));
}

const actions = () => ({ openLogsFolder: vi.fn(), openLink: vi.fn() });

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
      for (const item of submenu(template, name)) expect(item.accelerator).toBeUndefined();
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

  it('opens the logs folder from File', () => {
    const a = actions();
    const item = submenu(buildMenuTemplate('linux', 'Topicscope', a), 'File').find((i) => i.label === 'Open Logs Folder');
    (item?.click as () => void)();
    expect(a.openLogsFolder).toHaveBeenCalledOnce();
  });

  it('hands each help link to the external-link gateway, and every one passes its check', () => {
    const a = actions();
    const help = submenu(buildMenuTemplate('win32', 'Topicscope', a), 'Help').filter((i) => i.label && i.click);
    for (const item of help) (item.click as () => void)();
    expect(a.openLink.mock.calls.map((call) => String(call[0]))).toEqual(HELP_LINKS.map((l) => l.url));
    for (const { url } of HELP_LINKS) expect(isSafeExternalUrl(url)).toBe(true);
  });
});
