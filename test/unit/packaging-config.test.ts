/**
 * Packaging downloads Electron, which these machines cannot, so `npm run dist` is
 * checked by reading its inputs: electron-builder.yml must pass electron-builder's own
 * validation, name the four installers, and list files that the build really produces;
 * and everything the packaged main process imports must be in `dependencies`, or the
 * installed app would fail to start. Needs `npm run build` first (`npm test` does it).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
// electron-builder's own loader and schema check, as `npm run dist` runs them
// (app-builder-lib and builder-util are pinned by the electron-builder devDependency).
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
// The code `electron-builder` runs to turn `electronFuses` into @electron/fuses' wire.
import { PlatformPackager } from 'app-builder-lib';
import { FuseV1Options, FuseVersion } from '@electron/fuses';

interface PackageJson {
  name: string;
  main: string;
  author?: { name?: string; email?: string };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as PackageJson;
const config = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown> & {
  files: string[];
  icon: string;
  linux: { target: string[]; maintainer?: string };
  mac: { target: string[] };
  win: { target: string[] };
  asar?: unknown;
  disableAsarIntegrity?: unknown;
  electronFuses?: Record<string, unknown>;
  afterPack?: unknown;
};

/** The fuses the packaged binary must have, with why in electron-builder.yml. */
const EXPECTED_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableCookieEncryption: true,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
};

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [relative('.', path)];
  });
}

/** electron-builder's glob subset used in the config: `**`, `*` and a leading `!`. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (ch === '*') source += '[^/]*';
    else source += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** What the packaged app would contain: built files and package.json, minus exclusions. */
function packagedFiles(): string[] {
  const candidates = [...filesUnder('out'), 'package.json'];
  const include = config.files.filter((g) => !g.startsWith('!')).map(globToRegExp);
  const exclude = config.files.filter((g) => g.startsWith('!')).map((g) => globToRegExp(g.slice(1)));
  return candidates.filter((f) => include.some((r) => r.test(f)) && !exclude.some((r) => r.test(f)));
}

/** Bare module names a built bundle imports (static and dynamic). */
function bareImports(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const names = new Set<string>();
  const patterns = [/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*["']([^"']+)["']/gm, /^\s*import\s*["']([^"']+)["']/gm, /\bimport\(\s*["']([^"']+)["']\s*\)/g];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      const spec = match[1] as string;
      if (!spec.startsWith('.') && !spec.startsWith('/')) names.add(spec);
    }
  }
  return [...names];
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

describe('packaging config (electron-builder.yml)', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const loaded = await getConfig(process.cwd(), null, null);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    // The first validation compiles electron-builder's whole schema: seconds on a busy machine.
  }, 30_000);

  it('the schema check rejects a misspelt option (so the check above can fail)', async () => {
    const loaded = await getConfig(process.cwd(), null, { linux: { targets: ['AppImage'] } } as never);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object/);
  });

  it('builds AppImage and deb on Linux, dmg on macOS and nsis on Windows, as Topicscope', () => {
    expect(config['appId']).toBe('dev.topicscope.app');
    expect(config['productName']).toBe('Topicscope');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    // A deb without a maintainer is refused by electron-builder.
    expect(config.linux.maintainer ?? pkg.author?.email).toMatch(/<?[^@\s]+@[^@\s]+>?/);
  });

  it('has an icon large enough for every platform (PNG, at least 512×512)', () => {
    const png = readFileSync(config.icon);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
  });

  it('`npm run dist` builds the bundles and then the installers for this platform', () => {
    expect(pkg.scripts['dist']).toBe('electron-vite build && electron-builder');
  });

  describe('Electron fuses and asar integrity', () => {
    it('sets every fuse: no run-as-node, NODE_OPTIONS or --inspect; cookies encrypted; app only from a checked asar; no file:// privileges', () => {
      expect(config.electronFuses).toEqual(EXPECTED_FUSES);
    });

    it('maps each setting to the right fuse in the installed electron-builder (so a renamed key cannot pass silently)', async () => {
      // generateFuseConfig uses no packager state: it is the translation `npm run dist` runs.
      const generate = (PlatformPackager.prototype as unknown as { generateFuseConfig: (this: unknown, f: unknown) => Promise<Record<string | number, unknown>> }).generateFuseConfig;
      const wire = await generate.call(null, config.electronFuses);
      expect(wire).toEqual({
        version: FuseVersion.V1,
        resetAdHocDarwinSignature: undefined,
        [FuseV1Options.RunAsNode]: false,
        [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
        [FuseV1Options.EnableNodeCliInspectArguments]: false,
        [FuseV1Options.EnableCookieEncryption]: true,
        [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
        [FuseV1Options.OnlyLoadAppFromAsar]: true,
        [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
        [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
      });
      // Every fuse @electron/fuses knows is decided, none left at Electron's default.
      const known = Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number');
      expect(known.filter((fuse) => !(fuse in wire))).toEqual([]);
    });

    it('packs an asar with the integrity hash left on (the fuse checks it on macOS and Windows)', () => {
      expect(config.asar).toBe(true);
      expect(config.disableAsarIntegrity).toBeUndefined();
      // A custom afterPack flipping fuses again would race the built-in one.
      expect(config.afterPack).toBeUndefined();
    });

    it('the schema check rejects a misspelt fuse (so the fuses are schema-checked too)', async () => {
      const loaded = await getConfig(process.cwd(), null, { electronFuses: { runAsNodes: false } } as never);
      await expect(validateConfiguration(loaded, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object/);
    });
  });

  describe('after the build', () => {
    const built = existsSync(pkg.main);

    it('the build exists (run `npm run build` first)', () => {
      expect(built, `${pkg.main} is missing: run "npm run build" (npm test does it first)`).toBe(true);
    });

    it('every file pattern matches built files, and the app’s entry points are packaged', () => {
      const files = packagedFiles();
      for (const glob of config.files.filter((g) => !g.startsWith('!'))) {
        expect(files.some((f) => globToRegExp(glob).test(f)), `"${glob}" matches nothing`).toBe(true);
      }
      for (const entry of [pkg.main, 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']) {
        expect(files, entry).toContain(entry);
        expect(statSync(entry).size).toBeGreaterThan(0);
      }
      expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
      // The browser-mode host is built next to main but is never shipped.
      expect(existsSync('out/main/web-host.js'), 'run `npm run build` first').toBe(true);
      expect(files).not.toContain('out/main/web-host.js');
    });

    it('everything the packaged main process imports is a runtime dependency', () => {
      const allowed = new Set(['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys(pkg.dependencies)]);
      const mainFiles = packagedFiles().filter((f) => f.startsWith('out/main/') && f.endsWith('.js'));
      expect(mainFiles).toContain(pkg.main);
      const missing = mainFiles.flatMap((f) => bareImports(f).filter((spec) => !allowed.has(spec) && !allowed.has(packageName(spec))).map((spec) => `${f}: ${spec}`));
      expect(missing).toEqual([]);
      // The check itself sees the imports it is meant to see.
      expect(mainFiles.flatMap(bareImports)).toEqual(expect.arrayContaining(['electron', 'mqtt']));
    });
  });
});
