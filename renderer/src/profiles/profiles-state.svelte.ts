/**
 * The saved profiles as the window knows them: the list from the core, the chosen
 * order (remembered in localStorage), how secrets are stored, and a store recovery and
 * notices to report. Every change goes through the core and the list is updated from
 * its answer, then read again: a save may have merged a hand edit of the store file
 * (and the core then has a notice for the user), which only the full list shows.
 */
import type { DecodeRule, ProtoFile } from '../../../shared/inspect/decode/decode-rules';
import type { SavedMessage } from '../../../shared/publish/saved-messages';
import type { Result } from '../../../shared/ipc/app-error';
import type { ProfileView, SecretKind, SecretStorageInfo, StoreRecovery } from '../../../shared/profiles/connection-profile';
import type { CommandArgs, CommandValues, TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import { PROFILE_SORT_KEY, parseProfileSort, sortProfiles, type ProfileSort } from './profile-order';
import { NOTICES_SEEN_KEY, parseSeenNotices, serializeSeenNotices, unseenNotices } from './store-notices';
import { readStored, writeStored } from '../common/web-storage';

/** The backup path of the last store recovery the user dismissed. */
const RECOVERY_SEEN_KEY = 'topicscope.recoverySeen';

export class ProfilesState {
  readonly #api: TopicscopeApi;
  #profiles = $state.raw<ProfileView[]>([]);
  #lastUsedId = $state<string | null>(null);
  #secretStorage = $state.raw<SecretStorageInfo | null>(null);
  #recovery = $state.raw<StoreRecovery | null>(null);
  #notices = $state.raw<string[]>([]);
  #loadError = $state<string | null>(null);
  #sort = $state<ProfileSort>(parseProfileSort(readStored('localStorage', PROFILE_SORT_KEY)));

  constructor(api: TopicscopeApi) {
    this.#api = api;
  }

  get profiles(): readonly ProfileView[] {
    return this.#profiles;
  }
  readonly sorted: ProfileView[] = $derived(sortProfiles(this.#profiles, this.#sort));
  get sort(): ProfileSort {
    return this.#sort;
  }
  get lastUsedId(): string | null {
    return this.#lastUsedId;
  }
  get secretStorage(): SecretStorageInfo | null {
    return this.#secretStorage;
  }
  /** Set until the user dismisses it: the store was unreadable and was moved aside. */
  get recovery(): StoreRecovery | null {
    return this.#recovery;
  }
  /** What the core reported about the store on this start, until the user dismisses it. */
  get notices(): readonly string[] {
    return this.#notices;
  }
  get loadError(): string | null {
    return this.#loadError;
  }

  find(id: string | null): ProfileView | undefined {
    return id === null ? undefined : this.#profiles.find((p) => p.id === id);
  }

  setSort(sort: ProfileSort): void {
    this.#sort = sort;
    writeStored('localStorage', PROFILE_SORT_KEY, sort);
  }

  /** Remembers the backup it was about, so a reload does not report the same recovery again. */
  dismissRecovery(): void {
    if (this.#recovery) writeStored('localStorage', RECOVERY_SEEN_KEY, this.#recovery.backupPath);
    this.#recovery = null;
  }

  /** Hides the notices shown now, also after a reload of this window. */
  dismissNotices(): void {
    const seen = parseSeenNotices(readStored('sessionStorage', NOTICES_SEEN_KEY));
    writeStored('sessionStorage', NOTICES_SEEN_KEY, serializeSeenNotices(seen, this.#notices));
    this.#notices = [];
  }

  async load(): Promise<void> {
    const result = await this.#api['profile:list']({});
    if (!result.ok) {
      this.#loadError = result.error.message;
      return;
    }
    this.#loadError = null;
    this.#profiles = result.value.profiles;
    this.#lastUsedId = result.value.lastUsedId;
    this.#secretStorage = result.value.secretStorage;
    const recovery = result.value.recovery;
    if (recovery && readStored('localStorage', RECOVERY_SEEN_KEY) !== recovery.backupPath) this.#recovery = recovery;
    this.#notices = unseenNotices(result.value.notices, parseSeenNotices(readStored('sessionStorage', NOTICES_SEEN_KEY)));
  }

  /** After a change: what else the store holds now, and any notice the change raised. A failure keeps what is shown. */
  async #reread(): Promise<void> {
    const result = await this.#api['profile:list']({});
    if (!result.ok) return;
    this.#profiles = result.value.profiles;
    this.#lastUsedId = result.value.lastUsedId;
    this.#notices = unseenNotices(result.value.notices, parseSeenNotices(readStored('sessionStorage', NOTICES_SEEN_KEY)));
  }

  /** Connecting from a profile makes it the last used; the core records the time. */
  noteUsed(id: string): void {
    this.#lastUsedId = id;
    this.#profiles = this.#profiles.map((p) => (p.id === id ? { ...p, lastUsedAt: Date.now() } : p));
  }

  #put(profile: ProfileView): void {
    const exists = this.#profiles.some((p) => p.id === profile.id);
    this.#profiles = exists ? this.#profiles.map((p) => (p.id === profile.id ? profile : p)) : [...this.#profiles, profile];
  }

  async save(args: CommandArgs<'profile:save'>): Promise<Result<ProfileView>> {
    const result = await this.#api['profile:save'](args);
    if (!result.ok) return result;
    this.#put(result.value.profile);
    await this.#reread();
    return { ok: true, value: result.value.profile };
  }

  /** Renames without touching anything else: the saved config and secrets stay. */
  rename(profile: ProfileView, name: string): Promise<Result<ProfileView>> {
    return this.#saveAsSavedWith(profile, { name });
  }

  /**
   * Replaces only the saved subscriptions, leaving the rest of the profile as saved:
   * the form may hold other edits the user has not chosen to save.
   */
  saveSubscriptions(profile: ProfileView, subscriptions: ProfileView['config']['subscriptions']): Promise<Result<ProfileView>> {
    return this.#saveAsSavedWith(profile, { config: { ...profile.config, subscriptions } });
  }

  /** Replaces only the saved "Decode as" rules and `.proto` files, leaving the rest of the profile as saved. */
  saveDecoding(profile: ProfileView, decodeRules: DecodeRule[], protoFiles: ProtoFile[]): Promise<Result<ProfileView>> {
    return this.#saveAsSavedWith(profile, { decodeRules, protoFiles });
  }

  /** Replaces only the saved publish messages, leaving the rest of the profile as saved. */
  saveMessages(profile: ProfileView, savedMessages: SavedMessage[]): Promise<Result<ProfileView>> {
    return this.#saveAsSavedWith(profile, { savedMessages });
  }

  /** Forgets one saved secret at once, leaving the rest of the profile as saved. */
  removeSecret(profile: ProfileView, kind: SecretKind): Promise<Result<ProfileView>> {
    return this.#saveAsSavedWith(profile, { secrets: { [kind]: { action: 'remove' } } });
  }

  /** Saves `profile` as it is saved, but for `change`: what the save leaves out stays as it was. */
  #saveAsSavedWith(profile: ProfileView, change: Partial<CommandArgs<'profile:save'>>): Promise<Result<ProfileView>> {
    return this.save({ id: profile.id, name: profile.name, config: profile.config, randomClientId: profile.randomClientId, ...change });
  }

  async duplicate(id: string): Promise<Result<ProfileView>> {
    const result = await this.#api['profile:duplicate']({ id });
    if (!result.ok) return result;
    this.#put(result.value.profile);
    await this.#reread();
    return { ok: true, value: result.value.profile };
  }

  async delete(id: string): Promise<Result<Record<string, never>>> {
    const result = await this.#api['profile:delete']({ id });
    if (result.ok) {
      this.#profiles = this.#profiles.filter((p) => p.id !== id);
      if (this.#lastUsedId === id) this.#lastUsedId = null;
      await this.#reread();
    }
    return result;
  }

  /** `secrets` is the user's answer when the store cannot encrypt: `ask` first, then their choice. */
  async import(text: string, secrets: 'ask' | 'withoutSecrets' | 'plainText'): Promise<Result<CommandValues['profile:import']>> {
    const result = await this.#api['profile:import']({ text, allowPlainTextSecrets: secrets === 'plainText', withoutSecrets: secrets === 'withoutSecrets' });
    if (result.ok) {
      for (const profile of result.value.imported) this.#put(profile);
      await this.#reread();
    }
    return result;
  }

  export(includeSecrets: boolean): Promise<Result<CommandValues['profile:export']>> {
    return this.#api['profile:export']({ ids: [], includeSecrets });
  }
}
