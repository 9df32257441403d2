/**
 * The options of one broker connection, as a schema: main validates every config the
 * renderer sends with it, and the renderer and tests infer their types from it.
 * Defaults follow what paho-mqtt, MQTT Explorer and MQTTX users expect.
 */
import { z } from 'zod';
import { clientIdProblem } from '../mqtt/client-id';
import { controlCharacterProblem, type InvisibleKinds } from '../mqtt/invisible-characters';
import { topicFilterProblem, topicNameProblem } from '../mqtt/mqtt-topic';
import { proxySchema } from './proxy-config';

export const PROTOCOLS = ['mqtt', 'mqtts', 'ws', 'wss'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MQTT_VERSIONS = ['3.1', '3.1.1', '5'] as const;
export type MqttVersion = (typeof MQTT_VERSIONS)[number];

/** The port each protocol usually listens on, used to prefill the form. */
export const DEFAULT_PORTS: Record<Protocol, number> = { mqtt: 1883, mqtts: 8883, ws: 8083, wss: 8084 };

/**
 * A refinement refusing invisible characters in a field (see controlCharacterProblem);
 * it stops the field's later checks, so a tab is reported once, as what it is.
 */
export function refuseInvisible(fieldLabel: string, kinds: InvisibleKinds = 'all') {
  return (value: string, ctx: z.RefinementCtx<string>): void => {
    const problem = controlCharacterProblem(value, fieldLabel, kinds);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, continue: false });
  };
}

/**
 * Largest CA, certificate or key file accepted, in bytes: 2 MiB. The biggest real PEM
 * files are CA bundles (Mozilla's, as in ca-certificates.crt, is about 220 KB for ~150
 * certificates), so this leaves room for a bundle nine times that size, while a wrong
 * choice (a log, a disk image, /dev/zero) is refused before it costs memory.
 */
export const MAX_PEM_FILE_BYTES = 2 * 1024 * 1024;

export const qosSchema = z.union([z.literal(0), z.literal(1), z.literal(2)], {
  error: 'QoS must be 0, 1 or 2.',
});

const filterSchema = z.string().superRefine((value, ctx) => {
  const problem = topicFilterProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const subscriptionSchema = z.object({
  /** A topic filter; `+` and `#` allowed. */
  filter: filterSchema,
  /** Maximum QoS the broker should grant. */
  qos: qosSchema.default(0),
});
export type Subscription = z.output<typeof subscriptionSchema>;

/** `#` never delivers `$`-topics (spec 4.7.2), so `$SYS/#` is subscribed separately. */
export const DEFAULT_SUBSCRIPTIONS: Subscription[] = [
  { filter: '#', qos: 0 },
  { filter: '$SYS/#', qos: 0 },
];

const willSchema = z.object({
  /** Topic the broker publishes the will on when this client disappears uncleanly. */
  topic: z.string().superRefine((value, ctx) => {
    const problem = topicNameProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `Last will: ${problem}` });
  }),
  /** Will payload as UTF-8 text. */
  payload: z.string().default(''),
  qos: qosSchema.default(0),
  retain: z.boolean().default(false),
});

const tlsSchema = z.object({
  /** Path of a PEM file with one CA certificate or a whole chain. */
  caFile: z.string().trim().superRefine(refuseInvisible('CA file path')).optional(),
  /** `add`: trust the file's CAs and the system's; `replace`: trust only the file's. Default `add`. */
  caMode: z.enum(['add', 'replace']).default('add'),
  /** Path of a PEM client certificate (mutual TLS). */
  certFile: z.string().trim().superRefine(refuseInvisible('client certificate path')).optional(),
  /** Path of the PEM private key for the client certificate. */
  keyFile: z.string().trim().superRefine(refuseInvisible('client key path')).optional(),
  /** Passphrase of an encrypted private key. */
  keyPassphrase: z.string().optional(),
  /** Verify the server certificate against the trusted CAs and the host name. Default on. */
  verifyServerCertificate: z.boolean().default(true),
  /** SNI server name, when it differs from the host (for example behind a load balancer). */
  serverName: z.string().trim().superRefine(refuseInvisible('SNI server name')).optional(),
  /** ALPN protocol names offered in the TLS handshake, in order of preference. */
  alpnProtocols: z.array(z.string().min(1).max(255)).max(16).default([]),
});

