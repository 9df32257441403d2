/**
 * The application menu as data. Edit, View and Window are built from Electron's roles,
 * so each item gets the platform's own label and shortcut (Ctrl/Cmd+C, Ctrl/Cmd+R,
 * F11 / Ctrl+Cmd+F...) and works in the sandboxed renderer's text fields. Only types
 * come from Electron, so the template is tested under Node.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  /** Opens the folder with the rotating log files in the system file manager. */
  openLogsFolder: () => void;
  /** Opens a documentation link in the system browser (through the checked gateway). */
  openLink: (url: string) => void;
}

/** Links in the Help menu: where MQTT users look things up. */
export const HELP_LINKS = [
  { label: 'MQTT 5 Specification', url: 'https://docs.oasis-open.org/mqtt/mqtt/v5.0/mqtt-v5.0.html' },
  { label: 'MQTT 3.1.1 Specification', url: 'https://docs.oasis-open.org/mqtt/mqtt/v3.1.1/mqtt-v3.1.1.html' },
  { label: 'Mosquitto Documentation', url: 'https://mosquitto.org/documentation/' },
  { label: 'EMQX Documentation', url: 'https://docs.emqx.com/' },
] as const;

export function buildMenuTemplate(platform: NodeJS.Platform, appName: string, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const logsItem: MenuItemConstructorOptions = { label: 'Open Logs Folder', click: () => actions.openLogsFolder() };
  const helpLinks: MenuItemConstructorOptions[] = HELP_LINKS.map(({ label, url }) => ({ label, click: () => actions.openLink(url) }));

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    // macOS puts About, Hide and Quit in the menu named after the app.
    template.push({
      label: appName,
      submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  template.push(
    { label: 'File', submenu: [logsItem, { type: 'separator' }, mac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Window',
      submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
    },
    { label: 'Help', role: 'help', submenu: [...helpLinks, ...(mac ? [] : [{ type: 'separator' } as const, { role: 'about' } as const])] },
  );
  return template;
}
