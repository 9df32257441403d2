/**
 * A real Mosquitto broker for tests: its own config, certificates, password file and
 * free loopback ports (plain MQTT, MQTT over TLS, websockets, websockets over TLS).
 *
 * Pure Node on purpose (no vitest imports), so Playwright's global setup can start the
 * same broker. Facts this relies on are in /work/shared/TOOLCHAIN.md: started as root,
 * mosquitto drops to the `mosquitto` user, so every file it reads or writes must be
 * reachable by that user, and it must log to a file to be readable while it runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { chmod, chown, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileText } from './exec-file';

export interface BrokerPorts {
  /** Plain MQTT over TCP. */
  mqtt: number;
  /** MQTT over TLS, server certificate signed by `caFile`. */
  mqtts: number;
  /** MQTT over websockets (Mosquitto accepts any path). */
  ws: number;
  /** MQTT over websockets over TLS. */
  wss: number;
}

/** What a test needs to reach the broker; plain data, so it survives `provide` and env vars. */
export interface BrokerInfo {
  host: '127.0.0.1';
  ports: BrokerPorts;
  /** PEM CA that signed the server certificate (CN=localhost, SAN localhost and 127.0.0.1). */
  caFile: string;
  /** PEM CA unrelated to the server certificate, for "wrong CA" tests. */
  wrongCaFile: string;
  username: string;
  password: string;
  /** The broker's own folder (config, files, log); removed by `stop()`. */
  dir: string;
  logFile: string;
  pid: number;
}

export interface MosquittoBroker extends BrokerInfo {
  /** Ends the broker (SIGTERM, SIGKILL if it lingers) and removes its folder. */
  stop(): Promise<void>;
  /** Ends the process and starts it again on the same ports and config; resolves once it listens. */
  restart(): Promise<void>;
  /** Ends the process but keeps its folder and ports: a broker outage until `resume()`. */
  pause(): Promise<void>;
  /** Starts a paused broker again on the same ports; resolves once it listens. */
  resume(): Promise<void>;
  /** The last lines of the broker's log, for failure messages. */
  logTail(lines?: number): string;
  /** A plain snapshot of the connection data (the pid changes on restart). */
  info(): BrokerInfo;
}

export interface StartMosquittoOptions {
  /** Defaults to `topicscope`. */
  username?: string;
  /** Defaults to a random password. */
  password?: string;
  /** How long to wait for all listeners to accept connections. Default 15 s. */
  readyTimeoutMs?: number;
  /** Extra lines appended to the config (after the listener blocks). */
  extraConfig?: string;
  /**
   * Refuse every SUBSCRIBE in its SUBACK, as a broker whose ACL denies the user does:
   * 0x87 (Not authorized) in MQTT 5, 0x80 in 3.1.1. Done with the dynamic security
   * plugin, whose default ACL can deny subscribing; Mosquitto 2's `acl_file` grants
   * every SUBSCRIBE and only withholds the messages.
   */
  refuseSubscriptions?: boolean;
  /**
   * Mosquitto `log_type` values. Default `all`: packet-level lines make failures readable.
   * Long or high-volume runs may prefer `['error', 'warning', 'notice', 'information']`.
   */
  logTypes?: string[];
}

// ---------------------------------------------------------------------------------------
// Certificates: generated once per process, copied into each broker's folder.

/** The test CA and a server certificate it signed (CN=localhost, SAN localhost and 127.0.0.1). */
export interface Certificates {
  dir: string;
  caFile: string;
  wrongCaFile: string;
  serverCertFile: string;
  serverKeyFile: string;
}

let certificates: Promise<Certificates> | null = null;
let certificateDir: string | null = null;

/** The certificates, generated once per process and shared by every broker of the process. */
export function generateCertificates(): Promise<Certificates> {
  certificates ??= createCertificates().catch((error: unknown) => {
    // A failed attempt must not poison every later broker in this process.
    certificates = null;
    throw error;
  });
  return certificates;
}

async function createCertificates(): Promise<Certificates> {
  const dir = await mkdtemp(join(tmpdir(), 'topicscope-certs-'));
  certificateDir = dir;
  installExitCleanup();
  const path = (name: string): string => join(dir, name);
  const openssl = (args: string[]): Promise<string> => execFileText('openssl', args, { cwd: dir });
  const selfSignedCa = (name: string, commonName: string): Promise<string> =>
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', `/CN=${commonName}`]);

  await Promise.all([
    selfSignedCa('ca', 'Topicscope Test CA'),
    selfSignedCa('wrong-ca', 'Topicscope Unrelated CA'),
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']),
  ]);
  // Node checks the SAN, not the CN, so both names a test may dial must be listed.
  await writeFile(path('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  await openssl([
    'x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
    // A random serial instead of -CAcreateserial: no serial file to keep in sync.
    '-set_serial', `0x${randomBytes(8).toString('hex')}`,
    '-out', 'server.pem', '-days', '30', '-extfile', 'server.ext',
  ]);
  return {
    dir,
    caFile: path('ca.pem'),
    wrongCaFile: path('wrong-ca.pem'),
    serverCertFile: path('server.pem'),
    serverKeyFile: path('server.key'),
  };
}

