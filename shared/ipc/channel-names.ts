/**
 * The contract's channel names, and nothing else: no schemas, so no zod. The sandboxed
 * preload bundles everything it imports into one file, and needs only these lists; the
 * schemas stay in main (ipc-contract.ts), where arguments are parsed.
 *
 * Each list is an object checked against the contract's types, so a command or event
 * added to (or removed from) ipc-contract.ts and not here, or the other way round, is a
 * compile error: `satisfies Record<Name, true>` wants every name, and an object literal
 * admits no name outside it. The imports are type-only and vanish from the bundle.
 */
import type { CommandName, EventName } from './ipc-contract';

const commandChannels = {
  'connection:open': true,
  'connection:attach': true,
  'connection:close': true,
  'subscription:add': true,
  'subscription:remove': true,
  'message:publish': true,
  'publish:pick-file': true,
  'replies:response-topic': true,
  'replies:clear': true,
  'publish:repeat-start': true,
  'publish:repeat-stop': true,
  'messages:ack': true,
  'profile:list': true,
  'profile:save': true,
  'profile:duplicate': true,
  'profile:delete': true,
  'profile:export': true,
  'profile:import': true,
  'app:open-external': true,
  'file:pick': true,
  'app:info': true,
  'publish-history:list': true,
  'publish-history:add': true,
  'publish-history:clear': true,
  'settings:get': true,
  'settings:set': true,
  'payload:decode': true,
  'export:save': true,
  'retained:find': true,
  'retained:clear': true,
  'retained:stop': true,
  'recording:start': true,
  'recording:stop': true,
  'replay:list': true,
  'replay:choose': true,
  'replay:start': true,
  'replay:pause': true,
  'replay:resume': true,
  'replay:stop': true,
  'recording:open': true,
  'recording:close': true,
  'recording:upload': true,
} as const satisfies Record<CommandName, true>;

const eventChannels = {
  'connection:status': true,
  'connection:log': true,
  'messages:batch': true,
  'retained:clear-progress': true,
  'replies:batch': true,
  'publish:repeat-progress': true,
  'recording:status': true,
  'replay:status': true,
  'recording:view-status': true,
  'app:menu-command': true,
} as const satisfies Record<EventName, true>;

/** Every command channel (renderer → core), one per contract command. */
export const COMMAND_NAMES: readonly CommandName[] = Object.freeze(Object.keys(commandChannels) as CommandName[]);

/** Every event channel (core → renderer), one per contract event. */
export const EVENT_NAMES: readonly EventName[] = Object.freeze(Object.keys(eventChannels) as EventName[]);
