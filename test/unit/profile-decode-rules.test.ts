/**
 * "Decode as" rules and `.proto` files kept in a profile: saved and found again after a
 * restart, kept when a save leaves them out (a rename), refused when a rule reads a file
 * the profile lacks, carried by export and import, absent from profiles saved before they
 * existed, and ignored in an MQTTX import.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandSchemas } from '../../shared/ipc/ipc-contract';
import { MAX_PROTO_FILES, MAX_PROTO_SOURCE_BYTES, type DecodeRule } from '../../shared/inspect/decode/decode-rules';
import { SENSORS_PROTO } from '../harness/decode-payloads';
import { mqttxSample } from '../support/mqttx-sample';
import { localConfig, must, useStoreFixtures } from '../support/profile-store-fixtures';

const fixture = useStoreFixtures();

const rules: DecodeRule[] = [
  { filter: 'plant/+/readings', decoder: { kind: 'protobuf', messageType: 'sensors.Reading', protoFile: 'sensors.proto' } },
  { filter: 'legacy/#', decoder: { kind: 'gzip', inner: 'json' } },
];

const save = (args: Record<string, unknown>) => commandSchemas['profile:save'].parse({ name: 'Plant', config: localConfig, ...args });

describe('decode rules in a profile', () => {
  it('are saved with the profile and found again after a restart', () => {
    const f = fixture();
    const saved = must(f.open().save(save({ decodeRules: rules, protoFiles: [SENSORS_PROTO] }))).profile;
    expect(saved).toMatchObject({ decodeRules: rules, protoFiles: [SENSORS_PROTO] });
    expect(f.open().get(saved.id)).toMatchObject({ decodeRules: rules, protoFiles: [SENSORS_PROTO] });
  });

  it('stay as saved when a save leaves them out, and go when it empties them', () => {
    const f = fixture();
    const store = f.open();
    const saved = must(store.save(save({ decodeRules: rules, protoFiles: [SENSORS_PROTO] }))).profile;
    const renamed = must(store.save(save({ id: saved.id, name: 'Plant 2' }))).profile;
    expect(renamed).toMatchObject({ name: 'Plant 2', decodeRules: rules, protoFiles: [SENSORS_PROTO] });
    const emptied = must(store.save(save({ id: saved.id, decodeRules: [], protoFiles: [] }))).profile;
    expect(emptied).toMatchObject({ decodeRules: [], protoFiles: [] });
    expect(JSON.parse(f.diskText()).profiles[0]).not.toHaveProperty('decodeRules');
  });

  it('refuses a rule that reads a .proto file the profile lacks, saving nothing', () => {
    const f = fixture();
    const store = f.open();
    const refused = store.save(save({ decodeRules: rules }));
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: "Decode rule 1 (plant/+/readings) reads sensors.proto, which is not among the profile's .proto files: add the file or change the rule. Nothing was saved.",
      },
    });
    expect(store.list().profiles).toEqual([]);
  });

  it('are none in a profile saved before they existed', () => {
    const f = fixture();
    const id = must(f.open().save(save({}))).profile.id;
    const onDisk = JSON.parse(readFileSync(f.profilesPath, 'utf8'));
    expect(onDisk.profiles[0]).not.toHaveProperty('decodeRules');
    expect(f.open().get(id)).toMatchObject({ decodeRules: [], protoFiles: [] });
  });

  it('leave out a stored profile whose rules are invalid, keeping the others', () => {
    const f = fixture();
    const store = f.open();
    must(store.save(save({ name: 'Good' })));
    must(store.save(save({ name: 'Bad' })));
    const onDisk = JSON.parse(readFileSync(f.profilesPath, 'utf8'));
    onDisk.profiles[1].decodeRules = [{ filter: 'a/#/b', decoder: { kind: 'json' } }];
    writeFileSync(f.profilesPath, JSON.stringify(onDisk));
    const list = f.open().list();
    expect(list.profiles.map((p) => p.name)).toEqual(['Good']);
    expect(list.recovery?.message ?? list.notices.join(' ')).toContain('Bad');
  });

  it('travel in an export and come back with an import', () => {
    const from = fixture().open();
    must(from.save(save({ decodeRules: rules, protoFiles: [SENSORS_PROTO] })));
    const exported = must(from.export([], false));
    expect(JSON.parse(exported.json).profiles[0]).toMatchObject({ decodeRules: rules, protoFiles: [SENSORS_PROTO] });

    const to = fixture().open();
    const imported = must(to.import(commandSchemas['profile:import'].parse({ text: exported.json }))).imported;
    expect(imported[0]).toMatchObject({ name: 'Plant', decodeRules: rules, protoFiles: [SENSORS_PROTO] });
  });

  it('fill an export up to what import takes, and an export beyond it is refused with what to do', () => {
    // A profile with the most .proto text it may keep: 20 files of 1 MiB.
    const bigProtoFiles = Array.from({ length: MAX_PROTO_FILES }, (_, i) => ({
      name: `big${i}.proto`,
      source: `syntax = "proto3";\n// ${'x'.repeat(MAX_PROTO_SOURCE_BYTES - 40)}\n`,
    }));
    const from = fixture().open();
    const first = must(from.save(save({ name: 'Big 1', protoFiles: bigProtoFiles }))).profile;
    const exported = must(from.export([], false));
    const imported = must(fixture().open().import(commandSchemas['profile:import'].parse({ text: exported.json }))).imported;
    expect(imported[0]?.protoFiles).toHaveLength(MAX_PROTO_FILES);

    must(from.save(save({ name: 'Big 2', protoFiles: bigProtoFiles })));
    const refused = from.export([], false);
    expect(refused).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('export fewer profiles at a time') } });
    expect(must(from.export([first.id], false)).count).toBe(1);
  }, 60_000);

  it('skip an imported entry whose rule reads a missing file, naming why', () => {
    const text = JSON.stringify({
      format: 'topicscope-profiles',
      version: 1,
      exportedAt: '2026-01-01T00:00:00.000Z',
      containsSecrets: false,
      profiles: [
        { name: 'Fine', config: localConfig, randomClientId: true },
        { name: 'Broken', config: localConfig, randomClientId: true, decodeRules: rules },
      ],
    });
    const result = must(fixture().open().import(commandSchemas['profile:import'].parse({ text })));
    expect(result.imported.map((p) => p.name)).toEqual(['Fine']);
    expect(result.skipped).toEqual([{ name: 'Broken', reason: expect.stringContaining('reads sensors.proto, which is not among') }]);
  });

  it('are none for profiles imported from MQTTX', () => {
    const result = must(fixture().open().import(commandSchemas['profile:import'].parse({ text: JSON.stringify(mqttxSample()), withoutSecrets: true })));
    expect(result.imported.length).toBeGreaterThan(0);
    for (const profile of result.imported) expect(profile).toMatchObject({ decodeRules: [], protoFiles: [] });
  });
});
