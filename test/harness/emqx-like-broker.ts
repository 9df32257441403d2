/**
 * An in-test broker shaped like EMQX 5, for what the real one does and Mosquitto can't
 * (EMQX does not run on these machines; Mosquitto refuses client publishes to `$SYS`).
 *
 * What it stands for, checked in emqx/emqx (apps/emqx_auth/etc/acl.conf,
 * apps/emqx/src/emqx_sys.erl, apps/emqx/include/emqx_mqtt.hrl):
 * - the default ACL for a client that is not on the broker's host: `$SYS/#` (and any
 *   filter under it) refused except for the username `dashboard`; exactly `#` and `+/#`
 *   refused (`{eq, …}`), so `+` and `+/+/#` pass; everything else allowed. A refused
 *   filter gets SUBACK 0x80 on 3.1.1 and 0x87 (not authorized) on 5;
 * - EMQX Cloud Serverless's limits, as options: subscriptions per client (0x97 quota
 *   exceeded on 5, 0x80 on 3.1.1) and levels per filter (0x8F topic filter invalid);
 * - publishes refused by an ACL rule: acknowledged normally on 3.1.1, PUBACK/PUBREC 0x87
 *   on 5, and not delivered;
 * - a second client with the same client ID takes the session over: the first gets
 *   DISCONNECT 0x8E on 5 (just closed on 3.1.1); `disconnectClient` sends any other reason;
 * - a protocol version it is told not to support: CONNACK 0x84 on 5, return code 1 on 3.1.1;
 * - `$SYS/brokers` (node list, retained), `$SYS/brokers/<node>/version` and `sysdescr`
 *   (retained), `uptime` (milliseconds) and `datetime` (RFC 3339) every heartbeat,
 *   `stats/<name>/{count,max}` and `metrics/<name...>` every message interval, and
 *   `clients/<id>/connected|disconnected` JSON events;
 * - a TLS listener that drops the connection when the client sent no SNI, as EMQX Cloud
 *   Serverless does (here just after the handshake: Node tells a server the SNI only then).
 *
 * What it does not do: authentication (any username and password are accepted; the
 * username only selects the ACL), websockets, persistent sessions (every session is
 * clean, `sessionPresent` is always false), wills, shared subscriptions, topic aliases,
 * flow control or MQTT 3.1 (MQIsdp). It delivers at QoS 0 or 1 (QoS 2 is granted and
 * acknowledged on the way in, delivered as QoS 1). One node, never a cluster. Stats and
 * metrics are counted here, for this broker only, not EMQX's full list.
 *
 * Loopback only, free ports; `stop()` closes its servers and clients, and it sends
 * nothing anywhere else.
 */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import mqttPacket from 'mqtt-packet';
import type { IConnectPacket, IPublishPacket, ISubscribePacket, IUnsubscribePacket, Packet } from 'mqtt-packet';
import { topicMatchesFilter } from '../../shared/mqtt/mqtt-topic';
import { generateCertificates } from './mosquitto';

export interface EmqxLikeBrokerOptions {
  /** The node name in `$SYS/brokers/<node>/…`. Default `emqx@127.0.0.1`. */
  nodeName?: string;
  /** What `$SYS/brokers/<node>/version` says. Default `5.8.6`. */
  version?: string;
  /** Protocol versions accepted (4 is 3.1.1). Default both 4 and 5; others get CONNACK 0x84 / return code 1. */
  supportedVersions?: readonly (4 | 5)[];
  /** Subscriptions allowed per client, as EMQX Cloud Serverless (10); unlimited when unset. */
  subscriptionQuota?: number;
  /** Levels allowed per topic filter, as EMQX Cloud Serverless (10); unlimited when unset. */
  maxTopicLevels?: number;
  /** Filters whose topics no client may publish to (an ACL's publish deny rules). Default none. */
  publishDenied?: readonly string[];
  /** Milliseconds between `uptime`/`datetime` publishes (EMQX's sys_heartbeat_interval, 30 s by default there). Default 30,000. */
  heartbeatMs?: number;
  /** Milliseconds between `version`, `brokers`, stats and metrics publishes (EMQX's sys_msg_interval, 1 min there). Default 60,000. */
  sysIntervalMs?: number;
}

