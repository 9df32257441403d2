/**
 * The connection core as the renderer drives it, with every event recorded: commands go
 * through `dispatchCommand` (schema validation included) to a real ConnectionRegistry,
 * and whatever the core emits is kept in order for assertions.
 */
import { createMqttClient, type ProxiedOptions } from '../../electron/core/connection/proxy-transport';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { CommandName, CommandResult, ConnectionEventName, EventPayloads } from '../../shared/ipc/ipc-contract';
import type { ConnectionLogEntry, ConnectionStatus } from '../../shared/connection/connection-status';
import type { MessageBatch, ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { dispatchCommand } from '../../electron/core/ipc/command-dispatch';
import { ConnectionRegistry, type CoreHost } from '../../electron/core/connection/connection-registry';
import type { SessionDeps } from '../../electron/core/connection/mqtt-session';
import { waitFor, type WaitForOptions } from './wait-for';

export type RecordedEvent = { [E in ConnectionEventName]: { event: E; payload: EventPayloads[E] } }[ConnectionEventName];

export class CoreProbe implements CoreHost {
  readonly mode = 'browser' as const;
  readonly versions = { test: 'integration' };
  readonly events: RecordedEvent[] = [];
  readonly registry: ConnectionRegistry;
  /** mqtt.js clients the core created: 0 proves that no connection was attempted. */
  clientsCreated = 0;
  /**
   * Acknowledge every message batch as it arrives, like a renderer that keeps up, so the
   * core's flow control never holds messages back; flow-control tests turn it off.
   */
  autoAcknowledge = true;
  /** Where `recording:start` writes; unset, recording is unsupported (as without a host that offers it). */
  recordingTarget?: CoreHost['recordingTarget'];
  /** Where `replay:choose` finds recordings; unset, replay has no source. */
  recordingSources?: CoreHost['recordingSources'];

  constructor(deps: Omit<SessionDeps, 'createClient'> = {}) {
    this.registry = new ConnectionRegistry(this, {
      ...deps,
      createClient: (options: IClientOptions, proxied?: ProxiedOptions): MqttClient => {
        this.clientsCreated++;
        return createMqttClient(options, proxied);
      },
    });
  }

  emit<E extends ConnectionEventName>(event: E, payload: EventPayloads[E]): void {
    // The mapped union cannot be built from a generic E without a cast; the pair is
    // consistent by the signature.
    this.events.push({ event, payload } as RecordedEvent);
    if (event === 'messages:batch' && this.autoAcknowledge) {
      // The event name says which payload this is; a generic E cannot be narrowed by it.
      const { connectionId, seq } = payload as EventPayloads['messages:batch'];
      void this.dispatch('messages:ack', { connectionId, seq });
    }
  }

  /** Sends a command the way the IPC layer does: raw, unvalidated arguments. */
  async dispatch<K extends CommandName>(name: K, args: unknown): Promise<CommandResult<K>> {
    // dispatchCommand returns Result<unknown> because its name is unknown at runtime;
    // with a known name the handler table guarantees the value type.
    return (await dispatchCommand(this.registry.handlers, name, args)) as CommandResult<K>;
  }

  statuses(connectionId: string): ConnectionStatus[] {
    return this.events.flatMap((e) => (e.event === 'connection:status' && e.payload.connectionId === connectionId ? [e.payload.status] : []));
  }

  logs(connectionId: string): ConnectionLogEntry[] {
    return this.events.flatMap((e) => (e.event === 'connection:log' && e.payload.connectionId === connectionId ? [e.payload.entry] : []));
  }

  batches(connectionId: string): MessageBatch[] {
    return this.events.flatMap((e) => (e.event === 'messages:batch' && e.payload.connectionId === connectionId ? [e.payload] : []));
  }

  messages(connectionId: string, topic?: string): ReceivedMessage[] {
    const all = this.batches(connectionId).flatMap((b) => b.messages);
    return topic === undefined ? all : all.filter((m) => m.topic === topic);
  }

  replayStatuses(connectionId: string): EventPayloads['replay:status']['replay'][] {
    return this.events.flatMap((e) => (e.event === 'replay:status' && e.payload.connectionId === connectionId ? [e.payload.replay] : []));
  }

  recordingStatuses(connectionId: string): EventPayloads['recording:status']['recording'][] {
    return this.events.flatMap((e) => (e.event === 'recording:status' && e.payload.connectionId === connectionId ? [e.payload.recording] : []));
  }

  lastStatus(connectionId: string): ConnectionStatus | undefined {
    return this.statuses(connectionId).at(-1);
  }

  /** The connection's log and status history, for timeout messages. */
  describe(connectionId: string): string {
    const statuses = this.statuses(connectionId).map((s) => `  status ${JSON.stringify(s)}`);
    const logs = this.logs(connectionId).map((l) => `  log ${l.kind}${l.reasonCode !== undefined ? ` (${l.reasonCode})` : ''}: ${l.text}`);
    const topics = [...new Set(this.messages(connectionId).map((m) => m.topic))].slice(0, 20);
    return [`Connection "${connectionId}":`, ...statuses, ...logs, `  topics received: ${topics.join(', ') || 'none'}`].join('\n');
  }

  waitForMessage(connectionId: string, topic: string, options?: WaitForOptions): Promise<ReceivedMessage> {
    return waitFor(`a message on "${topic}" for connection "${connectionId}"`, () => this.messages(connectionId, topic)[0], {
      diagnostics: () => this.describe(connectionId),
      ...options,
    });
  }

  waitForStatus<S extends ConnectionStatus['state']>(
    connectionId: string,
    state: S,
    options: WaitForOptions & { after?: number } = {},
  ): Promise<Extract<ConnectionStatus, { state: S }>> {
    const after = options.after ?? 0;
    return waitFor(
      `status "${state}" for connection "${connectionId}"`,
      () => this.statuses(connectionId).slice(after).find((s): s is Extract<ConnectionStatus, { state: S }> => s.state === state),
      { diagnostics: () => this.describe(connectionId), ...options },
    );
  }

  /** Waits until the broker acknowledged each filter `times` times (restored subscriptions count again). */
  waitForSubscribed(connectionId: string, filters: string[], times = 1, options?: WaitForOptions): Promise<true> {
    return waitFor(
      `SUBACKs for ${filters.map((f) => `"${f}"`).join(', ')} on connection "${connectionId}"`,
      () => filters.every((filter) => this.subackCount(connectionId, filter) >= times),
      { diagnostics: () => this.describe(connectionId), ...options },
    );
  }

  subackCount(connectionId: string, filter: string): number {
    return this.logs(connectionId).filter((l) => l.kind === 'suback' && l.text.startsWith(`Subscribed to "${filter}"`)).length;
  }

  async close(): Promise<void> {
    await this.registry.closeAll();
  }
}