// ---------------------------------------------------------------------------------------
// Ports

/** Reserves `count` distinct free loopback ports by binding them at once, then frees them. */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
    }
    const ports = servers.map((s) => (s.address() as AddressInfo).port);
    // 1883 belongs to any system broker; the OS never hands it out from the ephemeral
    // range, but a test touching it could disturb a real installation.
    if (ports.includes(1883)) return freeLoopbackPorts(count);
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

export async function freeLoopbackPort(): Promise<number> {
  const [port] = await freeLoopbackPorts(1);
  if (port === undefined) throw new Error('No free port was reserved.');
  return port;
}

/** Whether something accepts a TCP connection at host:port within a second. */
export function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: boolean): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

// ---------------------------------------------------------------------------------------
// Files the dropped-privilege broker must read or write

interface Account {
  uid: number;
  gid: number;
}

const runsAsRoot = process.getuid?.() === 0;

function mosquittoAccount(): Account {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('mosquitto:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error('Running as root, but there is no "mosquitto" user to drop to: install mosquitto from apt.');
  }
  return { uid: Number(uid), gid: Number(gid) };
}

/** Readable by the broker but not by everyone: owner root, group mosquitto, mode 640. */
async function shareReadOnly(path: string, account: Account | null): Promise<void> {
  if (account) await chown(path, 0, account.gid);
  await chmod(path, 0o640);
}

// ---------------------------------------------------------------------------------------
// Exit cleanup: a crashed test run must not leave brokers behind.

const liveBrokers = new Set<{ killSync(): void }>();
let exitCleanupInstalled = false;

function cleanUpSync(): void {
  for (const broker of liveBrokers) broker.killSync();
  liveBrokers.clear();
  if (certificateDir) rmSync(certificateDir, { recursive: true, force: true });
  certificateDir = null;
  // The files are gone: a broker started after this (watch mode) must make new ones.
  certificates = null;
}

function installExitCleanup(): void {
  if (exitCleanupInstalled) return;
  exitCleanupInstalled = true;
  process.once('exit', cleanUpSync);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = (): void => {
      cleanUpSync();
      // A signal listener replaces Node's default "exit": when ours is the only one,
      // re-raise the signal without it so the process still ends as it would have.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

// ---------------------------------------------------------------------------------------
// The broker

function configText(dir: string, ports: BrokerPorts, options: StartMosquittoOptions): string {
  const tlsFiles = [`cafile ${join(dir, 'ca.pem')}`, `certfile ${join(dir, 'server.pem')}`, `keyfile ${join(dir, 'server.key')}`];
  return [
    'per_listener_settings false',
    'allow_anonymous false',
    `password_file ${join(dir, 'passwords')}`,
    'persistence false',
    // $SYS topics every second, so tests that wait for them do not wait long.
    'sys_interval 1',
    `log_dest file ${join(dir, 'mosquitto.log')}`,
    ...(options.logTypes ?? ['all']).map((type) => `log_type ${type}`),
    'connection_messages true',
    '',
    `listener ${ports.mqtt} 127.0.0.1`,
    'protocol mqtt',
    '',
    `listener ${ports.mqtts} 127.0.0.1`,
    'protocol mqtt',
    ...tlsFiles,
    '',
    `listener ${ports.ws} 127.0.0.1`,
    'protocol websockets',
    '',
    `listener ${ports.wss} 127.0.0.1`,
    'protocol websockets',
    ...tlsFiles,
    '',
    options.extraConfig ?? '',
    ...(options.refuseSubscriptions ? [`plugin ${dynamicSecurityPlugin()}`, `plugin_opt_config_file ${join(dir, DYNAMIC_SECURITY_FILE)}`] : []),
    '',
  ].join('\n');
}

const DYNAMIC_SECURITY_FILE = 'dynamic-security.json';

/**
 * The plugin's settings: no clients of its own (the password file still says who may
 * connect), and a default ACL that lets everyone publish and receive but not subscribe.
 */
const REFUSE_SUBSCRIPTIONS = {
  clients: [],
  groups: [],
  roles: [],
  defaultACLAccess: { publishClientSend: true, publishClientReceive: true, subscribe: false, unsubscribe: true },
};

/** Where Debian's mosquitto package puts the dynamic security plugin. */
function dynamicSecurityPlugin(): string {
  const candidates = ['x86_64-linux-gnu', 'aarch64-linux-gnu', ''].map((arch) => join('/usr/lib', arch, 'mosquitto_dynamic_security.so'));
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`Mosquitto's dynamic security plugin is not in ${candidates.join(', ')}: install mosquitto from apt.`);
  return found;
}

/** Keeps the last `limit` characters of a stream, for error messages. */
function captureTail(stream: NodeJS.ReadableStream | null, limit = 4_000): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text = (text + chunk).slice(-limit);
  });
  return () => text;
}