const hostSchema = z
  .string()
  .trim()
  .min(1, 'Enter the broker host name or IP address.')
  .max(253, 'The host name is longer than 253 characters.')
  .superRefine(refuseInvisible('host'))
  .refine((h) => !h.includes('://'), 'Enter only the host name: choose the protocol in "Protocol".')
  .refine((h) => !/[\s/]/.test(h), 'The host name contains spaces or "/".');

export const connectionConfigSchema = z
  .object({
    protocol: z.enum(PROTOCOLS),
    host: hostSchema,
    port: z.number().int().min(1, 'The port must be between 1 and 65535.').max(65535, 'The port must be between 1 and 65535.'),
    /** Path of the websocket endpoint (ws and wss only). Default `/mqtt`, as Mosquitto, EMQX and HiveMQ use. */
    websocketPath: z
      .string()
      .superRefine(refuseInvisible('websocket path', 'control'))
      .startsWith('/', 'The websocket path starts with "/".')
      .default('/mqtt'),
    /** Extra HTTP headers for the websocket upgrade request (ws and wss only); no line breaks or other control characters. */
    websocketHeaders: z
      .record(z.string().min(1).superRefine(refuseInvisible('header name', 'control')), z.string().superRefine(refuseInvisible('header value', 'control')))
      .default({}),
    /** `3.1` (MQIsdp), `3.1.1` or `5`. Default 3.1.1, the most widely supported. */
    mqttVersion: z.enum(MQTT_VERSIONS).default('3.1.1'),
    clientId: z.string(),
    username: z.string().superRefine(refuseInvisible('user name')).optional(),
    password: z.string().optional(),
    /** Seconds between PINGREQs when idle; 0 turns keepalive off. Default 60. */
    keepaliveSeconds: z.number().int().min(0).max(65_535).default(60),
    /** Clean session (3.1.1) / clean start (5). Default on. */
    cleanSession: z.boolean().default(true),
    /** MQTT 5 only: seconds the broker keeps the session after disconnect; 0 ends it at once. */
    sessionExpirySeconds: z.number().int().min(0).max(4_294_967_295).optional(),
    /** Milliseconds to wait for CONNACK before giving up. Default 10,000. */
    connectTimeoutMs: z.number().int().min(1_000).max(300_000).default(10_000),
    reconnect: z
      .object({
        /** Reconnect by itself when an established connection drops. Default on. */
        enabled: z.boolean().default(true),
        /** First delay before reconnecting, in ms; doubles each attempt. Default 1,000. */
        initialDelayMs: z.number().int().min(100).max(600_000).default(1_000),
        /** Longest delay between attempts, in ms. Default 30,000. */
        maxDelayMs: z.number().int().min(100).max(3_600_000).default(30_000),
      })
      .default({ enabled: true, initialDelayMs: 1_000, maxDelayMs: 30_000 }),
    will: willSchema.optional(),
    tls: tlsSchema.default({ caMode: 'add', verifyServerCertificate: true, alpnProtocols: [] }),
    subscriptions: z.array(subscriptionSchema).max(1_000).default(DEFAULT_SUBSCRIPTIONS),
    /** A SOCKS5 or HTTP CONNECT proxy to reach the broker through; absent to connect directly. */
    proxy: proxySchema.optional(),
  })
  .superRefine((config, ctx) => {
    const idProblem = clientIdProblem(config.clientId, config.cleanSession);
    if (idProblem) ctx.addIssue({ code: 'custom', path: ['clientId'], message: idProblem });
    if (config.reconnect.maxDelayMs < config.reconnect.initialDelayMs) {
      ctx.addIssue({ code: 'custom', path: ['reconnect', 'maxDelayMs'], message: 'The longest reconnect delay is shorter than the first one.' });
    }
    if (config.tls.keyFile && !config.tls.certFile) {
      ctx.addIssue({ code: 'custom', path: ['tls', 'certFile'], message: 'A client key needs its client certificate: set "Client certificate".' });
    }
    if (config.tls.certFile && !config.tls.keyFile) {
      ctx.addIssue({ code: 'custom', path: ['tls', 'keyFile'], message: 'A client certificate needs its private key: set "Client key".' });
    }
  });

/** What the renderer sends: defaults may be left out. */
export type ConnectionConfigInput = z.input<typeof connectionConfigSchema>;
/** What the core works with: every default filled in. */
export type ConnectionConfig = z.output<typeof connectionConfigSchema>;

export function usesTls(protocol: Protocol): boolean {
  return protocol === 'mqtts' || protocol === 'wss';
}

export function usesWebsocket(protocol: Protocol): boolean {
  return protocol === 'ws' || protocol === 'wss';
}
