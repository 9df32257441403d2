/**
 * How a secret is turned into the text kept on disk. The Electron shell seals with the
 * OS keychain (safeStorage); browser mode has no keychain and keeps the text as it is,
 * which the store only does after the user agreed (`info.encrypted` is false).
 */
import type { SecretStorageInfo } from '../../shared/connection-profile';

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
