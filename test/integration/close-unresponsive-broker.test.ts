/**
 * Disconnecting from a broker that stopped answering (frozen process, dead network
 * path that still holds the TCP connection): "Disconnect" must finish, the pending
 * publish must end with an error instead of hanging, and the status must say
 * disconnected. Uses its own broker, frozen with SIGSTOP, so the shared one keeps running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type MosquittoBroker } from '../harness/mosquitto';
import { connectionConfig, newProbe, openConnected, uniquePrefix } from './support';

let broker: MosquittoBroker;
let frozen = false;

beforeAll(async () => {
  broker = await startMosquitto();
});

afterAll(async () => {
  if (frozen) process.kill(broker.pid, 'SIGCONT');
  await broker?.stop();
});

describe('closing while the broker does not answer', () => {
  it.each([1, 2] as const)('a QoS %i publish in flight: close finishes, the publish fails as lost, the status is disconnected', async (qos) => {
    const probe = newProbe();
    const prefix = uniquePrefix(`close-frozen-qos${qos}`);
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { subscriptions: [], keepaliveSeconds: 0 }));

    process.kill(broker.pid, 'SIGSTOP');
    frozen = true;
    try {
      const publishing = probe.dispatch('message:publish', { connectionId, topic: `${prefix}/stuck`, payload: 'never acked', qos, retain: false });
      const closed = await probe.dispatch('connection:close', { connectionId });
      expect(closed).toEqual({ ok: true, value: {} });
      const published = await publishing;
      expect(published).toMatchObject({ ok: false, error: { code: 'CONNECTION_LOST', message: expect.stringContaining('may not have been delivered') } });
      expect(probe.statuses(connectionId).at(-1)).toEqual({ state: 'disconnected' });
      expect(probe.logs(connectionId).at(-1)?.text).toBe('Disconnected by the user');
    } finally {
      process.kill(broker.pid, 'SIGCONT');
      frozen = false;
    }
  });
});
