/**
 * The publish history kept per profile in publish-history.json: found again after a
 * restart, newest first and bounded (100 entries, 512 Ki characters of payload, 32
 * profiles), a damaged file copied aside, a failed write reported with the history
 * unchanged, forgotten with its profile, and reached through the checked commands.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionRegistry } from '../../electron/core/connection/connection-registry';
import { dispatchCommand } from '../../electron/core/ipc/command-dispatch';
import { openProfileFolder } from '../../electron/core/profiles/profile-folder';
import { PlainTextSecretStore } from '../../electron/core/profiles/secret-store';
import { openPublishHistoryFile, PUBLISH_HISTORY_FILE_NAME, PublishHistoryStore } from '../../electron/core/publish/publish-history-store';
import { JsonFileStorage } from '../../electron/core/storage/document-storage';
import { emptyDraft } from '../../shared/publish/message-draft';
import { MAX_HISTORY_ENTRIES, MAX_HISTORY_PROFILES, MAX_STORED_HISTORY_PAYLOAD_CHARS, type StoredHistoryEntry } from '../../shared/publish/publish-history';
import { commandSchemas } from '../../shared/ipc/ipc-contract';
import { FlakyStorage, localConfig, must } from '../support/profile-store-fixtures';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'topicscope-history-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function sent(n: number, payload = `payload ${n}`): StoredHistoryEntry {
  return { draft: { ...emptyDraft(), topic: `plant/line/${n}`, payload }, file: null, time: 1_000 + n, ok: true, outcome: 'Sent (QoS 0 is not acknowledged).' };
}

const topics = (entries: StoredHistoryEntry[]): string[] => entries.map((e) => e.draft.topic);

describe('publish-history.json', () => {
  it('keeps each profile its own history, newest first, for the next start, written without temporary files left', () => {
    const store = openPublishHistoryFile(dir);
    expect(store.list('p1')).toEqual([]);
    expect(existsSync(join(dir, PUBLISH_HISTORY_FILE_NAME))).toBe(false);
    for (const n of [1, 2, 3]) expect(store.add('p1', sent(n))).toEqual({ ok: true, value: { kept: true } });
    store.add('p2', sent(9));
    const reopened = openPublishHistoryFile(dir);
    expect(topics(reopened.list('p1'))).toEqual(['plant/line/3', 'plant/line/2', 'plant/line/1']);
    expect(reopened.list('p1')[0]).toEqual(sent(3));
    expect(topics(reopened.list('p2'))).toEqual(['plant/line/9']);
    expect(readdirSync(dir)).toEqual([PUBLISH_HISTORY_FILE_NAME]);
  });

  it('keeps the last 100 and 512 Ki characters of payload per profile; a longer payload alone is not kept', () => {
    const store = openPublishHistoryFile(dir);
    for (let n = 1; n <= MAX_HISTORY_ENTRIES + 5; n++) store.add('p1', sent(n));
    const kept = openPublishHistoryFile(dir).list('p1');
    expect(kept).toHaveLength(MAX_HISTORY_ENTRIES);
    expect(kept[0]?.draft.topic).toBe(`plant/line/${MAX_HISTORY_ENTRIES + 5}`);
    expect(kept.at(-1)?.draft.topic).toBe('plant/line/6');

    const quarter = 'x'.repeat(MAX_STORED_HISTORY_PAYLOAD_CHARS / 4);
    for (const n of [201, 202, 203, 204, 205]) store.add('p1', sent(n, quarter));
    // Four quarters fill it; the fifth pushed out the first and the short payloads before them.
    expect(topics(store.list('p1'))).toEqual(['plant/line/205', 'plant/line/204', 'plant/line/203', 'plant/line/202']);
    expect(store.add('p1', sent(300, 'x'.repeat(MAX_STORED_HISTORY_PAYLOAD_CHARS + 1)))).toEqual({ ok: true, value: { kept: false } });
    expect(topics(store.list('p1'))[0]).toBe('plant/line/205');
  });

  it('keeps the histories of the 32 profiles used last', () => {
    const store = openPublishHistoryFile(dir);
    for (let p = 0; p <= MAX_HISTORY_PROFILES; p++) store.add(`p${p}`, sent(p));
    const reopened = openPublishHistoryFile(dir);
    expect(reopened.list('p0')).toEqual([]);
    expect(reopened.list('p1')).toHaveLength(1);
    expect(reopened.list(`p${MAX_HISTORY_PROFILES}`)).toHaveLength(1);
  });

  it('copies a damaged file aside and starts empty; leaves out an entry a hand edit broke', () => {
    const file = join(dir, PUBLISH_HISTORY_FILE_NAME);
    writeFileSync(file, '{"version": 1, "profiles": ');
    const store = openPublishHistoryFile(dir, () => Date.UTC(2026, 10, 29, 4, 0, 0));
    expect(store.list('p1')).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([PUBLISH_HISTORY_FILE_NAME, `${PUBLISH_HISTORY_FILE_NAME}.corrupt-2026-11-29T04-00-00.000Z`]);
    store.add('p1', sent(1));

    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { profiles: Record<string, unknown[]> };
    onDisk.profiles['p1']?.push({ draft: { topic: 'no rest' }, time: 5 });
    writeFileSync(file, JSON.stringify(onDisk));
    expect(openPublishHistoryFile(dir).list('p1')).toEqual([sent(1)]);
  });

  it('reports a failed write and keeps the history as it was', () => {
    const storage = new FlakyStorage(new JsonFileStorage(join(dir, PUBLISH_HISTORY_FILE_NAME)));
    const store = PublishHistoryStore.open(storage);
    store.add('p1', sent(1));
    storage.failWrites = true;
    const result = store.add('p1', sent(2));
    expect(result).toMatchObject({ ok: false, error: { code: 'STORE_WRITE_FAILED', message: expect.stringContaining('it is kept in this window only') } });
    expect(store.list('p1')).toEqual([sent(1)]);
    expect(openPublishHistoryFile(dir).list('p1')).toEqual([sent(1)]);
  });
});

describe('the publish-history commands', () => {
  it('are checked, and a deleted profile takes its history with it', async () => {
    const profiles = openProfileFolder(dir, new PlainTextSecretStore(join(dir, 'secrets.json')));
    const registry = new ConnectionRegistry({ emit: () => {}, mode: 'browser', versions: {} }, {}, profiles);
    registry.usePublishHistory(openPublishHistoryFile(dir));
    const profileId = must(profiles.save(commandSchemas['profile:save'].parse({ name: 'Plant', config: localConfig }))).profile.id;

    expect(await dispatchCommand(registry.handlers, 'publish-history:add', { profileId, entry: sent(1) })).toEqual({ ok: true, value: { kept: true } });
    expect(await dispatchCommand(registry.handlers, 'publish-history:list', { profileId })).toEqual({ ok: true, value: { entries: [sent(1)] } });
    const invalid = await dispatchCommand(registry.handlers, 'publish-history:add', { profileId, entry: { ...sent(2), draft: { topic: 'x' } } });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    await dispatchCommand(registry.handlers, 'profile:delete', { id: profileId });
    expect(openPublishHistoryFile(dir).list(profileId)).toEqual([]);
  });
});
