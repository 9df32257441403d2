/**
 * A tab's replay: the "Replay recording" dialog's choices (which recording, speed,
 * topic rewrite, retain), the chosen recording's preview, and the running replay as the
 * `replay:status` events report it. The core reads the file and publishes; the window
 * only ever names a recording by the generated name the host listed, or asks the
 * host's open dialog.
 */
import type { TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import type { RecordingListing, ReplayPreview, ReplaySpeed, ReplayStatus, TopicRewrite } from '../../../shared/recording/replay';
import { rewriteProblem } from '../../../shared/recording/replay';

/** The Speed field's choices: original timing, slower, faster, or as fast as the broker takes it. */
export const SPEED_CHOICES: readonly { value: string; label: string }[] = [
  { value: '1', label: 'Original timing (1×)' },
  { value: '0.5', label: '0.5×' },
  { value: '2', label: '2×' },
  { value: '5', label: '5×' },
  { value: '10', label: '10×' },
  { value: '50', label: '50×' },
  { value: '100', label: '100×' },
  { value: 'max', label: 'As fast as the broker takes it' },
];

export interface ReplayChoices {
  speed: string;
  rewrite: 'none' | 'add' | 'replace';
  prefix: string;
  from: string;
  to: string;
  keepRetain: boolean;
}

export class ReplayState {
  readonly #api: TopicscopeApi;
  readonly #connectionId: () => string | null;
  dialogOpen = $state(false);
  choices = $state<ReplayChoices>({ speed: '1', rewrite: 'none', prefix: 'replay/', from: '', to: '', keepRetain: true });
  #recordings = $state.raw<RecordingListing[]>([]);
  #hostDialog = $state(false);
  #preview = $state.raw<ReplayPreview | null>(null);
  #status = $state.raw<ReplayStatus | null>(null);
  #error = $state<string | null>(null);
  #busy = $state(false);
  /** Status events seen: one arriving during a start is newer than the start's answer. */
  #reports = 0;

  constructor(api: TopicscopeApi, connectionId: () => string | null) {
    this.#api = api;
    this.#connectionId = connectionId;
    api.on('replay:status', ({ connectionId: id, replay }) => {
      if (id !== this.#connectionId()) return;
      this.#status = replay;
      this.#reports++;
    });
  }

  get recordings(): RecordingListing[] {
    return this.#recordings;
  }
  /** The host chooses with its own open dialog (desktop) rather than a list. */
  get hostDialog(): boolean {
    return this.#hostDialog;
  }
  get preview(): ReplayPreview | null {
    return this.#preview;
  }
  get status(): ReplayStatus | null {
    return this.#status;
  }
  /** A replay is running or paused on this connection. */
  get active(): boolean {
    return this.#status !== null && this.#status.state !== 'stopped';
  }
  get error(): string | null {
    return this.#error;
  }
  get busy(): boolean {
    return this.#busy;
  }

  /** Opens the dialog and lists what there is to replay. */
  async open(): Promise<void> {
    this.dialogOpen = true;
    this.#error = null;
    const listed = await this.#api['replay:list']({});
    if (!listed.ok) {
      this.#error = listed.error.message;
      return;
    }
    this.#hostDialog = listed.value.dialog;
    this.#recordings = listed.value.recordings;
  }

  close(): void {
    this.dialogOpen = false;
  }

  /** Chooses a listed recording by name, or (null) with the host's open dialog; reads its preview. */
  async choose(name: string | null): Promise<void> {
    const connectionId = this.#connectionId();
    if (!connectionId) return;
    this.#error = null;
    this.#busy = true;
    try {
      const chosen = await this.#api['replay:choose']({ connectionId, source: name === null ? { kind: 'dialog' } : { kind: 'recording', name } });
      if (!chosen.ok) {
        this.#preview = null;
        this.#error = chosen.error.message;
      } else if (chosen.value.preview) this.#preview = chosen.value.preview;
    } finally {
      this.#busy = false;
    }
  }

  /** What the rewrite fields ask for, or what is wrong with them. */
  get rewrite(): TopicRewrite | string {
    const { rewrite, prefix, from, to } = this.choices;
    const asked: TopicRewrite = rewrite === 'add' ? { kind: 'add', prefix } : rewrite === 'replace' ? { kind: 'replace', from, to } : { kind: 'none' };
    return rewriteProblem(asked) ?? asked;
  }

  async start(): Promise<void> {
    const connectionId = this.#connectionId();
    const rewrite = this.rewrite;
    if (!connectionId || !this.#preview || this.active) return;
    if (typeof rewrite === 'string') {
      this.#error = rewrite;
      return;
    }
    const speed: ReplaySpeed = this.choices.speed === 'max' ? 'max' : Number(this.choices.speed);
    this.#error = null;
    this.#busy = true;
    const reportsBefore = this.#reports;
    try {
      const started = await this.#api['replay:start']({ connectionId, speed, rewrite, retain: this.choices.keepRetain ? 'keep' : 'strip' });
      if (!started.ok) this.#error = started.error.message;
      // An event may already have said more (or that it ended): keep the newer.
      else if (this.#reports === reportsBefore) this.#status = started.value.replay;
    } finally {
      this.#busy = false;
    }
  }

  async pause(): Promise<void> {
    await this.#control('replay:pause');
  }
  async resume(): Promise<void> {
    await this.#control('replay:resume');
  }
  async stop(): Promise<void> {
    await this.#control('replay:stop');
  }

  async #control(command: 'replay:pause' | 'replay:resume' | 'replay:stop'): Promise<void> {
    const connectionId = this.#connectionId();
    if (!connectionId) return;
    const result = await this.#api[command]({ connectionId });
    if (!result.ok) this.#error = result.error.message;
    else this.#status = result.value.replay;
  }
}
