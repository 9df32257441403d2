/**
 * The desktop app's profile storage: the same atomic JSON files as browser mode, in the
 * user data folder (where electron-store kept them before, under the same names), and
 * secrets sealed with Electron's safeStorage (Keychain, DPAPI, libsecret or KWallet).
 * Thin on purpose: the logic is in the Electron-free core, tested under Node.
 */
import { app, safeStorage } from 'electron';
import { openProfileFolder } from '../../core/profiles/profile-folder';
import type { ProfileStore } from '../../core/profiles/profile-store';
import { PLAIN_TEXT_PREFIX, safeStorageInfo, type SecretStore } from '../../core/profiles/secret-store';

const SAFE_STORAGE_PREFIX = 'safeStorage:';

class SafeStorageSecretStore implements SecretStore {
  readonly #available = safeStorage.isEncryptionAvailable();
  readonly info = safeStorageInfo({
    available: this.#available,
    platform: process.platform,
    linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
  });

  seal(secret: string): string {
    // With no backend at all safeStorage throws; the store only gets here after the
    // user agreed to plain text, which is then what is written.
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
  return openProfileFolder(app.getPath('userData'), new SafeStorageSecretStore());
}
