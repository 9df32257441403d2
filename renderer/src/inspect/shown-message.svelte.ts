/**
 * Which message of the selected topic the Value tab shows: the latest (following new
 * ones) unless the user picked one in the History list. One per explorer; the explorer
 * resets it when another topic is selected, so a pick never outlives its topic.
 */
import type { ReceivedMessage } from '../../../shared/mqtt/mqtt-message';

export class ShownMessage {
  #picked = $state.raw<ReceivedMessage | null>(null);

  /** The message picked in the History list; null while the latest is shown. */
  get picked(): ReceivedMessage | null {
    return this.#picked;
  }

  pick(message: ReceivedMessage): void {
    this.#picked = message;
  }

  backToLatest(): void {
    this.#picked = null;
  }

  /** The message to show, given the topic's latest. */
  shown(latest: ReceivedMessage | null): ReceivedMessage | null {
    return this.#picked ?? latest;
  }
}
