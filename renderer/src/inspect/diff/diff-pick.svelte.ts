/**
 * The two messages the Diff tab compares. By default the selected topic's latest
 * against the one before it, both following new messages; the user can pin either to
 * an entry of the history, or compare the latest against another topic's last value
 * (captured when chosen: a diff that changes under the reader is hard to read). One per
 * explorer, reset when another topic is selected.
 */
import type { ReceivedMessage } from '../../../../shared/mqtt/mqtt-message';

/** Another topic's value as it was when the user chose it. */
export interface OtherTopicValue {
  readonly topic: string;
  readonly message: ReceivedMessage;
}

export class DiffPick {
  #older = $state.raw<ReceivedMessage | null>(null);
  #newer = $state.raw<ReceivedMessage | null>(null);
  #other = $state.raw<OtherTopicValue | null>(null);

  /** The older side when pinned; null: the message before the newer side. */
  get older(): ReceivedMessage | null {
    return this.#older;
  }

  /** The newer side when pinned; null: the latest. */
  get newer(): ReceivedMessage | null {
    return this.#newer;
  }

  /** Set when the latest is compared against another topic's value instead of its own history. */
  get other(): OtherTopicValue | null {
    return this.#other;
  }

  pinOlder(message: ReceivedMessage | null): void {
    this.#older = message;
  }

  pinNewer(message: ReceivedMessage | null): void {
    this.#newer = message;
  }

  compareWithTopic(value: OtherTopicValue | null): void {
    this.#other = value;
  }

  reset(): void {
    this.#older = null;
    this.#newer = null;
    this.#other = null;
  }

  /**
   * The two messages compared, older first, given the topic's history (newest first);
   * null when there is nothing to compare yet.
   */
  sides(history: readonly ReceivedMessage[]): { older: ReceivedMessage; newer: ReceivedMessage } | null {
    const newer = this.#newer ?? history[0];
    if (!newer) return null;
    if (this.#other) return { older: this.#other.message, newer };
    const older = this.#older ?? history[history.indexOf(newer) + 1];
    return older ? { older, newer } : null;
  }
}
