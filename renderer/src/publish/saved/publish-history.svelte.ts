/**
 * One tab's publish history: what its form sent, newest first, for as long as the tab
 * is open (across reconnects). Kept in the window, not on disk: a history is a
 * scratch record of this session, and the messages worth keeping are saved by name.
 */
import { searchHistory, withEntry, type HistoryEntry } from '../../../../shared/publish/publish-history';
import type { MessageDraft } from '../../../../shared/publish/message-draft';

export class PublishHistory {
  #entries = $state.raw<HistoryEntry[]>([]);
  #nextId = 1;
  /** What the history's search field holds. */
  query = $state('');
  /** The entries the search matches, newest first. */
  readonly shown: readonly HistoryEntry[] = $derived(searchHistory(this.#entries, this.query));

  get entries(): readonly HistoryEntry[] {
    return this.#entries;
  }

  /** Notes a message the form sent: the draft as it was then, the file's name if one was the payload. */
  add(sent: { draft: MessageDraft; file: string | null; time: number; ok: boolean; outcome: string }): void {
    this.#entries = withEntry(this.#entries, { id: this.#nextId++, ...sent });
  }

  clear(): void {
    this.#entries = [];
  }
}