class PortInUseError extends Error {}

class RunningMosquitto implements MosquittoBroker {
  readonly host = '127.0.0.1' as const;
  readonly ports: BrokerPorts;
  readonly caFile: string;
  readonly wrongCaFile: string;
  readonly username: string;
  readonly password: string;
  readonly dir: string;
  readonly logFile: string;
  readonly #configFile: string;
  readonly #readyTimeoutMs: number;
  #child: ChildProcess | null = null;
  #exited: Promise<void> = Promise.resolve();
  #stderrTail: () => string = () => '';
  #stopped = false;

  constructor(fields: {
    ports: BrokerPorts;
    dir: string;
    username: string;
    password: string;
    readyTimeoutMs: number;
  }) {
    this.ports = fields.ports;
    this.dir = fields.dir;
    this.username = fields.username;
    this.password = fields.password;
    this.caFile = join(fields.dir, 'ca.pem');
    this.wrongCaFile = join(fields.dir, 'wrong-ca.pem');
    this.logFile = join(fields.dir, 'mosquitto.log');
    this.#configFile = join(fields.dir, 'mosquitto.conf');
    this.#readyTimeoutMs = fields.readyTimeoutMs;
  }

  get pid(): number {
    return this.#child?.pid ?? -1;
  }

  info(): BrokerInfo {
    return {
      host: this.host,
      ports: { ...this.ports },
      caFile: this.caFile,
      wrongCaFile: this.wrongCaFile,
      username: this.username,
      password: this.password,
      dir: this.dir,
      logFile: this.logFile,
      pid: this.pid,
    };
  }

  logTail(lines = 30): string {
    let text = '';
    try {
      text = readFileSync(this.logFile, 'utf8');
    } catch {
      // No log yet (the broker failed before opening it); stderr below says why.
    }
    const tail = text.trimEnd().split('\n').slice(-lines).join('\n');
    const stderr = this.#stderrTail().trim();
    return stderr ? `${tail}\n[stderr]\n${stderr}` : tail;
  }

