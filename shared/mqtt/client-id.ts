/** Client identifiers: the random default and the spec's rule for empty ones. */
import { controlCharacterProblem } from './invisible-characters';

export const CLIENT_ID_PREFIX = 'topicscope_';

/** A fresh random client ID: `topicscope_` and 8 lowercase hex characters. */
export function randomClientId(
  fillRandom: (bytes: Uint8Array<ArrayBuffer>) => void = (bytes) => crypto.getRandomValues(bytes),
): string {
  const bytes = new Uint8Array(4);
  fillRandom(bytes);
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return CLIENT_ID_PREFIX + hex;
}

/**
 * MQTT 3.1.1 section 3.1.3.1 and MQTT 5 section 3.1.3.1: a server may assign an ID
 * to a client that sends none, but only when it asks for a clean session, because
 * a session nobody can name again could never be resumed.
 */
export function clientIdProblem(clientId: string, cleanSession: boolean): string | null {
  if (clientId === '' && !cleanSession) {
    return 'An empty client ID needs a clean session: turn on "Clean session" or enter a client ID.';
  }
  // MQTT forbids U+0000; the other controls and invisible characters would make the ID
  // in a broker's log or ACL differ from the one the user sees.
  const invisible = controlCharacterProblem(clientId, 'client ID');
  if (invisible) return invisible;
  if (new TextEncoder().encode(clientId).length > 65_535) return 'The client ID is longer than 65,535 bytes.';
  return null;
}
