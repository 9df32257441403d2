import { describe, expect, it } from 'vitest';
import { statusText } from '../../renderer/src/connection/status-text';
import type { AppError } from '../../shared/ipc/app-error';

const TARGET = 'mqtt://broker.example:1883';
const NOW = 1_700_000_000_000;

const lost: AppError = { code: 'CONNECTION_LOST', message: 'The broker or the network closed the connection.' };
const refused: AppError = { code: 'CONNECTION_REFUSED', message: 'Nothing listens on broker.example:1883.' };
const formError: AppError = { code: 'INVALID_INPUT', message: 'The port must be between 1 and 65535.' };

describe('statusText', () => {
  it('says where it is connecting to', () => {
    expect(statusText({ state: 'connecting' }, TARGET, null, NOW)).toBe('Connecting to mqtt://broker.example:1883…');
  });

  it('says whether the broker resumed a session', () => {
    expect(statusText({ state: 'connected', since: NOW, sessionPresent: true }, TARGET, null, NOW)).toBe(
      'Connected to mqtt://broker.example:1883 (session present: yes)',
    );
    expect(statusText({ state: 'connected', since: NOW, sessionPresent: false }, TARGET, null, NOW)).toBe(
      'Connected to mqtt://broker.example:1883 (session present: no)',
    );
  });

  it('counts down the seconds to the next reconnect attempt, rounding up', () => {
    const status = { state: 'reconnecting', attempt: 3, nextAttemptAt: NOW + 4_200, lastError: lost } as const;
    expect(statusText(status, TARGET, null, NOW)).toBe(
      'Reconnecting to mqtt://broker.example:1883, attempt 3 in 5 s: The broker or the network closed the connection.',
    );
    expect(statusText(status, TARGET, null, NOW + 3_300)).toBe(
      'Reconnecting to mqtt://broker.example:1883, attempt 3 in 1 s: The broker or the network closed the connection.',
    );
  });

  it('drops the countdown once the attempt is due or overdue', () => {
    const status = { state: 'reconnecting', attempt: 1, nextAttemptAt: NOW, lastError: lost } as const;
    const expected = 'Reconnecting to mqtt://broker.example:1883, attempt 1: The broker or the network closed the connection.';
    expect(statusText(status, TARGET, null, NOW)).toBe(expected);
    expect(statusText(status, TARGET, null, NOW + 5_000)).toBe(expected);
  });

  it('shows the error that ended the connection, ahead of a form error', () => {
    expect(statusText({ state: 'disconnected', error: refused }, TARGET, null, NOW)).toBe('Nothing listens on broker.example:1883.');
    expect(statusText({ state: 'disconnected', error: refused }, TARGET, formError, NOW)).toBe('Nothing listens on broker.example:1883.');
  });

  it('shows the form error when disconnected without an error', () => {
    expect(statusText({ state: 'disconnected' }, TARGET, formError, NOW)).toBe('The port must be between 1 and 65535.');
  });

  it('says "Disconnected" otherwise', () => {
    expect(statusText({ state: 'disconnected' }, TARGET, null, NOW)).toBe('Disconnected');
  });
});
