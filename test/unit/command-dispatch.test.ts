import { beforeEach, describe, expect, it } from 'vitest';
import type { CommandHandlers } from '../../electron/core/ipc/command-dispatch';
import { dispatchCommand, isCommandName } from '../../electron/core/ipc/command-dispatch';
import type { AppError, Result } from '../../shared/ipc/app-error';
import { fail, ok } from '../../shared/ipc/app-error';
import { COMMAND_NAMES } from '../../shared/ipc/ipc-contract';

interface Call {
  name: string;
  args: unknown;
}

let calls: Call[];
let handlers: CommandHandlers;

beforeEach(() => {
  calls = [];
  handlers = {
    'connection:open': async (args) => {
      calls.push({ name: 'connection:open', args });
      return ok({ sessionPresent: false });
    },
    'connection:close': async (args) => {
      calls.push({ name: 'connection:close', args });
      return ok({});
    },
    'subscription:add': async (args) => {
      calls.push({ name: 'subscription:add', args });
      return ok({ grantedQos: args.qos });
    },
    'subscription:remove': async (args) => {
      calls.push({ name: 'subscription:remove', args });
      return fail({ code: 'NOT_CONNECTED', message: 'Not connected.' });
    },
    'message:publish': async (args) => {
      calls.push({ name: 'message:publish', args });
      return ok({ acknowledged: args.qos > 0 });
    },
    'file:pick': async () => {
      throw new Error('dialog exploded');
    },
    'publish:pick-file': async () => ok({ file: null }),
    'publish:repeat-start': async () => ok({ window: 16 }),
    'publish:repeat-stop': async () => ok({ stopped: false }),
    'publish-history:list': async () => ok({ entries: [] }),
    'publish-history:add': async () => ok({ kept: true }),
    'publish-history:clear': async () => ok({}),
    'app:info': async (args) => {
      calls.push({ name: 'app:info', args });
      return ok({ mode: 'browser', versions: { node: '20' } });
    },
    'connection:attach': async () => ok({ connections: [] }),
    'messages:ack': async () => ok({}),
    'profile:list': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'profile:save': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'profile:duplicate': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'profile:delete': async () => ok({}),
    'profile:export': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'profile:import': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'app:open-external': async () => ok({ opened: false }),
    'export:save': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'settings:get': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'payload:decode': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'retained:find': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'retained:clear': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'retained:stop': async () => ok({ stopped: false }),
    'replies:response-topic': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'replies:clear': async () => ok({ unsubscribed: [] }),
    'recording:start': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'recording:stop': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'replay:list': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'replay:choose': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'replay:start': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'replay:pause': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'replay:resume': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'replay:stop': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'recording:open': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'recording:close': async () => ok({ stopped: false }),
    'recording:upload': async () => fail({ code: 'UNSUPPORTED', message: 'unused here' }),
    'settings:set': async (args) => {
      calls.push({ name: 'settings:set', args });
      return ok({ settings: args.settings });
    },
  };
});

