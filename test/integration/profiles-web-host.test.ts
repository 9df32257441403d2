/**
 * Profiles in browser mode as a user meets them: saved through the host's WebSocket,
 * still there after the host restarts, and good for connecting to the real broker with
 * the password the renderer never sees again.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { OpenConnection } from '../../shared/ipc/ipc-contract';
import type { ProfileList, ProfileView } from '../../shared/profiles/connection-profile';
import { WebHostProcess, resultValue } from '../harness/web-host-process';
import { sharedBroker, uniqueClientId, uniqueConnectionId, uniquePrefix } from './support';

let configDir: string;
const hosts: WebHostProcess[] = [];

beforeAll(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'topicscope-it-profiles-'));
});

afterAll(async () => {
  for (const host of hosts) await host.stop();
  await rm(configDir, { recursive: true, force: true });
});

async function startHost(): Promise<WebHostProcess> {
  const host = await WebHostProcess.start(['--config-dir', configDir]);
  hosts.push(host);
  return host;
}


describe('profiles in browser mode, against the real host and broker', () => {
  const broker = sharedBroker();
  const prefix = uniquePrefix('profiles');
  const config = {
    protocol: 'mqtt',
    host: broker.host,
    port: broker.ports.mqtt,
    clientId: uniqueClientId(),
    username: broker.username,
    subscriptions: [{ filter: `${prefix}/#`, qos: 0 }],
  };
  let profile: ProfileView;

  it('refuses to keep the password in plain text until the user agrees', async () => {
    const host = await startHost();
    const client = await host.connect();
    onTestFinished(() => client.close());
    const list = resultValue<ProfileList>(await client.command('profile:list', {}));
    expect(list.secretStorage).toMatchObject({ encrypted: false, backend: 'browser-mode file' });
    expect(host.stderr()).toContain(configDir);

    const refused = await client.command('profile:save', { name: 'Harness broker', config, secrets: { password: { action: 'set', value: broker.password } } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'SECRET_STORAGE_INSECURE' } });

    profile = resultValue<{ profile: ProfileView }>(
      await client.command('profile:save', {
        name: 'Harness broker',
        config,
        secrets: { password: { action: 'set', value: broker.password } },
        allowPlainTextSecrets: true,
      }),
    ).profile;
    expect(profile.savedSecrets.password).toBe(true);
    expect(JSON.stringify(profile)).not.toContain(broker.password);
    await host.stop();
  });

  it('keeps the password out of the profile file, in a secret file only the user can read', async () => {
    expect(await readFile(join(configDir, 'profiles.json'), 'utf8')).not.toContain(broker.password);
    expect(await readFile(join(configDir, 'secrets.json'), 'utf8')).toContain(broker.password);
    expect((await stat(join(configDir, 'secrets.json'))).mode & 0o777).toBe(0o600);
  });

  it('after a restart, lists the profile and connects from it with the saved password', async () => {
    const host = await startHost();
    const client = await host.connect();
    onTestFinished(() => client.close());
    const list = resultValue<ProfileList>(await client.command('profile:list', {}));
    expect(list.profiles).toEqual([expect.objectContaining({ id: profile.id, name: 'Harness broker', savedSecrets: { password: true, keyPassphrase: false, proxyPassword: false } })]);
    expect(list.recovery).toBeNull();

    // The renderer sends the profile's config as it has it: without the password.
    const connectionId = uniqueConnectionId();
    const opened = await client.command('connection:open', { connectionId, config: list.profiles[0]?.config, profileId: profile.id });
    expect(opened).toMatchObject({ ok: true });

    const { connections } = resultValue<{ connections: OpenConnection[] }>(await client.command('connection:attach', {}));
    expect(connections).toEqual([expect.objectContaining({ connectionId, profileId: profile.id, status: expect.objectContaining({ state: 'connected' }) })]);
    expect(connections[0]?.config.password).toBeUndefined();
    expect(JSON.stringify(connections)).not.toContain(broker.password);

    const after = resultValue<ProfileList>(await client.command('profile:list', {}));
    expect(after.lastUsedId).toBe(profile.id);
    expect(after.profiles[0]?.lastUsedAt).toEqual(expect.any(Number));
    expect(await client.command('connection:close', { connectionId })).toEqual({ ok: true, value: {} });
  });

  it('a profile whose connection is refused is not remembered as last used; an edited host gets no saved password', async () => {
    const host = hosts.at(-1);
    if (!host) throw new Error('no host running');
    const client = await host.connect();
    onTestFinished(() => client.close());
    const wrong = resultValue<{ profile: ProfileView }>(
      await client.command('profile:save', { name: 'Wrong password', config, secrets: { password: { action: 'set', value: 'not-the-password' } }, allowPlainTextSecrets: true }),
    ).profile;
    const refused = await client.command('connection:open', { connectionId: uniqueConnectionId(), config, profileId: wrong.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORIZED' } });
    const list = resultValue<ProfileList>(await client.command('profile:list', {}));
    expect(list.lastUsedId).toBe(profile.id);
    expect(list.profiles.find((p) => p.id === wrong.id)?.lastUsedAt).toBeNull();

    // The tab's host was edited without saving: the saved password stays home.
    const moved = await client.command('connection:open', { connectionId: uniqueConnectionId(), config: { ...config, port: broker.ports.ws }, profileId: profile.id });
    expect(moved).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('type the password, or save the profile first') } });
    resultValue(await client.command('profile:delete', { id: wrong.id }));
  });

  it('without the saved password, the same broker refuses the connection', async () => {
    const host = hosts.at(-1);
    if (!host) throw new Error('no host running');
    const client = await host.connect();
    onTestFinished(() => client.close());
    resultValue(await client.command('profile:save', { id: profile.id, name: 'Harness broker', config, secrets: { password: { action: 'remove' } } }));
    const refused = await client.command('connection:open', { connectionId: uniqueConnectionId(), config, profileId: profile.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORIZED' } });
    expect(await readFile(join(configDir, 'secrets.json'), 'utf8')).not.toContain(broker.password);
  });
});
