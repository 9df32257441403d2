/**
 * A tab showing a recording opened offline instead of a connection: the file's loading
 * as the core reports it (`recording:view-status`). The messages themselves arrive as
 * ordinary batches for `connectionId`, into the tab's tree, which acknowledges them.
 */
import type { TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import type { RecordingViewStatus } from '../../../shared/recording/recording-view';

export class RecordingViewState {
  /** The ID the tab chose for the recording's batches; never an open connection's. */
  readonly connectionId: string;
  readonly #api: TopicscopeApi;
  #status = $state.raw<RecordingViewStatus | null>(null);
  readonly #stopListening: () => void;

  constructor(api: TopicscopeApi, connectionId: string) {
    this.#api = api;
    this.connectionId = connectionId;
    this.#stopListening = api.on('recording:view-status', ({ connectionId: id, recording }) => {
      if (id === connectionId) this.#status = recording;
    });
  }

  /** Null until the core started loading it. */
  get status(): RecordingViewStatus | null {
    return this.#status;
  }

  /** The status the open command answered with; a progress event that came first is newer and stays. */
  started(status: RecordingViewStatus): void {
    this.#status ??= status;
  }

  get loading(): boolean {
    return this.#status?.state === 'loading';
  }

  /** The tab closed: the core stops reading the file if it still is. */
  async close(): Promise<void> {
    this.#stopListening();
    await this.#api['recording:close']({ connectionId: this.connectionId });
  }
}
