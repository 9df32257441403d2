/**
 * `shared/` runs in main, in the renderer and under plain Node: it may not import
 * Electron or Node modules, nor touch the DOM.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SHARED = resolve('shared');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Code without comments, so a comment saying "no DOM" does not count. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const RULES: Array<[what: string, pattern: RegExp]> = [
  ['imports electron', /\bfrom\s+['"]electron(\/[^'"]*)?['"]|\b(require|import)\s*\(\s*['"]electron(\/[^'"]*)?['"]\s*\)/],
  ['imports a node: module', /\bfrom\s+['"]node:|\b(require|import)\s*\(\s*['"]node:/],
  [
    'imports a Node built-in without the node: prefix',
    /\bfrom\s+['"](fs|fs\/promises|path|os|child_process|net|tls|http|https|crypto|url|util|events|stream|buffer|worker_threads)['"]/,
  ],
  ['uses document.', /(?<![\w.])document\s*\./],
  ['uses window.', /(?<![\w.])window\s*\./],
];

describe('shared/ stays free of Electron, Node and the DOM', () => {
  const files = tsFiles(SHARED);

  it('finds the shared modules to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    expect(files.map((f) => relative(SHARED, f))).toContain(join('explorer', 'topic-tree.ts'));
  });

  it('has no offending import or DOM use', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const lines = stripComments(readFileSync(file, 'utf8')).split('\n');
      lines.forEach((line, index) => {
        for (const [what, pattern] of RULES) {
          if (pattern.test(line)) offenders.push(`shared/${relative(SHARED, file)}:${index + 1} ${what}: ${line.trim()}`);
        }
      });
    }
    expect(offenders).toEqual([]);
  });

  it('the rules catch what they are meant to catch', () => {
    const samples = [
      "import { ipcRenderer } from 'electron';",
      'import { readFile } from "node:fs/promises";',
      "import path from 'path';",
      'const el = document.getElementById("x");',
      'window.topicscope.on("x", f);',
    ];
    for (const sample of samples) expect(RULES.some(([, p]) => p.test(sample)), sample).toBe(true);
    const clean = ["import { z } from 'zod';", "import type { X } from './x';", 'const mywindow = {}; mywindow.x = 1;', 'state.document.title'];
    for (const sample of clean) expect(RULES.some(([, p]) => p.test(sample)), sample).toBe(false);
  });
});
