/**
 * The one IPC contract between the renderer and the connection core. Electron's
 * preload and main, the browser-mode host and the renderer all derive their types
 * and channel names from this file; no channel name is written anywhere else.
 *
 * Commands go renderer → core and always resolve to a `Result`; events go core (or,
 * for the desktop menu, main) → renderer. Every command's argument is parsed with its schema in the core before
 * use, whichever transport carried it.
 */
import { z } from 'zod';
import type { Result } from './app-error';
import { connectionConfigSchema, qosSchema, type ConnectionConfig } from '../connection/connection-config';
import {
  MAX_IMPORT_BYTES,
  profileIdSchema,
  profileNameSchema,
  profileSaveSchema,
  type ProfileList,
  type ProfileView,
} from '../profiles/connection-profile';
import type { ConnectionLogEntry, ConnectionStatus } from '../connection/connection-status';
import { utf8ByteLength } from '../inspect/payload-format';
import type { MessageBatch, QoS } from '../mqtt/mqtt-message';
import type { PackedBatch } from './batch-packing';
import { topicFilterProblem, topicNameProblem } from '../mqtt/mqtt-topic';
import type { MenuCommand } from '../shortcuts/shortcut-table';
import { appSettingsSchema, type AppSettings } from '../settings/app-settings';
import { decoderSpecSchema, protoFilesSchema } from '../inspect/decode/decode-rules';
import type { DecodeResult } from '../inspect/decode/decoded-payload';
import { EXPORT_FILE_NAME, MAX_EXPORT_BYTES } from '../export/export-file';
import { clearFilterProblem, firstTopicOutside, MAX_RETAINED_TOPICS, type ClearFailure } from '../retained/clear-retained';
import { publishPropertiesSchema } from '../publish/publish-properties';
import type { RequestReply, ResponseTopicBasis } from '../publish/request-replies';
import { messageDraftSchema } from '../publish/message-draft';
import { MAX_REPEAT_PERIOD_MS, MAX_REPEAT_TIMES, type RepeatProgress } from '../publish/repeat-progress';
import type { RecordingStatus } from '../recording/recording-status';
import type { RecordingViewStatus } from '../recording/recording-view';
import { storedHistoryEntrySchema, type StoredHistoryEntry } from '../publish/publish-history';
import { RECORDING_DOWNLOAD_NAME } from '../recording/recording-file-name';
import { MAX_REPLAY_SPEED, MIN_REPLAY_SPEED, rewriteProblem, type RecordingListing, type ReplayPreview, type ReplayStatus } from '../recording/replay';

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

/** A filter whose retained messages can be cleared: valid, and not a "$" filter (see clearFilterProblem). */
const clearFilterSchema = z.string().superRefine((value, ctx) => {
  const problem = clearFilterProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * The largest publish payload, in bytes (32 MiB), for both transports. MQTT itself
 * allows 256 MiB, but in browser mode the payload must fit in one WebSocket frame, which
 * the wire codec caps at 64 MiB (MAX_FRAME_BYTES in wire-codec.ts): half of that leaves room for
 * the codec's framing, and keeps a publish from holding hundreds of MiB in the host, the
 * page and mqtt.js at once. The desktop app uses the same limit so the two never differ.
 */
export const MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;

/** Most payloads one `payload:decode` call carries: a history's worth, in one round trip. */
export const MAX_DECODE_PAYLOADS = 1_000;
/** Most bytes of payload one `payload:decode` call carries, all payloads together (32 MiB, as one publish). */
export const MAX_DECODE_BATCH_BYTES = 32 * 1024 * 1024;

/**
 * How the window names a recording to read: never by path. `dialog` asks main's open
 * dialog (desktop); `recording` takes one of `replay:list`'s generated names (browser mode).
 */
const recordingSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dialog') }),
  z.object({ kind: z.literal('recording'), name: z.string().regex(RECORDING_DOWNLOAD_NAME, 'Not a recording name this host generated.') }),
]);

