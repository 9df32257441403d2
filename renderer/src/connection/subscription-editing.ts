/**
 * When the subscription list can be edited. Disconnected, an edit changes the form used
 * at the next connect; connected, it is also sent to the broker at once. While the core
 * is (re)connecting it restores the subscriptions it was opened with and refuses
 * SUBSCRIBE, so an edit then would only change the form and silently not apply: editing
 * waits, as in MQTTX, where subscribing needs a live connection. Pure, tested in Node.
 */
import type { ConnectionStatus } from '../../../shared/connection/connection-status';

export type SubscriptionEditing =
  /** `live`: each change is also subscribed or unsubscribed on the broker. */
  | { editable: true; live: boolean }
  /** `hint` says why and when editing comes back, for the user. */
  | { editable: false; hint: string };

export function subscriptionEditing(status: ConnectionStatus): SubscriptionEditing {
  switch (status.state) {
    case 'disconnected':
      return { editable: true, live: false };
    case 'connected':
      return { editable: true, live: true };
    case 'connecting':
      return { editable: false, hint: 'Connecting: the subscriptions can be changed once connected, or after Disconnect for the next connect.' };
    case 'reconnecting':
      return {
        editable: false,
        hint: 'Reconnecting: the broker gets these subscriptions again once connected; change them then, or after Disconnect for the next connect.',
      };
  }
}
