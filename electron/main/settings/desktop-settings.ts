/**
 * The desktop app's settings, in electron-store (`settings.json` in the user data
 * folder), used as it is meant to be: `new Store({ name, defaults })`, read with
 * `store.store`, written with `store.set(...)` (conf writes atomically: temp file and
 * rename). The loading and recovery rules are the core's (SettingsStore), shared with
 * browser mode; this file only adapts the store to them.
 *
 * What conf 15 (electron-store 11's base) does with a damaged file, and the design
 * around it:
 * - Not valid JSON: its constructor throws (the parse error), or with
 *   `clearInvalidConfig: true` silently starts empty and writes the defaults over the
 *   file. The user would lose the file without a word.
 * - Valid JSON but not an object (`[]`, `42`, `null`, `"text"`): conf spreads it into an
 *   object (`{0: "t", ...}` or `{}`), merges the defaults in, and writes that over it.
 * So the store is given a `deserialize` that refuses anything but a JSON object, which
 * makes conf treat both cases as a parse error; and it is first built with
 * `clearInvalidConfig: false`, so a damaged file makes the constructor throw before it
 * writes anything. The core then copies the file aside (`settings.json.corrupt-<time>`),
 * and only after that is the store built with `clearInvalidConfig: true` to write the
 * defaults. A sound file with missing fields is filled by conf's own `defaults`; a field
 * with an invalid value is replaced field by field by the core (readStoredSettings).
 *
 * electron-store's constructor also registers an `electron-store-get-data` listener on
 * ipcMain (once per process; window-state.ts's store already did). It is acceptable: it
 * only answers a synchronous message with the user data path and the app version, for
 * electron-store used inside a renderer, and our page cannot send it: the sandboxed
 * preload exposes one method per contract command and never `ipcRenderer.send`/`sendSync`
 * (pinned by test/unit/main-bundle.test.ts). No setting goes through it.
 */
import { app } from 'electron';
import Store from 'electron-store';
import { copyFileSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { DocumentRead } from '../../core/storage/document-storage';
import { SettingsStore, type SettingsStorage } from '../../core/settings/settings-store';
import { DEFAULT_SETTINGS, type AppSettings } from '../../../shared/settings/app-settings';

const STORE_NAME = 'settings';

/**
 * What the file holds, unchecked: the core checks it field by field. The type says so
 * rather than claiming AppSettings for whatever is on disk.
 */
type StoredObject = Record<string, unknown>;

/** Throws for valid JSON that is not an object too, as a SyntaxError, so conf handles it as unparsable. */
function parseSettingsObject(text: string): StoredObject {
  const data: unknown = JSON.parse(text);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new SyntaxError(`it holds ${data === null ? 'null' : Array.isArray(data) ? 'a list' : `a ${typeof data}`}, not a settings object`);
  }
  return data as StoredObject;
}

class ElectronSettingsStorage implements SettingsStorage {
  /** electron-store's file: `<cwd>/<name>.json`. */
  readonly path: string;
  readonly #cwd: string;
  #store: Store<StoredObject> | null = null;

  constructor(cwd: string) {
    this.#cwd = cwd;
    this.path = join(cwd, `${STORE_NAME}.json`);
  }

  /** Built once; `clearInvalidConfig` only after a damaged file was copied aside (see the header). */
  #open(clearInvalidConfig: boolean): Store<StoredObject> {
    this.#store ??= new Store<StoredObject>({
      name: STORE_NAME,
      cwd: this.#cwd,
      defaults: { ...DEFAULT_SETTINGS },
      deserialize: parseSettingsObject,
      clearInvalidConfig,
    });
    return this.#store;
  }

  read(): DocumentRead {
    try {
      return { state: 'found', data: this.#open(false).store };
    } catch (error) {
      if (error instanceof SyntaxError) return { state: 'unparsable', problem: error.message.startsWith('it holds') ? error.message : `it is not valid JSON (${error.message})` };
      const code = (error as NodeJS.ErrnoException).code;
      return { state: 'unparsable', problem: `it cannot be read (${code ?? (error as Error).message})` };
    }
  }

  write(settings: AppSettings): void {
    this.#open(true).set(settings);
  }

  backUp(label: string): string {
    const target = `${this.path}.${label}`;
    // EXCL: never overwrite an earlier backup.
    copyFileSync(this.path, target, constants.COPYFILE_EXCL);
    return target;
  }
}

/** Opens the settings in the user data folder; never throws (see SettingsStore). */
export function openDesktopSettings(): SettingsStore {
  return SettingsStore.open(new ElectronSettingsStorage(app.getPath('userData')));
}