export const commandSchemas = {
  /**
   * Opens a connection and resolves once the first CONNACK arrives (or the attempt fails).
   * With `profileId`, secrets the config leaves out are taken from that saved profile,
   * and the profile becomes the last used.
   */
  'connection:open': z.object({ connectionId: connectionIdSchema, config: connectionConfigSchema, profileId: profileIdSchema.optional() }),
  /**
   * A renderer starting (first load or reload) says so, once, before anything else, and
   * learns the connections the core still has open, so it can show them again. Side
   * effect, on purpose: flow control forgets every message batch in flight to earlier
   * renderers (a reloaded page will never acknowledge them; see message-batcher.ts), so
   * held-back messages are sent at once instead of after the core's ack timeout. The
   * renderer listens for `messages:batch` before calling it (the released batches come
   * right after) and acknowledges what it applies from then on; a batch it drops before
   * a tab takes the connection is covered by the next acknowledgement. `connection:attach`
   * is the only way to list the open connections: there is no side-effect-free list,
   * because nothing but a starting renderer needs one.
   */
  'connection:attach': z.object({}),
  /** Disconnects cleanly (DISCONNECT sent) and forgets the connection. */
  'connection:close': z.object({ connectionId: connectionIdSchema }),
  /** Subscribes while connected; resolves with the QoS the broker granted. */
  'subscription:add': z.object({ connectionId: connectionIdSchema, filter: topicFilterSchema, qos: qosSchema }),
  /** Unsubscribes while connected. */
  'subscription:remove': z.object({ connectionId: connectionIdSchema, filter: topicFilterSchema }),
  /**
   * Publishes; resolves when sent (QoS 0) or acknowledged by the broker (QoS 1 and 2).
   * `properties` (MQTT 5 only; refused on a 3.1.1 connection) go out as given; a topic
   * alias beyond the broker's Topic Alias Maximum (from its CONNACK) is refused.
   */
  'message:publish': z.object({
    connectionId: connectionIdSchema,
    topic: topicNameSchema,
    payload: z
      // Typed as plain Uint8Array (any buffer): the form's encoders return views of their own buffers.
      .union([z.string(), z.custom<Uint8Array>((p) => p instanceof Uint8Array, 'The payload must be text or bytes.')])
      .refine(
        (p) => (typeof p === 'string' ? utf8ByteLength(p) : p.byteLength) <= MAX_PAYLOAD_BYTES,
        `The payload is larger than ${MAX_PAYLOAD_BYTES / 1024 / 1024} MiB, the most Topicscope publishes. Nothing was sent.`,
      ),
    qos: qosSchema,
    retain: z.boolean(),
    properties: publishPropertiesSchema.optional(),
    /**
     * Request/response (default false): first subscribe to `properties.responseTopic`
     * unless a granted subscription covers it, then report each message arriving there
     * as a `replies:batch` event, correlated by `properties.correlationData`, until 60 s
     * after the last request. Needs both properties.
     */
    awaitReplies: z.boolean().optional(),
  }).refine(
    ({ awaitReplies, properties }) => !awaitReplies || (properties?.responseTopic !== undefined && properties.correlationData !== undefined),
    { error: 'Waiting for replies needs a response topic and correlation data.', path: ['awaitReplies'] },
  ),
  /**
   * A fresh response topic for this connection: under the broker's Response Information
   * when its CONNACK gave one, else `topicscope/reply/<client id>/<random>`. Connected only.
   */
  'replies:response-topic': z.object({ connectionId: connectionIdSchema }),
  /** Forgets the connection's requests and unsubscribes the response topics the app subscribed to for them. */
  'replies:clear': z.object({ connectionId: connectionIdSchema }),
  /**
   * Opens the OS file dialog in main and reads the chosen file (at most MAX_PAYLOAD_BYTES)
   * to publish as the payload; the window never names a path. Desktop app only: browser
   * mode answers UNSUPPORTED and the page reads the file the user uploads.
   */
  'publish:pick-file': z.object({}),
  /**
   * Publishes the draft every `periodMs` (1 to 86,400,000), `times` times (1 to 100
   * million) or until stopped (null), each message made afresh in the core
   * ({{counter}} from `counterStart`, {{clientId}} as given); `file` (at most
   * MAX_PAYLOAD_BYTES) replaces the payload text. The first message goes at once; a draft
   * that makes no message is refused with nothing sent. At most 16 messages (fewer under
   * the broker's Receive Maximum) wait for their answer; ticks while that many wait are
   * skipped and counted. One repeat per connection (BUSY otherwise); it ends by itself
   * when the connection is lost. Progress comes as `publish:repeat-progress`.
   */
  'publish:repeat-start': z.object({
    connectionId: connectionIdSchema,
    draft: messageDraftSchema,
    file: z
      // Typed as plain Uint8Array (any buffer), as `message:publish`'s payload.
      .custom<Uint8Array>((p) => p instanceof Uint8Array, 'The file must be bytes.')
      .refine((p) => p.byteLength <= MAX_PAYLOAD_BYTES, `The file is larger than ${MAX_PAYLOAD_BYTES / 1024 / 1024} MiB, the most Topicscope publishes. Nothing was sent.`)
      .nullable()
      .default(null),
    clientId: z.string().max(65_535),
    counterStart: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    periodMs: z.number().int().min(1, 'Repeat every (ms) must be at least 1.').max(MAX_REPEAT_PERIOD_MS, `Repeat every (ms) must be at most ${MAX_REPEAT_PERIOD_MS.toLocaleString('en-US')}.`),
    times: z.number().int().min(1).max(MAX_REPEAT_TIMES, `Times must be at most ${MAX_REPEAT_TIMES.toLocaleString('en-US')}.`).nullable(),
  }),
  /** Stops the connection's repeat: nothing more is sent, and it ends once what waits is answered. */
  'publish:repeat-stop': z.object({ connectionId: connectionIdSchema }),
  /**
   * Flow control: the renderer has applied message batch `seq` of this connection, and
   * every earlier one. The core sends at most 3 batches (`maxUnacknowledged`) ahead of
   * the acknowledgements and coalesces per topic while that window is full, marking the
   * next batch `rendererBehind`; after 10 s (`ackTimeoutMs`) without one it stops waiting.
   * The renderer's side: acknowledge every batch, in `seq` order, once it is applied (in
   * the model and painted; acknowledging only the newest of several covers the earlier
   * ones), and keep acknowledging while paused. Acknowledging a batch again is harmless;
   * one the core has not sent is refused (INVALID_INPUT). Batches a renderer lost in a
   * reload are released by `connection:attach`, not by acknowledging them.
   */
  'messages:ack': z.object({ connectionId: connectionIdSchema, seq: z.number().int().min(0) }),
  /** The saved profiles, the secret storage in use, and any store recovery to report. */
  'profile:list': z.object({}),
  /** Creates or overwrites a profile; secrets change only as `secrets` says. */
  'profile:save': profileSaveSchema,
  /** Copies a profile, with its saved secrets, under a new name ("<name> copy"). */
  'profile:duplicate': z.object({ id: profileIdSchema, name: profileNameSchema.optional() }),
  /** Deletes a profile and its secrets. */
  'profile:delete': z.object({ id: profileIdSchema }),
  /** Exports profiles (all when `ids` is empty) as Topicscope JSON; secrets only when asked. */
  'profile:export': z.object({ ids: z.array(profileIdSchema).max(10_000).default([]), includeSecrets: z.boolean().default(false) }),
  /** Imports a Topicscope or MQTTX JSON export given as text; never overwrites existing profiles. */
  'profile:import': z.object({
    text: z.string().refine((text) => utf8ByteLength(text) <= MAX_IMPORT_BYTES, `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB; this is not a profile export.`),
    allowPlainTextSecrets: z.boolean().default(false),
    /** Import the profiles but leave out any passwords the file holds (the user's answer to SECRET_STORAGE_INSECURE). */
    withoutSecrets: z.boolean().default(false),
  }),
  /** Opens an http(s) link in the system browser, through the one checked gateway. */
  'app:open-external': z.object({ url: z.string().max(2_048) }),
  /** Opens the OS file dialog in main for one of the TLS files and returns the chosen path. */
  'file:pick': z.object({ purpose: z.enum(['ca', 'cert', 'key']) }),
  /** Versions and the mode the app runs in. */
  'app:info': z.object({}),
  /** The publish history kept for a profile's connections, newest first (at most 100). */
  'publish-history:list': z.object({ profileId: profileIdSchema }),
  /**
   * Notes a message sent from the form in its profile's history; past 100 entries or
   * 512 Ki characters of payload the oldest go. `kept` is false when its own payload is
   * longer than that (the window's history still shows it).
   */
  'publish-history:add': z.object({ profileId: profileIdSchema, entry: storedHistoryEntrySchema }),
  /** Forgets a profile's publish history. */
  'publish-history:clear': z.object({ profileId: profileIdSchema }),
  /** The user's settings (defaults where none were saved), and a recovery to report once. */
  'settings:get': z.object({}),
  /** Replaces every setting; an invalid value is refused (INVALID_INPUT naming the field) and nothing is written. */
  'settings:set': z.object({ settings: appSettingsSchema }),
  /**
   * Decodes payloads with one decoder in the core, where protobufjs may generate code (the
   * renderer's CSP forbids it): 1 to 1,000 payloads of at most MAX_PAYLOAD_BYTES each and
   * 32 MiB together; `protoFiles` (default none; at most 20 of 1 MiB) are the profile's
   * `.proto` sources for Protobuf, parsed once per set and cached. One result per payload,
   * in order; a payload that does not decode gets `kind: 'error'`, not a failed command.
   */
  'payload:decode': z.object({
    decoder: decoderSpecSchema,
    protoFiles: protoFilesSchema.default([]),
    payloads: z
      .array(
        // Typed as plain Uint8Array (any buffer): received payloads are views the renderer keeps.
        z
          .custom<Uint8Array>((p) => p instanceof Uint8Array, 'A payload must be bytes.')
          .refine((p) => p.byteLength <= MAX_PAYLOAD_BYTES, `A payload is larger than ${MAX_PAYLOAD_BYTES / 1024 / 1024} MiB, the most Topicscope decodes.`),
      )
      .min(1, 'Give at least one payload to decode.')
      .max(MAX_DECODE_PAYLOADS, `At most ${MAX_DECODE_PAYLOADS.toLocaleString('en-US')} payloads are decoded at once.`)
      .refine(
        (payloads) => payloads.reduce((sum, p) => sum + p.byteLength, 0) <= MAX_DECODE_BATCH_BYTES,
        `The payloads add up to more than ${MAX_DECODE_BATCH_BYTES / 1024 / 1024} MiB, the most decoded at once: ask for fewer.`,
      ),
  }),
  /**
   * Saves an exported text file (a chart series, a topic's history, a subtree's last
   * values; at most 32 MiB of UTF-8) under a suggested plain file name ending in ".csv",
   * ".json" or ".jsonl"; the user picks the folder in the save dialog, the window never
   * names a path. The one command that saves what the page made.
   */
  'export:save': z.object({
    fileName: z.string().regex(EXPORT_FILE_NAME, 'The file name is 1 to 100 letters, digits, "_" or "-", then ".csv", ".json" or ".jsonl".'),
    text: z
      .string()
      .refine((text) => utf8ByteLength(text) <= MAX_EXPORT_BYTES, `The file is larger than ${MAX_EXPORT_BYTES / 1024 / 1024} MiB, the most Topicscope saves at once: export fewer topics or messages.`),
  }),
  /**
   * The dry run of a clear: which topics hold a retained message matching `filter` on
   * the broker now, found by a fresh subscription on a short-lived second connection
   * with the same settings (the user's own subscriptions stay as they are). Ends 750 ms
   * after the last retained message (20 s at most); lists at most 100,000 topics.
   */
  'retained:find': z.object({ connectionId: connectionIdSchema, filter: clearFilterSchema }),
  /**
   * Clears the retained messages of `topics` (found by `retained:find` with `filter`;
   * every topic must match it) with an empty retained message each, at QoS 1 with a
   * bounded window of PUBACKs, then asks the broker again which still hold one. Progress
   * comes as `retained:clear-progress` events; `retained:stop` ends it early.
   */
  'retained:clear': z
    .object({
      connectionId: connectionIdSchema,
      filter: clearFilterSchema,
      topics: z
        .array(topicNameSchema)
        .min(1, 'Find the retained messages first: there is nothing to clear.')
        .max(MAX_RETAINED_TOPICS, `At most ${MAX_RETAINED_TOPICS.toLocaleString('en-US')} retained messages are cleared at once.`),
    })
    .superRefine(({ filter, topics }, ctx) => {
      const outside = firstTopicOutside(filter, topics);
      if (outside !== null) ctx.addIssue({ code: 'custom', path: ['topics'], message: `"${outside}" does not match "${filter}": only topics the filter matches are cleared.` });
    }),
  /** Stops the connection's running find or clear; what was cleared stays cleared. */
  'retained:stop': z.object({ connectionId: connectionIdSchema }),
  /**
   * Records the connection's received messages to a file (shared/recording/recording-format.ts),
   * one recording per connection at a time. The window never names the file: the desktop
   * app asks with a save dialog, browser mode writes to its config folder's `recordings/`.
   * `filters` (default none: everything received, `$SYS` included) only narrow; `gzip`
   * (default false) compresses; `maxBytes` (JSON Lines bytes before compression, 1 KiB to
   * 1 TiB) and `maxDurationMs` (1 s to 7 days) stop it, null (default) for no limit.
   * Progress comes as `recording:status` events.
   */
  'recording:start': z.object({
    connectionId: connectionIdSchema,
    filters: z.array(topicFilterSchema).max(100, 'At most 100 filters are recorded at once.').default([]),
    gzip: z.boolean().default(false),
    maxBytes: z.number().int().min(1024, 'The size limit is at least 1 KiB.').max(2 ** 40, 'The size limit is at most 1 TiB.').nullable().default(null),
    maxDurationMs: z.number().int().min(1_000, 'The time limit is at least 1 second.').max(7 * 24 * 3_600_000, 'The time limit is at most 7 days.').nullable().default(null),
  }),
  /** Stops the connection's recording; resolves once the file is complete and closed. */
  'recording:stop': z.object({ connectionId: connectionIdSchema }),
  /** The recordings the host offers by name (browser mode: its `recordings/` folder, newest first), and whether it has an open dialog instead. */
  'replay:list': z.object({}),
  /**
   * Chooses the recording to replay into the connection and reads it once, streaming,
   * for the preview. The window never names a path: `dialog` asks main's open dialog
   * (desktop), `recording` takes one of `replay:list`'s generated names (browser mode).
   * The choice is kept for the connection until `replay:start` or another choice.
   */
  'replay:choose': z.object({
    connectionId: connectionIdSchema,
    source: recordingSourceSchema,
  }),
  /**
   * Replays the chosen recording into the connection (one replay per connection):
   * `speed` 0.5 to 100 (1: the original timing) or 'max' (as fast as the broker takes
   * it), `rewrite` adds a prefix or replaces a leading part of every topic, `retain`
   * 'strip' sends every message unretained. Refused (INVALID_INPUT) when a rewritten
   * topic would be invalid. Progress comes as `replay:status` events.
   */
  'replay:start': z.object({
    connectionId: connectionIdSchema,
    speed: z.union([z.literal('max'), z.number().min(MIN_REPLAY_SPEED, `The speed is at least ${MIN_REPLAY_SPEED}×.`).max(MAX_REPLAY_SPEED, `The speed is at most ${MAX_REPLAY_SPEED}×.`)]),
    rewrite: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('none') }),
        z.object({ kind: z.literal('add'), prefix: z.string().max(1_000) }),
        z.object({ kind: z.literal('replace'), from: z.string().max(1_000), to: z.string().max(1_000) }),
      ])
      .superRefine((rewrite, ctx) => {
        const problem = rewriteProblem(rewrite);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .default({ kind: 'none' }),
    retain: z.enum(['keep', 'strip']).default('keep'),
  }),
  /** Pauses the connection's replay; resume continues with the original gaps from there. */
  'replay:pause': z.object({ connectionId: connectionIdSchema }),
  'replay:resume': z.object({ connectionId: connectionIdSchema }),
  /** Stops the connection's replay; resolves once what was in flight settled. */
  'replay:stop': z.object({ connectionId: connectionIdSchema }),
  /**
   * Opens a recording offline, for a read-only tab: `connectionId` is a new ID the tab
   * chose (not an open connection's). The core reads the file, streaming, and sends its
   * messages as `messages:batch` events for that ID, in file order with their recorded
   * receive times, never coalesced: at most 3 batches wait for `messages:ack`, and after
   * 10 min without one the load stops (the tab went away). Progress comes as
   * `recording:view-status` events. Resolves once loading started; null when the user
   * cancelled the dialog.
   */
  'recording:open': z.object({ connectionId: connectionIdSchema, source: recordingSourceSchema }),
  /**
   * Browser mode: keeps a recording file the page uploads (JSON Lines or gzip, at most
   * MAX_PAYLOAD_BYTES) in the host's recordings folder under a generated name, for
   * `recording:open` or a replay to take by that name. The desktop app opens files with
   * its dialog instead (UNSUPPORTED).
   */
  'recording:upload': z.object({
    bytes: z
      // Typed as plain Uint8Array (any buffer): the page sends the file's bytes as read.
      .custom<Uint8Array>((p) => p instanceof Uint8Array, 'The recording must be bytes.')
      .refine((p) => p.byteLength > 0, 'The file is empty: it holds no recording.')
      .refine(
        (p) => p.byteLength <= MAX_PAYLOAD_BYTES,
        `The file is larger than ${MAX_PAYLOAD_BYTES / 1024 / 1024} MiB, the most browser mode uploads: gzip it (recordings shrink about 15-fold) or open it in the desktop app.`,
      ),
  }),
  /** Stops loading an opened recording (its tab closed); nothing to stop is not an error. */
  'recording:close': z.object({ connectionId: connectionIdSchema }),
} as const;

