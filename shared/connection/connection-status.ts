/** What the renderer learns about a connection: one small status union and a protocol log. */
import type { AppError } from '../ipc/app-error';

export type ConnectionStatus =
  /** Opening the network connection and waiting for CONNACK (first attempt). */
  | { state: 'connecting' }
  /** CONNACK accepted. `sessionPresent` says the broker resumed a stored session. */
  | { state: 'connected'; since: number; sessionPresent: boolean }
  /** An established connection dropped; `attempt` counts tries since then (1-based). */
  | { state: 'reconnecting'; attempt: number; nextAttemptAt: number; lastError: AppError }
  /** Closed by the user, or given up after an error (`error` set). */
  | { state: 'disconnected'; error?: AppError };

export type ConnectionState = ConnectionStatus['state'];

/** One line of the connection log, like paho's `on_log` but with structure. */
export interface ConnectionLogEntry {
  /** Milliseconds since the epoch. */
  time: number;
  kind: 'connect' | 'connack' | 'suback' | 'unsuback' | 'disconnect' | 'reconnect' | 'error' | 'info';
  text: string;
  /** On 'suback': the granted QoS (0-2) or the refusal's reason code (>= 0x80). */
  reasonCode?: number;
  /** On 'suback' and 'unsuback': the topic filter the broker answered about. */
  filter?: string;
}