/** What a test needs to reach the broker. */
export interface EmqxLikeBrokerInfo {
  host: '127.0.0.1';
  ports: {
    /** Plain MQTT over TCP. */
    mqtt: number;
    /** MQTT over TLS that drops clients sending no SNI; certificate signed by `caFile` (SAN localhost, 127.0.0.1). */
    mqtts: number;
  };
  caFile: string;
  nodeName: string;
  version: string;
}

export interface EmqxLikeBroker extends EmqxLikeBrokerInfo {
  /** Sends DISCONNECT with `reasonCode` to the client (MQTT 5; a 3.1.1 client is just closed), then closes it. False if it is not connected. */
  disconnectClient(clientId: string, reasonCode: number): boolean;
  /** Client IDs connected now. */
  connectedClientIds(): string[];
  /** Publishes the heartbeat and the message-interval topics now, instead of waiting for the timers. */
  publishSys(): void;
  /** TLS connections dropped because the client sent no SNI. */
  readonly droppedWithoutSni: number;
  /** Closes both listeners and every client. */
  stop(): Promise<void>;
}

/** EMQX's reason codes (apps/emqx/include/emqx_mqtt.hrl) used here. */
export const RC = {
  UNSPECIFIED_ERROR: 0x80,
  UNSUPPORTED_PROTOCOL_VERSION: 0x84,
  NOT_AUTHORIZED: 0x87,
  SERVER_BUSY: 0x89,
  SESSION_TAKEN_OVER: 0x8e,
  TOPIC_FILTER_INVALID: 0x8f,
  PACKET_TOO_LARGE: 0x95,
  QUOTA_EXCEEDED: 0x97,
  USE_ANOTHER_SERVER: 0x9c,
} as const;

/** The user EMQX's default ACL lets read `$SYS`. */
export const DASHBOARD_USER = 'dashboard';

interface Client {
  socket: Socket;
  version: 4 | 5;
  clientId: string;
  username: string;
  ipAddress: string;
  connectedAt: number;
  subscriptions: Map<string, number>;
  nextMessageId: number;
}

/** EMQX's default ACL for subscribing (acl.conf), as a function: the SUBACK code, or null when allowed. */
export function defaultAclRefusal(filter: string, username: string): number | null {
  const underSys = filter === '$SYS' || filter.startsWith('$SYS/');
  if (underSys) return username === DASHBOARD_USER ? null : RC.NOT_AUTHORIZED;
  return filter === '#' || filter === '+/#' ? RC.NOT_AUTHORIZED : null;
}

class EmqxLikeBrokerImpl implements EmqxLikeBroker {
  readonly host = '127.0.0.1' as const;
  readonly ports: EmqxLikeBrokerInfo['ports'];
  readonly caFile: string;
  readonly nodeName: string;
  readonly version: string;
  droppedWithoutSni = 0;
  readonly #options: EmqxLikeBrokerOptions;
  readonly #servers: Server[];
  readonly #clients = new Map<string, Client>();
  readonly #sockets = new Set<Socket>();
  readonly #retained = new Map<string, IPublishPacket>();
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #startedAt = Date.now();
  readonly #metrics = new Map<string, number>();
  readonly #maxima = new Map<string, number>();

  constructor(info: Omit<EmqxLikeBrokerInfo, 'host'>, servers: Server[], options: EmqxLikeBrokerOptions) {
    this.ports = info.ports;
    this.caFile = info.caFile;
    this.nodeName = info.nodeName;
    this.version = info.version;
    this.#servers = servers;
    this.#options = options;
  }

