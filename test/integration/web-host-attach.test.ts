/**
 * A page reloading in browser mode: the old page's socket goes away with batches it never
 * acknowledged, and the new page's `connection:attach` is what lets the core send again,
 * at once rather than after the ack timeout (10 s), through the built host.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { OpenConnection } from '../../shared/ipc/ipc-contract';
import { delay, waitFor } from '../harness/wait-for';
import { WebHostProcess } from '../harness/web-host-process';
import { connectionConfig, newPeer, sharedBroker, uniqueConnectionId, uniquePrefix } from './support';

const broker = sharedBroker();
let configDir: string;
let host: WebHostProcess;

beforeAll(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'topicscope-it-attach-'));
  host = await WebHostProcess.start(['--config-dir', configDir]);
});

afterAll(async () => {
  await host.stop();
  await rm(configDir, { recursive: true, force: true });
});

describe('connection:attach in browser mode', () => {
  it('a reloaded page attaches: it gets the open connection and, at once, what the old page left unacknowledged', async () => {
    const prefix = uniquePrefix('attach');
    const connectionId = uniqueConnectionId();
    const old = await host.connect();
    expect(await old.command('connection:open', { connectionId, config: connectionConfig(broker, prefix) })).toMatchObject({ ok: true });
    const peer = await newPeer(broker);
    // The old page receives batches and acknowledges none, until the core's window (3) is full.
    for (let i = 0; old.batches.length < 3 && i < 200; i++) {
      await peer.publish(`${prefix}/fill`, String(i), { qos: 1 });
      await delay(50);
    }
    expect(old.batches).toHaveLength(3);
    const heldSince = Date.now();
    for (let i = 0; i < 50; i++) await peer.publish(`${prefix}/held`, String(i), { qos: 1 });
    old.close();

    // The new page is there, but has not attached: the core still waits for the old page.
    const page = await host.connect();
    page.autoAcknowledge = true;
    onTestFinished(async () => {
      await page.command('connection:close', { connectionId });
      page.close();
    });
    await delay(500);
    expect(page.batches).toEqual([]);

    const attached = (await page.command('connection:attach', {})) as { ok: boolean; value: { connections: OpenConnection[] } };
    expect(attached.ok).toBe(true);
    expect(attached.value.connections).toEqual([expect.objectContaining({ connectionId, status: expect.objectContaining({ state: 'connected' }) })]);
    const released = await waitFor('the held-back batch', () => page.batches.find((b) => b.messages.some((m) => m.topic === `${prefix}/held`)), { timeoutMs: 3_000 });
    expect(Date.now() - heldSince, 'released by the attach, well before the 10 s ack timeout').toBeLessThan(8_000);
    expect(released.rendererBehind).toBe(true);
    const held = released.messages.find((m) => m.topic === `${prefix}/held`)!;
    expect(Buffer.from(held.payload).toString()).toBe('49');
    expect(1 + held.coalesced).toBe(50);

    // From here the page keeps up (it acknowledges), and new messages flow without delay.
    await peer.publish(`${prefix}/after`, 'fresh', { qos: 1 });
    await waitFor('a message after the attach', () => page.batches.some((b) => b.messages.some((m) => m.topic === `${prefix}/after`)), { timeoutMs: 3_000 });
  }, 30_000);
});
