/**
 * One broker connection: wraps an mqtt.js client, owns its subscriptions, reconnects
 * with backoff after an established connection drops, and reports everything as a
 * small status union, a protocol log and batches of messages.
 */
import type { IClientOptions, IClientPublishOptions, IConnackPacket, IDisconnectPacket, IPublishPacket, MqttClient } from 'mqtt';
import type { AppError, Result } from '../../../shared/ipc/app-error';
import { fail, ok } from '../../../shared/ipc/app-error';
import type { ConnectionConfig } from '../../../shared/connection/connection-config';
import { proxyPlace } from '../../../shared/connection/proxy-config';
import type { ConnectionLogEntry, ConnectionStatus } from '../../../shared/connection/connection-status';
import type { MessageBatch, MessageProperties, QoS } from '../../../shared/mqtt/mqtt-message';
import { topicMatchesFilter } from '../../../shared/mqtt/mqtt-topic';
import { MessageBatcher, type MessageBatcherOptions } from './message-batcher';
import { userPropertiesObject, type PublishProperties } from '../../../shared/publish/publish-properties';
import { buildClientOptions, describeConnection, describeProxy } from './mqtt-client-options';
import { isRetryable, mapConnectionError, mapPublishRefusal, mapServerDisconnect, mapSubscriptionRefusal, subackRefusalCode, withSniCause } from './mqtt-error-mapping';
import { createMqttClient, type ProxiedOptions } from './proxy-transport';
import { reconnectDelayMs } from './reconnect-backoff';
import { systemScheduler, type Scheduler } from './scheduler';
import { loadTlsMaterial } from './tls-material';

export interface SessionListener {
  status(status: ConnectionStatus): void;
  log(entry: ConnectionLogEntry): void;
  messages(batch: MessageBatch): void;
  /** Every message whole as it arrives, before batching may coalesce or cut it (a recording, request/response replies). */
  received?(topic: string, payload: Buffer, qos: QoS, retain: boolean, properties: MessageProperties | undefined): void;
}


export interface SessionDeps {
  scheduler?: Scheduler;
  /** Makes the mqtt.js client; `proxied` is set when the config names a proxy (createMqttClient honours it). */
  createClient?: (options: IClientOptions, proxied?: ProxiedOptions) => MqttClient;
  batcher?: Partial<MessageBatcherOptions>;
  random?: () => number;
}

/**
 * How long `close` waits for the broker to acknowledge what is in flight before it
 * drops the connection without DISCONNECT; a broker that went silent must not keep
 * "Disconnect" (or a host shutting down) waiting forever.
 */
export const CLOSE_GRACE_MS = 2_000;

function lostBeforeAcknowledged(topic: string): AppError {
  return { code: 'CONNECTION_LOST', message: `The connection ended before the broker acknowledged the message to "${topic}"; it may not have been delivered.` };
}

const CLOSED_BEFORE_ANSWER: AppError = { code: 'CONNECTION_LOST', message: 'The connection was closed before the broker answered.' };

const NOT_CONNECTED: AppError = { code: 'NOT_CONNECTED', message: 'Not connected: connect first, or wait for the reconnect.' };

export class MqttSession {
  readonly id: string;
  readonly #config: ConnectionConfig;
  readonly #listener: SessionListener;
  readonly #scheduler: Scheduler;
  readonly #createClient: (options: IClientOptions, proxied?: ProxiedOptions) => MqttClient;
  readonly #random: () => number;
  readonly #batcher: MessageBatcher;
  /** The filters this session wants, with their QoS; restored after a reconnect. */
  readonly #subscriptions = new Map<string, QoS>();
  #client: MqttClient | null = null;
  #status: ConnectionStatus = { state: 'disconnected' };
  #firstConnect: ((result: Result<{ sessionPresent: boolean }>) => void) | null = null;
  #attemptError: AppError | null = null;
  /** The broker's DISCONNECT of this attempt, already logged with its reason: not logged again as "connection lost". */
  #brokerDisconnect: AppError | null = null;
  #reconnectAttempt = 0;
  /** The highest topic alias the broker accepts on this connection, from its last CONNACK. */
  #topicAliasMaximum = 0;
  /** The filters the broker granted (not refused) since connecting: what "covers" a response topic. */
  readonly #granted = new Set<string>();
  /** The client ID in use: the broker's assigned one when it gave one (CONNACK), else the configured one. */
  #clientId: string;
  /** The broker's Response Information from its last CONNACK (MQTT 5), asked for on every MQTT 5 connect. */
  #responseInformation: string | null = null;
  /** How many QoS 1/2 publishes the broker takes unacknowledged, from its last CONNACK (65,535 when it sent none). */
  #receiveMaximum = 65_535;
  #reconnectTimer: unknown = null;
  #closing = false;
  /** Settles once the session is closed for good, so requests awaiting the broker end too. */
  readonly #closed: Promise<'closed'>;
  #signalClosed: () => void = () => {};

