/**
 * The Broker view's state for one connection: the `$SYS` read model (shared/broker) fed
 * from the explorer's ingest path, published as an immutable snapshot once per frame in
 * which a `$SYS` message arrived. Other topics cost one character compare each.
 */
import { BrokerModel, type BrokerSnapshot } from '../../../shared/broker/broker-model';
import { isSysTopic } from '../../../shared/broker/sys-topic';
import type { ReceivedMessage } from '../../../shared/mqtt/mqtt-message';

export class BrokerState {
  readonly #model = new BrokerModel();
  #view = $state.raw<BrokerSnapshot>(this.#model.snapshot());
  #changed = false;
  /** When this connection's explorer was made (ms since the epoch): how long `$SYS` has been awaited. */
  readonly startedAt: number;

  /** `now`: the wall clock (tests pass a fake). */
  constructor(now: () => number = Date.now) {
    this.startedAt = now();
  }

  /** The read model as of the last frame with `$SYS` news. */
  get view(): BrokerSnapshot {
    return this.#view;
  }

  /** Takes a batch's `$SYS` messages; returns whether there were any. */
  ingest(messages: readonly ReceivedMessage[]): boolean {
    let any = false;
    for (const message of messages) {
      if (!isSysTopic(message.topic)) continue;
      this.#model.ingest(message);
      any = true;
    }
    if (any) this.#changed = true;
    return any;
  }

  /** Called once per frame: publishes a new snapshot if `$SYS` brought anything since the last. */
  publish(): void {
    if (!this.#changed) return;
    this.#changed = false;
    this.#view = this.#model.snapshot();
  }
}
