/**
 * One tab's saved messages: the publish-form drafts its profile keeps by name, in
 * collections. They belong to the profile (saved into it at once, only that part; the
 * profile's other fields stay as saved) and travel with its export.
 *
 * A tab connected without a saved profile has nowhere to keep them, and saving says so
 * rather than holding them in the window: messages kept in a tab would be lost without a
 * word when it closes, and would vanish from view once the connection is saved as a
 * profile. The history still refills the form there.
 */
import type { Result } from '../../../../shared/ipc/app-error';
import type { ProfileView } from '../../../../shared/profiles/connection-profile';
import type { MessageDraft } from '../../../../shared/publish/message-draft';
import { collectionLabel, findSaved, groupSaved, savedMessagesProblem, type SavedGroup, type SavedMessage } from '../../../../shared/publish/saved-messages';

/** Where the tab's profile is read and its saved messages written (the window's ProfilesState). */
export interface SavedMessageProfiles {
  find(id: string): ProfileView | undefined;
  saveMessages(profile: ProfileView, savedMessages: SavedMessage[]): Promise<Result<ProfileView>>;
}

/** The form, as saving and recalling need it. */
export interface DraftHolder {
  snapshot(): MessageDraft;
  loadDraft(draft: MessageDraft): void;
  readonly file: { name: string } | null;
}

export const NEEDS_PROFILE = 'Save this connection as a profile to keep messages.';

/** What the last action said, for a status line. */
export interface SavedStatus {
  ok: boolean;
  text: string;
}

/** How a save went: `exists` when the name is taken in that collection and replacing was not asked. */
export type SaveOutcome = 'saved' | 'exists' | 'failed';

export class SavedMessagesState {
  readonly #profileId: () => string | null;
  readonly #profiles: SavedMessageProfiles | null;
  readonly #form: DraftHolder;
  #status = $state.raw<SavedStatus | null>(null);
  /** The message deleted last, and where it was, until it is undone or another change is made. */
  #deleted = $state.raw<{ message: SavedMessage; index: number } | null>(null);
  /** What the saved-message search field holds. */
  query = $state('');

  constructor(profileId: () => string | null, profiles: SavedMessageProfiles | null, form: DraftHolder) {
    this.#profileId = profileId;
    this.#profiles = profiles;
    this.#form = form;
  }

  #profile(): ProfileView | undefined {
    const id = this.#profileId();
    return id ? this.#profiles?.find(id) : undefined;
  }

  /** The profile the messages are kept in; null when the tab has none (nothing can be saved). */
  get savedIn(): string | null {
    return this.#profile()?.name ?? null;
  }

  get messages(): readonly SavedMessage[] {
    return this.#profile()?.savedMessages ?? [];
  }

  /** The messages the search matches, by collection. */
  get groups(): SavedGroup[] {
    return groupSaved(this.messages, this.query);
  }

  /** The collections in use, sorted, to offer when saving. */
  get collections(): string[] {
    return [...new Set(this.messages.map((m) => m.collection).filter((c) => c !== ''))].sort((a, b) => a.localeCompare(b));
  }

  get status(): SavedStatus | null {
    return this.#status;
  }

  /** The message just deleted, which `undoDelete` puts back; null when there is none. */
  get deleted(): SavedMessage | null {
    return this.#deleted?.message ?? null;
  }

  /** Whether there is a profile to save into; when not, the status says what to do. */
  canSave(): boolean {
    this.#status = this.#profile() ? null : { ok: false, text: NEEDS_PROFILE };
    return this.#status === null;
  }

  clearStatus(): void {
    this.#status = null;
  }

  /** Whether a message of that name is in that collection already (ignoring case). */
  exists(name: string, collection: string): boolean {
    return findSaved(this.messages, collection.trim(), name.trim()) !== -1;
  }

  /**
   * Saves what the form holds under `name` in `collection` ('' for none). A name taken in
   * that collection is refused (`exists`) unless `replace`. A file chosen as the payload is
   * not saved, and the status says so.
   */
  async save(name: string, collection: string, replace = false): Promise<SaveOutcome> {
    const entry: SavedMessage = { name: name.trim(), collection: collection.trim(), draft: this.#form.snapshot() };
    const messages = [...this.messages];
    const at = findSaved(messages, entry.collection, entry.name);
    if (at !== -1 && !replace) {
      this.#status = { ok: false, text: `A message named "${messages[at]?.name ?? entry.name}" is already saved in ${collectionLabel(entry.collection)}.` };
      return 'exists';
    }
    if (at !== -1) messages[at] = entry;
    else messages.push(entry);
    const where = collectionLabel(entry.collection);
    const file = this.#form.file;
    const text = file
      ? `Saved "${entry.name}" in ${where} with the payload text, not the file "${file.name}": files are not saved.`
      : `${at !== -1 ? 'Replaced' : 'Saved'} "${entry.name}" in ${where}.`;
    return (await this.#write(messages, text)) ? 'saved' : 'failed';
  }

  /** Puts a saved message in the form. */
  recall(message: SavedMessage): void {
    this.#form.loadDraft(message.draft);
    this.#status = { ok: true, text: `"${message.name}" is in the form.` };
  }

  /** Renames within its collection; a name another message there has is refused. */
  async rename(message: SavedMessage, name: string): Promise<boolean> {
    const messages = [...this.messages];
    const at = messages.indexOf(message);
    if (at === -1) return false;
    const clash = findSaved(messages, message.collection, name.trim());
    if (clash !== -1 && clash !== at) {
      this.#status = { ok: false, text: `A message named "${name.trim()}" is already saved in ${collectionLabel(message.collection)}.` };
      return false;
    }
    messages[at] = { ...message, name: name.trim() };
    return this.#write(messages, `Renamed "${message.name}" to "${name.trim()}".`);
  }

  /** Deletes at once; `undoDelete` puts it back. */
  async delete(message: SavedMessage): Promise<void> {
    const index = this.messages.indexOf(message);
    if (index === -1) return;
    if (await this.#write(this.messages.filter((m) => m !== message), `Deleted "${message.name}".`)) this.#deleted = { message, index };
  }

  async undoDelete(): Promise<void> {
    const deleted = this.#deleted;
    if (!deleted) return;
    const messages = [...this.messages];
    messages.splice(Math.min(deleted.index, messages.length), 0, deleted.message);
    await this.#write(messages, `"${deleted.message.name}" is back.`);
  }

  async #write(messages: SavedMessage[], done: string): Promise<boolean> {
    const profile = this.#profile();
    if (!profile || !this.#profiles) {
      this.#status = { ok: false, text: NEEDS_PROFILE };
      return false;
    }
    // Checked here first, so the user reads the reason in the form's words.
    const problem = savedMessagesProblem(messages);
    if (problem) {
      this.#status = { ok: false, text: `Not saved: ${problem}` };
      return false;
    }
    const result = await this.#profiles.saveMessages(profile, messages);
    this.#deleted = null;
    this.#status = result.ok ? { ok: true, text: done } : { ok: false, text: `Not saved: ${result.error.message}` };
    return result.ok;
  }
}
