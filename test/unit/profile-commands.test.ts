/**
 * The profile commands as the renderer reaches them: through the validating dispatcher
 * to the registry, with a store over real files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import type { IClientOptions, MqttClient } from 'mqtt';
import { dispatchCommand } from '../../electron/core/ipc/command-dispatch';
import { ConnectionRegistry, type CoreHost } from '../../electron/core/connection/connection-registry';
import type { SecretStore } from '../../electron/core/profiles/secret-store';
import type { ProfileList, ProfileView } from '../../shared/profiles/connection-profile';
import { localConfig, ResetKeychain, storeFixture, type StoreFixture } from '../support/profile-store-fixtures';

let fixture: StoreFixture | null = null;
let core: ConnectionRegistry | null = null;
afterEach(async () => {
  await core?.closeAll();
  core = null;
  fixture?.cleanup();
});

const host: CoreHost = { emit: () => undefined, mode: 'browser', versions: {} };

/** Enough of an MqttClient for a session to open: the broker accepts at once. */
class AcceptingClient extends EventEmitter {
  constructor() {
    super();
    // The session attaches its listeners right after creating the client.
    queueMicrotask(() => this.emit('connect', { cmd: 'connack', sessionPresent: false, returnCode: 0 }));
  }

  async subscribeAsync(_filter: string, options: { qos: number }): Promise<Array<{ qos: number }>> {
    return [{ qos: options.qos }];
  }

  end(_force: boolean, _options: object, done: () => void): this {
    done();
    return this;
  }
}

function registry(
  withStore: boolean,
  options: { keychain?: SecretStore; broker?: 'unreachable' | 'accepting' } = {},
): { registry: ConnectionRegistry; clientsCreated: () => number; lastOptions: () => IClientOptions | undefined } {
  const created: IClientOptions[] = [];
  fixture = storeFixture(options.keychain ? { keychain: options.keychain } : {});
  const deps = {
    createClient: (clientOptions: IClientOptions): MqttClient => {
      created.push(clientOptions);
      if (options.broker !== 'accepting') throw new Error('no network in unit tests');
      // The fake implements only what MqttSession calls; the rest of MqttClient is never reached.
      return new AcceptingClient() as unknown as MqttClient;
    },
  };
  core = new ConnectionRegistry(host, deps, withStore ? fixture.open() : null);
  return { registry: core, clientsCreated: () => created.length, lastOptions: () => created.at(-1) };
}

async function saveProfile(handlers: ConnectionRegistry['handlers'], args: Record<string, unknown>): Promise<ProfileView> {
  const saved = await dispatchCommand(handlers, 'profile:save', args);
  if (!saved.ok) throw new Error(saved.error.message);
  return (saved.value as { profile: ProfileView }).profile;
}

