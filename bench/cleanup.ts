/**
 * Everything a benchmark starts (brokers, publishers, the web host, the browser) is
 * registered here and stopped by its pid on exit, on error and on Ctrl-C, so an
 * interrupted run leaves nothing behind.
 */
import type { ChildProcess } from 'node:child_process';

type AsyncStop = () => Promise<void>;

const children = new Set<ChildProcess>();
const stops: { name: string; stop: AsyncStop; killSync?: () => void }[] = [];
let installed = false;

function killChildrenSync(): void {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // Already gone between the check and the kill.
      }
    }
  }
  children.clear();
  for (const entry of stops) entry.killSync?.();
}

/** Runs every async stop (newest first), then kills whatever is left. */
export async function stopAll(): Promise<void> {
  while (stops.length > 0) {
    const entry = stops.pop()!;
    try {
      await entry.stop();
    } catch (error) {
      process.stderr.write(`Stopping ${entry.name} failed: ${(error as Error).message}\n`);
      entry.killSync?.();
    }
  }
  for (const child of children) await stopChild(child);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', killChildrenSync);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // `on`, not `once`: Ctrl-C reaches this process from the terminal and again from the
    // runner, and a second signal without a listener would kill it before it cleaned up.
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`\n${signal}: stopping what the benchmark started...\n`);
      const hardExit = setTimeout(() => process.exit(130), 8_000);
      hardExit.unref();
      void stopAll().finally(() => process.exit(130));
    });
  }
}

/** Tracks a child process: it is stopped by pid when the benchmark ends, however it ends. */
export function trackChild(child: ChildProcess): ChildProcess {
  install();
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Registers something with its own stop (the harness broker, the browser). */
export function trackStop(name: string, stop: AsyncStop, killSync?: () => void): void {
  install();
  stops.push(killSync ? { name, stop, killSync } : { name, stop });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const inTime = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), graceMs))]);
  if (!inTime) {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Runs a scenario's main function: prints a clear message and exits 1 on a crash,
 * stopping everything first.
 */
export function runMain(main: () => Promise<void>): void {
  install();
  main()
    .then(() => stopAll())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
        return stopAll().finally(() => process.exit(1));
      },
    );
}
