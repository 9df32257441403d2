/**
 * Saved publish messages kept in a profile: saved and found again after a restart, kept
 * when a save leaves them out (a rename, a decode rule), refused when invalid (a name
 * twice in a collection, a payload over 1 MiB, over 4 MiB together), carried by export
 * and import, and absent from profiles saved before they existed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandSchemas } from '../../shared/ipc/ipc-contract';
import { emptyDraft, type MessageDraft } from '../../shared/publish/message-draft';
import { groupSaved, MAX_SAVED_PAYLOAD_BYTES, type SavedMessage } from '../../shared/publish/saved-messages';
import { localConfig, must, useStoreFixtures } from '../support/profile-store-fixtures';

const fixture = useStoreFixtures();

function draft(topic: string, payload: string, more: Partial<MessageDraft> = {}): MessageDraft {
  return { ...emptyDraft(), topic, payload, ...more };
}

const saved: SavedMessage[] = [
  {
    name: 'Lamp on',
    collection: 'Lights',
    draft: draft('home/lamp/set', '{"on":true}', {
      format: 'json',
      qos: 1,
      retain: true,
      properties: { ...emptyDraft().properties, contentType: 'application/json', userProperties: [{ name: 'source', value: 'topicscope' }] },
    }),
  },
  { name: 'Ping', collection: '', draft: draft('diag/ping', 'ping') },
];

const save = (args: Record<string, unknown>) => commandSchemas['profile:save'].parse({ name: 'Home', config: localConfig, ...args });

describe('saved messages in a profile', () => {
  it('are saved with the profile and found again after a restart', () => {
    const f = fixture();
    const profile = must(f.open().save(save({ savedMessages: saved }))).profile;
    expect(profile.savedMessages).toEqual(saved);
    expect(f.open().get(profile.id)?.savedMessages).toEqual(saved);
  });

  it('stay as saved when a save leaves them out, and go when it empties them', () => {
    const f = fixture();
    const store = f.open();
    const profile = must(store.save(save({ savedMessages: saved }))).profile;
    const renamed = must(store.save(save({ id: profile.id, name: 'Home 2', decodeRules: [] }))).profile;
    expect(renamed).toMatchObject({ name: 'Home 2', savedMessages: saved });
    const emptied = must(store.save(save({ id: profile.id, savedMessages: [] }))).profile;
    expect(emptied.savedMessages).toEqual([]);
    expect(JSON.parse(f.diskText()).profiles[0]).not.toHaveProperty('savedMessages');
  });

  it('are refused when a name is taken twice in one collection (ignoring case), a payload is over 1 MiB, or all take over 4 MiB', () => {
    const twice = commandSchemas['profile:save'].safeParse({ name: 'Home', config: localConfig, savedMessages: [...saved, { name: 'lamp ON', collection: 'Lights', draft: draft('x', '') }] });
    expect(twice.success).toBe(false);
    expect(twice.error?.issues[0]?.message).toBe('Two saved messages in "Lights" are named "lamp ON": give each its own name.');
    // The same name in another collection is fine.
    expect(commandSchemas['profile:save'].safeParse({ name: 'Home', config: localConfig, savedMessages: [...saved, { name: 'Lamp on', collection: '', draft: draft('x', '') }] }).success).toBe(true);

    const big = commandSchemas['profile:save'].safeParse({ name: 'Home', config: localConfig, savedMessages: [{ name: 'Big', collection: '', draft: draft('x', 'é'.repeat(MAX_SAVED_PAYLOAD_BYTES / 2 + 1)) }] });
    expect(big.error?.issues[0]?.message).toBe("A saved message's payload is at most 1 MiB.");

    const many = Array.from({ length: 5 }, (_, i) => ({ name: `Big ${i}`, collection: '', draft: draft('x', 'y'.repeat(MAX_SAVED_PAYLOAD_BYTES - 100)) }));
    const tooMuch = commandSchemas['profile:save'].safeParse({ name: 'Home', config: localConfig, savedMessages: many });
    expect(tooMuch.error?.issues[0]?.message).toMatch(/^A profile's saved messages take at most 4 MiB together \(these take 5\.0 MiB\)/);
  });

  it('leave out a stored profile whose saved messages are invalid, keeping the others', () => {
    const f = fixture();
    const store = f.open();
    must(store.save(save({ name: 'Good', savedMessages: saved })));
    must(store.save(save({ name: 'Bad' })));
    const onDisk = JSON.parse(readFileSync(f.profilesPath, 'utf8'));
    onDisk.profiles[1].savedMessages = [{ name: 'No draft', collection: '' }];
    writeFileSync(f.profilesPath, JSON.stringify(onDisk));
    const list = f.open().list();
    expect(list.profiles.map((p) => [p.name, p.savedMessages.length])).toEqual([['Good', 2]]);
    expect(list.recovery?.message ?? list.notices.join(' ')).toContain('Bad');
  });

  it('are none in a profile saved before they existed', () => {
    const f = fixture();
    const id = must(f.open().save(save({}))).profile.id;
    expect(JSON.parse(readFileSync(f.profilesPath, 'utf8')).profiles[0]).not.toHaveProperty('savedMessages');
    expect(f.open().get(id)?.savedMessages).toEqual([]);
  });

  it('travel in an export and come back with an import', () => {
    const from = fixture().open();
    must(from.save(save({ savedMessages: saved })));
    const exported = must(from.export([], false));
    expect(JSON.parse(exported.json).profiles[0].savedMessages).toEqual(saved);

    const to = fixture().open();
    const imported = must(to.import(commandSchemas['profile:import'].parse({ text: exported.json }))).imported;
    expect(imported[0]).toMatchObject({ name: 'Home', savedMessages: saved });
  });

  it('skip an imported entry whose saved messages are invalid, naming why', () => {
    const text = JSON.stringify({
      format: 'topicscope-profiles',
      version: 1,
      exportedAt: '2026-01-01T00:00:00.000Z',
      containsSecrets: false,
      profiles: [
        { name: 'Fine', config: localConfig, randomClientId: true },
        { name: 'Broken', config: localConfig, randomClientId: true, savedMessages: [{ name: '', collection: '', draft: draft('a', 'b') }] },
      ],
    });
    const result = must(fixture().open().import(commandSchemas['profile:import'].parse({ text })));
    expect(result.imported.map((p) => [p.name, p.savedMessages])).toEqual([['Fine', []]]);
    expect(result.skipped).toEqual([{ name: 'Broken', reason: expect.stringContaining('A saved message needs a name.') }]);
  });
});

describe('the saved-message list', () => {
  it('groups by collection, names sorted, "Unsorted" last, and a search matches name, collection or topic', () => {
    const more: SavedMessage[] = [...saved, { name: 'all off', collection: 'Lights', draft: draft('home/all/set', 'off') }, { name: 'Door', collection: 'Alarm', draft: draft('home/door', '1') }];
    expect(groupSaved(more, '').map((g) => [g.label, g.messages.map((m) => m.name)])).toEqual([
      ['Alarm', ['Door']],
      ['Lights', ['all off', 'Lamp on']],
      ['Unsorted', ['Ping']],
    ]);
    expect(groupSaved(more, 'LAMP').map((g) => [g.label, g.messages.map((m) => m.name)])).toEqual([['Lights', ['Lamp on']]]);
    expect(groupSaved(more, 'diag/').map((g) => g.messages.map((m) => m.name))).toEqual([['Ping']]);
    expect(groupSaved(more, 'alarm').map((g) => g.messages.map((m) => m.name))).toEqual([['Door']]);
  });
});

describe('the caps', () => {
  it('keep the export of a profile holding the most .proto text and saved messages it may keep importable', async () => {
    const { MAX_PROTO_FILES, MAX_PROTO_SOURCE_BYTES } = await import('../../shared/inspect/decode/decode-rules');
    const protoFiles = Array.from({ length: MAX_PROTO_FILES }, (_, i) => ({ name: `big${i}.proto`, source: `syntax = "proto3";\n// ${'x'.repeat(MAX_PROTO_SOURCE_BYTES - 40)}\n` }));
    // Quotes double when written as JSON: the 4 MiB cap is measured as written.
    const savedMessages = Array.from({ length: 4 }, (_, i) => ({ name: `Big ${i}`, collection: '', draft: draft('x', '"'.repeat(MAX_SAVED_PAYLOAD_BYTES / 2 - 200)) }));
    const from = fixture().open();
    must(from.save(save({ protoFiles, savedMessages })));
    const exported = must(from.export([], false));
    const imported = must(fixture().open().import(commandSchemas['profile:import'].parse({ text: exported.json }))).imported;
    expect(imported[0]?.savedMessages).toHaveLength(4);
  }, 60_000);
});
