import { describe, expect, it } from 'vitest';
import { focusPlace, keyPlatform, matchShortcut, tabIndexFor, type FocusedElement, type KeyPress } from '../../renderer/src/workspace/keyboard-shortcuts';
import { keyLabel, shortcutFor, shortcutLines, SHORTCUTS } from '../../shared/shortcuts/shortcut-table';

/** A key press as a US keyboard makes it; `code` follows the key unless given. */
function press(key: string, modifiers: Partial<KeyPress> = {}): KeyPress {
  const code = /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : /^\d$/.test(key) ? `Digit${key}` : key;
  return { key, code, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, repeat: false, isComposing: false, ...modifiers };
}
const ctrl = (key: string, more: Partial<KeyPress> = {}) => press(key, { ctrlKey: true, ...more });
const cmd = (key: string, more: Partial<KeyPress> = {}) => press(key, { metaKey: true, ...more });

describe('matchShortcut', () => {
  it.each([
    ['f', 'filter'],
    ['Enter', 'publish'],
    ['t', 'new-tab'],
    ['w', 'close-tab'],
    ['1', 'select-tab-1'],
    ['5', 'select-tab-5'],
    ['9', 'select-tab-9'],
    ['b', 'toggle-profiles'],
    [',', 'settings'],
  ])('Ctrl+%s elsewhere and ⌘%s on macOS is %s', (key, command) => {
    expect(matchShortcut(ctrl(key), 'other', 'elsewhere')).toBe(command);
    expect(matchShortcut(cmd(key), 'mac', 'elsewhere')).toBe(command);
  });

  it('takes ⌘ on macOS and Ctrl elsewhere, never the other one', () => {
    expect(matchShortcut(ctrl('t'), 'mac', 'elsewhere')).toBeNull();
    expect(matchShortcut(cmd('t'), 'other', 'elsewhere')).toBeNull();
    expect(matchShortcut(press('t', { ctrlKey: true, metaKey: true }), 'mac', 'elsewhere')).toBeNull();
    expect(matchShortcut(press('t'), 'other', 'elsewhere')).toBeNull();
  });

  it('leaves Shift, Alt and AltGr (Ctrl+Alt) combinations alone', () => {
    // Ctrl+Shift+T reopens a closed tab in browsers; AltGr+Q types "@" on German keyboards.
    expect(matchShortcut(ctrl('T', { shiftKey: true }), 'other', 'elsewhere')).toBeNull();
    expect(matchShortcut(ctrl('f', { altKey: true }), 'other', 'elsewhere')).toBeNull();
    expect(matchShortcut(press('?', { altKey: true, shiftKey: true }), 'other', 'elsewhere')).toBeNull();
  });

  it('ignores held keys, so holding Ctrl+W does not close every tab, and keys during composition', () => {
    expect(matchShortcut(ctrl('w', { repeat: true }), 'other', 'elsewhere')).toBeNull();
    expect(matchShortcut(ctrl('f', { isComposing: true }), 'other', 'elsewhere')).toBeNull();
  });

  it('works while typing for the Ctrl/⌘ shortcuts: Ctrl+Enter in the payload publishes', () => {
    expect(matchShortcut(ctrl('Enter'), 'other', 'text-field')).toBe('publish');
    expect(matchShortcut(ctrl('f'), 'other', 'text-field')).toBe('filter');
    expect(matchShortcut(cmd('w'), 'mac', 'text-field')).toBe('close-tab');
  });

  it('opens the list with "?" (Shift+/ on a US keyboard), except in a text field, where it is typed', () => {
    expect(matchShortcut(press('?', { shiftKey: true, code: 'Slash' }), 'other', 'elsewhere')).toBe('shortcuts');
    expect(matchShortcut(press('?', { shiftKey: true, code: 'Slash' }), 'mac', 'topic-list')).toBe('shortcuts');
    expect(matchShortcut(press('?', { shiftKey: true, code: 'Slash' }), 'other', 'text-field')).toBeNull();
    expect(matchShortcut(press('/', { code: 'Slash' }), 'other', 'elsewhere')).toBeNull();
  });

  it('clears with Delete only on the tree or the retained list, and with ⌫ too on a Mac', () => {
    expect(matchShortcut(press('Delete'), 'other', 'topic-list')).toBe('clear-retained');
    expect(matchShortcut(press('Delete'), 'other', 'text-field')).toBeNull();
    expect(matchShortcut(press('Delete'), 'other', 'elsewhere')).toBeNull();
    expect(matchShortcut(press('Backspace'), 'mac', 'topic-list')).toBe('clear-retained');
    expect(matchShortcut(press('Backspace'), 'other', 'topic-list')).toBeNull();
    expect(matchShortcut(press('Backspace'), 'mac', 'text-field')).toBeNull();
    expect(matchShortcut(press('Delete', { shiftKey: true }), 'other', 'topic-list')).toBeNull();
    expect(matchShortcut(ctrl('Delete'), 'other', 'topic-list')).toBeNull();
  });

  it('finds digits by position on layouts that shift them (AZERTY: the 1 key types "&")', () => {
    expect(matchShortcut(ctrl('&', { code: 'Digit1' }), 'other', 'elsewhere')).toBe('select-tab-1');
    expect(matchShortcut(ctrl('ç', { code: 'Digit9' }), 'other', 'elsewhere')).toBe('select-tab-9');
  });

  it('finds letters by position only where the layout types no Latin letter there', () => {
    // Russian: the F key types "а"; Dvorak: the physical T key types "y", which is not T.
    expect(matchShortcut(ctrl('а', { code: 'KeyF' }), 'other', 'elsewhere')).toBe('filter');
    expect(matchShortcut(ctrl('y', { code: 'KeyT' }), 'other', 'elsewhere')).toBeNull();
    expect(matchShortcut(ctrl('t', { code: 'KeyK' }), 'other', 'elsewhere')).toBe('new-tab');
  });

  it('matches Caps Lock letters', () => {
    expect(matchShortcut(ctrl('F'), 'other', 'elsewhere')).toBe('filter');
  });
});

