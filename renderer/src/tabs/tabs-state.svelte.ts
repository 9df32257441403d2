/**
 * The window's tabs: one per connection or opened recording, in the user's order, with
 * one active. Routes message batches to their tab, brings connection tabs back after a
 * reload (from sessionStorage and the connections the core still has open), and keeps
 * that snapshot current. A recording's tab is not kept across a reload: the file is, and
 * opening it again reads it again.
 */
import type { ProfileView } from '../../../shared/profiles/connection-profile';
import type { CommandArgs, TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import type { Result } from '../../../shared/ipc/app-error';
import { configToForm, defaultFormFields, withoutSecrets } from '../connection/connection-form';
import { parseSnapshot, planRestore, serializeSnapshot, TAB_SNAPSHOT_KEY, type TabsSnapshot } from './tab-snapshot';
import { readStored, writeStored } from '../common/web-storage';
import type { ConnectionSetup } from '../connection/connection-state.svelte';
import { newTabKey, TabSession, type TabProfiles } from './tab-session.svelte';
import { randomClientId } from '../../../shared/mqtt/client-id';
import { DEFAULT_SETTINGS, historyLimitsOf, type AppSettings } from '../../../shared/settings/app-settings';

/** What the restore needs to know about saved profiles. */
export interface SavedProfiles {
  lastUsedId: string | null;
  find(id: string | null): ProfileView | undefined;
}

export class TabsState {
  readonly #api: TopicscopeApi;
  #tabs = $state.raw<TabSession[]>([]);
  /** Recording tabs whose file is being chosen or opened: their batches may come before they are shown. */
  readonly #opening = new Set<TabSession>();
  #activeKey = $state<string | null>(null);
  #restored = $state(false);
  #restoreError = $state<string | null>(null);
  readonly #stopBatches: () => void;
  /** The settings new tabs and new trees start from; kept current by `applySettings`. */
  #settings: AppSettings = { ...DEFAULT_SETTINGS };
  readonly #historyLimits = (): ReturnType<typeof historyLimitsOf> => historyLimitsOf(this.#settings);

  /** Where tabs read their profile's decode rules and save changes to them (the window's profiles); none in some tests. */
  readonly #profiles: TabProfiles | null;

  constructor(api: TopicscopeApi, profiles: TabProfiles | null = null) {
    this.#api = api;
    this.#profiles = profiles;
    this.#stopBatches = api.on('messages:batch', (batch) => {
      for (const tab of this.#tabs) if (tab.ingest(batch)) return;
      for (const tab of this.#opening) if (tab.ingest(batch)) return;
    });
  }

  get tabs(): readonly TabSession[] {
    return this.#tabs;
  }
  get activeKey(): string | null {
    return this.#activeKey;
  }
  get active(): TabSession | undefined {
    return this.#tabs.find((t) => t.key === this.#activeKey);
  }
  /** False until the start-up restore finished; the snapshot is not written before. */
  get restored(): boolean {
    return this.#restored;
  }
  get restoreError(): string | null {
    return this.#restoreError;
  }

  /**
   * The user's settings, at start and after each save: every open tab's tree trims its
   * history to the new limits at once, and each tree made later (a new tab, a new
   * connection, a reconnect from the form) starts with them. A new tab's form starts
   * with the default MQTT version; existing forms keep theirs.
   */
  applySettings(settings: AppSettings): void {
    this.#settings = settings;
    for (const tab of this.#tabs) tab.applyHistoryLimits();
  }

  #newTab(key: string, setup: ConnectionSetup, recordingViewId: string | null = null): TabSession {
    return new TabSession(this.#api, key, setup, this.#historyLimits, this.#profiles, recordingViewId);
  }

  #blankForm(clientId: string): ReturnType<typeof defaultFormFields> {
    return defaultFormFields(clientId, this.#settings.defaultMqttVersion);
  }

  add(setup: ConnectionSetup = {}, activate = true): TabSession {
    const tab = this.#newTab(newTabKey(), { ...setup, form: setup.form ?? this.#blankForm(randomClientId()) });
    this.#tabs = [...this.#tabs, tab];
    if (activate) this.#activeKey = tab.key;
    return tab;
  }

  /**
   * Opens a recording offline in a new, read-only tab, shown once the core started
   * reading it. Null when the user cancelled the dialog; the error when it could not be
   * opened (no tab is left behind).
   */
  async openRecording(source: CommandArgs<'recording:open'>['source']): Promise<Result<TabSession | null>> {
    const key = newTabKey();
    const tab = this.#newTab(key, { form: this.#blankForm(randomClientId()) }, `recording-${key}`);
    this.#opening.add(tab);
    const opened = await this.#api['recording:open']({ connectionId: `recording-${key}`, source });
    this.#opening.delete(tab);
    if (!opened.ok || opened.value.recording === null) {
      await tab.close();
      return opened.ok ? { ok: true, value: null } : opened;
    }
    tab.recordingView?.started(opened.value.recording);
    this.#tabs = [...this.#tabs, tab];
    this.#activeKey = tab.key;
    return { ok: true, value: tab };
  }

  activate(key: string): void {
    if (this.#tabs.some((t) => t.key === key)) this.#activeKey = key;
  }

  /** Closing disconnects; the last tab closed leaves a fresh one, so there is always a form. */
  async close(key: string): Promise<void> {
    const index = this.#tabs.findIndex((t) => t.key === key);
    const tab = this.#tabs[index];
    if (!tab) return;
    const rest = this.#tabs.filter((t) => t !== tab);
    this.#tabs = rest;
    if (this.#activeKey === key) this.#activeKey = (rest[index] ?? rest[index - 1])?.key ?? null;
    if (rest.length === 0) this.add();
    await tab.close();
  }

  /** A tab with no connection, no profile and an untouched form can take a profile in place. */
  #isBlank(tab: TabSession): boolean {
    const c = tab.connection;
    if (tab.recordingView || c.connectionId !== null || c.profileId !== null) return false;
    const form = withoutSecrets($state.snapshot(c.form));
    return JSON.stringify(form) === JSON.stringify(withoutSecrets(this.#blankForm(form.clientId))) && c.form.password === '' && c.form.proxyPassword === '';
  }

  /** Shows a profile: its tab if one is open, else the blank active tab, else a new tab. */
  openProfile(profile: ProfileView): TabSession {
    const existing = this.#tabs.find((t) => t.connection.profileId === profile.id);
    if (existing) {
      this.#activeKey = existing.key;
      return existing;
    }
    const form = configToForm(profile.config);
    const active = this.active;
    if (active && this.#isBlank(active)) {
      active.connection.loadForm(form);
      active.connection.profileId = profile.id;
      active.connection.randomClientId = profile.randomClientId;
      return active;
    }
    return this.add({ form, profileId: profile.id, randomClientId: profile.randomClientId });
  }

  /** A tab whose profile was deleted keeps its form as an unsaved connection. */
  forgetProfile(id: string): void {
    for (const tab of this.#tabs) if (tab.connection.profileId === id) tab.connection.profileId = null;
  }

  /**
   * Brings the tabs back after a reload: stored drafts in their order, re-attached to
   * the connections the core still has, plus any other open connection. With nothing
   * to restore, starts with one tab (from the last used profile when there is one).
   */
  async restore(profiles: SavedProfiles): Promise<void> {
    const listed = await this.#api['connection:attach']({});
    if (!listed.ok) this.#restoreError = `Could not list the open connections: ${listed.error.message}`;
    const plan = planRestore(parseSnapshot(readStored('sessionStorage', TAB_SNAPSHOT_KEY)), listed.ok ? listed.value.connections : [], newTabKey);
    const tabs = plan.tabs.map((t) => {
      // A profile deleted meanwhile leaves the tab as an unsaved connection.
      const profile = profiles.find(t.profileId);
      const randomClientId = t.connection && !plan.fromSnapshot.has(t.key) ? (profile?.randomClientId ?? true) : t.randomClientId;
      return this.#newTab(t.key, { form: t.form, profileId: profile ? profile.id : null, randomClientId });
    });
    this.#tabs = tabs;
    this.#activeKey = plan.activeKey;
    if (tabs.length === 0) {
      const profile = profiles.find(profiles.lastUsedId);
      if (profile) this.openProfile(profile);
      else this.add();
    }
    this.#restored = true;
    await Promise.all(plan.tabs.map((t, i) => (t.connection ? tabs[i]?.reattach(t.connection) : undefined) ?? Promise.resolve()));
  }

  snapshot(): TabsSnapshot {
    return {
      activeKey: this.#activeKey,
      tabs: this.#tabs.filter((t) => !t.recordingView).map((t) => ({
        key: t.key,
        connectionId: t.connection.connectionId,
        profileId: t.connection.profileId,
        randomClientId: t.connection.randomClientId,
        form: $state.snapshot(t.connection.form),
      })),
    };
  }

  /** Writes the snapshot; the caller runs this in an effect so every change is kept. */
  persist(): void {
    if (!this.#restored) return;
    // If it cannot be written, a reload starts from the open connections alone.
    writeStored('sessionStorage', TAB_SNAPSHOT_KEY, serializeSnapshot(this.snapshot()));
  }

  dispose(): void {
    this.#stopBatches();
    for (const tab of this.#tabs) tab.connection.dispose();
  }
}
