/**
 * The only place that touches `ipcMain`. Every command channel from the contract is
 * registered through one wrapper that rejects untrusted senders and hands the raw
 * argument to the validating dispatcher.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { fail } from '../../../shared/ipc/app-error';
import { wirePayload } from '../../../shared/ipc/batch-packing';
import { COMMAND_NAMES } from '../../../shared/ipc/channel-names';
import type { EventName, EventPayloads } from '../../../shared/ipc/ipc-contract';
import { dispatchCommand, type CommandHandlers } from '../../core/ipc/command-dispatch';
import { isTrustedRendererUrl } from './trusted-sender';

/** `devServerUrl`: the vetted dev server (see dev-renderer-url.ts), null in a packaged app. */
export function registerCommandHandlers(handlers: CommandHandlers, devServerUrl: string | null): void {
  for (const name of COMMAND_NAMES) {
    ipcMain.handle(name, (event: IpcMainInvokeEvent, rawArgs: unknown) => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (!isTrustedRendererUrl(frameUrl, devServerUrl)) {
        return fail({ code: 'UNTRUSTED_SENDER', message: 'Refused: this command came from a page that is not Topicscope.' });
      }
      return dispatchCommand(handlers, name, rawArgs);
    });
  }
}

/** Sends an event to a window as the transport carries it (a message batch packed: see batch-packing.ts). */
export function sendEvent<E extends EventName>(target: WebContents, event: E, payload: EventPayloads[E]): void {
  if (!target.isDestroyed()) target.send(event, wirePayload(event, payload));
}
