/**
 * What an MQTT 5 reason code means to the user: for a refused publish (PUBACK/PUBREC),
 * a refused subscription (SUBACK) and a DISCONNECT from the broker, the likely cause
 * and what to do. The names are mqtt.js's `ReasonCodes` (a unit test keeps them equal;
 * importing mqtt.js here would pull it into the renderer), the explanations are what a
 * name alone does not give. Pure: the core and the renderer use the same texts.
 */

/** "0x87": codes as brokers' documentation and logs print them. */
export function reasonCodeHex(code: number): string {
  return `0x${code.toString(16).padStart(2, '0')}`;
}

/** PUBACK/PUBREC reason codes from 0x80 (MQTT 5, section 3.4.2.1), with their names. */
const PUBLISH_REFUSALS: Readonly<Record<number, { name: string; why: string }>> = {
  0x80: { name: 'Unspecified error', why: 'The broker gave no reason.' },
  0x83: { name: 'Implementation specific error', why: 'The broker refused it for a reason of its own: its log says which.' },
  0x87: { name: 'Not authorized', why: "The broker's ACL does not let this client publish to this topic (EMQX acknowledges the same publish on MQTT 3.1.1 and drops it)." },
  0x90: { name: 'Topic Name invalid', why: 'The broker does not accept this topic name (too many levels, too long, or a prefix it reserves such as $SYS).' },
  0x91: { name: 'Packet identifier in use', why: 'The broker still holds an earlier message with the same packet ID: retry.' },
  0x97: { name: 'Quota exceeded', why: 'The broker limits how much this client may publish (a rate or message quota): wait, or publish less often.' },
  0x99: { name: 'Payload format invalid', why: 'The message says its payload is UTF-8 text, but the broker found it is not.' },
};

/** "Not authorized (0x87): The broker's ACL does not let…": the meaning of a refused publish. */
export function publishRefusalText(code: number): string {
  const known = PUBLISH_REFUSALS[code];
  return known ? `${known.name} (${reasonCodeHex(code)}): ${known.why}` : `reason code ${reasonCodeHex(code)}`;
}

/**
 * SUBACK codes that, on the brokers this app's users meet, mean a limit was reached;
 * EMQX Cloud Serverless documents both limits.
 */
const SUBSCRIPTION_LIMITS: Readonly<Record<number, string>> = {
  0x97: 'Likely the limit on subscriptions per client (EMQX Cloud Serverless allows 10): remove a subscription, or combine filters with + and #.',
  0x8f: 'Likely the limit on levels per topic filter (EMQX Cloud Serverless allows 10): use a filter with fewer levels, ending in #.',
};

/** The limit a SUBACK refusal names, or null when its code is not about one. */
export function subscriptionLimitHint(code: number): string | null {
  return SUBSCRIPTION_LIMITS[code] ?? null;
}

/** DISCONNECT reason codes a broker sends (MQTT 5, section 3.14.2.1), with what usually causes them. */
const DISCONNECT_REASONS: Readonly<Record<number, { name: string; why: string }>> = {
  0x80: { name: 'Unspecified error', why: 'The broker gave no reason.' },
  0x81: { name: 'Malformed Packet', why: 'The broker could not parse a packet this client sent.' },
  0x82: { name: 'Protocol Error', why: 'The broker saw this client break the MQTT protocol.' },
  0x83: { name: 'Implementation specific error', why: 'The broker closed it for a reason of its own: its log says which.' },
  0x87: { name: 'Not authorized', why: 'This client is no longer allowed on the broker (its rights changed, or it did something its ACL forbids).' },
  0x89: { name: 'Server busy', why: 'The broker is overloaded: it will accept the client again later.' },
  0x8b: { name: 'Server shutting down', why: 'The broker is stopping (a restart or an upgrade).' },
  0x8d: { name: 'Keep Alive timeout', why: 'The broker heard nothing from this client within 1.5 times its keep alive.' },
  0x8e: {
    name: 'Session taken over',
    why: 'Another client connected with the same client ID, and a broker keeps only one: give each client its own ID (turn on "random client ID").',
  },
  0x8f: { name: 'Topic Filter invalid', why: 'The broker does not accept a topic filter this client used.' },
  0x90: { name: 'Topic Name invalid', why: 'The broker does not accept a topic this client published to.' },
  0x93: { name: 'Receive Maximum exceeded', why: 'This client sent more unacknowledged QoS 1 and 2 messages than the broker allows.' },
  0x94: { name: 'Topic Alias invalid', why: 'This client used a topic alias the broker did not accept.' },
  0x95: { name: 'Packet too large', why: "A packet this client sent was larger than the broker's maximum packet size: publish smaller payloads." },
  0x96: { name: 'Message rate too high', why: 'This client published faster than the broker allows.' },
  0x97: { name: 'Quota exceeded', why: 'This client went over a quota the broker sets (messages, bytes or subscriptions).' },
  0x98: { name: 'Administrative action', why: "An administrator closed this client's connection (for example, kicked it from the broker's dashboard)." },
  0x99: { name: 'Payload format invalid', why: 'A payload this client marked as UTF-8 text was not.' },
  0x9a: { name: 'Retain not supported', why: 'The broker does not accept retained messages.' },
  0x9b: { name: 'QoS not supported', why: 'This client used a QoS the broker does not support.' },
  0x9c: { name: 'Use another server', why: 'The broker asks this client to connect to another server, for now.' },
  0x9d: { name: 'Server moved', why: 'The broker asks this client to connect to another server from now on.' },
  0x9e: { name: 'Shared Subscriptions not supported', why: 'The broker does not support shared subscriptions ($share/…).' },
  0x9f: { name: 'Connection rate exceeded', why: 'Clients connected to the broker too often: wait before reconnecting.' },
  0xa0: { name: 'Maximum connect time', why: 'The broker limits how long a connection may last.' },
  0xa1: { name: 'Subscription Identifiers not supported', why: 'The broker does not support subscription identifiers.' },
  0xa2: { name: 'Wildcard Subscriptions not supported', why: 'The broker does not accept filters with + or #.' },
};

/**
 * "Session taken over (0x8E): Another client connected…", for a DISCONNECT the broker
 * sent; `serverReference` is the other server a 0x9C or 0x9D names, when it does.
 */
export function disconnectReasonText(code: number, serverReference?: string): string {
  const known = DISCONNECT_REASONS[code];
  const where = serverReference && (code === 0x9c || code === 0x9d) ? ` It names "${serverReference}".` : '';
  return known ? `${known.name} (${reasonCodeHex(code)}): ${known.why}${where}` : `reason code ${reasonCodeHex(code)}`;
}
