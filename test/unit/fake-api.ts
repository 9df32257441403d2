/**
 * A TopicscopeApi for renderer state tests: the commands a test gives, every other one
 * fails the test, and events are delivered by `emit`.
 */
import { COMMAND_NAMES, type CommandArgs, type CommandName, type CommandResult, type EventName, type EventPayloads, type TopicscopeApi } from '../../shared/ipc/ipc-contract';

export type CommandHandlers = { [K in CommandName]?: (args: CommandArgs<K>) => Promise<CommandResult<K>> };

export interface FakeApi extends TopicscopeApi {
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
}

export function fakeApi(handlers: CommandHandlers): FakeApi {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const api: Record<string, unknown> = {
    on(event: EventName, listener: (payload: never) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    emit(event: EventName, payload: unknown) {
      for (const listener of listeners.get(event) ?? []) (listener as (p: unknown) => void)(payload);
    },
  };
  for (const name of COMMAND_NAMES) {
    api[name] = handlers[name] ?? (async () => Promise.reject(new Error(`The test did not expect "${name}".`)));
  }
  // Built key by key from COMMAND_NAMES above, which the contract derives from the same table.
  return api as unknown as FakeApi;
}