/** What each command resolves to when it succeeds. */
export interface CommandValues {
  'connection:open': { sessionPresent: boolean };
  'connection:attach': { connections: OpenConnection[] };
  'connection:close': Record<string, never>;
  'subscription:add': { grantedQos: QoS };
  'subscription:remove': Record<string, never>;
  /**
   * `replies` when `awaitReplies` was asked: the response topic listened to, and the
   * user's subscription that already covers it (null: the app subscribed for it).
   */
  'message:publish': { acknowledged: boolean; replies?: { responseTopic: string; coveredBy: string | null } };
  /** `basis`: whether the topic is under the broker's Response Information or made from the client ID. */
  'replies:response-topic': { topic: string; basis: ResponseTopicBasis };
  /** `unsubscribed`: the response topics the app had subscribed to and now left. */
  'replies:clear': { unsubscribed: string[] };
  /** `file` is null when the user cancelled the dialog; `name` is the file's base name only. */
  'publish:pick-file': { file: { name: string; bytes: Uint8Array } | null };
  /** `window`: the most messages this repeat keeps waiting for an answer at once. */
  'publish:repeat-start': { window: number };
  /** `stopped`: a repeat was running and was told to stop. */
  'publish:repeat-stop': { stopped: boolean };
  'messages:ack': Record<string, never>;
  'profile:list': ProfileList;
  'profile:save': { profile: ProfileView };
  'profile:duplicate': { profile: ProfileView };
  'profile:delete': Record<string, never>;
  /**
   * Where there is a save dialog (the desktop app), main asks where to save and writes
   * the file itself, so exported secrets never pass through the window: `savedTo` is the
   * path (null when the user cancelled) and `json` is null. Browser mode has no dialog:
   * `json` is the file's text for the page to download as `fileName`.
   */
  'profile:export': { fileName: string; count: number; savedTo: string | null; json: string | null };
  'profile:import': { format: 'topicscope' | 'mqttx'; imported: ProfileView[]; skipped: { name: string; reason: string }[] };
  /** `opened` is false where there is no system browser to hand to (browser mode). */
  'app:open-external': { opened: boolean };
  /** `path` is null when the user cancelled the dialog. */
  'file:pick': { path: string | null };
  'app:info': { mode: 'electron' | 'browser'; versions: Record<string, string> };
  /**
   * `recovery` is set for the run in which the settings file was found damaged: it was
   * kept at `backupPath` and the defaults loaded; `problem` says what was wrong with it.
   */
  'publish-history:list': { entries: StoredHistoryEntry[] };
  'publish-history:add': { kept: boolean };
  'publish-history:clear': Record<string, never>;
  'settings:get': { settings: AppSettings; recovery: SettingsRecovery | null };
  /** The settings as saved. */
  'settings:set': { settings: AppSettings };
  /** One result per payload, in the order given. */
  'payload:decode': { results: DecodeResult[] };
  /**
   * The desktop app saves through its dialog: `savedTo` is the path (null when the user
   * cancelled), `download` false. Browser mode has no dialog: `download` is true and the
   * page downloads the text it sent as `fileName` (the text is not sent back).
   */
  'export:save': { fileName: string; savedTo: string | null; download: boolean };
  /**
   * `topics` in code point order. `truncated`: more matched than the 100,000 listed.
   * `ended`: 'quiet' (complete), 'time-cap' (the broker kept sending for 20 s: there may
   * be more), 'limit' (truncated) or 'stopped'. `tookMs` from connecting to the end.
   */
  'retained:find': { topics: string[]; truncated: boolean; ended: 'quiet' | 'time-cap' | 'limit' | 'stopped'; tookMs: number };
  /**
   * `cleared`: topics acknowledged and no longer retained. `failures`: topic and reason,
   * refused by the broker or still retained after the check. `notSent`: the last
   * `notSent` topics of the list, never sent (stopped, or the connection ended:
   * `problem` says why). `remaining`: retained messages matching the filter afterwards,
   * any topic (null when not checked: stopped, lost, or the check hit its time cap).
   * `clearMs`: sending until the last PUBACK; `tookMs`: with connecting and the check.
   */
  'retained:clear': {
    cleared: number;
    failures: ClearFailure[];
    notSent: number;
    ended: 'done' | 'stopped' | 'connection-lost';
    problem?: string;
    remaining: number | null;
    clearMs: number;
    tookMs: number;
  };
  /** `stopped`: a find or clear was running and was told to stop. */
  'retained:stop': { stopped: boolean };
  /** The recording as it started; null when the user cancelled the save dialog. */
  'recording:start': { recording: RecordingStatus | null };
  /** The final status: the file is closed (`problem` says if writing failed). */
  'recording:stop': { recording: RecordingStatus };
  /** `dialog`: the host chooses with its open dialog (desktop); `recordings`: names to choose from (browser mode). */
  'replay:list': { dialog: boolean; recordings: RecordingListing[] };
  /** Null when the user cancelled the dialog. */
  'replay:choose': { preview: ReplayPreview | null };
  'replay:start': { replay: ReplayStatus };
  'replay:pause': { replay: ReplayStatus };
  'replay:resume': { replay: ReplayStatus };
  /** The final status. */
  'replay:stop': { replay: ReplayStatus };
  /** The recording as loading starts; null when the user cancelled the dialog. */
  'recording:open': { recording: RecordingViewStatus | null };
  /** `stopped`: it was still loading and was told to stop. */
  'recording:close': { stopped: boolean };
  /** `name`: the generated name it is kept under, as `replay:list` lists it. */
  'recording:upload': { name: string };
}