  /** Spawns the process and resolves once every listener accepts TCP connections. */
  async launch(): Promise<void> {
    const child = spawn('mosquitto', ['-c', this.#configFile], { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    captureTail(child.stdout);
    this.#stderrTail = captureTail(child.stderr);
    // An object, not a `let`: TypeScript would keep a `let` narrowed to null in the loop.
    const ended: { how: string | null } = { how: null };
    this.#exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        ended.how = code !== null ? `exit code ${code}` : `signal ${signal}`;
        resolve();
      });
      // Spawning itself failed (mosquitto not installed): there will be no 'exit'.
      child.once('error', (error) => {
        ended.how = error.message;
        resolve();
      });
    });

    const deadline = Date.now() + this.#readyTimeoutMs;
    const pending = new Set([this.ports.mqtt, this.ports.mqtts, this.ports.ws, this.ports.wss]);
    while (pending.size > 0) {
      if (ended.how !== null) {
        const tail = this.logTail();
        if (/Address already in use/i.test(tail)) throw new PortInUseError(tail);
        throw new Error(`mosquitto ended (${ended.how}) before it was ready. Log:\n${tail}`);
      }
      if (Date.now() > deadline) {
        await this.#endProcess();
        throw new Error(
          `mosquitto did not accept connections on ports ${[...pending].join(', ')} within ${this.#readyTimeoutMs} ms. Log:\n${this.logTail()}`,
        );
      }
      for (const port of [...pending]) {
        if (await acceptsConnections(this.host, port)) pending.delete(port);
      }
      if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async #endProcess(): Promise<void> {
    const child = this.#child;
    if (!child || !this.#isRunning()) return;
    child.kill('SIGTERM');
    const exitedInTime = await Promise.race([
      this.#exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000)),
    ]);
    if (!exitedInTime) {
      child.kill('SIGKILL');
      await this.#exited;
    }
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#endProcess();
    liveBrokers.delete(this);
    if (!process.env.TOPICSCOPE_KEEP_BROKER_DIR) await rm(this.dir, { recursive: true, force: true });
  }

  async restart(): Promise<void> {
    await this.pause();
    await this.resume();
  }

  async pause(): Promise<void> {
    if (this.#stopped) throw new Error('This broker was stopped; start a new one.');
    await this.#endProcess();
  }

  async resume(): Promise<void> {
    if (this.#stopped) throw new Error('This broker was stopped; start a new one.');
    if (this.#isRunning()) return;
    // Mosquitto binds with SO_REUSEADDR, so the same ports are free again at once.
    await this.launch();
  }

  #isRunning(): boolean {
    const child = this.#child;
    return child !== null && child.exitCode === null && child.signalCode === null;
  }

  killSync(): void {
    const pid = this.#child?.pid;
    if (pid !== undefined && this.#isRunning()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Starts a fresh broker on free loopback ports; call `stop()` when done. */
export async function startMosquitto(options: StartMosquittoOptions = {}): Promise<MosquittoBroker> {
  const certs = await generateCertificates();
  const account = runsAsRoot ? mosquittoAccount() : null;
  const username = options.username ?? 'topicscope';
  const password = options.password ?? randomBytes(12).toString('base64url');

  const dir = await mkdtemp(join(tmpdir(), 'topicscope-mosquitto-'));
  // mkdtemp makes 0700; the broker runs as `mosquitto` and must get into the folder.
  await chmod(dir, 0o755);
  await Promise.all([
    copyFile(certs.caFile, join(dir, 'ca.pem')),
    copyFile(certs.wrongCaFile, join(dir, 'wrong-ca.pem')),
    copyFile(certs.serverCertFile, join(dir, 'server.pem')),
    copyFile(certs.serverKeyFile, join(dir, 'server.key')),
  ]);
  await shareReadOnly(join(dir, 'server.key'), account);
  await execFileText('mosquitto_passwd', ['-c', '-b', join(dir, 'passwords'), username, password]);
  await shareReadOnly(join(dir, 'passwords'), account);
  if (options.refuseSubscriptions) {
    await writeFile(join(dir, DYNAMIC_SECURITY_FILE), JSON.stringify(REFUSE_SUBSCRIPTIONS));
    await shareReadOnly(join(dir, DYNAMIC_SECURITY_FILE), account);
  }
  // The broker opens its log after dropping privileges, and an unopenable log is not
  // fatal: it would run silently. So the file exists and belongs to it beforehand.
  const logFile = join(dir, 'mosquitto.log');
  await writeFile(logFile, '');
  if (account) await chown(logFile, account.uid, account.gid);

  let lastError: unknown;
  // Another process can take a port between reserving and binding it: retry on new ones.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const [mqtt, mqtts, ws, wss] = await freeLoopbackPorts(4);
    const ports: BrokerPorts = { mqtt: mqtt!, mqtts: mqtts!, ws: ws!, wss: wss! };
    await writeFile(join(dir, 'mosquitto.conf'), configText(dir, ports, options));
    const broker = new RunningMosquitto({ ports, dir, username, password, readyTimeoutMs: options.readyTimeoutMs ?? 15_000 });
    liveBrokers.add(broker);
    installExitCleanup();
    try {
      await broker.launch();
      return broker;
    } catch (error) {
      liveBrokers.delete(broker);
      lastError = error;
      if (!(error instanceof PortInUseError)) break;
      await writeFile(logFile, '');
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError instanceof PortInUseError ? new Error(`mosquitto could not bind free ports three times. Log:\n${lastError.message}`) : lastError;
}

// ---------------------------------------------------------------------------------------
// Handing the broker to other processes (Playwright workers, spawned apps)

export const BROKER_ENV_VAR = 'TOPICSCOPE_TEST_BROKER';

export function brokerInfoToEnv(info: BrokerInfo): string {
  return JSON.stringify(info);
}

/** The broker a parent process started, from `TOPICSCOPE_TEST_BROKER`. */
export function brokerInfoFromEnv(env: NodeJS.ProcessEnv = process.env): BrokerInfo {
  const raw = env[BROKER_ENV_VAR];
  if (!raw) throw new Error(`${BROKER_ENV_VAR} is not set: start the broker in the global setup first.`);
  const info = JSON.parse(raw) as Partial<BrokerInfo>;
  const ports = info.ports;
  if (!ports || [ports.mqtt, ports.mqtts, ports.ws, ports.wss].some((p) => typeof p !== 'number') || !info.caFile || !info.username) {
    throw new Error(`${BROKER_ENV_VAR} does not hold broker info: ${raw.slice(0, 200)}`);
  }
  return info as BrokerInfo;
}
