/**
 * One tab's publish history: what was sent from its form, newest first. A tab connected
 * from a profile shows and adds to that profile's history, which the core keeps on disk
 * (so it is there after a restart); a tab without a profile keeps its own while it is
 * open. The list shown changes at once; the core is told after.
 */
import type { TopicscopeApi } from '../../../../shared/ipc/ipc-contract';
import type { MessageDraft } from '../../../../shared/publish/message-draft';
import { MAX_HISTORY_ENTRIES, searchHistory, withEntry, type HistoryEntry, type StoredHistoryEntry } from '../../../../shared/publish/publish-history';

type HistoryApi = Pick<TopicscopeApi, 'publish-history:list' | 'publish-history:add' | 'publish-history:clear'>;

export class PublishHistory {
  readonly #api: HistoryApi;
  readonly #profileId: () => string | null;
  #entries = $state.raw<HistoryEntry[]>([]);
  /** The profile whose history is shown (null: the tab's own); undefined before the first look. */
  #shownFor: string | null | undefined = undefined;
  #loading: Promise<void> = Promise.resolve();
  #problem = $state<string | null>(null);
  #nextId = 1;
  /** What the history's search field holds. */
  query = $state('');
  /** The entries the search matches, newest first. */
  readonly shown: readonly HistoryEntry[] = $derived(searchHistory(this.#entries, this.query));

  constructor(api: HistoryApi, profileId: () => string | null) {
    this.#api = api;
    this.#profileId = profileId;
  }

  get entries(): readonly HistoryEntry[] {
    return this.#entries;
  }

  /** Why the history could not be read or kept on disk; null when it was. */
  get problem(): string | null {
    return this.#problem;
  }

  /**
   * Shows the history of the tab's profile now, reading it from the core when the
   * profile changed. Called when the list is shown and before a message is added.
   */
  follow(): Promise<void> {
    const profileId = this.#profileId();
    if (profileId === this.#shownFor) return this.#loading;
    this.#shownFor = profileId;
    this.#entries = [];
    this.#problem = null;
    this.#loading = profileId === null ? Promise.resolve() : this.#load(profileId);
    return this.#loading;
  }

  async #load(profileId: string): Promise<void> {
    const result = await this.#api['publish-history:list']({ profileId });
    if (this.#shownFor !== profileId) return;
    if (!result.ok) {
      this.#problem = result.error.message;
      return;
    }
    // Anything added while the core answered is newer than what it kept.
    const stored = result.value.entries.map((entry) => this.#withId(entry));
    this.#entries = [...this.#entries, ...stored].slice(0, MAX_HISTORY_ENTRIES);
  }

  #withId(entry: StoredHistoryEntry): HistoryEntry {
    return { ...entry, id: this.#nextId++ };
  }

  /** Notes a message the form sent: the draft as it was then, the file's name if one was the payload. */
  async add(sent: { draft: MessageDraft; file: string | null; time: number; ok: boolean; outcome: string }): Promise<void> {
    await this.follow();
    const profileId = this.#shownFor;
    this.#entries = withEntry(this.#entries, this.#withId(sent));
    if (profileId === null || profileId === undefined) return;
    const result = await this.#api['publish-history:add']({ profileId, entry: sent });
    this.#problem = result.ok ? null : result.error.message;
  }

  async clear(): Promise<void> {
    this.#entries = [];
    const profileId = this.#shownFor;
    if (profileId === null || profileId === undefined) return;
    const result = await this.#api['publish-history:clear']({ profileId });
    this.#problem = result.ok ? null : result.error.message;
  }
}
