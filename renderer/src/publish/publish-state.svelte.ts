/**
 * The publish form of one tab: the message draft as typed (one plain object, see
 * shared/publish/message-draft.ts), a file chosen as the payload, the {{counter}}, and
 * what the form shows about the last attempt. The form's components edit the draft and
 * call the methods; saved messages and the publish history put a draft back with
 * `loadDraft`, and a repeat makes each message with `nextMessage`.
 */
import type { CommandResult, TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import { MAX_PAYLOAD_BYTES } from '../../../shared/ipc/ipc-contract';
import { composeMessage, type ComposedMessage, type Composition } from '../../../shared/publish/compose-message';
import { emptyDraft, type MessageDraft } from '../../../shared/publish/message-draft';
import { prettyJson } from '../../../shared/publish/payload-encoding';
import { uuidV4, type VariableContext } from '../../../shared/publish/publish-variables';
import type { ConnectionState } from '../connection/connection-state.svelte';
import type { ExplorerState } from '../explorer/explorer-state.svelte';
import { withGeneratedCorrelation } from '../../../shared/publish/request-replies';
import { RepliesState } from './replies/replies-state.svelte';
import { RepeatState } from './repeat/repeat-state.svelte';
import { PublishHistory } from './saved/publish-history.svelte';

/** What the form says about the last attempt. */
export interface PublishOutcome {
  ok: boolean;
  text: string;
}

/** A file whose bytes are the payload, as they are. */
export interface PayloadFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Text inserted at once (a paste, a drop) from this many characters on is held beside
 * the box instead of in it: Chromium takes over a second to insert and lay out 1 MiB
 * in a textarea, wrapped or not, and every later keystroke in it is slow too.
 */
export const HELD_CHARS = 50_000;

export class PublishState {
  readonly #api: TopicscopeApi;
  readonly #connection: ConnectionState;
  readonly #explorer: () => ExplorerState;
  /** Request/response: "Wait for replies" and the "Replies" list. */
  readonly replies: RepliesState;
  /** The message as typed; the form's fields bind to it directly. */
  draft: MessageDraft = $state(emptyDraft());
  /** The payload is too long for the box: the form shows its start beside it instead. */
  payloadHeld = $state(false);
  /** The topic's problem shows once the user has left the field or tried to publish. */
  topicTouched = $state(false);
  #file = $state.raw<PayloadFile | null>(null);
  #fileProblem = $state<string | null>(null);
  /** {{counter}}: the next message's number, from 1; grows with each message sent (see `send`). */
  #counter = $state(1);
  #sending = $state(false);
  #outcome = $state.raw<PublishOutcome | null>(null);
  #publishRequests = $state(0);
  /** What was sent from this form, newest first (the last 100), to put back in the form; its profile's, kept on disk, when it has one. */
  readonly history: PublishHistory;
  /** What the form would send now: its preview, its size and the reason Publish is disabled. */
  readonly #preview = $derived(this.#compose());
  /** "Repeat every (ms)": the draft published on a period by the core, with its live count. */
  readonly repeat: RepeatState;

  constructor(api: TopicscopeApi, connection: ConnectionState, explorer: () => ExplorerState) {
    this.#api = api;
    this.#connection = connection;
    this.#explorer = explorer;
    this.replies = new RepliesState(api, connection);
    this.repeat = new RepeatState(api, connection, explorer, this);
    this.history = new PublishHistory(api, () => connection.profileId);
  }

  get sending(): boolean {
    return this.#sending;
  }
  get outcome(): PublishOutcome | null {
    return this.#outcome;
  }
  get file(): PayloadFile | null {
    return this.#file;
  }
  /** Why the last file could not be used; null otherwise. */
  get fileProblem(): string | null {
    return this.#fileProblem;
  }
  get counter(): number {
    return this.#counter;
  }

  /**
   * Whether properties can be sent: the open connection's MQTT version, or before
   * connecting the one its form will connect with.
   */
  get mqtt5(): boolean {
    return (this.#connection.opened?.mqttVersion ?? this.#connection.form.mqttVersion) === '5';
  }
  get mqttVersion(): string {
    return this.#connection.opened?.mqttVersion ?? this.#connection.form.mqttVersion;
  }

  /** The message as it would be made now (variables drawn at the last edit). */
  get preview(): Composition {
    return this.#preview;
  }

  /**
   * Why Publish is disabled, beyond being disconnected: a payload or property the
   * message cannot be made from. A topic problem is not one: it shows on submit.
   */
  get blockingProblem(): string | null {
    return this.#preview.payloadProblem ?? this.#preview.propertiesProblem;
  }

  /** Grows by one each time the user asks to publish from the keyboard (Ctrl/Cmd+Enter); the form follows it. */
  get publishRequests(): number {
    return this.#publishRequests;
  }

  /** Asks the form, which holds the draft, to publish it as its Publish button would. */
  requestPublish(): void {
    this.#publishRequests += 1;
  }

  /** Forgets the last outcome (the user is editing again). */
  clearOutcome(): void {
    this.#outcome = null;
  }

  /** Puts a whole draft in the form (a saved message, a history entry); a chosen file is let go. */
  loadDraft(draft: MessageDraft): void {
    // A copy: the caller's object (a saved message) must not change as the form is edited.
    this.draft = $state.snapshot<MessageDraft>(draft);
    this.payloadHeld = draft.payload.length >= HELD_CHARS;
    this.#file = null;
    this.#fileProblem = null;
    this.#outcome = null;
  }

  /** A plain copy of the draft, to save or to keep in the history. */
  snapshot(): MessageDraft {
    return $state.snapshot<MessageDraft>(this.draft);
  }

  /** Takes a long text as the payload, held beside the box (see HELD_CHARS). */
  holdPayload(text: string): void {
    this.draft.payload = text;
    this.payloadHeld = true;
    this.#outcome = null;
  }

  /** Empties a held payload; the box is back. */
  clearPayload(): void {
    this.draft.payload = '';
    this.payloadHeld = false;
    this.#outcome = null;
  }

  /** Pretty-prints JSON payload text (the "Format" button); invalid JSON is left as it is. */
  formatJson(): void {
    const pretty = prettyJson(this.draft.payload);
    if (pretty !== null) this.draft.payload = pretty;
  }

  addUserProperty(): void {
    this.draft.properties.userProperties.push({ name: '', value: '' });
  }

  removeUserProperty(index: number): void {
    this.draft.properties.userProperties.splice(index, 1);
  }

  /** Uses a file's bytes as the payload (browser mode: the page read the file the user chose). */
  useFile(name: string, bytes: Uint8Array): void {
    this.#outcome = null;
    if (bytes.byteLength > MAX_PAYLOAD_BYTES) {
      this.#fileProblem = `"${name}" is ${bytes.byteLength.toLocaleString('en-US')} bytes, more than the ${MAX_PAYLOAD_BYTES / 1024 / 1024} MiB Topicscope publishes.`;
      return;
    }
    this.#fileProblem = null;
    this.#file = { name, bytes };
  }

  /** Refuses a file by its size before the page reads it. */
  refuseLargeFile(name: string, size: number): boolean {
    if (size <= MAX_PAYLOAD_BYTES) return false;
    this.#fileProblem = `"${name}" is ${size.toLocaleString('en-US')} bytes, more than the ${MAX_PAYLOAD_BYTES / 1024 / 1024} MiB Topicscope publishes.`;
    return true;
  }

  /** Desktop app: main's dialog picks the file and the core reads it; nothing changes when cancelled. */
  async pickFile(): Promise<void> {
    this.#fileProblem = null;
    const result = await this.#api['publish:pick-file']({});
    if (!result.ok) this.#fileProblem = result.error.message;
    else if (result.value.file) this.useFile(result.value.file.name, result.value.file.bytes);
  }

  /** Back to the payload text in the editor. */
  clearFile(): void {
    this.#file = null;
    this.#fileProblem = null;
    this.#outcome = null;
  }

  /**
   * The next message as it would be sent now: variables drawn afresh, the current
   * {{counter}}. A repeat calls it per message; `publish` sends one.
   */
  nextMessage(): Composition {
    return this.#compose();
  }

  /** A repeat sent messages with {{counter}} up to `next` - 1: the form goes on from there. */
  continueCounterAt(next: number): void {
    this.#counter = next;
  }

  /** Makes the message from the draft and publishes it on the current connection; does nothing without one. */
  async publish(): Promise<void> {
    this.#outcome = null;
    this.topicTouched = true;
    if (!this.#connection.connectionId) return;
    const composed = this.nextMessage();
    const message = composed.message;
    if (!message) {
      const problem = composed.topicProblem ?? composed.payloadProblem ?? composed.propertiesProblem;
      // A topic problem is shown under the topic already.
      if (problem && !composed.topicProblem) this.#outcome = { ok: false, text: problem };
      return;
    }
    // The draft as it goes out: the user may edit the form while the broker answers.
    const sent = { draft: this.snapshot(), file: this.#file?.name ?? null, time: Date.now() };
    this.#sending = true;
    const result = await this.send(message);
    this.#sending = false;
    if (!result) return;
    this.#outcome = result.ok
      ? { ok: true, text: result.value.acknowledged ? `Published, acknowledged by the broker (QoS ${message.qos}).` : 'Sent (QoS 0 is not acknowledged).' }
      : { ok: false, text: result.error.message };
    void this.history.add({ ...sent, ok: result.ok, outcome: this.#outcome.text });
  }

  /**
   * Sends one message made by `nextMessage` on the current connection (null without
   * one). {{counter}} grows as it goes out, before the broker answers, so messages in
   * flight together never share a number; once the broker took it, the explorer learns
   * of a retained value. A repeat calls it once per message; the form's outcome is left alone.
   */
  async send(message: ComposedMessage): Promise<CommandResult<'message:publish'> | null> {
    const connectionId = this.#connection.connectionId;
    if (!connectionId) return null;
    // The explorer of this connection, as it was when the message was sent.
    const explorer = this.#explorer();
    this.#counter += 1;
    const awaitReplies = this.replies.awaits(message);
    const result = await this.#api['message:publish']({ connectionId, ...message, ...(awaitReplies ? { awaitReplies } : {}) });
    if (result.ok) explorer.noteOwnPublish(message.topic, message.payload, message.qos, message.retain);
    this.replies.noteSent(result);
    return result;
  }

  #compose(): Composition {
    const context = this.#variableContext();
    const composed = composeMessage(this.draft, { context, mqtt5: this.mqtt5, file: this.#file?.bytes ?? null });
    // A request waiting for replies needs correlation data: the message's {{uuid}} when the field is empty.
    return this.replies.waitForReplies ? withGeneratedCorrelation(composed, context.uuid) : composed;
  }

  #variableContext(): VariableContext {
    return {
      now: Date.now(),
      uuid: uuidV4(crypto.getRandomValues(new Uint8Array(16))),
      counter: this.#counter,
      clientId: this.#connection.opened?.clientId ?? this.#connection.form.clientId,
      random: Math.random,
    };
  }
}