  start(): void {
    this.#publishInterval();
    this.#publishHeartbeat();
    this.#timers.push(
      setInterval(() => this.#publishHeartbeat(), this.#options.heartbeatMs ?? 30_000),
      setInterval(() => this.#publishInterval(), this.#options.sysIntervalMs ?? 60_000),
    );
  }

  accept(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const parser = mqttPacket.parser();
    let client: Client | null = null;
    parser.on('packet', (packet: Packet) => {
      this.#count('packets.received');
      if (packet.cmd === 'connect') client = this.#onConnect(socket, packet);
      else if (client) this.#onPacket(client, packet);
      else socket.destroy();
    });
    parser.on('error', () => socket.destroy());
    socket.on('data', (data: Buffer) => {
      this.#count('bytes.received', data.length);
      parser.parse(data);
    });
    socket.on('close', () => {
      if (client && this.#clients.get(client.clientId) === client) {
        this.#clients.delete(client.clientId);
        this.#count('client.disconnected');
        this.#event(client, 'disconnected', { reason: 'normal', disconnected_at: Date.now() });
      }
    });
  }

  disconnectClient(clientId: string, reasonCode: number): boolean {
    const client = this.#clients.get(clientId);
    if (!client) return false;
    this.#dropClient(client, reasonCode);
    return true;
  }

  connectedClientIds(): string[] {
    return [...this.#clients.keys()];
  }

  publishSys(): void {
    this.#publishHeartbeat();
    this.#publishInterval();
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    for (const socket of this.#sockets) socket.destroy();
    await Promise.all(this.#servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  #send(client: Pick<Client, 'socket' | 'version'>, packet: Packet): void {
    if (client.socket.destroyed) return;
    const bytes = mqttPacket.generate(packet, { protocolVersion: client.version });
    this.#count('packets.sent');
    this.#count('bytes.sent', bytes.length);
    client.socket.write(bytes);
  }

  #onConnect(socket: Socket, packet: IConnectPacket): Client | null {
    const version = packet.protocolVersion === 5 ? 5 : 4;
    const supported = this.#options.supportedVersions ?? [4, 5];
    if (packet.protocolVersion !== 4 && packet.protocolVersion !== 5) {
      socket.destroy();
      return null;
    }
    if (!supported.includes(version)) {
      const refusal: Packet =
        version === 5 ? { cmd: 'connack', sessionPresent: false, reasonCode: RC.UNSUPPORTED_PROTOCOL_VERSION } : { cmd: 'connack', sessionPresent: false, returnCode: 1 };
      this.#send({ socket, version }, refusal);
      socket.end();
      return null;
    }
    const assigned = packet.clientId === '' ? `emqx-like-${Math.random().toString(36).slice(2, 10)}` : null;
    const clientId = assigned ?? packet.clientId;
    const earlier = this.#clients.get(clientId);
    if (earlier) this.#dropClient(earlier, RC.SESSION_TAKEN_OVER);
    const client: Client = {
      socket,
      version,
      clientId,
      username: packet.username ?? '',
      ipAddress: socket.remoteAddress ?? '',
      connectedAt: Date.now(),
      subscriptions: new Map(),
      nextMessageId: 1,
    };
    this.#clients.set(clientId, client);
    const connack: Packet =
      version === 5
        ? { cmd: 'connack', sessionPresent: false, reasonCode: 0, ...(assigned ? { properties: { assignedClientIdentifier: assigned } } : {}) }
        : { cmd: 'connack', sessionPresent: false, returnCode: 0 };
    this.#send(client, connack);
    this.#count('client.connected');
    this.#event(client, 'connected', { keepalive: packet.keepalive, clean_start: packet.clean ?? true, expiry_interval: 0 });
    return client;
  }

  #onPacket(client: Client, packet: Packet): void {
    switch (packet.cmd) {
      case 'subscribe':
        return this.#onSubscribe(client, packet);
      case 'unsubscribe':
        return this.#onUnsubscribe(client, packet);
      case 'publish':
        return this.#onPublish(client, packet);
      case 'pubrel':
        return this.#send(client, { cmd: 'pubcomp', messageId: packet.messageId });
      case 'pingreq':
        return this.#send(client, { cmd: 'pingresp' });
      case 'disconnect':
        client.socket.end();
        return;
      default:
        // PUBACK and PUBCOMP from subscribers: nothing is kept in flight here.
        return;
    }
  }

  #subscribeRefusal(client: Client, filter: string): number | null {
    const levels = this.#options.maxTopicLevels;
    if (levels !== undefined && filter.split('/').length > levels) return RC.TOPIC_FILTER_INVALID;
    const acl = defaultAclRefusal(filter, client.username);
    if (acl !== null) {
      this.#count('authorization.deny');
      return acl;
    }
    const quota = this.#options.subscriptionQuota;
    if (quota !== undefined && !client.subscriptions.has(filter) && client.subscriptions.size >= quota) return RC.QUOTA_EXCEEDED;
    return null;
  }

  #onSubscribe(client: Client, packet: ISubscribePacket): void {
    const granted: number[] = [];
    const accepted: string[] = [];
    for (const { topic: filter, qos } of packet.subscriptions) {
      const refusal = this.#subscribeRefusal(client, filter);
      if (refusal !== null) {
        // 3.1.1 has one failure code; MQTT 5 says why.
        granted.push(client.version === 5 ? refusal : RC.UNSPECIFIED_ERROR);
        continue;
      }
      client.subscriptions.set(filter, qos);
      granted.push(qos);
      accepted.push(filter);
    }
    this.#send(client, { cmd: 'suback', messageId: packet.messageId, granted });
    for (const filter of accepted) {
      for (const message of this.#retained.values()) if (topicMatchesFilter(filter, message.topic)) this.#deliver(client, message, filter);
    }
  }

  #onUnsubscribe(client: Client, packet: IUnsubscribePacket): void {
    for (const filter of packet.unsubscriptions) client.subscriptions.delete(filter);
    // One reason code per filter on MQTT 5 (0x00, success); 3.1.1's UNSUBACK has none and mqtt-packet ignores them.
    this.#send(client, { cmd: 'unsuback', messageId: packet.messageId ?? 0, granted: packet.unsubscriptions.map(() => 0) });
  }