  constructor(id: string, config: ConnectionConfig, listener: SessionListener, deps: SessionDeps = {}) {
    this.id = id;
    this.#config = config;
    this.#listener = listener;
    this.#scheduler = deps.scheduler ?? systemScheduler;
    this.#createClient = deps.createClient ?? createMqttClient;
    this.#random = deps.random ?? Math.random;
    this.#clientId = config.clientId;
    this.#batcher = new MessageBatcher(id, (batch) => this.#listener.messages(batch), this.#scheduler, deps.batcher);
    for (const { filter, qos } of config.subscriptions) this.#subscriptions.set(filter, qos);
    this.#closed = new Promise((resolve) => (this.#signalClosed = () => resolve('closed')));
  }

  /**
   * Waits for a request to the broker, or for `close`, whichever comes first. A late
   * rejection of the abandoned request is expected and must not surface as unhandled.
   */
  async #untilClosed<T>(request: Promise<T>): Promise<{ closed: true } | { closed: false; value: T }> {
    request.catch(() => {});
    const outcome = await Promise.race([request.then((value) => ({ closed: false as const, value })), this.#closed.then(() => ({ closed: true as const }))]);
    return outcome;
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** The settings as opened, secrets included: for a helper connection with the same ones (retained/helper-client.ts). Core-only. */
  get config(): ConnectionConfig {
    return this.#config;
  }

  get clientId(): string {
    return this.#clientId;
  }

  get responseInformation(): string | null {
    return this.#responseInformation;
  }

  /** A granted subscription of this session that `topic` matches, so its messages arrive already; null when none. */
  subscriptionCovering(topic: string): string | null {
    for (const filter of this.#granted) if (topicMatchesFilter(filter, topic)) return filter;
    return null;
  }

  /** The broker's Receive Maximum (MQTT 5 CONNACK): a repeat keeps fewer publishes than this unacknowledged. */
  get receiveMaximum(): number {
    return this.#receiveMaximum;
  }

  /** Connects; resolves on the first CONNACK or with the reason the attempt failed. */
  async open(): Promise<Result<{ sessionPresent: boolean }>> {
    if (this.#client) return fail({ code: 'INVALID_INPUT', message: 'This connection is already open.' });
    this.#setStatus({ state: 'connecting' });
    const tls = await loadTlsMaterial(this.#config.tls);
    if (!tls.ok) {
      this.#log('error', tls.error.message);
      this.#setStatus({ state: 'disconnected', error: tls.error });
      return tls;
    }
    if (this.#closing) return fail({ code: 'CONNECTION_LOST', message: 'The connection was closed before it was established.' });
    if (this.#config.proxy) this.#log('connect', describeProxy(this.#config.proxy));
    this.#log('connect', describeConnection(this.#config));
    const result = new Promise<Result<{ sessionPresent: boolean }>>((resolve) => (this.#firstConnect = resolve));
    const proxy = this.#config.proxy;
    const client = this.#createClient(buildClientOptions(this.#config, tls.value), proxy ? { proxy, timeoutMs: this.#config.connectTimeoutMs } : undefined);
    this.#client = client;
    client.on('connect', (packet) => this.#onConnack(packet));
    client.on('message', (topic, payload, packet) => this.#onMessage(topic, payload, packet));
    client.on('error', (error) => this.#onError(error));
    client.on('disconnect', (packet) => this.#onServerDisconnect(packet));
    client.on('close', () => this.#onClose());
    return result;
  }

  async subscribe(filter: string, qos: QoS): Promise<Result<{ grantedQos: QoS }>> {
    const client = this.#client;
    if (!client || this.#status.state !== 'connected') return fail(NOT_CONNECTED);
    const result = await this.#sendSubscribe(client, filter, qos);
    if (result.ok) this.#subscriptions.set(filter, qos);
    return result;
  }

  async unsubscribe(filter: string): Promise<Result<Record<string, never>>> {
    const client = this.#client;
    if (!client || this.#status.state !== 'connected') return fail(NOT_CONNECTED);
    try {
      const done = await this.#untilClosed(client.unsubscribeAsync(filter));
      if (done.closed) return fail(CLOSED_BEFORE_ANSWER);
    } catch (error) {
      const reasonCode = typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : undefined;
      return fail({ code: 'UNEXPECTED', message: `Unsubscribing from "${filter}" failed: ${(error as Error).message}`, ...(reasonCode !== undefined ? { reasonCode } : {}) });
    }
    this.#subscriptions.delete(filter);
    this.#granted.delete(filter);
    this.#log('unsuback', `Unsubscribed from "${filter}"`, undefined, filter);
    return ok({});
  }

  async publish(topic: string, payload: Uint8Array | string, qos: QoS, retain: boolean, properties?: PublishProperties): Promise<Result<{ acknowledged: boolean }>> {
    const client = this.#client;
    if (!client || this.#status.state !== 'connected') return fail(NOT_CONNECTED);
    const refused = properties ? this.#propertiesProblem(properties) : null;
    if (refused) return fail(refused);
    const options: IClientPublishOptions = { qos, retain };
    if (properties) options.properties = toMqttProperties(properties);
    try {
      // A view, not a copy: a repeat sends the same file bytes many times, up to 16 at once.
      const bytes = typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
      const sent = await this.#untilClosed(client.publishAsync(topic, bytes, options));
      if (sent.closed) return fail(lostBeforeAcknowledged(topic));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // mqtt.js fails what is in flight with "Connection closed" when the connection ends:
      // that is not the broker refusing the message.
      if (this.#closing || /connection closed/i.test((error as Error).message)) return fail(lostBeforeAcknowledged(topic));
      if (typeof code === 'number' && code >= 0x80) {
        const refused = mapPublishRefusal(topic, code, (error as Error).message);
        this.#log('error', refused.message, code);
        return fail(refused);
      }
      return fail({
        code: 'PUBLISH_REFUSED',
        message: `Publishing to "${topic}" failed: ${(error as Error).message}`,
        ...(typeof code === 'number' ? { reasonCode: code } : {}),
      });
    }
    return ok({ acknowledged: qos > 0 });
  }

  /**
   * Why these properties cannot go out on this connection, before mqtt.js sees them: it
   * would drop them silently on MQTT 3.1.1, and answer a topic alias the broker does not
   * accept with a bare "Sending Topic Alias out of range".
   */
  #propertiesProblem(properties: PublishProperties): AppError | null {
    if (this.#config.mqttVersion !== '5') {
      return { code: 'INVALID_INPUT', message: `MQTT 5 properties need an MQTT 5 connection; this one is ${this.#config.mqttVersion}. Nothing was sent.` };
    }
    const alias = properties.topicAlias;
    if (alias !== undefined && alias > this.#topicAliasMaximum) {
      const accepts = this.#topicAliasMaximum === 0 ? 'accepts no topic aliases' : `accepts topic aliases 1 to ${this.#topicAliasMaximum}`;
      return { code: 'INVALID_INPUT', message: `Topic alias ${alias} is refused: the broker ${accepts} (its Topic Alias Maximum). Nothing was sent.` };
    }
    return null;
  }

  /**
   * Publishes without waiting, for a replay: `done` runs once the message is written
   * (QoS 0; later when the socket is full) or acknowledged (QoS 1 and 2), with the
   * problem in words if it failed. `properties` go out only on MQTT 5. Returns false,
   * sending nothing, when not connected.
   */
  publishReplayed(topic: string, payload: Uint8Array, qos: QoS, retain: boolean, properties: MessageProperties | undefined, done: (problem: string | null) => void): boolean {
    const client = this.#client;
    if (!client || this.#status.state !== 'connected') return false;
    const options: IClientPublishOptions = { qos, retain };
    if (properties && this.#config.mqttVersion === '5') options.properties = toPublishProperties(properties);
    client.publish(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), options, (error) => {
      if (!error) {
        done(null);
        return;
      }
      const code = (error as { code?: unknown }).code;
      done(typeof code === 'number' && code >= 0x80 ? mapPublishRefusal(topic, code, error.message).message : `Publishing to "${topic}" failed: ${error.message}`);
    });
    return true;
  }

  /**
   * Flow control: the renderer applied message batch `seq` and every earlier one.
   * Acknowledging a batch twice is harmless; one never sent is refused.
   */
  acknowledgeBatch(seq: number): Result<Record<string, never>> {
    if (this.#batcher.ack(seq) === 'never-sent') {
      return fail({ code: 'INVALID_INPUT', message: `Message batch ${seq} of connection "${this.id}" has not been sent: acknowledge only batches received.` });
    }
    return ok({});
  }

  /**
   * Forgets the message batches in flight, as if acknowledged. Call it when a renderer
   * (re)attaches: one that reloaded never acknowledges what it lost, and the session
   * would otherwise hold messages back until the acknowledgement timeout.
   */
  resetFlowControl(): void {
    this.#batcher.resetFlowControl();
  }

  /** Sends DISCONNECT when connected, stops reconnecting, and delivers pending messages. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#clearReconnectTimer();
    const client = this.#client;
    if (client) {
      // mqtt.js ends gracefully only once nothing is in flight, and a second end() cannot
      // turn that into a forced one: so wait here, bounded, then choose.
      const graceful = this.#status.state === 'connected' && (await this.#inFlightSettled(client));
      await this.#end(client, !graceful);
    }
    this.#signalClosed();
    this.#batcher.drain();
    this.#resolveFirstConnect(fail({ code: 'CONNECTION_LOST', message: 'The connection was closed before it was established.' }));
    if (this.#status.state !== 'disconnected' || this.#status.error) {
      this.#log('disconnect', 'Disconnected by the user');
      this.#setStatus({ state: 'disconnected' });
    }
  }

  /** True once the broker acknowledged everything in flight, false after CLOSE_GRACE_MS. */
  #inFlightSettled(client: MqttClient): Promise<boolean> {
    // `outgoing` is mqtt.js's table of unacknowledged packets (absent in stand-in clients).
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stand-ins lack it, whatever the type says.
    if (Object.keys(client.outgoing ?? {}).length === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const settled = (): void => {
        this.#scheduler.clearTimeout(timer);
        resolve(true);
      };
      const timer = this.#scheduler.setTimeout(() => {
        client.off('outgoingEmpty', settled);
        resolve(false);
      }, CLOSE_GRACE_MS);
      client.once('outgoingEmpty', settled);
    });
  }

  /** Ends the client; a graceful end whose DISCONNECT never completes is cut after the grace time. */
  #end(client: MqttClient, force: boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = this.#scheduler.setTimeout(() => {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stand-in clients in unit tests have no stream.
        client.stream?.destroy();
        resolve();
      }, CLOSE_GRACE_MS);
      client.end(force, {}, () => {
        this.#scheduler.clearTimeout(timer);
        resolve();
      });
    });
  }

  #onConnack(packet: IConnackPacket): void {
    const sessionPresent = packet.sessionPresent;
    // Absent means 0: the broker takes no topic aliases from this client (MQTT 5 section 3.2.2.3.8).
    this.#topicAliasMaximum = packet.properties?.topicAliasMaximum ?? 0;
    this.#receiveMaximum = packet.properties?.receiveMaximum ?? 65_535;
    const assigned = packet.properties?.assignedClientIdentifier;
    this.#clientId = assigned ?? this.#config.clientId;
    this.#responseInformation = packet.properties?.responseInformation ?? null;
    this.#log(
      'connack',
      `CONNACK accepted, session present: ${sessionPresent ? 'yes' : 'no'}${assigned ? `, client ID assigned by the broker: "${assigned}"` : ''}`,
      packet.reasonCode ?? packet.returnCode ?? 0,
    );
    const wasFirst = this.#firstConnect !== null;
    this.#reconnectAttempt = 0;
    this.#attemptError = null;
    this.#setStatus({ state: 'connected', since: this.#scheduler.now(), sessionPresent });
    this.#resolveFirstConnect(ok({ sessionPresent }));
    // A resumed session still holds the subscriptions; a new one needs them again.
    if (wasFirst || !sessionPresent) void this.#restoreSubscriptions();
  }

  async #restoreSubscriptions(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    await Promise.all([...this.#subscriptions].map(([filter, qos]) => this.#sendSubscribe(client, filter, qos)));
  }

  async #sendSubscribe(client: MqttClient, filter: string, qos: QoS): Promise<Result<{ grantedQos: QoS }>> {
    try {
      const answer = await this.#untilClosed(client.subscribeAsync(filter, { qos }));
      if (answer.closed) return fail(CLOSED_BEFORE_ANSWER);
      const granted = answer.value[0]?.qos ?? qos;
      if (granted >= 0x80) return this.#refused(filter, granted);
      this.#granted.add(filter);
      this.#log('suback', `Subscribed to "${filter}", granted QoS ${granted}${granted < qos ? ` (asked for ${qos})` : ''}`, granted, filter);
      return ok({ grantedQos: granted as QoS });
    } catch (error) {
      const code = subackRefusalCode(error);
      if (code !== undefined) return this.#refused(filter, code);
      const appError: AppError = { code: 'NOT_CONNECTED', message: `Subscribing to "${filter}" failed: ${(error as Error).message}` };
      this.#log('error', appError.message);
      return fail(appError);
    }
  }

  #refused(filter: string, reasonCode: number): Result<never> {
    this.#granted.delete(filter);
    const error = mapSubscriptionRefusal(filter, reasonCode);
    this.#log('suback', error.message, reasonCode, filter);
    return fail(error);
  }

  #onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const properties = packet.properties ? toMessageProperties(packet.properties) : undefined;
    this.#listener.received?.(topic, payload, packet.qos, packet.retain, properties);
    this.#batcher.push(topic, payload, packet.qos, packet.retain, properties);
  }

  #onError(error: unknown): void {
    const mapped = mapConnectionError(error, this.#config);
    // The first error of an attempt is the cause; later ones are its consequences.
    this.#attemptError ??= mapped;
    this.#log('error', mapped.message, mapped.reasonCode);
  }

  #onServerDisconnect(packet: IDisconnectPacket): void {
    const reasonCode = packet.reasonCode ?? 0;
    const error = mapServerDisconnect(reasonCode, packet.properties ?? {});
    this.#attemptError ??= error;
    this.#brokerDisconnect = error;
    this.#log('disconnect', error.message, reasonCode);
  }

  #onClose(): void {
    if (this.#closing) return;
    const error = this.#attemptError ?? this.#closedWithoutError();
    const alreadyLogged = error === this.#brokerDisconnect;
    this.#attemptError = null;
    this.#brokerDisconnect = null;
    if (this.#firstConnect) {
      // The first attempt failed: report it and stop, so the user can fix the settings.
      this.#shutDownClient();
      this.#setStatus({ state: 'disconnected', error });
      this.#resolveFirstConnect(fail(error));
      return;
    }
    if (this.#status.state === 'connected' && !alreadyLogged) this.#log('disconnect', `Connection lost: ${error.message}`, error.reasonCode);
    if (!this.#config.reconnect.enabled || !isRetryable(error)) {
      this.#shutDownClient();
      this.#setStatus({ state: 'disconnected', error });
      return;
    }
    this.#scheduleReconnect(error);
  }

  #closedWithoutError(): AppError {
    if (this.#status.state === 'connected') {
      return { code: 'CONNECTION_LOST', message: 'The broker or the network closed the connection.' };
    }
    const wsHint = this.#config.protocol.startsWith('ws') ? ' For websockets, check the path (often /mqtt).' : '';
    return withSniCause({ code: 'CONNECTION_RESET', message: `The connection closed before the broker answered.${wsHint}` }, this.#config);
  }

  #scheduleReconnect(lastError: AppError): void {
    this.#reconnectAttempt++;
    const delay = reconnectDelayMs(this.#reconnectAttempt, { ...this.#config.reconnect, random: this.#random });
    const nextAttemptAt = this.#scheduler.now() + delay;
    this.#log('reconnect', `Reconnect attempt ${this.#reconnectAttempt} in ${(delay / 1000).toFixed(1)} s`);
    this.#setStatus({ state: 'reconnecting', attempt: this.#reconnectAttempt, nextAttemptAt, lastError });
    this.#reconnectTimer = this.#scheduler.setTimeout(() => {
      this.#reconnectTimer = null;
      if (this.#closing || !this.#client) return;
      const through = this.#config.proxy ? ` through the ${proxyPlace(this.#config.proxy)}` : '';
      this.#log('connect', `Reconnecting (attempt ${this.#reconnectAttempt})${through}`);
      this.#client.reconnect();
    }, delay);
  }

  #shutDownClient(): void {
    this.#clearReconnectTimer();
    const client = this.#client;
    this.#client = null;
    client?.end(true);
    this.#batcher.drain();
  }

  #clearReconnectTimer(): void {
    if (this.#reconnectTimer !== null) this.#scheduler.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
  }

  #resolveFirstConnect(result: Result<{ sessionPresent: boolean }>): void {
    const resolve = this.#firstConnect;
    this.#firstConnect = null;
    resolve?.(result);
  }

