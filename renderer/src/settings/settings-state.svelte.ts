/**
 * The user's settings as the window knows them: loaded once at start (the defaults until
 * then, or if the core has none), saved through the core, and what follows from them for
 * the components: how a time reads (`formatTime`), the tree's row height. A damaged
 * settings file the core recovered from is reported once (`recovery`) until dismissed;
 * the backup path it was about is remembered so a reload does not report it again.
 */
import type { Result } from '../../../shared/ipc/app-error';
import type { SettingsRecovery, TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import { formatTimeAs } from '../../../shared/inspect/time-text';
import { appSettingsSchema, DEFAULT_SETTINGS, type AppSettings } from '../../../shared/settings/app-settings';
import { readStored, writeStored } from '../common/web-storage';
import { SecondClock } from './second-clock.svelte';

/** The backup path of the last settings recovery the user dismissed. */
const RECOVERY_SEEN_KEY = 'topicscope.settingsRecoverySeen';

/** Tree row heights in px, by density. */
export const ROW_HEIGHTS = { comfortable: 24, compact: 20 } as const;

export class SettingsState {
  readonly #api: TopicscopeApi;
  readonly #clock: SecondClock;
  #current = $state.raw<AppSettings>({ ...DEFAULT_SETTINGS });
  #loaded = $state(false);
  #loadError = $state<string | null>(null);
  #recovery = $state.raw<SettingsRecovery | null>(null);

  constructor(api: TopicscopeApi, clock: SecondClock = new SecondClock()) {
    this.#api = api;
    this.#clock = clock;
  }

  /** The settings in force: the defaults until loaded. Replaced (never changed) on each save. */
  get current(): AppSettings {
    return this.#current;
  }
  /** False until the start-up load answered. */
  get loaded(): boolean {
    return this.#loaded;
  }
  /** Why the saved settings could not be loaded (the defaults are used meanwhile). */
  get loadError(): string | null {
    return this.#loadError;
  }
  /** Set until the user dismisses it: the settings file was damaged and kept aside. */
  get recovery(): SettingsRecovery | null {
    return this.#recovery;
  }

  /** The tree's row height in px for the chosen density. */
  get rowHeight(): number {
    return ROW_HEIGHTS[this.#current.density];
  }

  /**
   * A time (ms since the epoch) as the user chose to read times. A relative one reads
   * the window's one-second clock, so a component showing it updates each second.
   */
  formatTime(ms: number): string {
    const format = this.#current.timeFormat;
    return formatTimeAs(format, ms, format === 'relative' ? this.#clock.now : 0);
  }

  async load(): Promise<void> {
    const result = await this.#api['settings:get']({});
    this.#loaded = true;
    if (!result.ok) {
      this.#loadError = `Your settings could not be loaded, so the defaults apply: ${result.error.message}`;
      return;
    }
    this.#loadError = null;
    this.#current = result.value.settings;
    const recovery = result.value.recovery;
    if (recovery && readStored('localStorage', RECOVERY_SEEN_KEY) !== recovery.backupPath) this.#recovery = recovery;
  }

  /**
   * Checks and saves every setting; they apply once the core has written them. An
   * invalid value is returned as the error (naming the field) and nothing is sent.
   */
  async save(settings: AppSettings): Promise<Result<AppSettings>> {
    const parsed = appSettingsSchema.safeParse(settings);
    if (!parsed.success) {
      return { ok: false, error: { code: 'INVALID_INPUT', message: parsed.error.issues.map((i) => i.message).join(' ') } };
    }
    const result = await this.#api['settings:set']({ settings: parsed.data });
    if (!result.ok) return result;
    this.#current = result.value.settings;
    return { ok: true, value: result.value.settings };
  }

  /** Remembers the backup it was about, so a reload does not report the same recovery again. */
  dismissRecovery(): void {
    if (this.#recovery) writeStored('localStorage', RECOVERY_SEEN_KEY, this.#recovery.backupPath);
    this.#recovery = null;
  }
}
