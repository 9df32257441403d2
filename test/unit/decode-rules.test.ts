import { describe, expect, it } from 'vitest';
import {
  chooseDecoder,
  decodeRulesSchema,
  decoderFor,
  decoderKey,
  decoderSpecSchema,
  protoFilesSchema,
  protoMessageTypes,
  type DecodeRule,
} from '../../shared/inspect/decode/decode-rules';
import { SENSORS_PROTO } from '../harness/decode-payloads';
import { choiceReason } from '../../shared/inspect/decode/decoder-text';

const rules: DecodeRule[] = [
  { filter: 'factory/+/cbor', decoder: { kind: 'cbor' } },
  { filter: 'factory/#', decoder: { kind: 'msgpack' } },
  { filter: 'spBv1.0/plant/DDATA/#', decoder: { kind: 'raw' } },
];

describe('chooseDecoder', () => {
  it('takes the first rule whose filter matches, in list order', () => {
    expect(chooseDecoder('factory/line1/cbor', undefined, rules)).toEqual({ decoder: { kind: 'cbor' }, reason: 'rule', ruleIndex: 0 });
    expect(decoderFor('factory/line1/other', undefined, rules)).toEqual({ kind: 'msgpack' });
    expect(decoderFor('factory', undefined, rules)).toEqual({ kind: 'msgpack' });
  });

  it('prefers a rule to the content type and to the Sparkplug namespace', () => {
    expect(decoderFor('factory/x', 'application/json', rules)).toEqual({ kind: 'msgpack' });
    expect(decoderFor('spBv1.0/plant/DDATA/edge/dev', undefined, rules)).toEqual({ kind: 'raw' });
  });

  it.each([
    ['application/json', { kind: 'json' }],
    ['application/json; charset=utf-8', { kind: 'json' }],
    ['Application/JSON', { kind: 'json' }],
    ['application/ld+json', { kind: 'json' }],
    ['text/plain', { kind: 'text' }],
    ['text/csv; charset=utf-8', { kind: 'text' }],
    ['application/cbor', { kind: 'cbor' }],
    ['application/msgpack', { kind: 'msgpack' }],
    ['application/x-msgpack', { kind: 'msgpack' }],
    ['application/vnd.msgpack', { kind: 'msgpack' }],
    ['application/gzip', { kind: 'gzip' }],
    ['application/octet-stream', { kind: 'raw' }],
  ])('honours the MQTT 5 content type %s', (contentType, decoder) => {
    expect(chooseDecoder('plant/a', contentType, [])).toEqual({ decoder, reason: 'content-type' });
  });

  it('reads Protobuf from the content type when a .proto file defines its message type', () => {
    expect(decoderFor('plant/a', 'application/x-protobuf; messageType=sensors.Reading', [], [SENSORS_PROTO])).toEqual({
      kind: 'protobuf',
      messageType: 'sensors.Reading',
      protoFile: 'sensors.proto',
    });
    expect(decoderFor('plant/a', 'application/protobuf;messageType="sensors.Location"', [], [SENSORS_PROTO])).toMatchObject({ kind: 'protobuf', messageType: 'sensors.Location' });
  });

  it('shows the bytes of Protobuf it has no schema or type for', () => {
    expect(decoderFor('plant/a', 'application/x-protobuf; messageType=sensors.Other', [], [SENSORS_PROTO])).toEqual({ kind: 'raw' });
    expect(decoderFor('plant/a', 'application/x-protobuf; messageType=other.Reading', [], [SENSORS_PROTO])).toEqual({ kind: 'raw' });
    expect(decoderFor('plant/a', 'application/x-protobuf', [], [SENSORS_PROTO])).toEqual({ kind: 'raw' });
    expect(decoderFor('plant/a', 'application/x-protobuf; messageType=sensors.Reading', [], [])).toEqual({ kind: 'raw' });
  });

  it('falls through a content type it does not know', () => {
    expect(chooseDecoder('plant/a', 'image/png', [])).toEqual({ decoder: { kind: 'auto' }, reason: 'auto' });
  });

  it('reads spBv1.0 topics as Sparkplug B, except STATE, which is JSON', () => {
    for (const topic of ['spBv1.0/plant/NBIRTH/edge', 'spBv1.0/plant/DDATA/edge/dev', 'spBv1.0/plant/NCMD/edge']) {
      expect(chooseDecoder(topic, undefined, [])).toEqual({ decoder: { kind: 'sparkplug' }, reason: 'sparkplug-topic' });
    }
    expect(decoderFor('spBv1.0/STATE/host-1', undefined, [])).toEqual({ kind: 'auto' });
    expect(decoderFor('spBv1.0', undefined, [])).toEqual({ kind: 'auto' });
    expect(decoderFor('spAv1.0/plant/DDATA/edge', undefined, [])).toEqual({ kind: 'auto' });
  });

  it('lets the content type of a Sparkplug topic decide when it names one', () => {
    expect(decoderFor('spBv1.0/plant/DDATA/edge', 'application/json', [])).toEqual({ kind: 'json' });
  });
});