describe('tabIndexFor', () => {
  it('switches to tab n when there is one, and 9 is always the last tab', () => {
    expect(tabIndexFor('select-tab-1', 3)).toBe(0);
    expect(tabIndexFor('select-tab-3', 3)).toBe(2);
    expect(tabIndexFor('select-tab-4', 3)).toBeNull();
    expect(tabIndexFor('select-tab-9', 3)).toBe(2);
    expect(tabIndexFor('select-tab-9', 12)).toBe(11);
    expect(tabIndexFor('select-tab-9', 0)).toBeNull();
    expect(tabIndexFor('new-tab', 3)).toBeNull();
  });
});

describe('focusPlace', () => {
  const element = (tagName: string, extra: Partial<FocusedElement> = {}, inside: string | null = null): FocusedElement => ({
    tagName,
    isContentEditable: false,
    closest: (selector: string) => (inside !== null && selector.includes(inside) ? {} : null),
    ...extra,
  });

  it('counts text inputs, text areas, selects and editable content as typing', () => {
    expect(focusPlace(element('INPUT', { type: 'search' }))).toBe('text-field');
    expect(focusPlace(element('INPUT', { type: 'text' }))).toBe('text-field');
    expect(focusPlace(element('TEXTAREA'))).toBe('text-field');
    expect(focusPlace(element('SELECT'))).toBe('text-field');
    expect(focusPlace(element('DIV', { isContentEditable: true }))).toBe('text-field');
  });

  it('does not count a checkbox or a button as typing', () => {
    expect(focusPlace(element('INPUT', { type: 'checkbox' }))).toBe('elsewhere');
    expect(focusPlace(element('BUTTON'))).toBe('elsewhere');
    expect(focusPlace(null)).toBe('elsewhere');
  });

  it('knows the topic tree and the retained list, and a filter field inside the list is still typing', () => {
    expect(focusPlace(element('DIV', {}, 'role="tree"'))).toBe('topic-list');
    expect(focusPlace(element('LI', {}, 'data-retained-list'))).toBe('topic-list');
    expect(focusPlace(element('BUTTON', {}, 'data-retained-list'))).toBe('topic-list');
    expect(focusPlace(element('INPUT', { type: 'search' }, 'data-retained-list'))).toBe('text-field');
  });
});

