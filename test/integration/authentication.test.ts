/** Credentials the broker refuses: the user gets one clear sentence and no retry loop. */
import { describe, expect, it } from 'vitest';
import type { MqttVersion } from '../../shared/connection/connection-config';
import { connectionConfig, newProbe, sharedBroker, uniqueConnectionId, uniquePrefix } from './support';

const broker = sharedBroker();

describe('refused credentials', () => {
  it.each<[MqttVersion, number[]]>([
    ['3.1.1', [5]],
    // Mosquitto answers 0x87 (not authorized); 0x86 (bad user name or password) is as valid.
    ['5', [0x86, 0x87]],
  ])('MQTT %s with a wrong password: NOT_AUTHORIZED with the broker reason code', async (mqttVersion, reasonCodes) => {
    const probe = newProbe();
    const connectionId = uniqueConnectionId();
    const config = connectionConfig(broker, uniquePrefix('auth'), { mqttVersion, password: `${broker.password}-wrong` });

    const result = await probe.dispatch('connection:open', { connectionId, config });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('NOT_AUTHORIZED');
    expect(result.error.message).toBe('Not authorized: check username and password.');
    expect(reasonCodes).toContain(result.error.reasonCode);
    expect(probe.statuses(connectionId).map((s) => s.state)).toEqual(['connecting', 'disconnected']);
    expect(probe.lastStatus(connectionId)).toEqual({ state: 'disconnected', error: result.error });
    expect(probe.logs(connectionId).some((l) => l.kind === 'error' && l.reasonCode === result.error.reasonCode)).toBe(true);
    expect(probe.registry.size).toBe(0);
  });

  it('without any credentials: NOT_AUTHORIZED (the broker allows no anonymous clients)', async () => {
    const probe = newProbe();
    const config = connectionConfig(broker, uniquePrefix('auth-anon'));
    delete config.username;
    delete config.password;

    const result = await probe.dispatch('connection:open', { connectionId: uniqueConnectionId(), config });

    expect(result.ok ? 'connected' : result.error.code).toBe('NOT_AUTHORIZED');
  });

  it('after a refused attempt, the same connection ID connects once the password is right', async () => {
    const probe = newProbe();
    const connectionId = uniqueConnectionId();
    const prefix = uniquePrefix('auth-retry');

    const refused = await probe.dispatch('connection:open', {
      connectionId,
      config: connectionConfig(broker, prefix, { password: 'wrong' }),
    });
    const accepted = await probe.dispatch('connection:open', { connectionId, config: connectionConfig(broker, prefix) });

    expect(refused.ok).toBe(false);
    expect(accepted).toEqual({ ok: true, value: { sessionPresent: false } });
    expect(probe.lastStatus(connectionId)?.state).toBe('connected');
  });
});
