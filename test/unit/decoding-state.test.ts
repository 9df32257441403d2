import { describe, expect, it } from 'vitest';
import { encode as encodeCbor } from 'cbor-x';
import { DecodingState, type DecodingProfiles } from '../../renderer/src/inspect/decoding-state.svelte';
import { PayloadDecoder } from '../../electron/core/decode/payload-decoder';
import { commandSchemas } from '../../shared/ipc/ipc-contract';
import type { DecodeRule, ProtoFile } from '../../shared/inspect/decode/decode-rules';
import type { ProfileView } from '../../shared/profiles/connection-profile';
import type { ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { nbirth, SENSORS_PROTO } from '../harness/decode-payloads';
import { fakeApi } from './fake-api';

/** `payload:decode` answered by the core's own decoder, as the host does. */
const api = fakeApi({
  'payload:decode': async (args) => {
    const parsed = commandSchemas['payload:decode'].parse(args);
    return { ok: true, value: { results: new PayloadDecoder().decode(parsed.decoder, parsed.protoFiles, parsed.payloads) } };
  },
});

function message(topic: string, payload: Uint8Array, contentType?: string): ReceivedMessage {
  return { topic, payload, payloadSize: payload.byteLength, qos: 0, retain: false, receivedAt: 0, coalesced: 0, ...(contentType ? { properties: { contentType } } : {}) };
}

/** A profile store in memory that records what was saved. */
function profilesWith(profile: ProfileView): DecodingProfiles & { saved: { rules: DecodeRule[]; files: ProtoFile[] }[]; current: ProfileView } {
  const store = {
    current: profile,
    saved: [] as { rules: DecodeRule[]; files: ProtoFile[] }[],
    find: (id: string) => (id === store.current.id ? store.current : undefined),
    saveDecoding: async (p: ProfileView, decodeRules: DecodeRule[], protoFiles: ProtoFile[]) => {
      store.saved.push({ rules: decodeRules, files: protoFiles });
      store.current = { ...p, decodeRules, protoFiles };
      return { ok: true as const, value: store.current };
    },
  };
  return store;
}

const PROFILE = { id: 'p1', name: 'Plant', decodeRules: [], protoFiles: [] } as unknown as ProfileView;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('DecodingState', () => {
  it('puts a rule for exactly the topic first and saves only the rules into the tab profile; Automatic removes it', async () => {
    const profiles = profilesWith({ ...PROFILE, decodeRules: [{ filter: 'plant/#', decoder: { kind: 'json' } }] });
    const decoding = new DecodingState(api, () => 'p1', profiles);
    await decoding.decodeAs('plant/cbor', { kind: 'cbor' });
    expect(profiles.current.decodeRules.map((r) => r.filter)).toEqual(['plant/cbor', 'plant/#']);
    expect(decoding.choice('plant/cbor', null)).toMatchObject({ decoder: { kind: 'cbor' }, reason: 'rule', ruleIndex: 0 });
    expect(decoding.savedIn).toBe('Plant');
    await decoding.decodeAs('plant/cbor', { kind: 'auto' });
    expect(profiles.current.decodeRules.map((r) => r.filter)).toEqual(['plant/#']);
    expect(profiles.saved).toHaveLength(2);
  });

  it('decodes a CBOR payload in the core once its topic is read as CBOR, and Sparkplug topics without a rule', async () => {
    const decoding = new DecodingState(api, () => null);
    const cbor = message('plant/cbor', encodeCbor({ temp: 21.5 }));
    await decoding.decodeAs('plant/cbor', { kind: 'cbor' });
    expect(decoding.result('plant/cbor', cbor)).toBeUndefined();
    await settle();
    await settle();
    expect(decoding.result('plant/cbor', cbor)).toMatchObject({ kind: 'structured', value: { temp: 21.5 } });
    const [birth] = await decoding.decodeSparkplug([nbirth({ bdSeq: 3 })]);
    expect(birth).toMatchObject({ seq: 0 });
  });

  it('leaves the automatic reading to the views, which keep JSON text as received', () => {
    const decoding = new DecodingState(api, () => null);
    expect(decoding.result('plant/json', message('plant/json', new TextEncoder().encode('{"id":12345678901234567891}')))).toBeUndefined();
  });

  it('honours the MQTT 5 content type when no rule says otherwise', () => {
    const decoding = new DecodingState(api, () => null);
    expect(decoding.choice('plant/x', message('plant/x', new Uint8Array([0xa0]), 'application/cbor'))).toMatchObject({ decoder: { kind: 'cbor' }, reason: 'content-type' });
  });

  it('keeps the rules of a tab without a profile while it is open, and refuses a file that cannot be a .proto file', async () => {
    const decoding = new DecodingState(api, () => null);
    await decoding.addProtoFile(SENSORS_PROTO.name, SENSORS_PROTO.source);
    expect(decoding.protoFiles.map((f) => f.name)).toEqual(['sensors.proto']);
    await decoding.addProtoFile('../etc/passwd', 'message X {}');
    expect(decoding.saveError).toMatch(/\.proto file name/);
    expect(decoding.protoFiles.map((f) => f.name)).toEqual(['sensors.proto']);
    expect(decoding.savedIn).toBeNull();
  });
});
