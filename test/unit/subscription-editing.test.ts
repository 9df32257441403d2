import { describe, expect, it } from 'vitest';
import { subscriptionEditing } from '../../renderer/src/connection/subscription-editing';

const lastError = { code: 'CONNECTION_LOST' as const, message: 'The broker or the network closed the connection.' };

describe('subscriptionEditing', () => {
  it('edits the form alone while disconnected, and the broker too while connected', () => {
    expect(subscriptionEditing({ state: 'disconnected' })).toEqual({ editable: true, live: false });
    expect(subscriptionEditing({ state: 'disconnected', error: lastError })).toEqual({ editable: true, live: false });
    expect(subscriptionEditing({ state: 'connected', since: 1, sessionPresent: false })).toEqual({ editable: true, live: true });
  });

  it('waits, saying why, while the core reconnects with the subscriptions it was opened with', () => {
    const reconnecting = subscriptionEditing({ state: 'reconnecting', attempt: 2, nextAttemptAt: 5_000, lastError });
    expect(reconnecting.editable).toBe(false);
    if (!reconnecting.editable) expect(reconnecting.hint).toMatch(/^Reconnecting: .*once connected.*Disconnect/);
    const connecting = subscriptionEditing({ state: 'connecting' });
    expect(connecting.editable).toBe(false);
    if (!connecting.editable) expect(connecting.hint).toMatch(/^Connecting: /);
  });
});
