/**
 * The application menu as data. Edit, View and Window are built from Electron's roles,
 * so each item gets the platform's own label and shortcut (Ctrl/Cmd+C, Ctrl/Cmd+R,
 * F11 / Ctrl+Cmd+F...) and works in the sandboxed renderer's text fields. Only types
 * come from Electron, so the template is tested under Node.
 *
 * The app's own commands (New Tab, Filter Topics, Settings…) show the keys from the
 * shared shortcut table, and a click asks the window to run the command. Their keys are
 * not registered with the system (`registerAccelerator: false`): the page handles them
 * itself, as it must in browser mode, and a registered key would run the command twice.
 * On macOS the page gets a key before the menu, and handling it stops the menu there.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { shortcutFor, type MenuCommand } from '../../../shared/shortcuts/shortcut-table';

export interface MenuActions {
  /**
   * Asks a window to run one of the app's commands: `window` is the focused window
   * Electron hands the click (undefined when none is); main checks what it is.
   */
  runCommand: (command: MenuCommand, window: unknown) => void;
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
  const command = (label: string, name: MenuCommand): MenuItemConstructorOptions => {
    const accelerator = shortcutFor(name).accelerator;
    return {
      label,
      ...(accelerator === null ? {} : { accelerator, registerAccelerator: false }),
      click: (_item, window: unknown) => actions.runCommand(name, window),
    };
  };
  // macOS names it Settings, in the app menu, with an ellipsis: it opens a window.
  const settingsItem = command(mac ? 'Settings…' : 'Settings', 'settings');
  // Ctrl/Cmd+W closes the tab, as in a browser; the window closes with Shift added.
  const closeWindowItem: MenuItemConstructorOptions = { role: 'close', label: 'Close Window', accelerator: 'CmdOrCtrl+Shift+W' };
  const logsItem: MenuItemConstructorOptions = { label: 'Open Logs Folder', click: () => actions.openLogsFolder() };
  const helpLinks: MenuItemConstructorOptions[] = HELP_LINKS.map(({ label, url }) => ({ label, click: () => actions.openLink(url) }));

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    // macOS puts About, Hide and Quit in the menu named after the app.
    template.push({
      label: appName,
      submenu: [{ role: 'about' }, { type: 'separator' }, settingsItem, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  template.push(
    {
      label: 'File',
      submenu: [
        command('New Tab', 'new-tab'),
        command('Close Tab', 'close-tab'),
        command('Open Recording…', 'open-recording'),
        closeWindowItem,
        { type: 'separator' },
        ...(mac ? [] : [settingsItem, { type: 'separator' } as const]),
        logsItem,
        ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
      ],
    },
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
        command('Filter Topics', 'filter'),
        command('Hide/Show Profiles', 'toggle-profiles'),
        { type: 'separator' },
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
      // Elsewhere the window's Close is in File, with its own key (Ctrl+W closes the tab).
      submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }],
    },
    { label: 'Help', role: 'help', submenu: [command('Keyboard Shortcuts', 'shortcuts'), { type: 'separator' }, ...helpLinks, ...(mac ? [] : [{ type: 'separator' } as const, { role: 'about' } as const])] },
  );
  return template;
}
