/**
 * The profile commands as the renderer reaches them: through the validating dispatcher
 * to the registry, with a store over real files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { dispatchCommand } from '../../electron/core/command-dispatch';
import { ConnectionRegistry, type CoreHost } from '../../electron/core/connection-registry';
import { localConfig, storeFixture, type StoreFixture } from '../support/profile-store-fixtures';

let fixture: StoreFixture | null = null;
afterEach(() => fixture?.cleanup());

const host: CoreHost = { emit: () => undefined, mode: 'browser', versions: {} };

function registry(withStore: boolean): { registry: ConnectionRegistry; clientsCreated: () => number } {
  let created = 0;
  fixture = storeFixture();
  const deps = {
    createClient: (): MqttClient => {
      created++;
      throw new Error('no network in unit tests');
    },
  };
  return { registry: new ConnectionRegistry(host, deps, withStore ? fixture.open() : null), clientsCreated: () => created };
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
    expect(await dispatchCommand(core.handlers, 'connection:list', {})).toEqual({ ok: true, value: { connections: [] } });
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
