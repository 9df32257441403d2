import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shortcutLines } from '../../shared/shortcuts/shortcut-table';

// The README's table is written by hand; this keeps it the app's own list.
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe("the README's keyboard shortcuts", () => {
  it('lists every shortcut the app has, with the keys of both platforms', () => {
    const other = shortcutLines('other');
    const mac = shortcutLines('mac');
    expect(other).toHaveLength(mac.length);
    other.forEach((line, i) => {
      expect(readme).toContain(`| ${line.keys} | ${mac[i]?.keys ?? ''} | ${line.description} |`);
    });
  });

  it('lists nothing the app does not have', () => {
    const lines = readme.slice(readme.indexOf('### Keyboard shortcuts')).split('\n');
    const start = lines.findIndex((l) => l.startsWith('| Windows'));
    const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
    // The header and its rule, then one row per line of the app's list.
    expect(end - start - 2).toBe(shortcutLines('other').length);
  });
});
