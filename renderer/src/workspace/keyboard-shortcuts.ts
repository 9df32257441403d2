/**
 * Which shortcut a key press is, if any (the table is shared/shortcuts/shortcut-table.ts).
 * Pure: it reads a KeyboardEvent-like object and where the focus is, so it is tested
 * without a DOM; the window's keydown handler (KeyboardShortcuts.svelte) acts on it.
 */
import { SHORTCUTS, type KeyPlatform, type Shortcut, type ShortcutCommand } from '../../../shared/shortcuts/shortcut-table';

/** The parts of a KeyboardEvent the matcher reads. */
export interface KeyPress {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  repeat: boolean;
  isComposing: boolean;
}

/**
 * Where the focus is: in a field that takes text (where "?" and Delete are typing), on
 * the topic tree or the retained list (where Delete clears), or anywhere else.
 */
export type FocusPlace = 'text-field' | 'topic-list' | 'elsewhere';

/** The parts of an element `focusPlace` reads. */
export interface FocusedElement {
  tagName: string;
  isContentEditable: boolean;
  /** An input's type; absent on other elements. */
  type?: string;
  closest(selector: string): unknown;
}

/** Input types that take no typed text: "?" on a focused checkbox opens the list. */
const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** The topic tree, and the retained list's scroll region with its rows. */
export const TOPIC_LIST_SELECTOR = '[role="tree"], [data-retained-list]';

export function focusPlace(element: FocusedElement | null): FocusPlace {
  if (!element) return 'elsewhere';
  const tag = element.tagName.toLowerCase();
  if (element.isContentEditable || tag === 'textarea' || tag === 'select') return 'text-field';
  if (tag === 'input') return NON_TEXT_INPUTS.has((element.type ?? 'text').toLowerCase()) ? 'elsewhere' : 'text-field';
  return element.closest(TOPIC_LIST_SELECTOR) ? 'topic-list' : 'elsewhere';
}

/** Whether this is a plain ASCII character, as a US layout types it. */
const isAscii = (key: string): boolean => key.length === 1 && key.charCodeAt(0) < 128;

function keyMatches(shortcut: Shortcut, press: KeyPress, platform: KeyPlatform): boolean {
  const { key, code, macAlternative } = shortcut.key;
  const pressed = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (pressed === key || (platform === 'mac' && macAlternative === press.key)) return true;
  if (code === undefined || press.code !== code) return false;
  // Digits by their position whatever they type (AZERTY's "&" key is 1); letters only
  // where the layout types no Latin letter there, so Dvorak's keys keep their letters.
  return code.startsWith('Digit') || !isAscii(press.key);
}

/**
 * The command a key press asks for, or null. The command modifier is ⌘ on macOS and
 * Ctrl elsewhere, and the other one must not be held (Ctrl+Alt is AltGr on Windows,
 * typing characters). "?" and Delete are typing inside a text field; Delete acts only
 * on the topic tree or the retained list.
 */
export function matchShortcut(press: KeyPress, platform: KeyPlatform, focus: FocusPlace): ShortcutCommand | null {
  // Held keys repeat: Ctrl+W held down must not close every tab.
  if (press.repeat || press.isComposing || press.altKey) return null;
  const commandKey = platform === 'mac' ? press.metaKey : press.ctrlKey;
  const otherKey = platform === 'mac' ? press.ctrlKey : press.metaKey;
  if (otherKey) return null;
  for (const shortcut of SHORTCUTS) {
    if (shortcut.key.primary !== commandKey || !keyMatches(shortcut, press, platform)) continue;
    // Shift+Ctrl+T and the like are other commands (browsers reopen a closed tab).
    if (commandKey && press.shiftKey) return null;
    if (shortcut.command === 'shortcuts') return focus === 'text-field' ? null : 'shortcuts';
    if (shortcut.command === 'clear-retained') return focus === 'topic-list' && !press.shiftKey ? 'clear-retained' : null;
    return shortcut.command;
  }
  return null;
}

/** The platform whose keys to use, from what the browser says it runs on. */
export function keyPlatform(navigatorLike: { platform?: string; userAgent?: string }): KeyPlatform {
  const said = `${navigatorLike.platform ?? ''} ${navigatorLike.userAgent ?? ''}`;
  // iPads report "MacIntel" too, and their keyboards have ⌘ as well.
  return /Mac|iPhone|iPad|iPod/.test(said) ? 'mac' : 'other';
}

/** The tab a "switch to tab n" command means: 9 is the last, as in browsers; null when there is none. */
export function tabIndexFor(command: ShortcutCommand, tabCount: number): number | null {
  const match = /^select-tab-(\d)$/.exec(command);
  if (!match || tabCount === 0) return null;
  const n = Number(match[1]);
  if (n === 9) return tabCount - 1;
  return n <= tabCount ? n - 1 : null;
}
