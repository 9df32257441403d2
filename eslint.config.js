/**
 * ESLint for the whole repository, run by `npm test` (`npm run lint`, zero warnings).
 *
 * App code (electron/, shared/, renderer/) gets typescript-eslint's strictest type-aware
 * presets; tests, benchmarks and scripts a lighter one. The architecture's boundaries
 * (STYLE.md points 1, 4, 9, 17) are the `boundary/*` rules at the end: each is a core
 * rule (no-restricted-imports / -globals / -properties / -syntax) under a name of its
 * own, so several boundaries can cover the same file without one block's options
 * replacing another's, and a finding names the boundary it breaks.
 * test/unit/lint-boundaries.test.ts checks that every one of them fires.
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
// The documented way to reach core rules from a config; used only to alias them below.
import { builtinRules } from 'eslint/use-at-your-own-risk';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const APP = ['electron/**', 'shared/**', 'renderer/**'];
const TS = ['**/*.ts', '**/*.svelte'];

// ---------------------------------------------------------------------------------
// Boundaries. `files`/`ignores` say where a boundary holds; `rule` is the core rule it
// runs as; `options` are that rule's options, each with the message a reader gets.
// ---------------------------------------------------------------------------------

const NODE_BUILTINS = [...new Set(builtinModules.filter((m) => !m.startsWith('_')).flatMap((m) => [m, m.startsWith('node:') ? m : `node:${m}`]))];

const SHARED_WHY = 'shared/ runs in main, in the sandboxed renderer and under plain Node tests';
const DOM_GLOBALS = [
  'window', 'document', 'navigator', 'location', 'history', 'localStorage', 'sessionStorage',
  'HTMLElement', 'Element', 'Node', 'Event', 'EventTarget', 'CustomEvent', 'MutationObserver',
  'ResizeObserver', 'IntersectionObserver', 'requestAnimationFrame', 'cancelAnimationFrame',
  'getComputedStyle', 'matchMedia', 'WebSocket', 'XMLHttpRequest', 'alert', 'confirm', 'prompt',
];
const NODE_GLOBALS = ['process', 'Buffer', 'require', 'module', 'exports', '__dirname', '__filename', 'global', 'setImmediate', 'clearImmediate'];

/** @type {{ name: string; rule: string; files: string[]; ignores?: string[]; options: unknown[] }[]} */
const BOUNDARIES = [
  {
    name: 'shared-imports',
    rule: 'no-restricted-imports',
    files: ['shared/**'],
    options: [{
      paths: [
        { name: 'electron', message: `${SHARED_WHY}: no Electron here. Pass what you need in from electron/.` },
        ...NODE_BUILTINS.map((name) => ({ name, message: `${SHARED_WHY}: no Node modules here (the renderer has none).` })),
      ],
      patterns: [
        { group: ['node:*'], message: `${SHARED_WHY}: no Node modules here (the renderer has none).` },
        { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ is the bottom layer: it imports nothing from electron/ or renderer/.' },
      ],
    }],
  },
  {
    name: 'shared-globals',
    rule: 'no-restricted-globals',
    files: ['shared/**'],
    options: [
      ...DOM_GLOBALS.map((name) => ({ name, message: `${SHARED_WHY}: no DOM here. Let the renderer pass values in.` })),
      ...NODE_GLOBALS.map((name) => ({ name, message: `${SHARED_WHY}: no Node globals here (the renderer has none).` })),
    ],
  },
  {
    name: 'renderer-imports',
    rule: 'no-restricted-imports',
    files: ['renderer/**'],
    options: [{
      paths: [
        { name: 'electron', message: 'The renderer is sandboxed: it reaches main only through window.topicscope (renderer/src/api).' },
        ...NODE_BUILTINS.map((name) => ({ name, message: 'The renderer is sandboxed and has no Node modules; ask main through the IPC contract.' })),
      ],
      patterns: [
        { group: ['node:*'], message: 'The renderer is sandboxed and has no Node modules; ask main through the IPC contract.' },
        { group: ['**/electron/**'], message: 'The renderer never imports main-side code: share types and pure code through shared/.' },
      ],
    }],
  },
  {
    name: 'renderer-api-gateway',
    rule: 'no-restricted-globals',
    files: ['renderer/**'],
    ignores: ['renderer/src/api/**'],
    options: [
      { name: 'topicscope', message: 'Only renderer/src/api talks to the core: take the api from context, so tests can inject a fake.' },
      { name: 'WebSocket', message: "Only renderer/src/api opens WebSockets (browser mode's link to the host)." },
    ],
  },
  {
    name: 'renderer-api-gateway-property',
    rule: 'no-restricted-properties',
    files: ['renderer/**'],
    ignores: ['renderer/src/api/**'],
    options: ['window', 'globalThis', 'self'].flatMap((object) => [
      { object, property: 'topicscope', message: 'Only renderer/src/api talks to the core: take the api from context, so tests can inject a fake.' },
      { object, property: 'WebSocket', message: "Only renderer/src/api opens WebSockets (browser mode's link to the host)." },
    ]),
  },
  {
    name: 'core-electron-free',
    rule: 'no-restricted-imports',
    files: ['electron/core/**', 'electron/web/**'],
    options: [{
      paths: [{ name: 'electron', message: 'electron/core and electron/web run under plain Node (browser mode, tests, benchmarks): pass Electron in from electron/main.' }],
      patterns: [{ group: ['**/main/**', '**/preload/**'], message: 'electron/core and electron/web run without Electron: they import nothing from electron/main or electron/preload.' }],
    }],
  },
  {
    name: 'ipc-main-gateway',
    rule: 'no-restricted-imports',
    files: APP,
    ignores: ['electron/main/ipc/ipc-main.ts'],
    options: [{
      paths: [{ name: 'electron', importNames: ['ipcMain'], message: 'Register commands through electron/main/ipc/ipc-main.ts: it checks the sender and validates the arguments.' }],
    }],
  },
  {
    name: 'preload-gateway',
    rule: 'no-restricted-imports',
    files: APP,
    ignores: ['electron/preload/**'],
    options: [{
      paths: [{ name: 'electron', importNames: ['ipcRenderer', 'contextBridge'], message: 'Only electron/preload bridges to the page: one method per contract command, nothing generic.' }],
    }],
  },
  {
    name: 'dialog-gateway',
    rule: 'no-restricted-imports',
    files: APP,
    ignores: ['electron/main/index.ts'],
    options: [{
      paths: [{ name: 'electron', importNames: ['dialog', 'protocol'], message: 'File dialogs and the app:// protocol live in electron/main/index.ts, behind narrow commands.' }],
    }],
  },
  {
    // What the preload may do with the two objects that could hand main to the page.
    name: 'preload-bridge-shape',
    rule: 'no-restricted-syntax',
    files: ['electron/preload/**'],
    options: [
      {
        selector: "Identifier[name='ipcRenderer']:not(ImportSpecifier > Identifier, CallExpression > MemberExpression.callee[property.name=/^(invoke|on|removeListener)$/] > Identifier.object)",
        message: 'ipcRenderer is only imported and called (.invoke / .on / .removeListener): passed or stored anywhere else, it could reach the page.',
      },
      {
        selector: "Identifier[name='contextBridge']:not(ImportSpecifier > Identifier, CallExpression > MemberExpression.callee[property.name='exposeInMainWorld'] > Identifier.object)",
        message: 'contextBridge is only imported and called to expose the one api object.',
      },
      {
        selector: 'CallExpression[callee.property.name=/^(send|sendSync|sendTo|sendToHost|postMessage)$/]',
        message: 'The preload invokes contract commands only: no send-style call whose channel or target the page could steer.',
      },
      {
        selector: "ImportDeclaration[source.value='electron'] > :matches(ImportNamespaceSpecifier, ImportDefaultSpecifier)",
        message: "Import names from 'electron' one by one, so the rules above see every use.",
      },
    ],
  },
  // Members of objects that pass through several files: checked by shape, where used.
  {
    name: 'open-external-gateway',
    rule: 'no-restricted-syntax',
    files: APP,
    ignores: ['electron/main/window/window-security.ts'],
    options: [{ selector: "MemberExpression[object.name='shell'][property.name='openExternal']", message: 'Open URLs through openExternalSafely (window-security.ts): it applies the URL allow-list.' }],
  },
  {
    name: 'open-path-gateway',
    rule: 'no-restricted-syntax',
    files: APP,
    ignores: ['electron/main/index.ts'],
    options: [{ selector: "MemberExpression[object.name='shell'][property.name='openPath']", message: 'shell.openPath opens only the logs folder, from electron/main/index.ts.' }],
  },
  {
    name: 'window-load-gateway',
    rule: 'no-restricted-syntax',
    files: APP,
    ignores: ['electron/main/index.ts'],
    options: [{ selector: 'CallExpression > MemberExpression.callee[property.name=/^(loadURL|loadFile)$/]', message: 'What the window loads is decided once, in electron/main/index.ts.' }],
  },
  {
    name: 'permission-gateway',
    rule: 'no-restricted-syntax',
    files: APP,
    ignores: ['electron/main/window/permission-policy.ts'],
    options: [{ selector: 'MemberExpression[property.name=/^set(Permission\\w+|Device\\w+|DisplayMedia\\w+)Handler$/]', message: 'Permission handlers are installed only by permission-policy.ts, which denies by default.' }],
  },
  {
    name: 'navigation-gateway',
    rule: 'no-restricted-syntax',
    files: APP,
    ignores: ['electron/main/window/navigation-guard.ts'],
    options: [
      { selector: "MemberExpression[property.name='setWindowOpenHandler']", message: 'window.open and navigation are guarded only in navigation-guard.ts.' },
      { selector: 'Literal[value=/^will-(navigate|frame-navigate|redirect|attach-webview)$/]', message: 'window.open and navigation are guarded only in navigation-guard.ts.' },
    ],
  },
];

const boundaryPlugin = {
  meta: { name: 'topicscope-boundary' },
  rules: Object.fromEntries(BOUNDARIES.map((b) => [b.name, builtinRules.get(b.rule)])),
};

/** Where the strict presets' defaults don't fit this codebase; one line of why each. */
const APP_RULES = {
  // Numbers in messages ("QoS 2", "retrying in 4 s") are the common case and print fine.
  '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
  // `(e) => e.preventDefault()` and `() => resolve()` as callbacks are clear, not confusing.
  '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
  // `record['key']` on a Record<string, unknown> from parsed JSON marks it as unchecked data.
  '@typescript-eslint/dot-notation': ['error', { allowIndexSignaturePropertyAccess: true }],
  // With noUncheckedIndexedAccess, `bytes[i]!` after a bounds check is the honest form in
  // decoder and tree hot loops; `?? 0` would invent data, a runtime check costs per byte.
  '@typescript-eslint/no-non-null-assertion': 'off',
  // `async () => ok(value)` meets a Promise-returning contract and turns a throw into a
  // rejection; no-floating-promises and await-thenable catch the real mistakes.
  '@typescript-eslint/require-await': 'off',
  // Profile and secret documents are plain JSON records that get serialized: deleting a
  // key is the operation, a Map would have to be converted back.
  '@typescript-eslint/no-dynamic-delete': 'off',
  // Form fields are '' when empty: `serverName || host` means "unless left blank".
  '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
  // `promise.catch(() => {})` marks a promise handled elsewhere; `() => {}` is a no-op default.
  '@typescript-eslint/no-empty-function': ['error', { allow: ['arrowFunctions'] }],
  // `_name` marks a parameter kept for its position, `{ secret: _s, ...rest }` drops a field.
  '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
};

/** The lighter preset for tests, benchmarks and tools, with the same shared choices. */
const TOOL_RULES = {
  '@typescript-eslint/require-await': 'off',
  // vitest's asymmetric matchers (expect.stringContaining, expect.any) are typed `any`, and
  // tests hand-edit parsed JSON files the way a user would: `any` is the honest type there.
  '@typescript-eslint/no-unsafe-assignment': 'off',
  '@typescript-eslint/no-unsafe-member-access': 'off',
  '@typescript-eslint/no-unused-vars': APP_RULES['@typescript-eslint/no-unused-vars'],
};

// ---------------------------------------------------------------------------------

export default defineConfig([
  globalIgnores(['out/', 'dist/', 'node_modules/', 'test-results/', 'playwright-report/', '.tmp/']),

  // A disable comment that no longer suppresses anything is an error, so none go stale.
  { name: 'topicscope/linter-options', linterOptions: { reportUnusedDisableDirectives: 'error' } },

  js.configs.recommended,

  {
    name: 'topicscope/typescript-parser',
    files: TS,
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: {
        // Each file is checked in its nearest tsconfig: renderer/tsconfig.json for the
        // renderer (DOM, Svelte), the root one for everything else.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
  },

  {
    name: 'topicscope/app',
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.svelte'],
    extends: [tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    rules: APP_RULES,
  },

  {
    // Tests, benchmarks and configs: the recommended type-aware set. The strict set's
    // extra rules (non-null assertions, unnecessary conditions, ...) are about app
    // invariants; in a test a `!` after a lookup the test just made is the clearest form.
    name: 'topicscope/tests-and-tools',
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', '*.config.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    rules: TOOL_RULES,
  },

  // Svelte components and rune modules: svelte-eslint-parser, with the TypeScript parser
  // for <script lang="ts"> and .svelte.ts.
  svelte.configs.recommended,
  {
    name: 'topicscope/svelte',
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    // The read models keep their working collections (expanded nodes, flash stamps,
    // formatted-payload cache) private and non-reactive on purpose, and publish an
    // immutable snapshot once per frame ($state.raw): a SvelteSet or SvelteMap would
    // turn every mutation on the message path into a reactive write.
    name: 'topicscope/read-models',
    files: ['renderer/src/**/*.svelte.ts'],
    rules: { 'svelte/prefer-svelte-reactivity': 'off' },
  },
  {
    name: 'topicscope/renderer-globals',
    files: ['renderer/**'],
    languageOptions: { globals: globals.browser },
  },

  {
    // Plain JavaScript (scripts, stand-ins, this file): in no tsconfig, so no type info.
    name: 'topicscope/javascript',
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },

  { name: 'topicscope/boundary-plugin', plugins: { boundary: boundaryPlugin } },
  ...BOUNDARIES.map((b) => ({
    name: `topicscope/boundary/${b.name}`,
    files: b.files,
    ...(b.ignores ? { ignores: b.ignores } : {}),
    rules: { [`boundary/${b.name}`]: ['error', ...b.options] },
  })),
]);
