/**
 * The proxy settings: what the form may send, how its password is kept apart like the
 * MQTT password (never shown to the renderer, never exported without "Include
 * passwords", never handed to another proxy), and what the log and header say.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatchCommand } from '../../electron/core/ipc/command-dispatch';
import { ConnectionRegistry } from '../../electron/core/connection/connection-registry';
import { describeProxy } from '../../electron/core/connection/mqtt-client-options';
import { isRetryable, mapConnectionError } from '../../electron/core/connection/mqtt-error-mapping';
import { ProxyError } from '../../electron/core/connection/proxy-error';
import { connectionConfigSchema, type ConnectionConfigInput } from '../../shared/connection/connection-config';
import { proxyVia } from '../../shared/connection/proxy-config';
import { configWithoutSecrets, profileConfigSchema, secretMisfit, secretNeeded } from '../../shared/profiles/connection-profile';
import { parseProfileImport } from '../../shared/profiles/profile-transfer';
import { localConfig, storeFixture, type StoreFixture } from '../support/profile-store-fixtures';

const base: ConnectionConfigInput = { protocol: 'mqtt', host: 'broker.example.com', port: 1883, clientId: 'topicscope_deadbeef' };
const socks = { type: 'socks5', host: 'proxy.corp', port: 1080, username: 'alice', password: 'proxy-secret' } as const;

function problems(proxy: unknown): string[] {
  const result = connectionConfigSchema.safeParse({ ...base, proxy });
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('proxy validation', () => {
  it('accepts SOCKS5 and HTTP proxies, with or without credentials, and no proxy at all', () => {
    expect(problems(socks)).toEqual([]);
    expect(problems({ type: 'http', host: '10.0.0.1', port: 3128 })).toEqual([]);
    expect(connectionConfigSchema.parse(base).proxy).toBeUndefined();
  });

  it('requires the host, saying so', () => {
    expect(problems({ type: 'socks5', host: '  ', port: 1080 })).toEqual(['proxy.host: Enter the proxy host name or IP address.']);
  });

  it.each([0, 65536, 1.5, Number.NaN])('refuses port %s with the range', (port) => {
    expect(problems({ type: 'http', host: 'p', port })).toEqual(['proxy.port: The proxy port must be between 1 and 65535.']);
  });

  it('refuses a URL or an invisible character in the host, and an unknown kind', () => {
    expect(problems({ type: 'socks5', host: 'socks5://p', port: 1080 })).toEqual(['proxy.host: Enter only the proxy host name: choose the kind in "Proxy type".']);
    expect(problems({ type: 'socks5', host: 'p\u0000x', port: 1080 })[0]).toMatch(/^proxy\.host: The proxy host contains .* at position 2: retype it\.$/);
    expect(problems({ type: 'socks4', host: 'p', port: 1080 })).toHaveLength(1);
  });
});

describe('the proxy password is a secret', () => {
  const config = connectionConfigSchema.parse({ ...base, proxy: socks });

  it('is removed from what the renderer sees, the rest of the proxy kept', () => {
    expect(configWithoutSecrets(config).proxy).toEqual({ type: 'socks5', host: 'proxy.corp', port: 1080, username: 'alice' });
  });

  it('cannot be stored inside a profile config', () => {
    expect(profileConfigSchema.safeParse(config).success).toBe(false);
    expect(profileConfigSchema.safeParse(configWithoutSecrets(config)).success).toBe(true);
  });

  it('is needed only with a proxy, and goes only to the same proxy and user', () => {
    const direct = connectionConfigSchema.parse(base);
    expect(secretNeeded('proxyPassword', config)).toBe(true);
    expect(secretNeeded('proxyPassword', direct)).toBe(false);
    expect(secretMisfit('proxyPassword', 'Corp', config, connectionConfigSchema.parse({ ...base, host: 'other.example.com', proxy: socks }))).toBeNull();
    expect(secretMisfit('proxyPassword', 'Corp', config, connectionConfigSchema.parse({ ...base, proxy: { ...socks, host: 'evil.example' } }))).toBe(
      'The saved proxy password of "Corp" is for user "alice" at the SOCKS5 proxy at proxy.corp:1080, not user "alice" at the SOCKS5 proxy at evil.example:1080',
    );
    expect(secretMisfit('proxyPassword', 'Corp', config, connectionConfigSchema.parse({ ...base, proxy: { ...socks, type: 'http' } }))).not.toBeNull();
  });

  it('in an imported file, moves out of the config into the secrets', () => {
    const text = JSON.stringify({ format: 'topicscope-profiles', version: 1, profiles: [{ name: 'Corp', config: { ...base, proxy: socks } }] });
    const parsed = parseProfileImport(text);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.candidates[0]?.config.proxy).toEqual({ type: 'socks5', host: 'proxy.corp', port: 1080, username: 'alice' });
    expect(parsed.candidates[0]?.secrets).toEqual({ proxyPassword: 'proxy-secret' });
  });
});

describe('exporting a profile with a proxy', () => {
  let fixture: StoreFixture | null = null;
  afterEach(() => fixture?.cleanup());

  async function exported(includeSecrets: boolean): Promise<string> {
    fixture = storeFixture();
    const registry = new ConnectionRegistry({ emit: () => {}, mode: 'browser', versions: {} }, {}, fixture.open());
    const saved = await dispatchCommand(registry.handlers, 'profile:save', {
      name: 'Corp',
      config: { ...localConfig, proxy: { type: 'http', host: 'proxy.corp', port: 3128, username: 'alice' } },
      secrets: { proxyPassword: { action: 'set', value: 'proxy-secret-pw' } },
    });
    expect(saved).toMatchObject({ ok: true, value: { profile: { savedSecrets: { password: false, keyPassphrase: false, proxyPassword: true } } } });
    const result = await dispatchCommand(registry.handlers, 'profile:export', { includeSecrets });
    // Browser mode has no save dialog: the text comes back to the page.
    const json = result.ok ? (result.value as { json: string | null }).json : null;
    if (json === null) throw new Error(`The export gave no text: ${JSON.stringify(result)}`);
    return json;
  }

  it('without "Include passwords", keeps the proxy but drops its password', async () => {
    const json = await exported(false);
    expect(json).not.toContain('proxy-secret-pw');
    expect(JSON.parse(json).profiles[0].config.proxy).toEqual({ type: 'http', host: 'proxy.corp', port: 3128, username: 'alice' });
  });

  it('with "Include passwords", carries it among the secrets, never in the config', async () => {
    const profile = JSON.parse(await exported(true)).profiles[0];
    expect(profile.secrets).toEqual({ proxyPassword: 'proxy-secret-pw' });
    expect(profile.config.proxy.password).toBeUndefined();
  });

  it('is never written to the profile file, only (sealed) to the secret file', async () => {
    await exported(false);
    if (!fixture) throw new Error('No store.');
    expect(readFileSync(fixture.profilesPath, 'utf8')).toContain('proxy.corp');
    expect(readFileSync(fixture.profilesPath, 'utf8')).not.toContain('proxy-secret-pw');
    expect(readFileSync(fixture.secretsPath, 'utf8')).not.toContain('proxy-secret-pw');
  });
});

describe('what the user reads about a proxy', () => {
  it('logs where it connects through, without the password', () => {
    expect(describeProxy(socks)).toBe('Connecting through the SOCKS5 proxy at proxy.corp:1080 as user "alice"');
    expect(describeProxy({ type: 'http', host: '10.0.0.1', port: 3128 })).toBe('Connecting through the HTTP proxy at 10.0.0.1:3128');
  });

  it('shows "via …" in the header', () => {
    expect(proxyVia(socks)).toBe('via SOCKS5 proxy.corp:1080');
    expect(proxyVia({ type: 'http', host: 'p', port: 3128 })).toBe('via HTTP proxy p:3128');
  });

  it('passes a proxy failure through as it is, and does not retry wrong proxy credentials', () => {
    const failure = new ProxyError({ code: 'PROXY_AUTH_FAILED', message: 'SOCKS5 proxy at p:1080: authentication failed.' });
    const mapped = mapConnectionError(failure, connectionConfigSchema.parse(base));
    expect(mapped).toEqual({ code: 'PROXY_AUTH_FAILED', message: 'SOCKS5 proxy at p:1080: authentication failed.' });
    expect(isRetryable(mapped)).toBe(false);
    expect(isRetryable({ code: 'PROXY_UNREACHABLE', message: '' })).toBe(true);
  });
});
