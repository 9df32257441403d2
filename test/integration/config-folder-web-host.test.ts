/**
 * The browser-mode host and its config folder, as a user meets them: one host per
 * folder (a second one refuses, a killed one's lock is taken over), a hand edit made
 * while the host runs survives the next save, and a folder that can't be used is
 * reported at start instead of hanging the first save.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ProfileList, ProfileView } from '../../shared/profiles/connection-profile';
import { WebHostProcess, resultValue } from '../harness/web-host-process';

const HOST_SCRIPT = 'out/main/web-host.js';
const configDir = mkdtempSync(join(tmpdir(), 'topicscope-it-folder-'));
const lockPath = join(configDir, 'topicscope-host.lock');
const hosts: WebHostProcess[] = [];

afterAll(async () => {
  // A host killed by a signal has no exit code, and the harness's stop() would wait for it.
  for (const host of hosts) if (host.process.signalCode === null) await host.stop();
  rmSync(configDir, { recursive: true, force: true });
});

async function startHost(): Promise<WebHostProcess> {
  const host = await WebHostProcess.start(['--config-dir', configDir]);
  hosts.push(host);
  return host;
}

interface RefusedStart {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  tookMs: number;
  /** False when it had to be sent SIGTERM, null when it did not even answer that. */
  exitedOnItsOwn: boolean | null;
}

/** Starts a host that is expected to give up at once; one that hangs gets SIGTERM after 10 s. */
async function startExpectingRefusal(dir: string): Promise<RefusedStart> {
  const started = Date.now();
  const child = spawn(process.execPath, [HOST_SCRIPT, '--port', '0', '--config-dir', dir]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  const within = (ms: number) => Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), ms))]);
  let exitedOnItsOwn: boolean | null = true;
  if (!(await within(10_000))) {
    child.kill('SIGTERM');
    exitedOnItsOwn = (await within(3_000)) ? false : null;
    if (exitedOnItsOwn === null) child.kill('SIGKILL');
  }
  const [code] = await exited;
  return { code, stdout, stderr, tookMs: Date.now() - started, exitedOnItsOwn };
}


const config = { protocol: 'mqtt', host: '127.0.0.1', port: 1883, clientId: 'topicscope_folder_test' };

describe('one browser-mode host per config folder', () => {
  let first: WebHostProcess;

  it('a second host on the same folder refuses at start, naming the folder, the pid holding it and --config-dir; the first keeps working', async () => {
    first = await startHost();
    const refused = await startExpectingRefusal(configDir);
    expect(refused.exitedOnItsOwn).toBe(true);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).not.toContain('http://');
    expect(refused.stderr).toContain(`Topicscope browser mode cannot use the config folder ${configDir}: another Topicscope browser-mode host is using it (pid ${first.process.pid}`);
    expect(refused.stderr).toContain('--config-dir');

    const client = await first.connect();
    onTestFinished(() => client.close());
    resultValue(await client.command('profile:save', { name: 'Saved by the first host', config }));
    expect(resultValue<ProfileList>(await client.command('profile:list', {})).profiles.map((p) => p.name)).toEqual(['Saved by the first host']);
  });

  it('a host killed with SIGKILL leaves its lock behind, and the next host takes it over', async () => {
    const exited = once(first.process, 'exit');
    first.process.kill('SIGKILL');
    await exited;
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: first.process.pid });

    const next = await startHost();
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: next.process.pid });
    const client = await next.connect();
    onTestFinished(() => client.close());
    expect(resultValue<ProfileList>(await client.command('profile:list', {})).profiles.map((p) => p.name)).toEqual(['Saved by the first host']);
  });

  it('a hand edit of profiles.json made while the host runs survives the next save, is kept aside, and the user is told', async () => {
    const last = hosts.at(-1);
    const host = last && last.process.exitCode === null && last.process.signalCode === null ? last : await startHost();
    const client = await host.connect();
    onTestFinished(() => client.close());

    const edited = JSON.parse(readFileSync(join(configDir, 'profiles.json'), 'utf8')) as { profiles: ProfileView[] };
    edited.profiles.push({ ...edited.profiles[0]!, id: 'added-by-hand', name: 'Added by hand' });
    const editedText = JSON.stringify(edited, null, 2);
    writeFileSync(join(configDir, 'profiles.json'), editedText);

    resultValue(await client.command('profile:save', { name: 'Saved after the edit', config }));
    const names = (JSON.parse(readFileSync(join(configDir, 'profiles.json'), 'utf8')) as { profiles: ProfileView[] }).profiles.map((p) => p.name);
    expect(names.sort()).toEqual(['Added by hand', 'Saved after the edit', 'Saved by the first host']);
    const kept = readdirSync(configDir).filter((name) => name.startsWith('profiles.json.changed-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(configDir, kept[0] ?? ''), 'utf8')).toBe(editedText);

    // What the renderer sees on its next load of the list.
    const list = resultValue<ProfileList>(await client.command('profile:list', {}));
    expect(list.profiles.map((p) => p.name)).toEqual(['Added by hand', 'Saved after the edit', 'Saved by the first host']);
    expect(list.notices.join(' ')).toContain(`${join(configDir, 'profiles.json')} was changed outside Topicscope after it was loaded`);
    expect(list.notices.join(' ')).toContain(join(configDir, kept[0] ?? ''));
  });

  it('a host stopped with SIGTERM releases the folder', async () => {
    const host = hosts.at(-1);
    if (!host) throw new Error('no host running');
    expect(await host.stop()).toBe(0);
    expect(existsSync(lockPath)).toBe(false);
  });
});

describe('a config folder that cannot be used', () => {
  const fileParent = mkdtempSync(join(tmpdir(), 'topicscope-it-file-'));
  afterAll(() => rmSync(fileParent, { recursive: true, force: true }));
  writeFileSync(join(fileParent, 'a-file'), '');

  const cases: Array<[string, string, RegExp]> = [
    // mkdir answers ENOENT under /proc: Node's recursive mkdir spun on that forever.
    ['a folder under /proc', '/proc/topicscope-x', /it cannot be created there \(ENOENT/],
    ['a folder under a regular file', join(fileParent, 'a-file', 'topicscope'), /part of that path is a file, not a folder \(ENOTDIR/],
    ['a folder no file can be written in', '/proc', /no file can be written in it/],
  ];

  it.each(cases)('%s: the host exits at once with a non-zero code and says what to do', async (_what, dir, reason) => {
    const refused = await startExpectingRefusal(dir);
    expect(refused.exitedOnItsOwn).toBe(true);
    expect(refused.tookMs).toBeLessThan(10_000);
    expect(refused.code).toBe(1);
    expect(refused.stdout).not.toContain('http://');
    expect(refused.stderr).toContain(`Topicscope browser mode cannot use the config folder ${dir}: `);
    expect(refused.stderr).toMatch(reason);
    expect(refused.stderr).toContain('Choose another with --config-dir.');
  });
});
