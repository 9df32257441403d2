/**
 * The desktop app's profile storage: electron-store files in the user data folder, and
 * secrets sealed with Electron's safeStorage (Keychain, DPAPI, libsecret or KWallet).
 * Thin on purpose: the store logic is in the Electron-free core, tested under Node.
 */
import { app, safeStorage } from 'electron';
import ElectronStore from 'electron-store';
import { constants, copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretStorageInfo } from '../../shared/connection-profile';
import type { DocumentRead, DocumentStorage } from '../core/document-storage';
import { PemFolder } from '../core/pem-folder';
import { ProfileStore } from '../core/profile-store';
import { PLAIN_TEXT_PREFIX, type SecretStore } from '../core/secret-store';

/** Where electron-store's parser leaves the reason a file was not JSON, instead of throwing. */
const UNPARSABLE_KEY = '__topicscopeUnparsable';

/**
 * electron-store throws from its constructor on a file that is not JSON, and with
 * `clearInvalidConfig` it would empty the file. Its parser is replaced by one that
 * reports the problem as data, so the core can back the file up before replacing it.
 */
function tolerantParse(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    return { [UNPARSABLE_KEY]: `it is not valid JSON (${(error as Error).message})` };
  }
}

class ElectronStoreStorage implements DocumentStorage {
  readonly path: string;
  readonly #store: ElectronStore<Record<string, unknown>>;

  constructor(name: string, cwd: string) {
    this.#store = new ElectronStore<Record<string, unknown>>({
      name,
      cwd,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      configFileMode: 0o600,
      deserialize: tolerantParse,
    });
    this.path = this.#store.path;
  }

  read(): DocumentRead {
    if (!existsSync(this.path)) return { state: 'missing' };
    let data: Record<string, unknown>;
    try {
      data = this.#store.store;
    } catch (error) {
      return { state: 'unparsable', problem: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
    }
    const problem = data[UNPARSABLE_KEY];
    return typeof problem === 'string' ? { state: 'unparsable', problem } : { state: 'found', data };
  }

  /** electron-store writes through a temporary file and a rename (the `atomically` package). */
  write(data: object): void {
    this.#store.store = data as Record<string, unknown>;
  }

  backUp(label: string): string {
    const target = `${this.path}.${label}`;
    copyFileSync(this.path, target, constants.COPYFILE_EXCL);
    return target;
  }
}

const SAFE_STORAGE_PREFIX = 'safeStorage:';

/** Describes what safeStorage offers here; call after the app is ready. */
function secretStorageInfo(): SecretStorageInfo {
  if (!safeStorage.isEncryptionAvailable()) {
    return { encrypted: false, backend: 'none', description: 'No system keychain is available, so a saved password would be stored in plain text in the app data folder.' };
  }
  if (process.platform === 'darwin') return { encrypted: true, backend: 'keychain', description: 'Saved passwords are encrypted with a key kept in the macOS Keychain.' };
  if (process.platform === 'win32') return { encrypted: true, backend: 'dpapi', description: 'Saved passwords are encrypted with Windows DPAPI, for your user account only.' };
  const backend = safeStorage.getSelectedStorageBackend();
  if (backend === 'basic_text' || backend === 'unknown') {
    return {
      encrypted: false,
      backend,
      description: 'No keyring (GNOME Keyring, KWallet) was found on this desktop, so a saved password would only be obfuscated, not encrypted.',
    };
  }
  return { encrypted: true, backend, description: `Saved passwords are encrypted with a key kept in your desktop keyring (${backend}).` };
}

class SafeStorageSecretStore implements SecretStore {
  readonly info = secretStorageInfo();
  readonly #available = safeStorage.isEncryptionAvailable();

  seal(secret: string): string {
    // Without any backend safeStorage throws; the store only gets here after the user
    // agreed to plain text, which is then what is written.
    if (!this.#available) return PLAIN_TEXT_PREFIX + secret;
    return SAFE_STORAGE_PREFIX + safeStorage.encryptString(secret).toString('base64');
  }

  unseal(sealed: string): string {
    if (sealed.startsWith(PLAIN_TEXT_PREFIX)) return sealed.slice(PLAIN_TEXT_PREFIX.length);
    if (!sealed.startsWith(SAFE_STORAGE_PREFIX)) throw new Error('Unknown secret format.');
    return safeStorage.decryptString(Buffer.from(sealed.slice(SAFE_STORAGE_PREFIX.length), 'base64'));
  }
}

/** Opens the profile store in the user data folder; call once the app is ready (safeStorage needs it). */
export function openDesktopProfiles(): ProfileStore {
  const dir = app.getPath('userData');
  return ProfileStore.open({
    profiles: new ElectronStoreStorage('profiles', dir),
    secretFile: new ElectronStoreStorage('secrets', dir),
    secrets: new SafeStorageSecretStore(),
    pemFolder: new PemFolder(join(dir, 'certificates')),
  });
}
