import { describe, expect, it } from 'vitest';
import { PayloadDecoding } from '../../renderer/src/inspect/payload-decoding.svelte';
import { PayloadDecoder } from '../../electron/core/decode/payload-decoder';
import type { CommandArgs } from '../../shared/ipc/ipc-contract';
import { commandSchemas } from '../../shared/ipc/ipc-contract';
import type { ProtoFile } from '../../shared/inspect/decode/decode-rules';
import { ddataDoubles, encodeReading, nbirth, SENSORS_PROTO } from '../harness/decode-payloads';
import { fakeApi } from './fake-api';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** A fake API whose `payload:decode` is the core's own decoder, recording each call. */
function decodingApi(options: { fail?: string } = {}) {
  const calls: CommandArgs<'payload:decode'>[] = [];
  const core = new PayloadDecoder();
  const api = fakeApi({
    'payload:decode': async (args) => {
      calls.push(args);
      if (options.fail) return { ok: false, error: { code: 'INVALID_INPUT', message: options.fail } };
      const parsed = commandSchemas['payload:decode'].parse(args);
      return { ok: true, value: { results: core.decode(parsed.decoder, parsed.protoFiles, parsed.payloads) } };
    },
  });
  return { api, calls };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PayloadDecoding', () => {
  it('decodes what the renderer can at once, without asking the core', () => {
    const { api, calls } = decodingApi();
    const decoding = new PayloadDecoding(api);
    const message = { payload: utf8('{"temperature":21.5}') };
    expect(decoding.result(message, { kind: 'auto' })).toEqual({ kind: 'structured', format: 'JSON', value: { temperature: 21.5 } });
    expect(decoding.result(message, { kind: 'text' })).toEqual({ kind: 'text', format: 'Text', text: '{"temperature":21.5}' });
    expect(calls).toEqual([]);
  });

  it('asks the core for Sparkplug B, several payloads in one call, and keeps the answers', async () => {
    const { api, calls } = decodingApi();
    const decoding = new PayloadDecoding(api);
    const messages = [nbirth(), ddataDoubles(20, 1, 1), ddataDoubles(20, 2, 2)].map((payload) => ({ payload }));
    expect(messages.map((m) => decoding.result(m, { kind: 'sparkplug' }))).toEqual([undefined, undefined, undefined]);
    // Asked again before the answer: still one request per payload.
    expect(decoding.result(messages[0]!, { kind: 'sparkplug' })).toBeUndefined();
    await settle();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.payloads).toHaveLength(3);
    expect(decoding.result(messages[1]!, { kind: 'sparkplug' })).toMatchObject({ kind: 'structured', format: 'Sparkplug B', sparkplug: { seq: 1 } });
    decoding.result(messages[2]!, { kind: 'sparkplug' });
    await settle();
    expect(calls).toHaveLength(1);
  });

  it('keeps one answer per decoder, and decodes Protobuf afresh when the .proto files change', async () => {
    const { api, calls } = decodingApi();
    const decoding = new PayloadDecoding(api);
    const message = { payload: encodeReading({ deviceId: 'th-1', value: 2 }) };
    const spec = { kind: 'protobuf', messageType: 'sensors.Reading', protoFile: 'sensors.proto' } as const;
    const files: ProtoFile[] = [SENSORS_PROTO];
    decoding.result(message, spec, files);
    decoding.result(message, { kind: 'cbor' });
    await settle();
    expect(calls.map((c) => c.decoder.kind)).toEqual(['protobuf', 'cbor']);
    expect(calls[0]?.protoFiles).toEqual([SENSORS_PROTO]);
    expect(decoding.result(message, spec, files)).toMatchObject({ kind: 'structured', value: { deviceId: 'th-1', value: 2 } });
    expect(decoding.result(message, { kind: 'cbor' })?.kind).toBe('error');

    const edited: ProtoFile[] = [{ name: 'sensors.proto', source: SENSORS_PROTO.source.replace('string device_id = 1;', 'string device = 1;') }];
    expect(decoding.result(message, spec, edited)).toBeUndefined();
    await settle();
    expect(decoding.result(message, spec, edited)).toMatchObject({ kind: 'structured', value: { device: 'th-1' } });
  });

  it('splits more than 1,000 payloads into several calls', async () => {
    const { api, calls } = decodingApi();
    const decoding = new PayloadDecoding(api);
    for (let i = 0; i < 1_001; i++) decoding.result({ payload: Uint8Array.of(0xf5) }, { kind: 'cbor' });
    await settle();
    expect(calls.map((c) => c.payloads.length)).toEqual([1_000, 1]);
  });

  it('turns a refused call into an error result per payload, asked only once', async () => {
    const { api, calls } = decodingApi({ fail: 'The core refused it.' });
    const decoding = new PayloadDecoding(api);
    const message = { payload: Uint8Array.of(1) };
    decoding.result(message, { kind: 'msgpack' });
    await settle();
    expect(decoding.result(message, { kind: 'msgpack' })).toEqual({ kind: 'error', format: 'msgpack', message: 'The core refused it.' });
    expect(calls).toHaveLength(1);
  });
});
