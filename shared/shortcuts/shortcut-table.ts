/**
 * Every keyboard shortcut, once: the renderer matches keys against it
 * (renderer/src/workspace/keyboard-shortcuts.ts), the "Keyboard shortcuts" dialog lists
 * it, and the desktop menu (electron/main/app/app-menu.ts) shows the same keys as
 * accelerators. Pure data and text, no DOM: main, the renderer and Node tests read it.
 */

/** How the keys are written: macOS has ⌘ where other systems have Ctrl. */
export type KeyPlatform = 'mac' | 'other';

export type TabNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
const TAB_NUMBERS: readonly TabNumber[] = [1, 2, 3, 4, 5, 6, 7, 8, 9];

export type ShortcutCommand =
  | 'filter'
  | 'publish'
  | 'new-tab'
  | 'close-tab'
  | 'open-recording'
  | `select-tab-${TabNumber}`
  | 'toggle-profiles'
  | 'settings'
  | 'clear-retained'
  | 'shortcuts';

/** A key as the renderer matches it. */
export interface ShortcutKey {
  /** `KeyboardEvent.key`, letters in lower case. */
  readonly key: string;
  /**
   * `KeyboardEvent.code` of the same key, matched when the layout gives `key` another
   * character: digits on AZERTY (Ctrl+& is Ctrl+1), letters on Cyrillic layouts.
   */
  readonly code?: string;
  /** Held with the platform's command modifier: ⌘ on macOS, Ctrl elsewhere. */
  readonly primary: boolean;
  /**
   * Also accepted on macOS, whose keyboards label Backspace "delete" and have no
   * forward Delete key without fn.
   */
  readonly macAlternative?: string;
}

export interface Shortcut {
  readonly command: ShortcutCommand;
  /** What it does, as the dialog says it. */
  readonly description: string;
  readonly key: ShortcutKey;
  /**
   * The Electron accelerator the desktop menu shows; null for keys that must never be
   * a menu accelerator: "?" and Delete would be taken from every text field.
   */
  readonly accelerator: string | null;
  /** A normal browser tab keeps this key for itself: a page never receives it there. */
  readonly browserKeeps: boolean;
}

const primary = (key: string, code?: string): ShortcutKey => (code === undefined ? { key, primary: true } : { key, code, primary: true });
const letter = (key: string): ShortcutKey => primary(key, `Key${key.toUpperCase()}`);

function tabShortcut(n: TabNumber): Shortcut {
  return {
    command: `select-tab-${n}`,
    // As in browsers: 9 is the last tab however many there are.
    description: n === 9 ? 'Switch to the last tab' : `Switch to tab ${n}`,
    key: primary(String(n), `Digit${n}`),
    accelerator: `CmdOrCtrl+${n}`,
    browserKeeps: true,
  };
}

/** In the order the dialog lists them. */
export const SHORTCUTS: readonly Shortcut[] = Object.freeze([
  { command: 'filter', description: 'Filter topics', key: letter('f'), accelerator: 'CmdOrCtrl+F', browserKeeps: false },
  { command: 'publish', description: 'Publish the message in the publish form', key: primary('Enter'), accelerator: 'CmdOrCtrl+Enter', browserKeeps: false },
  { command: 'new-tab', description: 'New connection tab', key: letter('t'), accelerator: 'CmdOrCtrl+T', browserKeeps: true },
  { command: 'close-tab', description: 'Close the tab (disconnects)', key: letter('w'), accelerator: 'CmdOrCtrl+W', browserKeeps: true },
  { command: 'open-recording', description: 'Open a recording offline, in a tab of its own', key: letter('o'), accelerator: 'CmdOrCtrl+O', browserKeeps: false },
  ...TAB_NUMBERS.map(tabShortcut),
  { command: 'toggle-profiles', description: 'Hide or show the profiles', key: letter('b'), accelerator: 'CmdOrCtrl+B', browserKeeps: false },
  { command: 'settings', description: 'Settings', key: primary(',', 'Comma'), accelerator: 'CmdOrCtrl+,', browserKeeps: false },
  {
    command: 'clear-retained',
    description: 'Clear the selected retained topic on the broker (asks first; in the tree or the retained list)',
    key: { key: 'Delete', primary: false, macAlternative: 'Backspace' },
    accelerator: null,
    browserKeeps: false,
  },
  { command: 'shortcuts', description: 'Keyboard shortcuts (this list)', key: { key: '?', primary: false }, accelerator: null, browserKeeps: false },
] satisfies Shortcut[]);

export function shortcutFor(command: ShortcutCommand): Shortcut {
  const found = SHORTCUTS.find((s) => s.command === command);
  if (!found) throw new Error(`No shortcut for "${command}".`);
  return found;
}

const KEY_NAMES: Record<KeyPlatform, Record<string, string>> = {
  mac: { Enter: '↩', Delete: '⌦', Backspace: '⌫', ',': ',' },
  other: { Enter: 'Enter', Delete: 'Delete', Backspace: 'Backspace', ',': ',' },
};

/** A key as a person reads it: "Ctrl+T" elsewhere, "⌘T" on macOS. */
export function keyLabel(key: ShortcutKey, platform: KeyPlatform): string {
  const name = KEY_NAMES[platform][key.key] ?? (key.key.length === 1 ? key.key.toUpperCase() : key.key);
  const alternative = platform === 'mac' && key.macAlternative ? ` or ${KEY_NAMES.mac[key.macAlternative] ?? key.macAlternative}` : '';
  if (!key.primary) return `${name}${alternative}`;
  return platform === 'mac' ? `⌘${name}` : `Ctrl+${name}`;
}

/** One line of the dialog. */
export interface ShortcutLine {
  readonly keys: string;
  readonly description: string;
  readonly browserKeeps: boolean;
}

/** The dialog's lines: every shortcut, tabs 1 to 8 on one line ("Ctrl+1 … Ctrl+8"). */
export function shortcutLines(platform: KeyPlatform): ShortcutLine[] {
  const lines: ShortcutLine[] = [];
  for (const shortcut of SHORTCUTS) {
    const { command, browserKeeps } = shortcut;
    if (command.startsWith('select-tab-') && command !== 'select-tab-1' && command !== 'select-tab-9') continue;
    if (command === 'select-tab-1') {
      const keys = `${keyLabel(shortcut.key, platform)} … ${keyLabel(shortcutFor('select-tab-8').key, platform)}`;
      lines.push({ keys, description: 'Switch to tab 1 … 8', browserKeeps });
      continue;
    }
    lines.push({ keys: keyLabel(shortcut.key, platform), description: shortcut.description, browserKeeps });
  }
  return lines;
}

/** The commands the desktop menu can send to the window. */
export const MENU_COMMANDS = ['filter', 'new-tab', 'close-tab', 'open-recording', 'toggle-profiles', 'settings', 'shortcuts'] as const satisfies readonly ShortcutCommand[];
export type MenuCommand = (typeof MENU_COMMANDS)[number];
