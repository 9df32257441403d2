/**
 * Which secrets may go where (secret-rules.ts), without files: what a save, a duplicate
 * and a delete do to the secret document, and when plain text is refused.
 */
import { describe, expect, it } from 'vitest';
import { connectionConfigSchema } from '../../shared/connection/connection-config';
import type { SecretChange, SecretKind } from '../../shared/profiles/connection-profile';
import type { SecretDocument, StoredProfile } from '../../shared/profiles/profile-document';
import {
  plainTextRefused,
  refuseInsecure,
  sealedChangeForSave,
  sealSecret,
  withCopiedSecrets,
  withoutSecretsOf,
  withSealed,
} from '../../electron/core/profiles/secret-rules';
import { PlainTextSecretStore, type SecretStore } from '../../electron/core/profiles/secret-store';
import { FakeKeychain, localConfig } from '../support/profile-store-fixtures';

const doc = (secrets: SecretDocument['secrets']): SecretDocument => ({ version: 1, secrets });
const keep = { action: 'keep' } as const;
const requested = (password: SecretChange, keyPassphrase: SecretChange = keep, proxyPassword: SecretChange = keep): Record<SecretKind, SecretChange> => ({
  password,
  keyPassphrase,
  proxyPassword,
});
const withTls = connectionConfigSchema.parse({ ...localConfig, protocol: 'mqtts', port: 8883, tls: { keyFile: '/keys/client.key', certFile: '/keys/client.crt' } });

function profile(config = localConfig, name = 'Original'): StoredProfile {
  return { id: 'orig', name, config, randomClientId: true, createdAt: 1, updatedAt: 1, lastUsedAt: null };
}

describe('the secret document', () => {
  it('takes a change for one profile and drops a profile left without secrets', () => {
    const before = doc({ a: { password: 'pa', keyPassphrase: 'ka' }, b: { password: 'pb' } });
    expect(withSealed(before, 'a', { password: null })).toEqual(doc({ a: { keyPassphrase: 'ka' }, b: { password: 'pb' } }));
    expect(withSealed(before, 'b', { password: null })).toEqual(doc({ a: { password: 'pa', keyPassphrase: 'ka' } }));
    expect(withSealed(before, 'c', { keyPassphrase: 'kc' }).secrets['c']).toEqual({ keyPassphrase: 'kc' });
    expect(before.secrets['b']).toEqual({ password: 'pb' }); // never edited in place
  });

  it('gives a duplicate every saved secret of the original, and a deleted profile none', () => {
    const before = doc({ a: { password: 'pa' } });
    expect(withCopiedSecrets(before, 'a', 'copy').secrets['copy']).toEqual({ password: 'pa' });
    expect(withCopiedSecrets(before, 'none', 'copy')).toBe(before);
    expect(withoutSecretsOf(before, 'a')).toEqual(doc({}));
    expect(withoutSecretsOf(before, 'none')).toBe(before);
  });
});

describe('plain text', () => {
  it('is refused where nothing encrypts, unless the user agreed', () => {
    const plain = new PlainTextSecretStore('/cfg/secrets.json').info;
    expect(plainTextRefused(plain, false)).toBe(true);
    expect(plainTextRefused(plain, true)).toBe(false);
    expect(plainTextRefused(new FakeKeychain().info, false)).toBe(false);
    expect(refuseInsecure(plain, 'The password')).toMatchObject({ code: 'SECRET_STORAGE_INSECURE', message: expect.stringMatching(/^The password cannot be encrypted here \(browser-mode file\).*Nothing was saved\.$/) });
  });

  it('a backend that fails to seal answers as data, naming it', () => {
    const broken: SecretStore = { ...new FakeKeychain(), info: new FakeKeychain().info, seal: () => { throw new Error('keyring locked'); }, unseal: () => '' };
    expect(sealSecret(broken, 'x')).toMatchObject({ ok: false, error: { code: 'UNEXPECTED', message: expect.stringContaining('fake-keychain: keyring locked') } });
  });
});

describe('a save', () => {
  const keychain = new FakeKeychain();

  it('seals a typed secret, forgets a removed one, leaves a kept one alone', () => {
    const change = sealedChangeForSave(requested({ action: 'set', value: 'typed' }, { action: 'remove' }), localConfig, undefined, keychain);
    expect(change.ok).toBe(true);
    if (!change.ok) return;
    expect(keychain.unseal(change.value.password ?? '')).toBe('typed');
    expect(change.value.keyPassphrase).toBeNull();
    expect(sealedChangeForSave(requested(keep), localConfig, undefined, keychain)).toEqual({ ok: true, value: {} });
  });

  it('as new copies the saved password to the same broker and user', () => {
    const source = { profile: profile(), sealed: { password: 'sealed-pw' } };
    expect(sealedChangeForSave(requested(keep), { ...localConfig, clientId: 'other' }, source, keychain)).toEqual({ ok: true, value: { password: 'sealed-pw' } });
  });

  it('as new never copies a saved password to another broker or user, and says what to type', () => {
    const source = { profile: profile(), sealed: { password: 'sealed-pw' } };
    for (const target of [{ ...localConfig, host: 'elsewhere.example.com' }, { ...localConfig, username: 'someone-else' }, { ...localConfig, port: 1884 }]) {
      expect(sealedChangeForSave(requested(keep), target, source, keychain)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringMatching(/"Original".*type the password to save it with the new profile\. Nothing was saved\.$/) },
      });
    }
  });

  it('as new copies nothing the new profile does not use, and a typed secret wins over the copy', () => {
    const source = { profile: profile(withTls), sealed: { password: 'sealed-pw', keyPassphrase: 'sealed-kp' } };
    const noKeyFile = connectionConfigSchema.parse({ ...withTls, tls: { ...withTls.tls, keyFile: undefined, certFile: undefined } });
    expect(sealedChangeForSave(requested(keep), noKeyFile, source, keychain)).toEqual({ ok: true, value: { password: 'sealed-pw' } });
    expect(sealedChangeForSave(requested(keep), withTls, source, keychain)).toEqual({ ok: true, value: { password: 'sealed-pw', keyPassphrase: 'sealed-kp' } });
    const typed = sealedChangeForSave(requested({ action: 'set', value: 'new' }), withTls, source, keychain);
    expect(typed.ok && keychain.unseal(typed.value.password ?? '')).toBe('new');
  });
});