/** A damaged settings file, kept aside on this start. */
export interface SettingsRecovery {
  /** Where the damaged file was kept, so nothing is lost. */
  backupPath: string;
  /** What was wrong with it, in words for the user ("it is not valid JSON (...)"). */
  problem: string;
}

/** One connection open in the core, as `connection:attach` reports it. */
export interface OpenConnection {
  connectionId: string;
  /** The profile it was opened from, if any. */
  profileId: string | null;
  /** The config without secrets. */
  config: ConnectionConfig;
  status: ConnectionStatus;
}

export type CommandName = keyof typeof commandSchemas;
/**
 * The channel names live in channel-names.ts, type-checked against this file, so the
 * sandboxed preload can import them without the schemas (and zod).
 */
export { COMMAND_NAMES, EVENT_NAMES } from './channel-names';
/** What the renderer may pass (defaults may be left out). */
export type CommandArgs<K extends CommandName> = z.input<(typeof commandSchemas)[K]>;
/** What a handler receives after validation. */
export type ParsedCommandArgs<K extends CommandName> = z.output<(typeof commandSchemas)[K]>;
export type CommandResult<K extends CommandName> = Result<CommandValues[K]>;

/**
 * Events about one connection, from the core to the renderer. Every payload has the
 * same outer shape, `{ connectionId, … }`, so each transport and the renderer route an
 * event to its connection's tab the same way (checked by `EventPayloadsNameTheirConnection`).
 */