function expectError(result: Result<unknown>): AppError {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

const validOpen = {
  connectionId: 'conn-1',
  config: { protocol: 'mqtt', host: 'localhost', port: 1883, clientId: 'topicscope_deadbeef' },
};

describe('dispatchCommand: command names', () => {
  it.each(['connection:explode', '', 'toString', '__proto__', 'constructor', 'hasOwnProperty'])(
    'refuses the unknown command %j without calling a handler',
    async (name) => {
      const error = expectError(await dispatchCommand(handlers, name, {}));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toBe(`Unknown command "${name}".`);
      expect(calls).toEqual([]);
    },
  );

  it('refuses non-string names and keeps the message short', async () => {
    expect(expectError(await dispatchCommand(handlers, 42, {})).message).toBe('Unknown command "42".');
    expect(expectError(await dispatchCommand(handlers, undefined, {})).message).toBe('Unknown command "undefined".');
    const long = expectError(await dispatchCommand(handlers, 'x'.repeat(10_000), {}));
    expect(long.message).toBe(`Unknown command "${'x'.repeat(64)}".`);
  });

  it('knows every contract command and nothing else', () => {
    for (const name of COMMAND_NAMES) expect(isCommandName(name)).toBe(true);
    expect(isCommandName('toString')).toBe(false);
    expect(isCommandName(null)).toBe(false);
  });
});

describe('dispatchCommand: argument validation', () => {
  it('passes parsed arguments, with defaults filled, to the handler and returns its result', async () => {
    const result = await dispatchCommand(handlers, 'connection:open', validOpen);
    expect(result).toEqual({ ok: true, value: { sessionPresent: false } });
    expect(calls).toHaveLength(1);
    const args = calls[0]!.args as { connectionId: string; config: { keepaliveSeconds: number; subscriptions: unknown[] } };
    expect(args.connectionId).toBe('conn-1');
    expect(args.config.keepaliveSeconds).toBe(60);
    expect(args.config.subscriptions).toEqual([
      { filter: '#', qos: 0 },
      { filter: '$SYS/#', qos: 0 },
    ]);
  });

  it('returns a handler\'s failure result unchanged', async () => {
    const result = await dispatchCommand(handlers, 'subscription:remove', { connectionId: 'c', filter: 'a/#' });
    expect(result).toEqual({ ok: false, error: { code: 'NOT_CONNECTED', message: 'Not connected.' } });
  });

  it('refuses an invalid QoS naming the field, without calling the handler', async () => {
    const error = expectError(await dispatchCommand(handlers, 'subscription:add', { connectionId: 'c', filter: 'a/#', qos: 3 }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe('qos: QoS must be 0, 1 or 2.');
    expect(calls).toEqual([]);
  });

  it('refuses an invalid filter with the topic rule as message', async () => {
    const error = expectError(await dispatchCommand(handlers, 'subscription:add', { connectionId: 'c', filter: 'a/#/b', qos: 0 }));
    expect(error.message).toBe('filter: In a filter, "#" must be a whole level and the last one (as in "sensors/#").');
  });

  it('names nested config fields without the "config." prefix', async () => {
    const error = expectError(
      await dispatchCommand(handlers, 'connection:open', { ...validOpen, config: { ...validOpen.config, port: 0 } }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe('port: The port must be between 1 and 65535.');
  });

  it('reports cross-field config problems at their field', async () => {
    const error = expectError(
      await dispatchCommand(handlers, 'connection:open', {
        ...validOpen,
        config: { ...validOpen.config, tls: { certFile: '/c.pem' } },
      }),
    );
    expect(error.message).toBe('tls.keyFile: A client certificate needs its private key: set "Client key".');
  });

  it('lists several problems in one message', async () => {
    const error = expectError(
      await dispatchCommand(handlers, 'message:publish', { connectionId: 'bad id!', topic: 'a/+', payload: 'x', qos: 0, retain: false }),
    );
    expect(error.message).toContain('connectionId: A connection ID is 1 to 64 letters, digits, "_" or "-".');
    expect(error.message).toContain('topic: The topic contains "+" or "#"');
  });

  it.each([[undefined], [null], ['a string'], [42], [[]]])('refuses a non-object argument %j', async (raw: unknown) => {
    const error = expectError(await dispatchCommand(handlers, 'connection:close', raw));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message.length).toBeGreaterThan(0);
    expect(calls).toEqual([]);
  });

  it('refuses a setting out of range naming the field as the dialog labels it, without calling the handler', async () => {
    const settings = { theme: 'dark', historyPerTopic: 0, historyBudgetMiB: 128, timeFormat: 'utc', defaultMqttVersion: '5', density: 'compact' };
    const error = expectError(await dispatchCommand(handlers, 'settings:set', { settings }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe('historyPerTopic: Messages kept per topic must be a whole number from 1 to 10000.');
    expect(calls).toEqual([]);
    expect(await dispatchCommand(handlers, 'settings:set', { settings: { ...settings, historyPerTopic: 3 } })).toMatchObject({ ok: true });
  });

  it('names a missing field', async () => {
    const error = expectError(await dispatchCommand(handlers, 'message:publish', { connectionId: 'c', topic: 'a', payload: 'x', qos: 0 }));
    expect(error.message).toMatch(/^retain: /);
  });
});

describe('dispatchCommand: handler failures', () => {
  it('a throwing handler becomes an UNEXPECTED result, not a rejection', async () => {
    const result = await dispatchCommand(handlers, 'file:pick', { purpose: 'ca' });
    expect(result).toEqual({
      ok: false,
      error: { code: 'UNEXPECTED', message: 'The command "file:pick" failed: dialog exploded' },
    });
  });

  it('a handler that throws synchronously also becomes an UNEXPECTED result', async () => {
    handlers['app:info'] = () => {
      throw new Error('sync boom');
    };
    const error = expectError(await dispatchCommand(handlers, 'app:info', {}));
    expect(error.code).toBe('UNEXPECTED');
    expect(error.message).toBe('The command "app:info" failed: sync boom');
  });

  it('a handler rejecting with a non-Error value still gives a readable message', async () => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test: a handler that rejects with a string
    handlers['app:info'] = () => Promise.reject('the dialog is already open');
    const error = expectError(await dispatchCommand(handlers, 'app:info', {}));
    expect(error.code).toBe('UNEXPECTED');
    expect(error.message).toBe('The command "app:info" failed: the dialog is already open');
  });

  it.each([[null], [undefined]])('a handler rejecting with %j still resolves to an UNEXPECTED result', async (reason: unknown) => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test: a handler that rejects with null or undefined
    handlers['app:info'] = () => Promise.reject(reason);
    const result = await dispatchCommand(handlers, 'app:info', {}).catch((error: unknown) => ({ rejected: error }));
    expect(result).toMatchObject({ ok: false, error: { code: 'UNEXPECTED' } });
  });
});