  #onPublish(client: Client, packet: IPublishPacket): void {
    this.#count('messages.received');
    const denied = (this.#options.publishDenied ?? []).some((filter) => topicMatchesFilter(filter, packet.topic));
    if (denied) {
      this.#count('authorization.deny');
      this.#count('messages.dropped');
    }
    // 3.1.1 has no way to say no: EMQX acknowledges and drops.
    const reasonCode = denied && client.version === 5 ? RC.NOT_AUTHORIZED : 0;
    if (packet.qos === 1) this.#send(client, { cmd: 'puback', messageId: packet.messageId, ...(client.version === 5 ? { reasonCode } : {}) });
    if (packet.qos === 2) this.#send(client, { cmd: 'pubrec', messageId: packet.messageId, ...(client.version === 5 ? { reasonCode } : {}) });
    if (!denied) this.#route(packet);
  }

  /** Keeps a retained message (an empty one clears it) and delivers to every matching subscription. */
  #route(packet: IPublishPacket): void {
    if (packet.retain) {
      if (packet.payload.length === 0) this.#retained.delete(packet.topic);
      else this.#retained.set(packet.topic, packet);
    }
    for (const client of this.#clients.values()) {
      for (const filter of client.subscriptions.keys()) {
        if (topicMatchesFilter(filter, packet.topic)) {
          // Live messages go out with retain cleared (no Retain As Published here).
          this.#deliver(client, { ...packet, retain: false }, filter);
          break;
        }
      }
    }
  }

  #deliver(client: Client, message: IPublishPacket, filter: string): void {
    const qos = Math.min(message.qos, client.subscriptions.get(filter) ?? 0, 1) as 0 | 1;
    const out: IPublishPacket = {
      cmd: 'publish',
      topic: message.topic,
      payload: message.payload,
      qos,
      retain: message.retain,
      dup: false,
      ...(qos > 0 ? { messageId: this.#nextMessageId(client) } : {}),
      ...(client.version === 5 && message.properties?.messageExpiryInterval !== undefined ? { properties: { messageExpiryInterval: message.properties.messageExpiryInterval } } : {}),
    };
    this.#count('messages.sent');
    this.#send(client, out);
  }

  #nextMessageId(client: Client): number {
    const id = client.nextMessageId;
    client.nextMessageId = id >= 65_535 ? 1 : id + 1;
    return id;
  }

  #dropClient(client: Client, reasonCode: number): void {
    this.#clients.delete(client.clientId);
    if (client.version === 5) this.#send(client, { cmd: 'disconnect', reasonCode });
    client.socket.end();
    this.#count('client.disconnected');
    const reason = reasonCode === RC.SESSION_TAKEN_OVER ? 'takenover' : 'kicked';
    this.#event(client, 'disconnected', { reason, disconnected_at: Date.now() });
  }

  #sysTopic(path: string): string {
    return `$SYS/brokers/${this.nodeName}/${path}`;
  }

  #publishSysMessage(topic: string, payload: string, retain = false): void {
    // EMQX gives retained $SYS messages a message expiry (RETAINED_SYS_MSG_EXPIRY_INTERVAL); not needed here.
    this.#route({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain, dup: false });
  }

  #event(client: Client, event: 'connected' | 'disconnected', extra: Record<string, unknown>): void {
    const payload = {
      clientid: client.clientId,
      username: client.username === '' ? 'undefined' : client.username,
      ipaddress: client.ipAddress,
      sockport: client.socket.localPort,
      protocol: 'mqtt',
      proto_name: 'MQTT',
      proto_ver: client.version,
      connected_at: client.connectedAt,
      ts: Date.now(),
      ...extra,
    };
    this.#publishSysMessage(this.#sysTopic(`clients/${client.clientId}/${event}`), JSON.stringify(payload));
  }

  #publishHeartbeat(): void {
    this.#publishSysMessage(this.#sysTopic('uptime'), String(Date.now() - this.#startedAt));
    this.#publishSysMessage(this.#sysTopic('datetime'), new Date().toISOString());
  }

  #publishInterval(): void {
    this.#publishSysMessage(this.#sysTopic('version'), this.version, true);
    this.#publishSysMessage(this.#sysTopic('sysdescr'), 'EMQX', true);
    this.#publishSysMessage('$SYS/brokers', this.nodeName, true);
    const subscriptions = [...this.#clients.values()].reduce((sum, c) => sum + c.subscriptions.size, 0);
    const topics = new Set([...this.#clients.values()].flatMap((c) => [...c.subscriptions.keys()]));
    const stats: Record<string, number> = {
      connections: this.#clients.size,
      live_connections: this.#clients.size,
      sessions: this.#clients.size,
      subscriptions,
      subscribers: [...this.#clients.values()].filter((c) => c.subscriptions.size > 0).length,
      topics: topics.size,
      routes: topics.size,
      retained: this.#retained.size,
    };
    for (const [name, count] of Object.entries(stats)) {
      const max = Math.max(count, this.#maxima.get(name) ?? 0);
      this.#maxima.set(name, max);
      this.#publishSysMessage(this.#sysTopic(`stats/${name}/count`), String(count));
      this.#publishSysMessage(this.#sysTopic(`stats/${name}/max`), String(max));
    }
    // Counted before these publishes change them; EMQX's names with "." as "/".
    for (const [name, value] of [...this.#metrics]) this.#publishSysMessage(this.#sysTopic(`metrics/${name.replaceAll('.', '/')}`), String(value));
  }

  #count(metric: string, by = 1): void {
    this.#metrics.set(metric, (this.#metrics.get(metric) ?? 0) + by);
  }
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Starts the broker on two free loopback ports (MQTT, MQTT over TLS requiring SNI). */
export async function startEmqxLikeBroker(options: EmqxLikeBrokerOptions = {}): Promise<EmqxLikeBroker> {
  const certs = await generateCertificates();
  const [cert, key] = await Promise.all([readFile(certs.serverCertFile), readFile(certs.serverKeyFile)]);
  let broker: EmqxLikeBrokerImpl | null = null;
  const tcp = createTcpServer((socket) => broker?.accept(socket));
  const tls = createTlsServer({ cert, key }, (socket: TLSSocket) => {
    // Node gives no SNI for an IP host; EMQX Cloud Serverless routes by SNI and closes.
    if (!socket.servername) {
      if (broker) broker.droppedWithoutSni++;
      socket.destroy();
      return;
    }
    broker?.accept(socket);
  });
  // A client that gives up mid-handshake is not the broker's failure.
  tls.on('tlsClientError', () => {});
  const [mqttPort, mqttsPort] = await Promise.all([listen(tcp), listen(tls)]);
  broker = new EmqxLikeBrokerImpl(
    { ports: { mqtt: mqttPort, mqtts: mqttsPort }, caFile: certs.caFile, nodeName: options.nodeName ?? 'emqx@127.0.0.1', version: options.version ?? '5.8.6' },
    [tcp, tls],
    options,
  );
  broker.start();
  return broker;
}
