/** Messages as they travel from the connection core to the renderer. */

export type QoS = 0 | 1 | 2;

/** MQTT 5 PUBLISH properties, kept as the broker sent them. */
export interface MessageProperties {
  payloadFormatIndicator?: boolean;
  /** Seconds the message lives on the broker (MQTT 5 message expiry interval). */
  messageExpiryInterval?: number;
  topicAlias?: number;
  responseTopic?: string;
  correlationData?: Uint8Array;
  userProperties?: Record<string, string | string[]>;
  subscriptionIdentifier?: number | number[];
  contentType?: string;
}

export interface ReceivedMessage {
  topic: string;
  /** The payload, cut to `maxPayloadBytes` when larger (see `payloadSize`). */
  payload: Uint8Array;
  /** The payload's size on the wire in bytes; larger than `payload.length` when cut. */
  payloadSize: number;
  qos: QoS;
  retain: boolean;
  /** Milliseconds since the epoch, taken when the message arrived in the core. */
  receivedAt: number;
  properties?: MessageProperties;
  /**
   * How many earlier messages on this topic this one replaces because the core
   * coalesced them under load (0 normally). Counts stay exact: a message stands
   * for `1 + coalesced` received messages.
   */
  coalesced: number;
}

/** One flush of the core's message batcher for one connection. */
export interface MessageBatch {
  connectionId: string;
  messages: ReceivedMessage[];
  /** Messages folded into newer ones on the same topic in this batch. */
  coalesced: number;
  /** Messages whose payload was cut to `maxPayloadBytes` in this batch. */
  truncated: number;
  /** Per connection, 0, 1, 2...; the renderer acknowledges it with `messages:ack`. */
  seq: number;
  /** True when the core coalesced this batch because the renderer had not acknowledged earlier ones. */
  rendererBehind: boolean;
}
