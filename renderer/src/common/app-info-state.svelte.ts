/**
 * What the window learns once from the core about where it runs. The desktop app picks
 * TLS files with main's dialog; browser mode has none, so the path is typed.
 */
import type { TopicscopeApi } from '../../../shared/ipc/ipc-contract';

export class AppInfoState {
  readonly #api: TopicscopeApi;
  #mode = $state<'electron' | 'browser' | null>(null);

  constructor(api: TopicscopeApi) {
    this.#api = api;
  }

  async load(): Promise<void> {
    const result = await this.#api['app:info']({});
    if (result.ok) this.#mode = result.value.mode;
  }

  /** The desktop app or browser mode; null until known. */
  get mode(): 'electron' | 'browser' | null {
    return this.#mode;
  }

  /** Whether main can open a file dialog (the desktop app); false until known. */
  get canPickFiles(): boolean {
    return this.#mode === 'electron';
  }
}
