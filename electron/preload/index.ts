/**
 * The whole bridge between the sandboxed renderer and main: one method per contract
 * command, each bound to its own channel, and `on` for the contract's events only.
 * `ipcRenderer` itself never reaches the page.
 *
 * Only channel-names.ts is imported at run time (the contract's schemas, and zod with
 * them, stay in main): a sandboxed preload is one bundle, and what it does not need is
 * code the page's process loads for nothing.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { BridgedApi, EventName, WireEventPayloads } from '../../shared/ipc/ipc-contract';
import { COMMAND_NAMES, EVENT_NAMES } from '../../shared/ipc/channel-names';

const commands = Object.fromEntries(
  COMMAND_NAMES.map((name) => [name, (args: unknown) => ipcRenderer.invoke(name, args)]),
);

// Payloads are passed on as main sent them: a message batch stays packed until the page
// unpacks it (topicscope-api.ts), so the context bridge copies a few arrays, not an object per message.
function on<E extends EventName>(event: E, listener: (payload: WireEventPayloads[E]) => void): () => void {
  if (!EVENT_NAMES.includes(event)) throw new Error(`Unknown event "${event}".`);
  const forward = (_event: IpcRendererEvent, payload: WireEventPayloads[E]) => listener(payload);
  ipcRenderer.on(event, forward);
  return () => {
    ipcRenderer.removeListener(event, forward);
  };
}

// Built key by key from COMMAND_NAMES, which channel-names.ts checks against the contract.
const api = { ...commands, on } as BridgedApi;
contextBridge.exposeInMainWorld('topicscope', api);
