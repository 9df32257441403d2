/**
 * The "Clear retained messages" dialog's state for one connection: find (the dry run),
 * then clear what was found, with progress, a stop, and what failed. Clearing is only
 * possible for the list last found with the filter as it still reads: change the
 * filter and the list is gone, so nothing is cleared that the user has not seen counted.
 */
import type { CommandValues, TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import { clearFilterProblem } from '../../../shared/retained/clear-retained';

export interface ClearByFilterLink {
  api: TopicscopeApi;
  connectionId: string;
}

/** What the dialog shows, one phase at a time. */
export type ClearPhase =
  | { kind: 'idle' }
  | { kind: 'finding'; filter: string }
  | { kind: 'found'; filter: string; found: CommandValues['retained:find']; unseen: number }
  | { kind: 'clearing'; filter: string; total: number; done: number; failed: number; stopping: boolean }
  | { kind: 'cleared'; filter: string; total: number; result: CommandValues['retained:clear'] };

export interface ClearByFilterHooks {
  /** Whether the app's tree knows `topic` as retained: to say how many found were new to it. */
  knownRetained: (topic: string) => boolean;
  /** The broker cleared these topics: the tree forgets their retained values. */
  cleared: (topics: string[]) => void;
}

export class ClearByFilter {
  readonly #link: ClearByFilterLink | null;
  readonly #hooks: ClearByFilterHooks;
  #filter = $state('');
  #phase = $state.raw<ClearPhase>({ kind: 'idle' });
  #error = $state<string | null>(null);

  constructor(link: ClearByFilterLink | null, hooks: ClearByFilterHooks) {
    this.#link = link;
    this.#hooks = hooks;
  }

  get filter(): string {
    return this.#filter;
  }
  get phase(): ClearPhase {
    return this.#phase;
  }
  /** Why the last find or clear did not run (a bad filter, no connection, the broker's refusal). */
  get error(): string | null {
    return this.#error;
  }
  get running(): boolean {
    return this.#phase.kind === 'finding' || this.#phase.kind === 'clearing';
  }

  /** A new filter invalidates what was found with the old one. */
  setFilter(filter: string): void {
    this.#filter = filter;
    this.#error = null;
    if (!this.running) this.#phase = { kind: 'idle' };
  }

  /** Back to the start, keeping the filter (the dialog opens again). */
  reset(): void {
    if (this.running) return;
    this.#phase = { kind: 'idle' };
    this.#error = null;
  }

  async find(): Promise<void> {
    const link = this.#link;
    if (this.running) return;
    const filter = this.#filter.trim();
    this.#error = link ? clearFilterProblem(filter) : 'Not connected: connect first.';
    if (this.#error !== null || !link) return;
    this.#filter = filter;
    this.#phase = { kind: 'finding', filter };
    const result = await link.api['retained:find']({ connectionId: link.connectionId, filter });
    if (!result.ok) {
      this.#error = result.error.message;
      this.#phase = { kind: 'idle' };
      return;
    }
    if (result.value.ended === 'stopped') {
      this.#phase = { kind: 'idle' };
      return;
    }
    const unseen = result.value.topics.reduce((count, topic) => (this.#hooks.knownRetained(topic) ? count : count + 1), 0);
    this.#phase = { kind: 'found', filter, found: result.value, unseen };
  }

  /** Clears what the last find listed; nothing when nothing was found with the filter as it reads. */
  async clear(): Promise<void> {
    const link = this.#link;
    const phase = this.#phase;
    if (!link || phase.kind !== 'found' || phase.filter !== this.#filter || phase.found.topics.length === 0) return;
    const { filter } = phase;
    const topics = phase.found.topics;
    const total = topics.length;
    this.#error = null;
    this.#phase = { kind: 'clearing', filter, total, done: 0, failed: 0, stopping: false };
    const stopListening = link.api.on('retained:clear-progress', ({ connectionId, done, failed }) => {
      if (connectionId !== link.connectionId || this.#phase.kind !== 'clearing') return;
      this.#phase = { ...this.#phase, done, failed };
    });
    try {
      const result = await link.api['retained:clear']({ connectionId: link.connectionId, filter, topics });
      if (!result.ok) {
        this.#error = result.error.message;
        this.#phase = { kind: 'found', filter, found: phase.found, unseen: phase.unseen };
        return;
      }
      this.#hooks.cleared(clearedTopics(topics, result.value));
      this.#phase = { kind: 'cleared', filter, total, result: result.value };
    } finally {
      stopListening();
    }
  }

  /** Stops the running find or clear; what was cleared stays cleared. */
  async stop(): Promise<void> {
    const link = this.#link;
    if (!link || !this.running) return;
    if (this.#phase.kind === 'clearing') this.#phase = { ...this.#phase, stopping: true };
    await link.api['retained:stop']({ connectionId: link.connectionId });
  }
}

/** The topics a clear removed: those it sent (all but the last `notSent`), less the failures. */
export function clearedTopics(topics: readonly string[], result: CommandValues['retained:clear']): string[] {
  const failed = new Set(result.failures.map((f) => f.topic));
  return topics.slice(0, topics.length - result.notSent).filter((topic) => !failed.has(topic));
}
