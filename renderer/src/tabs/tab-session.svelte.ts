/**
 * One tab: a connection with its form, and the explorer of the connection it shows.
 * Each new connection starts with an empty tree; the core's reconnects keep it. A tab
 * made for a recording opened offline shows that recording instead, read-only, and
 * never connects.
 */
import { DecodingState, type DecodingProfiles } from '../inspect/decoding-state.svelte';
import type { MessageBatch } from '../../../shared/mqtt/mqtt-message';
import type { OpenConnection, TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import { ConnectionState, type ConnectionSetup } from '../connection/connection-state.svelte';
import { ExplorerState } from '../explorer/explorer-state.svelte';
import { chartDecodingOf } from '../inspect/chart/chart-decoding';
import { PublishState } from '../publish/publish-state.svelte';
import { ReplayState } from '../recording/replay-state.svelte';
import { RecordingState } from '../recording/recording-state.svelte';
import { RecordingViewState } from '../recording/recording-view-state.svelte';
import { SavedMessagesState, type SavedMessageProfiles } from '../publish/saved/saved-messages-state.svelte';
import type { TopicTreeLimits } from '../../../shared/explorer/topic-tree';

/** The history limits in force now (the user's settings), read whenever a tree is made. */
export type HistoryLimits = () => Partial<TopicTreeLimits>;

/** Where a tab reads its profile and saves the parts it changes (the window's ProfilesState). */
export type TabProfiles = DecodingProfiles & SavedMessageProfiles;

let lastKey = 0;

/** Tab keys are unique within the window and survive a reload in its snapshot. */
export function newTabKey(): string {
  lastKey += 1;
  return `t${Date.now().toString(36)}${lastKey.toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}

export class TabSession {
  readonly key: string;
  readonly connection: ConnectionState;
  readonly publisher: PublishState;
  /** The tab's recording; kept across connections, so the last file stays findable. */
  readonly recording: RecordingState;
  /** The tab's replay into its connection. */
  readonly replay: ReplayState;
  /** How this tab reads payloads: its profile's "Decode as" rules, decoded values on demand. */
  readonly decoding: DecodingState;
  /** The publish-form messages the tab's profile keeps by name. */
  readonly saved: SavedMessagesState;
  /** The recording this tab shows offline; null in a connection's tab. */
  readonly recordingView: RecordingViewState | null;
  readonly #api: TopicscopeApi;
  readonly #limits: HistoryLimits;
  #explorer = $state.raw<ExplorerState>(new ExplorerState());

  /** `recordingViewId`: the ID under which the core sends an opened recording's messages (a recording's tab). */
  constructor(api: TopicscopeApi, key: string, setup: ConnectionSetup = {}, limits: HistoryLimits = () => ({}), profiles: TabProfiles | null = null, recordingViewId: string | null = null) {
    this.#api = api;
    this.#limits = limits;
    this.key = key;
    this.connection = new ConnectionState(api, setup);
    this.publisher = new PublishState(api, this.connection, () => this.#explorer);
    this.recording = new RecordingState(api, () => this.connection.connectionId);
    this.replay = new ReplayState(api, () => this.connection.connectionId);
    this.decoding = new DecodingState(api, () => this.connection.profileId, profiles);
    this.saved = new SavedMessagesState(() => this.connection.profileId, profiles, this.publisher);
    this.recordingView = recordingViewId === null ? null : new RecordingViewState(api, recordingViewId);
    if (recordingViewId !== null) this.#explorer = this.#newExplorer(recordingViewId);
  }

  get explorer(): ExplorerState {
    return this.#explorer;
  }

  /**
   * A fresh tree for the connection `connectionId`, with the history limits in force,
   * acknowledging each batch it has applied (flow control).
   */
  #newExplorer(connectionId: string): ExplorerState {
    return new ExplorerState(
      { api: this.#api, connectionId },
      { limits: this.#limits(), chartDecoding: chartDecodingOf(this.decoding, this.#api), recordedTime: connectionId === this.recordingView?.connectionId },
    );
  }

  /** Applies changed history limits to the tree shown now (later trees read them when made). */
  applyHistoryLimits(): void {
    this.#explorer.setHistoryLimits(this.#limits());
  }

  /** True once the broker accepted the connection. */
  connect(): Promise<boolean> {
    return this.connection.connect((connectionId) => (this.#explorer = this.#newExplorer(connectionId)));
  }

  /** Closes the open connection and opens it again with the edited settings; true once the broker accepted. */
  reconnect(): Promise<boolean> {
    return this.connection.reconnect((connectionId) => (this.#explorer = this.#newExplorer(connectionId)));
  }

  /** Routes a batch to this tab's tree when it belongs to this tab's connection (or recording). */
  ingest(batch: MessageBatch): boolean {
    if (batch.connectionId !== (this.recordingView?.connectionId ?? this.connection.connectionId)) return false;
    this.#explorer.ingest(batch);
    return true;
  }

  /**
   * Shows a connection the core kept open across a reload. The tree is rebuilt from
   * what arrives next; subscribing again makes the broker send the retained values now.
   */
  async reattach(open: OpenConnection): Promise<void> {
    this.connection.adopt(open);
    this.#explorer = this.#newExplorer(open.connectionId);
    if (open.status.state !== 'connected') return;
    const connectionId = open.connectionId;
    for (const { filter, qos } of this.connection.form.subscriptions) {
      if (filter.trim() === '') continue;
      const result = await this.#api['subscription:add']({ connectionId, filter, qos });
      if (!result.ok) this.connection.note({ time: Date.now(), kind: 'error', text: `Could not subscribe again to "${filter}" after the reload: ${result.error.message}` });
    }
  }

  async close(): Promise<void> {
    this.publisher.repeat.dispose();
    await Promise.all([this.connection.close(), this.recordingView?.close()]);
  }
}