describe('keyPlatform', () => {
  it('uses ⌘ on a Mac (and an iPad) and Ctrl elsewhere', () => {
    expect(keyPlatform({ platform: 'MacIntel' })).toBe('mac');
    expect(keyPlatform({ platform: '', userAgent: 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)' })).toBe('mac');
    expect(keyPlatform({ platform: 'Linux x86_64', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' })).toBe('other');
    expect(keyPlatform({ platform: 'Win32' })).toBe('other');
  });
});

describe('the shortcut table', () => {
  it('has one entry per command, and the renderer and the menu agree on every key', () => {
    expect(new Set(SHORTCUTS.map((s) => s.command)).size).toBe(SHORTCUTS.length);
    for (const shortcut of SHORTCUTS) {
      if (shortcut.accelerator === null) continue;
      // The accelerator is the same key the renderer matches, with the command modifier.
      const name = shortcut.key.key.length === 1 ? shortcut.key.key.toUpperCase() : shortcut.key.key;
      expect(shortcut.accelerator, shortcut.command).toBe(`CmdOrCtrl+${name}`);
      expect(matchShortcut(ctrl(shortcut.key.key), 'other', 'elsewhere'), shortcut.command).toBe(shortcut.command);
    }
  });

  it('never makes "?" or Delete a menu accelerator: they would stop working in text fields', () => {
    expect(shortcutFor('shortcuts').accelerator).toBeNull();
    expect(shortcutFor('clear-retained').accelerator).toBeNull();
  });

  it('writes keys as each platform does', () => {
    expect(keyLabel(shortcutFor('new-tab').key, 'other')).toBe('Ctrl+T');
    expect(keyLabel(shortcutFor('new-tab').key, 'mac')).toBe('⌘T');
    expect(keyLabel(shortcutFor('publish').key, 'other')).toBe('Ctrl+Enter');
    expect(keyLabel(shortcutFor('publish').key, 'mac')).toBe('⌘↩');
    expect(keyLabel(shortcutFor('settings').key, 'mac')).toBe('⌘,');
    expect(keyLabel(shortcutFor('clear-retained').key, 'other')).toBe('Delete');
    expect(keyLabel(shortcutFor('clear-retained').key, 'mac')).toBe('⌦ or ⌫');
    expect(keyLabel(shortcutFor('shortcuts').key, 'other')).toBe('?');
  });

  it('lists every shortcut for the dialog, tabs 1 to 8 on one line, and marks what a browser tab keeps', () => {
    const lines = shortcutLines('other');
    expect(lines.map((l) => l.keys)).toEqual(['Ctrl+F', 'Ctrl+Enter', 'Ctrl+T', 'Ctrl+W', 'Ctrl+O', 'Ctrl+1 … Ctrl+8', 'Ctrl+9', 'Ctrl+B', 'Ctrl+,', 'Delete', '?']);
    expect(lines.find((l) => l.keys === 'Ctrl+9')?.description).toBe('Switch to the last tab');
    expect(lines.filter((l) => l.browserKeeps).map((l) => l.keys)).toEqual(['Ctrl+T', 'Ctrl+W', 'Ctrl+1 … Ctrl+8', 'Ctrl+9']);
    expect(shortcutLines('mac')[5]?.keys).toBe('⌘1 … ⌘8');
  });
});
