/**
 * `payload:decode` through the real browser-mode host: payloads made by Tahu and
 * protobufjs cross the WebSocket as CBOR byte strings, are decoded in the host's core and
 * come back as results in order; a request past the contract's limits is refused whole.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandValues } from '../../shared/ipc/ipc-contract';
import { ddataDoubles, encodeReading, nbirth, SAMPLE_READING, SENSORS_PROTO } from '../harness/decode-payloads';
import { WebHostProcess, resultValue, type HostClient } from '../harness/web-host-process';

let host: WebHostProcess;
let client: HostClient;

beforeAll(async () => {
  host = await WebHostProcess.start([]);
  client = await host.connect();
});

afterAll(async () => {
  client.close();
  await host.stop();
});

type Decoded = CommandValues['payload:decode'];

describe('payload:decode in browser mode', () => {
  it('decodes a batch of Sparkplug B payloads in order', async () => {
    const result = resultValue<Decoded>(await client.command('payload:decode', { decoder: { kind: 'sparkplug' }, payloads: [nbirth(), ddataDoubles(20, 1, 1), Uint8Array.of(0x12, 0xff)] }));
    expect(result.results.map((r) => r.kind)).toEqual(['structured', 'structured', 'error']);
    const [birth, data, broken] = result.results;
    expect(birth?.kind === 'structured' && birth.sparkplug?.metrics[0]).toMatchObject({ name: 'bdSeq', datatypeName: 'UInt64', value: 7 });
    expect(data?.kind === 'structured' && data.sparkplug?.metrics.map((m) => m.value)).toEqual(Array.from({ length: 20 }, (_, i) => 1 + i));
    expect(broken?.kind === 'error' && broken.message).toMatch(/^Not a Sparkplug B payload: /);
  });

  it('decodes Protobuf with the profile\'s .proto files, and hands back bytes as bytes', async () => {
    const protobuf = resultValue<Decoded>(
      await client.command('payload:decode', {
        decoder: { kind: 'protobuf', messageType: 'sensors.Reading', protoFile: 'sensors.proto' },
        protoFiles: [SENSORS_PROTO],
        payloads: [encodeReading(SAMPLE_READING)],
      }),
    );
    expect(protobuf.results[0]).toMatchObject({ kind: 'structured', format: 'Protobuf sensors.Reading', value: { deviceId: 'th-12', counter: '18446744073709551615', unit: 'CELSIUS' } });

    const inflated = resultValue<Decoded>(await client.command('payload:decode', { decoder: { kind: 'gzip', inner: 'raw' }, payloads: [gzipSync(Uint8Array.of(0, 1, 2))] }));
    expect(inflated.results[0]).toEqual({ kind: 'bytes', format: 'gzip → Bytes', bytes: Uint8Array.of(0, 1, 2) });
  });

  it('refuses more than 1,000 payloads, and an invalid decoder, decoding nothing', async () => {
    const tooMany = await client.command('payload:decode', { decoder: { kind: 'auto' }, payloads: Array.from({ length: 1001 }, () => Uint8Array.of(0x31)) });
    expect(tooMany).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'payloads: At most 1,000 payloads are decoded at once.' } });
    const noType = await client.command('payload:decode', { decoder: { kind: 'protobuf' }, payloads: [Uint8Array.of(1)] });
    expect(noType).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('Protobuf needs the message type') } });
  });
});
