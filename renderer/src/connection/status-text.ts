/** The status line's words for each state of the connection. Pure, tested in Node. */
import type { AppError } from '../../../shared/ipc/app-error';
import type { ConnectionStatus } from '../../../shared/connection/connection-status';

export function statusText(status: ConnectionStatus, target: string, formError: AppError | null, now: number): string {
  switch (status.state) {
    case 'connecting':
      return `Connecting to ${target}…`;
    case 'connected':
      return `Connected to ${target} (session present: ${status.sessionPresent ? 'yes' : 'no'})`;
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((status.nextAttemptAt - now) / 1000));
      return `Reconnecting to ${target}, attempt ${status.attempt}${seconds > 0 ? ` in ${seconds} s` : ''}: ${status.lastError.message}`;
    }
    case 'disconnected':
      if (status.error) return status.error.message;
      if (formError) return formError.message;
      return 'Disconnected';
  }
}
