/**
 * The find and clear commands of one core: each runs on a helper connection of its own
 * (helper-client.ts), one at a time per connection, and can be stopped. Progress of a
 * clear reaches the renderer as `retained:clear-progress` events, at most one per
 * PROGRESS_INTERVAL_MS, plus a last one when it ends.
 */
import type { ConnectionConfig } from '../../../shared/connection/connection-config';
import type { Result } from '../../../shared/ipc/app-error';
import { fail, ok } from '../../../shared/ipc/app-error';
import type { CommandValues, EventPayloads } from '../../../shared/ipc/ipc-contract';
import type { ClearFailure } from '../../../shared/retained/clear-retained';
import type { Scheduler } from '../connection/scheduler';
import { openHelperConnection, type CreateClient, type HelperConnection } from './helper-client';
import { clearRetainedTopics, DEFAULT_CLEAR_WINDOW } from './retained-clearer';
import { DEFAULT_FIND_TIMING, findRetained, type FindTiming } from './retained-finder';

/** Progress events at most this often (ms): ten a second reads as live without an event per topic. */
export const PROGRESS_INTERVAL_MS = 100;

/** Why a topic the broker acknowledged is still listed as failed after the check. */
export const STILL_RETAINED_REASON =
  'The broker acknowledged the empty message but still holds a retained value: it may not let this user publish here (MQTT 3.1.1 brokers drop refused messages silently), or a client published it again.';

export interface RetainedJobOptions {
  scheduler: Scheduler;
  createClient?: CreateClient;
  findTiming?: FindTiming;
  clearWindow?: number;
  emitProgress: (payload: EventPayloads['retained:clear-progress']) => void;
}

export class RetainedJobs {
  readonly #options: RetainedJobOptions;
  /** The running job of each connection, to stop it. */
  readonly #running = new Map<string, AbortController>();

  constructor(options: RetainedJobOptions) {
    this.#options = options;
  }

  async find(connectionId: string, config: ConnectionConfig, filter: string): Promise<Result<CommandValues['retained:find']>> {
    return this.#withHelper(connectionId, config, async (helper, signal) => {
      const started = this.#options.scheduler.now();
      const found = await findRetained(helper.client, filter, this.#options.scheduler, { timing: this.#findTiming(), signal });
      if (!found.ok) return found;
      return ok({ ...found.value, tookMs: this.#options.scheduler.now() - started });
    });
  }

  async clear(connectionId: string, config: ConnectionConfig, filter: string, topics: string[]): Promise<Result<CommandValues['retained:clear']>> {
    return this.#withHelper(connectionId, config, async (helper, signal) => {
      const { scheduler } = this.#options;
      const started = scheduler.now();
      const total = topics.length;
      let lastSent = -Infinity;
      const report = (done: number, failed: number): void => {
        lastSent = scheduler.now();
        this.#options.emitProgress({ connectionId, done, failed, total });
      };
      const run = await clearRetainedTopics(helper.client, topics, {
        window: Math.min(this.#options.clearWindow ?? DEFAULT_CLEAR_WINDOW, helper.receiveMaximum),
        signal,
        onProgress: ({ done, failed }) => {
          if (scheduler.now() - lastSent >= PROGRESS_INTERVAL_MS) report(done, failed);
        },
      });
      const clearMs = scheduler.now() - started;
      const failures: ClearFailure[] = [...run.failures];
      let cleared = run.cleared.length;
      let remaining: number | null = null;
      const lost = helper.lost();
      if (!signal.aborted && !lost) {
        // Ask the broker what it still holds: the only way to see a refusal on MQTT 3.1.1,
        // and the count after clearing.
        const after = await findRetained(helper.client, filter, scheduler, { timing: this.#findTiming(), signal });
        if (after.ok && after.value.ended !== 'stopped') {
          remaining = after.value.ended === 'quiet' ? after.value.topics.length : null;
          const stillThere = new Set(after.value.topics);
          for (const topic of run.cleared) {
            if (stillThere.has(topic)) failures.push({ topic, reason: STILL_RETAINED_REASON });
          }
          cleared -= failures.length - run.failures.length;
        }
      }
      report(cleared + failures.length, failures.length);
      return ok({
        cleared,
        failures,
        notSent: run.notSent,
        ended: signal.aborted ? 'stopped' : lost ? 'connection-lost' : 'done',
        ...(lost ? { problem: lost.message } : {}),
        remaining,
        clearMs,
        tookMs: scheduler.now() - started,
      });
    });
  }

  /** Stops the connection's running find or clear; false when none runs. */
  stop(connectionId: string): boolean {
    const running = this.#running.get(connectionId);
    running?.abort();
    return running !== undefined;
  }

  #findTiming(): FindTiming {
    return this.#options.findTiming ?? DEFAULT_FIND_TIMING;
  }

  async #withHelper<T>(connectionId: string, config: ConnectionConfig, work: (helper: HelperConnection, signal: AbortSignal) => Promise<Result<T>>): Promise<Result<T>> {
    if (this.#running.has(connectionId)) {
      return fail({ code: 'BUSY', message: 'Retained messages are already being found or cleared on this connection: wait for it, or stop it.' });
    }
    const controller = new AbortController();
    this.#running.set(connectionId, controller);
    try {
      const helper = await openHelperConnection(config, this.#options.createClient);
      if (!helper.ok) return helper;
      try {
        return await work(helper.value, controller.signal);
      } finally {
        await helper.value.end();
      }
    } finally {
      this.#running.delete(connectionId);
    }
  }
}
