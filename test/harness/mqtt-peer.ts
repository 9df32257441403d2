/**
 * "The other client" in integration tests: a bare mqtt.js client that publishes what the
 * app should receive, or records what the app publishes.
 */
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import type { IClientOptions, IClientPublishOptions, IPublishPacket, MqttClient } from 'mqtt';
import type { BrokerInfo } from './mosquitto';
import { waitFor, type WaitForOptions } from './wait-for';

export interface PeerMessage {
  topic: string;
  payload: Buffer;
  packet: IPublishPacket;
}

/** Plain TCP with the broker's user, no silent reconnects: a bare client for tests and benchmarks. */
export function peerClientOptions(broker: BrokerInfo, clientIdPrefix: string): IClientOptions {
  return {
    protocol: 'mqtt',
    host: broker.host,
    port: broker.ports.mqtt,
    username: broker.username,
    password: broker.password,
    clientId: `${clientIdPrefix}${randomBytes(4).toString('hex')}`,
    // A client that silently reconnects would hide a broken setup.
    reconnectPeriod: 0,
    connectTimeout: 10_000,
  };
}

export class MqttPeer {
  readonly client: MqttClient;
  readonly received: PeerMessage[] = [];

  private constructor(client: MqttClient) {
    this.client = client;
    client.on('message', (topic, payload, packet) => this.received.push({ topic, payload, packet }));
  }

  /** Connects over plain TCP with the broker's user unless `options` says otherwise. */
  static async connect(broker: BrokerInfo, options: IClientOptions = {}): Promise<MqttPeer> {
    const client = await mqtt.connectAsync({ ...peerClientOptions(broker, 'peer_'), ...options });
    return new MqttPeer(client);
  }

  async subscribe(filter: string, qos: 0 | 1 | 2 = 0): Promise<void> {
    await this.client.subscribeAsync(filter, { qos });
  }

  /** Resolves once the broker has the message: on PUBACK/PUBCOMP for QoS 1 and 2. */
  async publish(topic: string, payload: string | Buffer, options: IClientPublishOptions = {}): Promise<void> {
    await this.client.publishAsync(topic, payload, options);
  }

  messagesOn(topic: string): PeerMessage[] {
    return this.received.filter((m) => m.topic === topic);
  }

  waitForMessage(topic: string, options?: WaitForOptions): Promise<PeerMessage> {
    return waitFor(`peer message on "${topic}"`, () => this.received.find((m) => m.topic === topic), options);
  }

  async end(): Promise<void> {
    await this.client.endAsync(true);
  }
}