export interface ConnectionEventPayloads {
  /** The connection's state changed (connecting, connected, reconnecting, closed…). */
  'connection:status': { connectionId: string; status: ConnectionStatus };
  /** One line for the connection's log (CONNACK, SUBACK, errors, reconnect attempts). */
  'connection:log': { connectionId: string; entry: ConnectionLogEntry };
  /** Messages received, at most one batch per 33 ms per connection; acknowledge each with `messages:ack`. */
  'messages:batch': MessageBatch;
  /** A clear's progress: `done` topics answered (cleared or failed) of `total`; at most 10 a second, and one at the end. */
  'retained:clear-progress': { connectionId: string; done: number; failed: number; total: number };
  /**
   * Messages that arrived on a response topic the app waits on (see `awaitReplies`), at
   * most one batch per 50 ms; `dropped` replies beyond 100 in one batch were not sent.
   */
  'replies:batch': { connectionId: string; replies: RequestReply[]; dropped: number };
  /** A repeat's whole state (see RepeatProgress): at most 4 a second, and one when it ends (`state: 'ended'`). */
  'publish:repeat-progress': RepeatProgress & { connectionId: string };
  /** A recording's progress: at most 4 a second while recording, and at once when it starts stopping and when its file is closed. */
  'recording:status': { connectionId: string; recording: RecordingStatus };
  /** A replay's progress: at most 4 a second while it runs, and at once when it pauses, resumes or stops. */
  'replay:status': { connectionId: string; replay: ReplayStatus };
  /** An opened recording's loading: at most 4 a second while it loads, and at once when it ends. */
  'recording:view-status': { connectionId: string; recording: RecordingViewStatus };
}

