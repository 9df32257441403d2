/**
 * Settings in browser mode as a user meets them: saved through the host's WebSocket into
 * settings.json in the config folder, still there after the host restarts, refused
 * (and not written) when invalid, and a damaged file kept as a backup with the defaults
 * served and the recovery reported.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import type { CommandValues } from '../../shared/ipc/ipc-contract';
import { DEFAULT_SETTINGS, type AppSettings } from '../../shared/settings/app-settings';
import { WebHostProcess, resultValue } from '../harness/web-host-process';

const folders: string[] = [];
const hosts: WebHostProcess[] = [];

afterAll(async () => {
  for (const host of hosts) await host.stop();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function newConfigDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'topicscope-it-settings-'));
  folders.push(dir);
  return dir;
}

async function startHost(configDir: string): Promise<WebHostProcess> {
  const host = await WebHostProcess.start(['--config-dir', configDir]);
  hosts.push(host);
  return host;
}


async function getSettings(host: WebHostProcess): Promise<CommandValues['settings:get']> {
  const client = await host.connect();
  onTestFinished(() => client.close());
  return resultValue<CommandValues['settings:get']>(await client.command('settings:get', {}));
}

const chosen: AppSettings = { theme: 'dark', historyPerTopic: 3, historyBudgetMiB: 64, timeFormat: 'utc', defaultMqttVersion: '3.1.1', density: 'compact' };

describe('settings in browser mode, against the real host', () => {
  it('saves settings.json in the config folder and serves it again after the host restarts', async () => {
    const configDir = await newConfigDir();
    const first = await startHost(configDir);
    expect(await getSettings(first)).toEqual({ settings: DEFAULT_SETTINGS, recovery: null });
    const client = await first.connect();
    expect(resultValue(await client.command('settings:set', { settings: chosen }))).toEqual({ settings: chosen });
    client.close();
    expect(JSON.parse(await readFile(join(configDir, 'settings.json'), 'utf8'))).toEqual(chosen);

    await first.stop();
    const second = await startHost(configDir);
    expect(await getSettings(second)).toEqual({ settings: chosen, recovery: null });
  });

  it('refuses an invalid value naming the field, and leaves the file as it was', async () => {
    const configDir = await newConfigDir();
    const host = await startHost(configDir);
    const client = await host.connect();
    onTestFinished(() => client.close());
    resultValue(await client.command('settings:set', { settings: chosen }));
    const refused = (await client.command('settings:set', { settings: { ...chosen, historyPerTopic: 0 } })) as { ok: false; error: { code: string; message: string } };
    expect(refused.ok).toBe(false);
    expect(refused.error.code).toBe('INVALID_INPUT');
    expect(refused.error.message).toContain('Messages kept per topic must be a whole number from 1 to 10000.');
    expect(JSON.parse(await readFile(join(configDir, 'settings.json'), 'utf8'))).toEqual(chosen);
    expect(resultValue<CommandValues['settings:get']>(await client.command('settings:get', {})).settings).toEqual(chosen);
  });

  it('keeps a damaged settings.json as a backup, serves the defaults and reports it, only on that start', async () => {
    const configDir = await newConfigDir();
    const damaged = '{ "theme": "dark", "historyPerTopic": 3,';
    await writeFile(join(configDir, 'settings.json'), damaged);
    const host = await startHost(configDir);
    const { settings, recovery } = await getSettings(host);
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(recovery?.problem).toMatch(/^it is not valid JSON/);
    expect(recovery?.backupPath).toMatch(new RegExp(`^${configDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/settings\\.json\\.corrupt-`));
    expect(await readFile(recovery?.backupPath ?? '', 'utf8')).toBe(damaged);
    expect(JSON.parse(await readFile(join(configDir, 'settings.json'), 'utf8'))).toEqual(DEFAULT_SETTINGS);

    await host.stop();
    const again = await startHost(configDir);
    expect((await getSettings(again)).recovery).toBeNull();
    expect((await readdir(configDir)).filter((name) => name.startsWith('settings.json'))).toHaveLength(2);
  });
});