describe('profile commands', () => {
  it('save, list, duplicate, export and delete through the dispatcher', async () => {
    const { registry: core } = registry(true);
    const saved = await dispatchCommand(core.handlers, 'profile:save', { name: '  Local  ', config: localConfig, secrets: { password: { action: 'set', value: 'pw' } } });
    expect(saved).toMatchObject({ ok: true, value: { profile: { name: 'Local', savedSecrets: { password: true } } } });
    const id = saved.ok ? (saved.value as { profile: { id: string } }).profile.id : '';
    expect(await dispatchCommand(core.handlers, 'profile:duplicate', { id })).toMatchObject({ ok: true, value: { profile: { name: 'Local copy' } } });
    const list = await dispatchCommand(core.handlers, 'profile:list', {});
    expect(list).toMatchObject({ ok: true, value: { profiles: [{ name: 'Local' }, { name: 'Local copy' }], secretStorage: { encrypted: true } } });
    expect(await dispatchCommand(core.handlers, 'profile:export', {})).toMatchObject({ ok: true, value: { count: 2 } });
    expect(await dispatchCommand(core.handlers, 'profile:delete', { id })).toEqual({ ok: true, value: {} });
  });

  it('refuses a config that carries the password itself: secrets travel in "secrets" only', async () => {
    const { registry: core } = registry(true);
    const result = await dispatchCommand(core.handlers, 'profile:save', { name: 'Leaky', config: { ...localConfig, password: 'inline' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('Secrets are saved through "secrets"') } });
    expect(fixture?.files()).toEqual([]);
  });

  it('connection:open with an unknown profile fails with UNKNOWN_PROFILE before any network traffic', async () => {
    const { registry: core, clientsCreated } = registry(true);
    const result = await dispatchCommand(core.handlers, 'connection:open', { connectionId: 'c1', config: localConfig, profileId: 'gone' });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PROFILE' } });
    expect(clientsCreated()).toBe(0);
    expect(await dispatchCommand(core.handlers, 'connection:attach', {})).toEqual({ ok: true, value: { connections: [] } });
  });

  it('connection:open with a profile fills in the saved password the config leaves out; a typed one wins', async () => {
    const { registry: core, lastOptions } = registry(true);
    const { id } = await saveProfile(core.handlers, { name: 'Local', config: localConfig, secrets: { password: { action: 'set', value: 'saved-pw' } } });
    await dispatchCommand(core.handlers, 'connection:open', { connectionId: 'c1', config: localConfig, profileId: id });
    expect(lastOptions()).toMatchObject({ username: 'me', password: 'saved-pw' });
    await dispatchCommand(core.handlers, 'connection:open', { connectionId: 'c2', config: { ...localConfig, password: 'typed-pw' }, profileId: id });
    expect(lastOptions()?.password).toBe('typed-pw');
    // A host name differs only in case: the same broker.
    await dispatchCommand(core.handlers, 'connection:open', { connectionId: 'c3', config: { ...localConfig, host: 'LocalHost' }, profileId: id });
    expect(lastOptions()?.password).toBe('saved-pw');
  });

  it.each([
    ['host', { host: 'elsewhere.example.com' }, 'not user "me" at mqtt://elsewhere.example.com:1883'],
    ['port', { port: 1884 }, 'not user "me" at mqtt://localhost:1884'],
    ['protocol', { protocol: 'ws' }, 'not user "me" at ws://localhost:1883'],
    ['user name', { username: 'admin' }, 'not user "admin" at mqtt://localhost:1883'],
  ])('connection:open never sends the saved password to another broker (%s edited, not saved): INVALID_INPUT, nothing sent', async (_what, edit, target) => {
    const { registry: core, clientsCreated, lastOptions } = registry(true);
    const { id } = await saveProfile(core.handlers, { name: 'Local', config: localConfig, secrets: { password: { action: 'set', value: 'saved-pw' } } });
    const refused = await dispatchCommand(core.handlers, 'connection:open', { connectionId: 'c1', config: { ...localConfig, ...edit }, profileId: id });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('The saved password of "Local" is for user "me" at mqtt://localhost:1883') },
    });
    if (!refused.ok) expect(refused.error.message).toContain(`${target}: type the password, or save the profile first`);
    expect(clientsCreated()).toBe(0);
    // A password typed for the new target is used as typed.
    await dispatchCommand(core.handlers, 'connection:open', { connectionId: 'c2', config: { ...localConfig, ...edit, password: 'typed' }, profileId: id });
    expect(lastOptions()?.password).toBe('typed');
  });

  it('connection:open with a typed password connects even when the saved one can no longer be decrypted', async () => {
    const { registry: core, lastOptions } = registry(true, { keychain: new ResetKeychain() });
    const { id } = await saveProfile(core.handlers, { name: 'Local', config: localConfig, secrets: { password: { action: 'set', value: 'lost' } } });
    const withoutTyping = await dispatchCommand(core.handlers, 'connection:open', { connectionId: 'c1', config: localConfig, profileId: id });
    expect(withoutTyping).toMatchObject({ ok: false, error: { message: expect.stringContaining('could not be decrypted') } });
    await dispatchCommand(core.handlers, 'connection:open', { connectionId: 'c2', config: { ...localConfig, password: 'retyped' }, profileId: id });
    expect(lastOptions()?.password).toBe('retyped');
  });

  it('remembers a profile as last used only once its connection opened', async () => {
    const failing = registry(true);
    const { id: failedId } = await saveProfile(failing.registry.handlers, { name: 'Unreachable', config: localConfig });
    expect(await dispatchCommand(failing.registry.handlers, 'connection:open', { connectionId: 'c1', config: localConfig, profileId: failedId })).toMatchObject({ ok: false });
    const afterFailure = await dispatchCommand(failing.registry.handlers, 'profile:list', {});
    expect(afterFailure).toMatchObject({ ok: true, value: { lastUsedId: null, profiles: [{ lastUsedAt: null }] } });
    fixture?.cleanup();

    const accepting = registry(true, { broker: 'accepting' });
    const { id } = await saveProfile(accepting.registry.handlers, { name: 'Local', config: localConfig });
    expect(await dispatchCommand(accepting.registry.handlers, 'connection:open', { connectionId: 'c1', config: localConfig, profileId: id })).toMatchObject({ ok: true });
    const list = await dispatchCommand(accepting.registry.handlers, 'profile:list', {});
    expect(list.ok && (list.value as ProfileList)).toMatchObject({ lastUsedId: id, profiles: [{ id, lastUsedAt: expect.any(Number) }] });
  });

  it('without a profile store, profile commands say so instead of failing obscurely', async () => {
    const { registry: core } = registry(false);
    expect(await dispatchCommand(core.handlers, 'profile:list', {})).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
    expect(await dispatchCommand(core.handlers, 'connection:open', { connectionId: 'c1', config: localConfig, profileId: 'p' })).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED' },
    });
  });
});
