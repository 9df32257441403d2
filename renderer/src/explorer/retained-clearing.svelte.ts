/**
 * Clearing a retained value asks first, whoever asks: the retained list's "Clear"
 * button or Delete on a retained topic in the tree or the list. One question at a time
 * per explorer, shown above whichever view is open (ClearRetainedConfirm.svelte), and
 * what the broker answered once it is done.
 */
import type { CommandResult } from '../../../shared/ipc/ipc-contract';

export interface ClearingOutcome {
  ok: boolean;
  text: string;
}

export class RetainedClearing {
  readonly #clear: (topic: string) => Promise<CommandResult<'message:publish'>>;
  #asking = $state<string | null>(null);
  #outcome = $state.raw<ClearingOutcome | null>(null);

  /** `clear` clears the topic's retained value on the broker (ExplorerState.clearRetained). */
  constructor(clear: (topic: string) => Promise<CommandResult<'message:publish'>>) {
    this.#clear = clear;
  }

  /** The topic whose value the user is asked about; null when no question is open. */
  get asking(): string | null {
    return this.#asking;
  }
  get outcome(): ClearingOutcome | null {
    return this.#outcome;
  }

  ask(topic: string): void {
    this.#asking = topic;
    this.#outcome = null;
  }

  cancel(): void {
    this.#asking = null;
  }

  /** Clears the value asked about, then says how it went. */
  async confirm(): Promise<void> {
    const topic = this.#asking;
    if (topic === null) return;
    this.#asking = null;
    const result = await this.#clear(topic);
    this.#outcome = result.ok ? { ok: true, text: `Cleared the retained value of "${topic}".` } : { ok: false, text: result.error.message };
  }
}
