/**
 * Exporting with passwords: where main has a save dialog (the desktop app), main writes
 * the file and the window never sees the secrets; browser mode hands the text to the page.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispatchCommand } from '../../electron/core/ipc/command-dispatch';
import { ConnectionRegistry, type CoreHost } from '../../electron/core/connection/connection-registry';
import { localConfig, storeFixture, type StoreFixture } from '../support/profile-store-fixtures';

let fixture: StoreFixture | null = null;
afterEach(() => fixture?.cleanup());

async function registryWithProfile(host: CoreHost): Promise<ConnectionRegistry> {
  fixture = storeFixture();
  const registry = new ConnectionRegistry(host, {}, fixture.open());
  const saved = await dispatchCommand(registry.handlers, 'profile:save', {
    name: 'Prod',
    config: localConfig,
    secrets: { password: { action: 'set', value: 'very-secret-pw' } },
  });
  expect(saved.ok).toBe(true);
  return registry;
}

describe('profile:export', () => {
  it('in the desktop app, main writes the file itself: the result carries no secret', async () => {
    const saveFile = vi.fn(async (_name: string, _text: string) => '/home/u/topicscope-profiles.json');
    const registry = await registryWithProfile({ emit: () => {}, mode: 'electron', versions: {}, saveFile });
    const result = await dispatchCommand(registry.handlers, 'profile:export', { includeSecrets: true });
    expect(result).toMatchObject({ ok: true, value: { count: 1, savedTo: '/home/u/topicscope-profiles.json', json: null } });
    expect(JSON.stringify(result)).not.toContain('very-secret-pw');
    const [suggested, written] = saveFile.mock.calls[0] ?? [];
    expect(suggested).toMatch(/^topicscope-profiles-.*\.json$/);
    expect(written).toContain('very-secret-pw');
  });

  it('says nothing was saved when the user cancels the dialog', async () => {
    const registry = await registryWithProfile({ emit: () => {}, mode: 'electron', versions: {}, saveFile: async () => null });
    expect(await dispatchCommand(registry.handlers, 'profile:export', {})).toMatchObject({ ok: true, value: { savedTo: null, json: null } });
  });

  it('in browser mode, returns the text for the page to download, secrets only when asked', async () => {
    const registry = await registryWithProfile({ emit: () => {}, mode: 'browser', versions: {} });
    const without = await dispatchCommand(registry.handlers, 'profile:export', {});
    expect(without).toMatchObject({ ok: true, value: { count: 1, savedTo: null, json: expect.stringContaining('"Prod"') } });
    expect(JSON.stringify(without)).not.toContain('very-secret-pw');
    const withSecrets = await dispatchCommand(registry.handlers, 'profile:export', { includeSecrets: true });
    expect(JSON.stringify(withSecrets)).toContain('very-secret-pw');
  });
});