/**
 * Events for the window as a whole, about no connection: only the desktop shell sends
 * them, to the window they concern (browser mode has no menu). None names a connection,
 * so nothing routes one to a tab.
 */
export interface WindowEventPayloads {
  /** A desktop menu item was chosen: the window runs the command as its shortcut would. */
  'app:menu-command': { command: MenuCommand };
}

/** Every event, main (or the browser-mode host) → renderer. */
export interface EventPayloads extends ConnectionEventPayloads, WindowEventPayloads {}
export type EventName = keyof EventPayloads;
/** The events the connection core emits (ConnectionRegistry's host). */
export type ConnectionEventName = keyof ConnectionEventPayloads;
export type WindowEventName = keyof WindowEventPayloads;

/** Fails to compile unless every connection event payload carries `connectionId: string` at its top level. */
type EveryPayloadNamesItsConnection<T extends Record<ConnectionEventName, { connectionId: string }>> = T;
export type EventPayloadsNameTheirConnection = EveryPayloadNamesItsConnection<ConnectionEventPayloads>;
/** The window events whose payload carries a `connectionId` (it would look routable to a tab): none. */
type WindowEventsNamingAConnection = { [K in WindowEventName]: WindowEventPayloads[K] extends { connectionId: unknown } ? K : never }[WindowEventName];
/** Fails to compile unless its argument is `never`. */
type NoneOf<T extends never> = T;
export type WindowEventPayloadsNameNoConnection = NoneOf<WindowEventsNamingAConnection>;

/**
 * The API the renderer sees, whichever transport carries it: one method per command,
 * and `on` returning an unsubscribe function.
 */
export type TopicscopeApi = {
  [K in CommandName]: (args: CommandArgs<K>) => Promise<CommandResult<K>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
};

/**
 * Event payloads as a transport carries them: a message batch travels packed in columns
 * (batch-packing.ts), unpacked on the renderer's side before any listener sees it.
 */
export type WireEventPayloads = Omit<EventPayloads, 'messages:batch'> & { 'messages:batch': PackedBatch };

/** The API as Electron's preload exposes it: the same commands, events as the transport carries them. */
export type BridgedApi = Omit<TopicscopeApi, 'on'> & {
  on<E extends EventName>(event: E, listener: (payload: WireEventPayloads[E]) => void): () => void;
};
