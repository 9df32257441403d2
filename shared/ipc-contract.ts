/**
 * The one IPC contract between the renderer and the connection core. Electron's
 * preload and main, the browser-mode host and the renderer all derive their types
 * and channel names from this file; no channel name is written anywhere else.
 *
 * Commands go renderer → core and always resolve to a `Result`; events go core →
 * renderer. Every command's argument is parsed with its schema in the core before
 * use, whichever transport carried it.
 */
import { z } from 'zod';
import type { Result } from './app-error';
import { connectionConfigSchema, qosSchema } from './connection-config';
import type { ConnectionLogEntry, ConnectionStatus } from './connection-status';
import type { MessageBatch, QoS } from './mqtt-message';
import { topicFilterProblem, topicNameProblem } from './mqtt-topic';

/** Chosen by the renderer so it can route events before `connection:open` returns. */
const connectionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'A connection ID is 1 to 64 letters, digits, "_" or "-".');

const topicNameSchema = z.string().superRefine((value, ctx) => {
  const problem = topicNameProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const topicFilterSchema = z.string().superRefine((value, ctx) => {
  const problem = topicFilterProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** 256 MiB is MQTT's own limit for a packet; a payload can't be larger. */
const MAX_PAYLOAD_BYTES = 268_435_455;

export const commandSchemas = {
  /** Opens a connection and resolves once the first CONNACK arrives (or the attempt fails). */
  'connection:open': z.object({ connectionId: connectionIdSchema, config: connectionConfigSchema }),
  /** Disconnects cleanly (DISCONNECT sent) and forgets the connection. */
  'connection:close': z.object({ connectionId: connectionIdSchema }),
  /** Subscribes while connected; resolves with the QoS the broker granted. */
  'subscription:add': z.object({ connectionId: connectionIdSchema, filter: topicFilterSchema, qos: qosSchema }),
  /** Unsubscribes while connected. */
  'subscription:remove': z.object({ connectionId: connectionIdSchema, filter: topicFilterSchema }),
  /** Publishes; resolves when sent (QoS 0) or acknowledged by the broker (QoS 1 and 2). */
  'message:publish': z.object({
    connectionId: connectionIdSchema,
    topic: topicNameSchema,
    payload: z
      .union([z.string(), z.instanceof(Uint8Array)])
      .refine(
        (p) => (typeof p === 'string' ? new TextEncoder().encode(p).byteLength : p.byteLength) <= MAX_PAYLOAD_BYTES,
        'The payload is larger than MQTT allows (256 MiB).',
      ),
    qos: qosSchema,
    retain: z.boolean(),
  }),
  /** Opens the OS file dialog in main for one of the TLS files and returns the chosen path. */
  'file:pick': z.object({ purpose: z.enum(['ca', 'cert', 'key']) }),
  /** Versions and the mode the app runs in. */
  'app:info': z.object({}),
} as const;

/** What each command resolves to when it succeeds. */
export interface CommandValues {
  'connection:open': { sessionPresent: boolean };
  'connection:close': Record<string, never>;
  'subscription:add': { grantedQos: QoS };
  'subscription:remove': Record<string, never>;
  'message:publish': { acknowledged: boolean };
  /** `path` is null when the user cancelled the dialog. */
  'file:pick': { path: string | null };
  'app:info': { mode: 'electron' | 'browser'; versions: Record<string, string> };
}

export type CommandName = keyof typeof commandSchemas;
export const COMMAND_NAMES = Object.keys(commandSchemas) as CommandName[];
/** What the renderer may pass (defaults may be left out). */
export type CommandArgs<K extends CommandName> = z.input<(typeof commandSchemas)[K]>;
/** What a handler receives after validation. */
export type ParsedCommandArgs<K extends CommandName> = z.output<(typeof commandSchemas)[K]>;
export type CommandResult<K extends CommandName> = Result<CommandValues[K]>;

/** Events from the core to the renderer. */
export interface EventPayloads {
  'connection:status': { connectionId: string; status: ConnectionStatus };
  'connection:log': { connectionId: string; entry: ConnectionLogEntry };
  'messages:batch': MessageBatch;
}
export type EventName = keyof EventPayloads;
export const EVENT_NAMES: readonly EventName[] = ['connection:status', 'connection:log', 'messages:batch'];

/**
 * The API the renderer sees, whichever transport carries it: one method per command,
 * and `on` returning an unsubscribe function.
 */
export type TopicscopeApi = {
  [K in CommandName]: (args: CommandArgs<K>) => Promise<CommandResult<K>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
};
