/**
 * The repeat of one tab's publish form: the "Repeat every (ms)" and "Times" fields, and
 * the repeat running in the core (electron/core/publish/repeat-job.ts), as its
 * `publish:repeat-progress` events tell it. The draft crosses once, at the start; the
 * core makes every message and paces them, so a hidden tab's throttled timers do not
 * slow it. The form's {{counter}} follows what the repeat sent, and the explorer learns
 * each retained value the broker took, as it does for a single publish.
 *
 * Each event carries the repeat's whole state, so the count shows again after a reload
 * (the core keeps running what it was asked to).
 */
import type { EventPayloads, TopicscopeApi } from '../../../../shared/ipc/ipc-contract';
import {
  parseRepeatPeriod,
  parseRepeatTimes,
  repeatPlanText,
  repeatSkippedText,
  repeatStatusText,
  type RepeatField,
  type RepeatProgress,
} from '../../../../shared/publish/repeat-progress';
import type { ConnectionState } from '../../connection/connection-state.svelte';
import type { ExplorerState } from '../../explorer/explorer-state.svelte';
import type { PublishState } from '../publish-state.svelte';

/** A repeat that has sent nothing yet. */
const IDLE: RepeatProgress = {
  sent: 0,
  acknowledged: 0,
  waiting: 0,
  peakWaiting: 0,
  window: 0,
  failed: 0,
  total: null,
  periodMs: 0,
  qos: 0,
  skippedFull: 0,
  skippedLate: 0,
  nextCounter: 1,
  state: 'running',
  ended: null,
  problem: null,
  retained: [],
};

export class RepeatState {
  readonly #api: TopicscopeApi;
  readonly #connection: ConnectionState;
  readonly #explorer: () => ExplorerState;
  readonly #publisher: PublishState;
  /** "Repeat every (ms)" as typed: empty or 0 is no repeat. */
  periodText = $state('');
  /** "Times" as typed: empty repeats until stopped. */
  timesText = $state('');
  #progress = $state.raw<RepeatProgress | null>(null);
  #starting = $state(false);
  #stopping = $state(false);
  #startProblem = $state<string | null>(null);
  readonly #stopListening: () => void;

  constructor(api: TopicscopeApi, connection: ConnectionState, explorer: () => ExplorerState, publisher: PublishState) {
    this.#api = api;
    this.#connection = connection;
    this.#explorer = explorer;
    this.#publisher = publisher;
    this.#stopListening = api.on('publish:repeat-progress', (event) => this.#onProgress(event));
  }

  get period(): RepeatField {
    return parseRepeatPeriod(this.periodText);
  }
  get times(): RepeatField {
    return parseRepeatTimes(this.timesText);
  }

  /** Publish starts a repeat: the period is set (or typed wrong, which blocks Publish). */
  get active(): boolean {
    const period = this.period;
    return !period.ok || period.value !== null;
  }

  /** What is wrong with the fields; "Times" counts only with a period. */
  get fieldProblem(): string | null {
    const period = this.period;
    if (!period.ok) return period.problem;
    if (period.value === null) return null;
    const times = this.times;
    return times.ok ? null : times.problem;
  }

  /** What Publish will do, for its description; null without a valid period. */
  get plan(): string | null {
    const period = this.period;
    const times = this.times;
    if (!period.ok || period.value === null || !times.ok) return null;
    return repeatPlanText(period.value, times.value);
  }

  /** Starting, sending, or waiting for the last answers: the form sends nothing else meanwhile. */
  get running(): boolean {
    return this.#starting || (this.#progress !== null && this.#progress.state !== 'ended');
  }
  get stopping(): boolean {
    return this.#stopping;
  }
  /** The last (or current) repeat's state; null before the first on this connection. */
  get progress(): RepeatProgress | null {
    return this.#progress;
  }
  /** The live count: "Sent 120 of 500 · 3 waiting for the broker". */
  get statusText(): string | null {
    return this.#progress ? repeatStatusText(this.#progress) : null;
  }
  get skippedText(): string | null {
    return this.#progress ? repeatSkippedText(this.#progress) : null;
  }
  /** Why the repeat did not start, failed, or what a lost connection left unanswered. */
  get problem(): string | null {
    return this.#startProblem ?? this.#progress?.problem ?? null;
  }

  /** Starts publishing the draft as it is now; a draft that makes no message shows why instead. */
  async start(): Promise<void> {
    const connectionId = this.#connection.connectionId;
    if (!connectionId || this.running) return;
    const period = this.period;
    const times = this.times;
    if (!period.ok || period.value === null || !times.ok) return;
    this.#startProblem = null;
    this.#publisher.topicTouched = true;
    const first = this.#publisher.nextMessage();
    if (!first.message) {
      // A topic problem shows under the topic already.
      this.#startProblem = first.topicProblem ? null : (first.payloadProblem ?? first.propertiesProblem);
      return;
    }
    this.#starting = true;
    this.#progress = null;
    const draft = this.#publisher.snapshot();
    const counterStart = this.#publisher.counter;
    const result = await this.#api['publish:repeat-start']({
      connectionId,
      draft,
      file: this.#publisher.file?.bytes ?? null,
      clientId: this.#connection.opened?.clientId ?? this.#connection.form.clientId,
      counterStart,
      periodMs: period.value,
      times: times.value,
    });
    this.#starting = false;
    if (!result.ok) {
      this.#startProblem = result.error.message;
      return;
    }
    // Running from now, not from the first event (which may have come already).
    this.#progress ??= {
      ...IDLE,
      window: result.value.window,
      total: times.value,
      periodMs: period.value,
      qos: draft.qos,
      nextCounter: counterStart,
    };
  }

  /** Sends nothing more; the count shows "stopped" once the last answers are in. */
  async stop(): Promise<void> {
    const connectionId = this.#connection.connectionId;
    if (!connectionId || !this.running) return;
    this.#stopping = true;
    const result = await this.#api['publish:repeat-stop']({ connectionId });
    if (!result.ok) {
      this.#stopping = false;
      this.#startProblem = result.error.message;
    }
  }

  dispose(): void {
    this.#stopListening();
  }

  #onProgress(event: EventPayloads['publish:repeat-progress']): void {
    if (event.connectionId !== this.#connection.connectionId) return;
    const { connectionId: _, ...progress } = event;
    this.#progress = progress;
    if (progress.state === 'ended') this.#stopping = false;
    this.#publisher.continueCounterAt(progress.nextCounter);
    const explorer = this.#explorer();
    for (const { topic, payload, qos } of progress.retained) explorer.noteOwnPublish(topic, payload, qos, true);
  }
}
