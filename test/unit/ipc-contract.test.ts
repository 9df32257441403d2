import { describe, expect, expectTypeOf, it } from 'vitest';
import * as channelNames from '../../shared/ipc/channel-names';
import {
  COMMAND_NAMES,
  EVENT_NAMES,
  commandSchemas,
  type ConnectionEventName,
  type EventPayloads,
  type WindowEventName,
} from '../../shared/ipc/ipc-contract';

describe('channel names (channel-names.ts)', () => {
  it('are the schemas\' commands, each once, and the contract re-exports the same lists', () => {
    expect(new Set(COMMAND_NAMES).size).toBe(COMMAND_NAMES.length);
    expect([...COMMAND_NAMES].sort()).toEqual(Object.keys(commandSchemas).sort());
    expect(COMMAND_NAMES).toBe(channelNames.COMMAND_NAMES);
    expect(EVENT_NAMES).toBe(channelNames.EVENT_NAMES);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(COMMAND_NAMES)).toBe(true);
    expect(Object.isFrozen(EVENT_NAMES)).toBe(true);
  });

  it('every connection event payload names its connection at the top level, and no window event payload does', () => {
    expectTypeOf<EventPayloads[ConnectionEventName]>().toExtend<{ connectionId: string }>();
    expectTypeOf<EventPayloads[WindowEventName]>().not.toHaveProperty('connectionId');
  });
});

describe('commandSchemas', () => {
  it('lists every command once', () => {
    expect([...COMMAND_NAMES].sort()).toEqual(
      [
        'app:info',
        'app:open-external',
        'export:save',
        'connection:close',
        'connection:attach',
        'connection:open',
        'file:pick',
        'message:publish',
        'messages:ack',
        'payload:decode',
        'profile:delete',
        'profile:duplicate',
        'profile:export',
        'profile:import',
        'profile:list',
        'profile:save',
        'publish:pick-file',
        'publish-history:add',
        'publish-history:clear',
        'publish-history:list',
        'publish:repeat-start',
        'publish:repeat-stop',
        'recording:close',
        'recording:open',
        'recording:start',
        'recording:stop',
        'recording:upload',
        'replies:clear',
        'replies:response-topic',
        'replay:choose',
        'replay:list',
        'replay:pause',
        'replay:resume',
        'replay:start',
        'replay:stop',
        'retained:clear',
        'retained:find',
        'retained:stop',
        'settings:get',
        'settings:set',
        'subscription:add',
        'subscription:remove',
      ].sort(),
    );
    expect(EVENT_NAMES).toEqual(['connection:status', 'connection:log', 'messages:batch', 'retained:clear-progress', 'replies:batch', 'publish:repeat-progress', 'recording:status', 'replay:status', 'recording:view-status', 'app:menu-command']);
  });

  it.each(['a', 'conn-1', 'conn_1', 'A'.repeat(64)])('accepts the connection ID %j', (connectionId) => {
    expect(commandSchemas['connection:close'].safeParse({ connectionId }).success).toBe(true);
  });

  it.each(['', 'A'.repeat(65), 'with space', 'a/b', 'é', '../x'])('refuses the connection ID %j', (connectionId) => {
    expect(commandSchemas['connection:close'].safeParse({ connectionId }).success).toBe(false);
  });

  it('publishes string and binary payloads', () => {
    const base = { connectionId: 'c', topic: 'a/b', qos: 1, retain: true };
    expect(commandSchemas['message:publish'].safeParse({ ...base, payload: 'hello' }).success).toBe(true);
    expect(commandSchemas['message:publish'].safeParse({ ...base, payload: new Uint8Array([0, 1, 255]) }).success).toBe(true);
    expect(commandSchemas['message:publish'].safeParse({ ...base, payload: '' }).success).toBe(true);
    expect(commandSchemas['message:publish'].safeParse({ ...base, payload: 42 }).success).toBe(false);
    expect(commandSchemas['message:publish'].safeParse({ ...base, payload: [1, 2] }).success).toBe(false);
  });

  it('refuses publishing to a wildcard or empty topic and subscribing to an invalid filter', () => {
    const publish = { connectionId: 'c', payload: 'x', qos: 0, retain: false };
    expect(commandSchemas['message:publish'].safeParse({ ...publish, topic: 'a/#' }).success).toBe(false);
    expect(commandSchemas['message:publish'].safeParse({ ...publish, topic: '' }).success).toBe(false);
    expect(commandSchemas['message:publish'].safeParse({ ...publish, topic: '$SYS/x' }).success).toBe(true);
    expect(commandSchemas['subscription:add'].safeParse({ connectionId: 'c', filter: 'a+', qos: 0 }).success).toBe(false);
    expect(commandSchemas['subscription:add'].safeParse({ connectionId: 'c', filter: 'a/+', qos: 2 }).success).toBe(true);
    expect(commandSchemas['subscription:remove'].safeParse({ connectionId: 'c', filter: '#' }).success).toBe(true);
  });

  it('accepts only the three TLS file purposes', () => {
    for (const purpose of ['ca', 'cert', 'key']) expect(commandSchemas['file:pick'].safeParse({ purpose }).success).toBe(true);
    expect(commandSchemas['file:pick'].safeParse({ purpose: 'other' }).success).toBe(false);
  });

  it('decodes 1 to 1,000 payloads of bytes, 32 MiB together, with a valid decoder', () => {
    const decode = commandSchemas['payload:decode'];
    const one = [Uint8Array.of(1)];
    expect(decode.safeParse({ decoder: { kind: 'sparkplug' }, payloads: one }).data?.protoFiles).toEqual([]);
    expect(decode.safeParse({ decoder: { kind: 'auto' }, payloads: Array.from({ length: 1000 }, () => Uint8Array.of(1)) }).success).toBe(true);
    expect(decode.safeParse({ decoder: { kind: 'auto' }, payloads: Array.from({ length: 1001 }, () => Uint8Array.of(1)) }).error?.issues[0]?.message).toBe('At most 1,000 payloads are decoded at once.');
    expect(decode.safeParse({ decoder: { kind: 'auto' }, payloads: [] }).success).toBe(false);
    expect(decode.safeParse({ decoder: { kind: 'auto' }, payloads: ['text'] }).success).toBe(false);
    expect(decode.safeParse({ decoder: { kind: 'auto' }, payloads: [new Uint8Array(20 * 1024 * 1024), new Uint8Array(13 * 1024 * 1024)] }).error?.issues[0]?.message).toContain('more than 32 MiB');
    expect(decode.safeParse({ decoder: { kind: 'protobuf' }, payloads: one }).success).toBe(false);
    expect(decode.safeParse({ decoder: { kind: 'auto' }, protoFiles: [{ name: '/etc/x.proto', source: '' }], payloads: one }).success).toBe(false);
  });
});
