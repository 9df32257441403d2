import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { DEV_SERVER_CSP } from './electron/core/security/content-security-policy';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // The browser-mode host shares the connection core with main; it is built
        // with it so `npm run web` runs the same bundle code that Electron does.
        input: {
          index: resolve('electron/main/index.ts'),
          'web-host': resolve('electron/web/web-host.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require nothing but `electron`: bundle every dependency.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        // A sandboxed preload cannot load ES modules or other files: one CJS bundle.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [svelte()],
    // `electron-vite dev` serves the renderer itself; it sends the desktop policy (with
    // Vite's injected styles allowed) since index.html carries no CSP meta.
    server: { headers: { 'Content-Security-Policy': DEV_SERVER_CSP } },
    build: {
      outDir: resolve('out/renderer'),
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
