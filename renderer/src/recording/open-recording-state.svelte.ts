/**
 * "Open recording…": choosing a recording to open offline in a read-only tab. The
 * desktop app asks main's open dialog at once; browser mode lists its recordings folder.
 * The window never names a path, only a listed name or "ask the dialog"; in browser mode
 * it may also upload a recording file the user has, which the host keeps under a
 * generated name and then opens like the others.
 */
import { MAX_PAYLOAD_BYTES, type TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import type { RecordingListing } from '../../../shared/recording/replay';
import type { TabsState } from '../tabs/tabs-state.svelte';

export class OpenRecordingState {
  readonly #api: TopicscopeApi;
  readonly #tabs: TabsState;
  #recordings = $state.raw<RecordingListing[]>([]);
  #hostDialog = $state(false);
  #listed = $state(false);
  #error = $state<string | null>(null);
  #busy = $state(false);

  constructor(api: TopicscopeApi, tabs: TabsState) {
    this.#api = api;
    this.#tabs = tabs;
  }

  get recordings(): RecordingListing[] {
    return this.#recordings;
  }
  /** The host chooses with its own open dialog (desktop) rather than a list. */
  get hostDialog(): boolean {
    return this.#hostDialog;
  }
  /** False until the host said how to choose. */
  get listed(): boolean {
    return this.#listed;
  }
  get error(): string | null {
    return this.#error;
  }
  get busy(): boolean {
    return this.#busy;
  }

  /**
   * The dialog opened: learns how to choose, and where there is a file dialog asks it
   * at once. True when a recording's tab opened (the dialog has nothing more to do).
   */
  async begin(): Promise<boolean> {
    this.#error = null;
    this.#listed = false;
    const listed = await this.#api['replay:list']({});
    if (!listed.ok) {
      this.#error = listed.error.message;
      return false;
    }
    this.#hostDialog = listed.value.dialog;
    this.#recordings = listed.value.recordings;
    this.#listed = true;
    return this.#hostDialog ? this.open(null) : false;
  }

  /**
   * Browser mode: uploads a recording file the user chose in the page, then opens it;
   * true once its tab opened. A file over the upload limit is refused before it is read.
   */
  async upload(file: { name: string; size: number; bytes: () => Promise<Uint8Array> }): Promise<boolean> {
    if (file.size > MAX_PAYLOAD_BYTES) {
      this.#error = `"${file.name}" is ${file.size.toLocaleString('en-US')} bytes, more than the ${MAX_PAYLOAD_BYTES / 1024 / 1024} MiB browser mode uploads: gzip it (recordings shrink about 15-fold) or open it in the desktop app.`;
      return false;
    }
    this.#error = null;
    this.#busy = true;
    let name: string;
    try {
      const added = await this.#api['recording:upload']({ bytes: await file.bytes() });
      if (!added.ok) {
        this.#error = added.error.message;
        return false;
      }
      name = added.value.name;
      const listed = await this.#api['replay:list']({});
      if (listed.ok) this.#recordings = listed.value.recordings;
    } finally {
      this.#busy = false;
    }
    return this.open(name);
  }

  /** Opens a listed recording by name, or (null) the one the host's dialog chooses; true once its tab opened. */
  async open(name: string | null): Promise<boolean> {
    this.#error = null;
    this.#busy = true;
    try {
      const opened = await this.#tabs.openRecording(name === null ? { kind: 'dialog' } : { kind: 'recording', name });
      if (!opened.ok) this.#error = opened.error.message;
      return opened.ok && opened.value !== null;
    } finally {
      this.#busy = false;
    }
  }
}
