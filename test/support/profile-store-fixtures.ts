/**
 * A profile store over real files in a temporary folder, with secret stores that behave
 * like the real ones: one that truly transforms the bytes (as an OS keychain does) and
 * the browser-mode one that cannot encrypt.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { afterEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretStorageInfo } from '../../shared/profiles/connection-profile';
import { connectionConfigSchema, type ConnectionConfig, type ConnectionConfigInput } from '../../shared/connection/connection-config';
import { commandSchemas } from '../../shared/ipc/ipc-contract';
import { JsonFileStorage, type DocumentRead, type DocumentStorage } from '../../electron/core/storage/document-storage';
import { PemFolder } from '../../electron/core/profiles/pem-folder';
import { ProfileStore, type ProfileSaveArgs } from '../../electron/core/profiles/profile-store';
import { PlainTextSecretStore, type SecretStore } from '../../electron/core/profiles/secret-store';

/** Encrypts for real (XOR with a key stream, then base64), so plain text can never leak through by accident. */
export class FakeKeychain implements SecretStore {
  readonly info: SecretStorageInfo = { encrypted: true, backend: 'fake-keychain', description: 'Encrypted by the test keychain.' };
  sealed = 0;

  seal(secret: string): string {
    this.sealed++;
    return `fake:${Buffer.from(this.#xor(Buffer.from(secret, 'utf8'))).toString('base64')}`;
  }

  unseal(sealed: string): string {
    if (!sealed.startsWith('fake:')) throw new Error('not sealed by this keychain');
    return Buffer.from(this.#xor(Buffer.from(sealed.slice(5), 'base64'))).toString('utf8');
  }

  #xor(bytes: Uint8Array): Uint8Array {
    return bytes.map((b, i) => b ^ (0xa5 + i * 31) % 256);
  }
}

/** A keychain whose sealed text can't be opened any more (the OS keychain was reset). */
export class ResetKeychain extends FakeKeychain {
  override unseal(): string {
    throw new Error('the key is gone');
  }
}

/** Wraps real storage; `failWrites` makes the next writes fail as a full disk would. */
export class FlakyStorage implements DocumentStorage {
  failWrites = false;
  writes = 0;
  readonly #inner: DocumentStorage;

  constructor(inner: DocumentStorage) {
    this.#inner = inner;
  }

  get path(): string {
    return this.#inner.path;
  }

  read(): DocumentRead {
    return this.#inner.read();
  }

  changedOnDisk(): DocumentRead | null {
    return this.#inner.changedOnDisk();
  }

  write(data: object): { keptChange: string | null } {
    if (this.failWrites) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    this.writes++;
    return this.#inner.write(data);
  }

  backUp(label: string): string {
    return this.#inner.backUp(label);
  }

  hasBackups(): boolean {
    return this.#inner.hasBackups();
  }
}

export interface StoreFixture {
  dir: string;
  profilesPath: string;
  secretsPath: string;
  profileFile: FlakyStorage;
  secretFile: FlakyStorage;
  keychain: SecretStore;
  /** Opens (or reopens, as after a restart) the store over the same files. */
  open(): ProfileStore;
  /** Every file in the folder, recursively, as text: to check what reached the disk. */
  diskText(): string;
  files(): string[];
  cleanup(): void;
}

export function storeFixture(options: { keychain?: 'encrypting' | 'plain' | SecretStore; now?: () => number } = {}): StoreFixture {
  const dir = mkdtempSync(join(tmpdir(), 'topicscope-profiles-'));
  const profilesPath = join(dir, 'profiles.json');
  const secretsPath = join(dir, 'secrets.json');
  const keychain =
    options.keychain === 'plain' ? new PlainTextSecretStore(secretsPath) : options.keychain === undefined || options.keychain === 'encrypting' ? new FakeKeychain() : options.keychain;
  const fixture: StoreFixture = {
    dir,
    profilesPath,
    secretsPath,
    profileFile: new FlakyStorage(new JsonFileStorage(profilesPath, 0o600, options.now)),
    secretFile: new FlakyStorage(new JsonFileStorage(secretsPath, 0o600, options.now)),
    keychain,
    open: () =>
      ProfileStore.open({
        profiles: fixture.profileFile,
        secretFile: fixture.secretFile,
        secrets: keychain,
        pemFolder: new PemFolder(join(dir, 'certificates')),
        ...(options.now ? { now: options.now } : {}),
      }),
    files: () => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort(),
    diskText: () =>
      fixture
        .files()
        .map((f) => {
          try {
            return readFileSync(join(dir, f), 'utf8');
          } catch {
            return ''; // a folder
          }
        })
        .join('\n'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  return fixture;
}

export const localConfig: ConnectionConfig = connectionConfigSchema.parse({
  protocol: 'mqtt',
  host: 'localhost',
  port: 1883,
  clientId: 'topicscope_local',
  username: 'me',
});

/** A `storeFixture` per call, each cleaned up after the test; call once at the top of a test file. */
export function useStoreFixtures(): (options?: Parameters<typeof storeFixture>[0]) => StoreFixture {
  let fixtures: StoreFixture[] = [];
  afterEach(() => {
    for (const f of fixtures) f.cleanup();
    fixtures = [];
  });
  return (options) => {
    const f = storeFixture(options);
    fixtures.push(f);
    return f;
  };
}

/** Save arguments as the renderer sends them, through the contract's schema (defaults filled). */
export function saveArgs(args: {
  id?: string;
  name: string;
  config?: ConnectionConfigInput;
  password?: string | null;
  allowPlainTextSecrets?: boolean;
  copySecretsFrom?: string;
}): ProfileSaveArgs {
  const password = args.password === undefined ? { action: 'keep' } : args.password === null ? { action: 'remove' } : { action: 'set', value: args.password };
  return commandSchemas['profile:save'].parse({
    ...(args.id ? { id: args.id } : {}),
    name: args.name,
    config: args.config ?? localConfig,
    secrets: { password },
    allowPlainTextSecrets: args.allowPlainTextSecrets ?? false,
    ...(args.copySecretsFrom ? { copySecretsFrom: args.copySecretsFrom } : {}),
  });
}

/** The value of a successful result; a failure throws with its message, so the test shows it. */
export function must<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/**
 * A document kept in memory, for the store's pure rules: `onDisk` stands for the file,
 * so a test can change it behind the storage's back as a hand edit would.
 */
export class MemoryStorage implements DocumentStorage {
  readonly path: string;
  onDisk: string | null;
  #seen: string | null;

  constructor(path: string, data: object | null = null) {
    this.path = path;
    this.onDisk = data === null ? null : JSON.stringify(data);
    this.#seen = this.onDisk;
  }

  #parse(text: string | null): DocumentRead {
    if (text === null) return { state: 'missing' };
    try {
      return { state: 'found', data: JSON.parse(text) };
    } catch {
      return { state: 'unparsable', problem: 'it is not valid JSON' };
    }
  }

  read(): DocumentRead {
    this.#seen = this.onDisk;
    return this.#parse(this.onDisk);
  }

  changedOnDisk(): DocumentRead | null {
    return this.onDisk === null || this.onDisk === this.#seen ? null : this.#parse(this.onDisk);
  }

  write(data: object): { keptChange: string | null } {
    const keptChange = this.changedOnDisk() === null ? null : `${this.path}.changed`;
    this.onDisk = this.#seen = JSON.stringify(data);
    return { keptChange };
  }

  backUp(label: string): string {
    return `${this.path}.${label}`;
  }

  hasBackups(): boolean {
    return false;
  }
}
