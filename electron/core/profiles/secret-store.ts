/**
 * How a secret is turned into the text kept on disk. The Electron shell seals with the
 * OS keychain (safeStorage); browser mode has no keychain and keeps the text as it is,
 * which the store only does after the user agreed (`info.encrypted` is false).
 */
import type { SecretStorageInfo } from '../../../shared/profiles/connection-profile';

export interface SecretStore {
  readonly info: SecretStorageInfo;
  /** The text to keep on disk for a secret. Throws when the backend fails. */
  seal(secret: string): string;
  /** The secret back from its sealed text. Throws when it cannot be opened (another OS user, a reset keychain). */
  unseal(sealed: string): string;
}

/** Sealed text written without encryption carries this prefix, so it is never mistaken for ciphertext. */
export const PLAIN_TEXT_PREFIX = 'plain:';

/** Browser mode: no OS keychain, so a secret is saved as it is, in a file only the user can read. */
export class PlainTextSecretStore implements SecretStore {
  readonly info: SecretStorageInfo;

  constructor(secretFilePath: string) {
    this.info = {
      encrypted: false,
      backend: 'browser-mode file',
      description: `Browser mode cannot encrypt: a password you choose to save is kept in plain text in ${secretFilePath}, readable only by your user account.`,
    };
  }

  seal(secret: string): string {
    return PLAIN_TEXT_PREFIX + secret;
  }

  unseal(sealed: string): string {
    if (!sealed.startsWith(PLAIN_TEXT_PREFIX)) throw new Error('This secret was encrypted by the desktop app; browser mode cannot decrypt it.');
    return sealed.slice(PLAIN_TEXT_PREFIX.length);
  }
}

/** What Electron's safeStorage reports, gathered by the shell after the app is ready. */
export interface SafeStorageFacts {
  available: boolean;
  platform: NodeJS.Platform;
  /** `safeStorage.getSelectedStorageBackend()` on Linux; null elsewhere. */
  linuxBackend: string | null;
}

/**
 * Whether safeStorage really encrypts here. On Linux without a keyring it falls back to
 * `basic_text`, a key hard-coded in Chromium: obfuscation, not encryption, so the user
 * must be asked before a secret is saved that way.
 */
export function safeStorageInfo(facts: SafeStorageFacts): SecretStorageInfo {
  if (!facts.available) {
    return { encrypted: false, backend: 'none', description: 'No system keychain is available, so a saved password would be stored in plain text in the app data folder.' };
  }
  if (facts.platform === 'darwin') return { encrypted: true, backend: 'keychain', description: 'Saved passwords are encrypted with a key kept in the macOS Keychain.' };
  if (facts.platform === 'win32') return { encrypted: true, backend: 'dpapi', description: 'Saved passwords are encrypted with Windows DPAPI, for your user account only.' };
  const backend = facts.linuxBackend ?? 'unknown';
  if (backend === 'basic_text' || backend === 'unknown') {
    return {
      encrypted: false,
      backend,
      description: 'No keyring (GNOME Keyring, KWallet) was found on this desktop, so a saved password would only be obfuscated, not encrypted.',
    };
  }
  return { encrypted: true, backend, description: `Saved passwords are encrypted with a key kept in your desktop keyring (${backend}).` };
}