  #setStatus(status: ConnectionStatus): void {
    this.#status = status;
    this.#listener.status(status);
  }

  #log(kind: ConnectionLogEntry['kind'], text: string, reasonCode?: number, filter?: string): void {
    const entry: ConnectionLogEntry = { time: this.#scheduler.now(), kind, text };
    if (reasonCode !== undefined) entry.reasonCode = reasonCode;
    if (filter !== undefined) entry.filter = filter;
    this.#listener.log(entry);
  }
}

function toMessageProperties(p: NonNullable<IPublishPacket['properties']>): MessageProperties | undefined {
  const out: MessageProperties = {};
  if (p.payloadFormatIndicator !== undefined) out.payloadFormatIndicator = p.payloadFormatIndicator;
  if (p.messageExpiryInterval !== undefined) out.messageExpiryInterval = p.messageExpiryInterval;
  if (p.topicAlias !== undefined) out.topicAlias = p.topicAlias;
  if (p.responseTopic !== undefined) out.responseTopic = p.responseTopic;
  if (p.correlationData !== undefined) out.correlationData = new Uint8Array(p.correlationData);
  if (p.userProperties !== undefined) out.userProperties = { ...p.userProperties };
  if (p.subscriptionIdentifier !== undefined) out.subscriptionIdentifier = p.subscriptionIdentifier;
  if (p.contentType !== undefined) out.contentType = p.contentType;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The contract's publish properties in mqtt.js's shape: user properties as an object, correlation data a Buffer. */
function toMqttProperties(p: PublishProperties): NonNullable<IClientPublishOptions['properties']> {
  const out: NonNullable<IClientPublishOptions['properties']> = {};
  if (p.userProperties !== undefined) out.userProperties = userPropertiesObject(p.userProperties);
  if (p.contentType !== undefined) out.contentType = p.contentType;
  if (p.payloadFormatIndicator !== undefined) out.payloadFormatIndicator = p.payloadFormatIndicator;
  if (p.messageExpiryInterval !== undefined) out.messageExpiryInterval = p.messageExpiryInterval;
  if (p.topicAlias !== undefined) out.topicAlias = p.topicAlias;
  if (p.responseTopic !== undefined) out.responseTopic = p.responseTopic;
  if (p.correlationData !== undefined) out.correlationData = Buffer.from(p.correlationData);
  return out;
}

/**
 * Recorded properties as mqtt.js sends them in a client PUBLISH: what the broker sent,
 * less the topic alias and subscription identifiers, which belonged to the receiving session.
 */
function toPublishProperties(p: MessageProperties): NonNullable<IClientPublishOptions['properties']> {
  const { topicAlias: _alias, subscriptionIdentifier: _subscriptions, correlationData, ...sent } = p;
  return correlationData === undefined ? sent : { ...sent, correlationData: Buffer.from(correlationData) };
}
