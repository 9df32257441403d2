/**
 * Real proxies for tests, from Debian packages: Dante (`danted`, SOCKS5) and tinyproxy
 * (HTTP CONNECT). Each runs in the foreground on a free loopback port with a config in
 * its own temp folder, and is stopped by its pid.
 *
 * Dante's `socksmethod: username` checks the system's accounts (RFC 1929 against
 * /etc/passwd and /etc/shadow); it has no password file of its own. So a SOCKS proxy
 * with credentials gets a throw-away system user made for it (`useradd`, so this needs
 * root, as CI runs), removed again when the proxy stops or the process exits.
 * tinyproxy's `BasicAuth user pass` needs nothing outside its config.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileText } from './exec-file';
import { acceptsConnections, freeLoopbackPort } from './mosquitto';

export interface ProxyInfo {
  kind: 'socks5' | 'http';
  host: '127.0.0.1';
  port: number;
  /** Set when the proxy requires credentials. */
  username?: string;
  password?: string;
}

export interface RunningProxy extends ProxyInfo {
  pid: number;
  logFile: string;
  /** Everything the proxy logged so far (each connection it made is a line). */
  log(): string;
  /** Ends the proxy and every process it forked (SIGTERM to its group, SIGKILL if it lingers), removes its folder and any user made for it. */
  stop(): Promise<void>;
}

const live = new Set<() => void>();
let exitCleanupInstalled = false;

function installExitCleanup(): void {
  if (exitCleanupInstalled) return;
  exitCleanupInstalled = true;
  process.once('exit', () => {
    for (const cleanUp of live) cleanUp();
    live.clear();
  });
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

async function run(kind: ProxyInfo['kind'], command: string, args: string[], dir: string, port: number, logFile: string, credentials: { username: string; password: string } | null, removeUser: (() => void) | null): Promise<RunningProxy> {
  let output = '';
  // Its own process group: Dante serves each connection from a child process, and
  // stopping the proxy must end those too, as a proxy going down would.
  const child: ChildProcess = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const pid = child.pid;
  const killSync = (): void => {
    if (running && pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    removeUser?.();
    rmSync(dir, { recursive: true, force: true });
  };
  live.add(killSync);
  installExitCleanup();
  try {
    const deadline = Date.now() + 10_000;
    while (!(running && (await acceptsConnections('127.0.0.1', port)))) {
      if (!running || Date.now() > deadline) {
        throw new Error(`${command} is not listening on 127.0.0.1:${port} (${running ? 'still starting' : 'it exited'}). Its output: ${output}\nIts log: ${readText(logFile).slice(-2_000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    killSync();
    live.delete(killSync);
    throw error;
  }
  if (pid === undefined) throw new Error(`${command} did not start.`);
  return {
    kind,
    host: '127.0.0.1',
    port,
    ...(credentials ?? {}),
    pid,
    logFile,
    log: () => readText(logFile),
    stop: async () => {
      if (running) {
        process.kill(-pid, 'SIGTERM');
        const lingering = setTimeout(() => running && process.kill(-pid, 'SIGKILL'), 3_000);
        await exited;
        clearTimeout(lingering);
      }
      killSync();
      live.delete(killSync);
    },
  };
}

/** A system user for Dante's username method; needs root. Returns its remover. */
function createSystemUser(username: string, password: string): () => void {
  if (process.getuid?.() !== 0) {
    throw new Error('A SOCKS5 proxy with credentials needs a system user for Dante, and creating one needs root: run the tests as root (as CI does).');
  }
  execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', username]);
  execFileSync('chpasswd', [], { input: `${username}:${password}\n` });
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    try {
      execFileSync('userdel', [username], { stdio: 'ignore' });
    } catch {
      // Gone already; nothing to undo.
    }
  };
}

export interface StartProxyOptions {
  /** Require a user name and password (generated). Default off. */
  auth?: boolean;
}

/** Dante as a SOCKS5 proxy on 127.0.0.1; it logs every connection it passes. */
export async function startSocksProxy(options: StartProxyOptions = {}): Promise<RunningProxy> {
  await execFileText('danted', ['-v']);
  const dir = await mkdtemp(join(tmpdir(), 'topicscope-socks-'));
  const port = await freeLoopbackPort();
  const logFile = join(dir, 'danted.log');
  const credentials = options.auth ? { username: `tsproxy${randomBytes(4).toString('hex')}`, password: randomBytes(9).toString('base64url') } : null;
  const removeUser = credentials ? createSystemUser(credentials.username, credentials.password) : null;
  const config = [
    `logoutput: ${logFile}`,
    `internal: 127.0.0.1 port = ${port}`,
    'external: 127.0.0.1',
    `socksmethod: ${credentials ? 'username' : 'none'}`,
    'clientmethod: none',
    'user.privileged: root',
    'user.unprivileged: nobody',
    'client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }',
    'socks pass { from: 127.0.0.0/8 to: 0.0.0.0/0 log: connect disconnect error }',
    '',
  ].join('\n');
  const configFile = join(dir, 'danted.conf');
  await writeFile(configFile, config);
  return run('socks5', 'danted', ['-f', configFile, '-p', join(dir, 'danted.pid')], dir, port, logFile, credentials, removeUser);
}

export interface StartHttpProxyOptions extends StartProxyOptions {
  /** Ports CONNECT may reach (tinyproxy's `ConnectPort`); every other port is refused with 403. Default: any port. */
  connectPorts?: number[];
}

/** tinyproxy as an HTTP CONNECT proxy on 127.0.0.1; it logs every CONNECT request. */
export async function startHttpProxy(options: StartHttpProxyOptions = {}): Promise<RunningProxy> {
  await execFileText('tinyproxy', ['-v']);
  const dir = await mkdtemp(join(tmpdir(), 'topicscope-http-proxy-'));
  const port = await freeLoopbackPort();
  const logFile = join(dir, 'tinyproxy.log');
  const credentials = options.auth ? { username: 'proxyuser', password: randomBytes(9).toString('base64url') } : null;
  const config = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 60',
    'Allow 127.0.0.1',
    `LogFile "${logFile}"`,
    'LogLevel Connect',
    `PidFile "${join(dir, 'tinyproxy.pid')}"`,
    'MaxClients 50',
    ...(credentials ? [`BasicAuth ${credentials.username} ${credentials.password}`] : []),
    ...(options.connectPorts ?? []).map((p) => `ConnectPort ${p}`),
    '',
  ].join('\n');
  const configFile = join(dir, 'tinyproxy.conf');
  await writeFile(configFile, config);
  // -d: stay in the foreground, so the pid is the child's.
  return run('http', 'tinyproxy', ['-d', '-c', configFile], dir, port, logFile, credentials, null);
}
