/**
 * A tab's recording: the options for the next one, the one running (or the last one,
 * so its file stays findable), and Record / Stop recording. The core writes the file;
 * this only asks and shows what the `recording:status` events say.
 */
import type { TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import { topicFilterProblem } from '../../../shared/mqtt/mqtt-topic';
import type { RecordingStatus } from '../../../shared/recording/recording-status';
import { parseFilterList } from './recording-text';

/** The options popover's fields, as typed. */
export interface RecordingOptions {
  /** Topic filters, one per line or comma-separated; empty: everything received. */
  filters: string;
  gzip: boolean;
  /** Megabytes of JSON Lines after which it stops; empty: no limit. */
  maxMegabytes: string;
  /** Minutes after which it stops; empty: no limit. */
  maxMinutes: string;
}

export class RecordingState {
  readonly #api: TopicscopeApi;
  readonly #connectionId: () => string | null;
  options = $state<RecordingOptions>({ filters: '', gzip: false, maxMegabytes: '', maxMinutes: '' });
  #status = $state.raw<RecordingStatus | null>(null);
  /** The connection the status belongs to. */
  #statusOf: string | null = null;
  #error = $state<string | null>(null);
  #starting = $state(false);

  constructor(api: TopicscopeApi, connectionId: () => string | null) {
    this.#api = api;
    this.#connectionId = connectionId;
    api.on('recording:status', ({ connectionId: id, recording }) => {
      if (id !== this.#connectionId() && id !== this.#statusOf) return;
      // A late report of an earlier recording must not overwrite the current one.
      if (this.#status && recording.startedAt < this.#status.startedAt) return;
      this.#statusOf = id;
      this.#status = recording;
    });
  }

  /** The running recording, or the last one (to show where it went); null before the first. */
  get status(): RecordingStatus | null {
    return this.#status;
  }
  /** Recording or stopping: "Stop recording" is the button to show. */
  get active(): boolean {
    return this.#starting || (this.#status !== null && this.#status.state !== 'stopped');
  }
  get starting(): boolean {
    return this.#starting;
  }
  /** Why Record (or Stop recording) did not do what was asked. */
  get error(): string | null {
    return this.#error;
  }
  /** Starts recording with the options as they are; the desktop app first asks where to save. */
  async start(): Promise<void> {
    const connectionId = this.#connectionId();
    if (!connectionId || this.active) return;
    const args = this.#arguments();
    if (typeof args === 'string') {
      this.#error = args;
      return;
    }
    this.#error = null;
    this.#starting = true;
    try {
      const result = await this.#api['recording:start']({ connectionId, ...args });
      if (!result.ok) this.#error = result.error.message;
      else if (result.value.recording && (!this.#status || this.#status.startedAt <= result.value.recording.startedAt)) {
        this.#statusOf = connectionId;
        this.#status = result.value.recording;
      }
    } finally {
      this.#starting = false;
    }
  }

  async stop(): Promise<void> {
    const connectionId = this.#statusOf;
    if (!connectionId || this.#status?.state !== 'recording') return;
    const result = await this.#api['recording:stop']({ connectionId });
    if (!result.ok) this.#error = result.error.message;
    else this.#status = result.value.recording;
  }

  /** The options as the command wants them, or what is wrong with them. */
  #arguments(): { filters: string[]; gzip: boolean; maxBytes: number | null; maxDurationMs: number | null } | string {
    const filters = parseFilterList(this.options.filters);
    for (const filter of filters) {
      const problem = topicFilterProblem(filter);
      if (problem) return `"${filter}": ${problem}`;
    }
    const maxMegabytes = positiveOrNull(this.options.maxMegabytes);
    const maxMinutes = positiveOrNull(this.options.maxMinutes);
    if (maxMegabytes === undefined) return 'The size limit must be a number of megabytes greater than 0, or empty for none.';
    if (maxMinutes === undefined) return 'The time limit must be a number of minutes greater than 0, or empty for none.';
    return {
      filters,
      gzip: this.options.gzip,
      maxBytes: maxMegabytes === null ? null : Math.max(1_024, Math.round(maxMegabytes * 1e6)),
      maxDurationMs: maxMinutes === null ? null : Math.max(1_000, Math.round(maxMinutes * 60_000)),
    };
  }
}

/** null for an empty field, undefined for one that is not a positive number. */
function positiveOrNull(text: string): number | null | undefined {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