describe('decode rule schemas', () => {
  it('accepts rules with valid filters and complete decoders', () => {
    const parsed = decodeRulesSchema.safeParse([
      { filter: 'a/+/b', decoder: { kind: 'protobuf', messageType: 'sensors.Reading', protoFile: 'sensors.proto' } },
      { filter: '#', decoder: { kind: 'gzip', inner: 'json' } },
    ]);
    expect(parsed.success).toBe(true);
  });

  it.each([
    [{ filter: 'a/#/b', decoder: { kind: 'json' } }, 'In a filter, "#" must be a whole level'],
    [{ filter: '', decoder: { kind: 'json' } }, 'The filter is empty'],
    [{ filter: 'a', decoder: { kind: 'protobuf' } }, 'Protobuf needs the message type'],
    [{ filter: 'a', decoder: { kind: 'json', messageType: 'x.Y' } }, 'only go with the Protobuf decoder'],
    [{ filter: 'a', decoder: { kind: 'cbor', inner: 'json' } }, 'only goes with gzip or deflate'],
    [{ filter: 'a', decoder: { kind: 'protobuf', messageType: 'not a type' } }, 'a Protobuf name'],
    [{ filter: 'a', decoder: { kind: 'avro' } }, 'Invalid option'],
    [{ filter: 'a', decoder: { kind: 'protobuf', messageType: 'a.B', protoFile: '../etc/passwd' } }, 'with no folder'],
  ])('refuses %j', (rule, message) => {
    const parsed = decodeRulesSchema.safeParse([rule]);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message).join(' ')).toContain(message);
  });

  it('caps proto files at 20, 1 MiB each, with distinct names', () => {
    const file = (name: string, size = 10) => ({ name, source: 'x'.repeat(size) });
    expect(protoFilesSchema.safeParse(Array.from({ length: 20 }, (_, i) => file(`f${i}.proto`))).success).toBe(true);
    expect(protoFilesSchema.safeParse(Array.from({ length: 21 }, (_, i) => file(`f${i}.proto`))).success).toBe(false);
    expect(protoFilesSchema.safeParse([file('a.proto', 1024 * 1024)]).success).toBe(true);
    expect(protoFilesSchema.safeParse([file('a.proto', 1024 * 1024 + 1)]).success).toBe(false);
    expect(protoFilesSchema.safeParse([file('a.proto'), file('a.proto')]).error?.issues[0]?.message).toContain('Two .proto files are named "a.proto"');
  });
});

describe('decoderKey', () => {
  it('is the same for equal specs whatever their property order, and differs otherwise', () => {
    const a = decoderSpecSchema.parse({ kind: 'protobuf', messageType: 'sensors.Reading', protoFile: 'sensors.proto' });
    const b = decoderSpecSchema.parse({ protoFile: 'sensors.proto', messageType: 'sensors.Reading', kind: 'protobuf' });
    expect(decoderKey(a)).toBe(decoderKey(b));
    expect(decoderKey({ kind: 'gzip', inner: 'json' })).not.toBe(decoderKey({ kind: 'gzip', inner: 'text' }));
    expect(decoderKey({ kind: 'gzip' })).not.toBe(decoderKey({ kind: 'deflate' }));
  });
});

describe('protoMessageTypes and choiceReason (the "Decode as" control)', () => {
  it('suggests the top-level message types of the profile .proto files, package-qualified', () => {
    expect(protoMessageTypes([SENSORS_PROTO, { name: 'bare.proto', source: 'syntax = "proto3";\nmessage Ping {\n  int32 n = 1;\n}\n' }])).toEqual(['Ping', 'sensors.Location', 'sensors.Reading']);
  });

  it('says why a topic is read as it is', () => {
    const rules = [{ filter: 'plant/#', decoder: { kind: 'cbor' as const } }];
    expect(choiceReason(chooseDecoder('plant/a', undefined, rules), 'plant/a', rules, undefined)).toBe('rule for plant/#');
    expect(choiceReason(chooseDecoder('x', 'application/cbor', []), 'x', [], 'application/cbor')).toBe('MQTT 5 content type application/cbor');
    expect(choiceReason(chooseDecoder('spBv1.0/g/NDATA/n', undefined, []), 'spBv1.0/g/NDATA/n', [], undefined)).toBe('Sparkplug B namespace (spBv1.0)');
  });
});
