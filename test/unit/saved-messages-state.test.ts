/**
 * A tab's saved messages and publish history as the form uses them, over the real core:
 * the window's ProfilesState and a registry with a profile store and a history file in
 * a temporary folder, reached through the checked commands as the renderer reaches them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionRegistry } from '../../electron/core/connection/connection-registry';
import { dispatchCommand } from '../../electron/core/ipc/command-dispatch';
import { openProfileFolder } from '../../electron/core/profiles/profile-folder';
import { PlainTextSecretStore } from '../../electron/core/profiles/secret-store';
import { openPublishHistoryFile } from '../../electron/core/publish/publish-history-store';
import { COMMAND_NAMES, type TopicscopeApi } from '../../shared/ipc/ipc-contract';
import { emptyDraft, type MessageDraft } from '../../shared/publish/message-draft';
import { MAX_SAVED_PAYLOAD_BYTES } from '../../shared/publish/saved-messages';
import { ProfilesState } from '../../renderer/src/profiles/profiles-state.svelte';
import { NEEDS_PROFILE, SavedMessagesState, type DraftHolder } from '../../renderer/src/publish/saved/saved-messages-state.svelte';
import { PublishHistory } from '../../renderer/src/publish/saved/publish-history.svelte';
import { localConfig } from '../support/profile-store-fixtures';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'topicscope-saved-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The renderer's API over a real core in `dir`, each call parsed as the host parses it. */
function coreApi(): TopicscopeApi {
  const registry = new ConnectionRegistry({ emit: () => {}, mode: 'browser', versions: {} }, {}, openProfileFolder(dir, new PlainTextSecretStore(join(dir, 'secrets.json'))));
  registry.usePublishHistory(openPublishHistoryFile(dir));
  const api: Record<string, unknown> = { on: () => () => {} };
  for (const name of COMMAND_NAMES) api[name] = (args: unknown) => dispatchCommand(registry.handlers, name, args);
  // Built key by key from COMMAND_NAMES, as the preload does.
  return api as unknown as TopicscopeApi;
}

/** The publish form as saving needs it: a draft, and a file when one is chosen. */
function formWith(draft: MessageDraft): DraftHolder & { draft: MessageDraft; file: { name: string } | null } {
  const form = {
    draft,
    file: null as { name: string } | null,
    snapshot: () => structuredClone(form.draft),
    loadDraft: (d: MessageDraft) => (form.draft = structuredClone(d)),
  };
  return form;
}

async function savedProfile(api: TopicscopeApi): Promise<{ profiles: ProfilesState; id: string }> {
  const profiles = new ProfilesState(api);
  await profiles.load();
  const saved = await profiles.save({ name: 'Plant', config: localConfig });
  if (!saved.ok) throw new Error(saved.error.message);
  return { profiles, id: saved.value.id };
}

const lamp: MessageDraft = { ...emptyDraft(), topic: 'home/lamp/set', payload: '{"on":true}', format: 'json', qos: 1, retain: true };

describe('saved messages of a tab', () => {
  it('says a tab without a profile has nowhere to keep them', async () => {
    const state = new SavedMessagesState(() => null, null, formWith(lamp));
    expect(state.canSave()).toBe(false);
    expect(await state.save('Lamp', '')).toBe('failed');
    expect(state.status).toEqual({ ok: false, text: NEEDS_PROFILE });
  });

  it('saves into the profile, asks before replacing, renames, deletes with Undo, and recalls into the form', async () => {
    const api = coreApi();
    const { profiles, id } = await savedProfile(api);
    const form = formWith(lamp);
    const state = new SavedMessagesState(() => id, profiles, form);

    expect(await state.save(' Lamp on ', 'Lights')).toBe('saved');
    expect(state.status).toEqual({ ok: true, text: 'Saved "Lamp on" in "Lights".' });
    form.draft = { ...lamp, payload: '{"on":false}' };
    expect(await state.save('LAMP ON', 'Lights')).toBe('exists');
    expect(state.status?.text).toBe('A message named "Lamp on" is already saved in "Lights".');
    expect(await state.save('LAMP ON', 'Lights', true)).toBe('saved');
    form.file = { name: 'frame.bin' };
    expect(await state.save('Off', '')).toBe('saved');
    expect(state.status?.text).toBe('Saved "Off" in Unsorted with the payload text, not the file "frame.bin": files are not saved.');

    // What the core keeps, read again as a new window would.
    const reread = new ProfilesState(api);
    await reread.load();
    expect(reread.find(id)?.savedMessages.map((m) => [m.collection, m.name, m.draft.payload])).toEqual([
      ['Lights', 'LAMP ON', '{"on":false}'],
      ['', 'Off', '{"on":false}'],
    ]);

    const off = state.messages.find((m) => m.name === 'Off');
    if (!off) throw new Error('Off was not saved');
    expect(await state.rename(off, 'lamp on')).toBe(true);
    const renamed = state.messages.find((m) => m.name === 'lamp on' && m.collection === '');
    if (!renamed) throw new Error('not renamed');
    await state.delete(renamed);
    expect(state.messages).toHaveLength(1);
    expect(state.deleted?.name).toBe('lamp on');
    await state.undoDelete();
    expect(state.messages.map((m) => m.name)).toEqual(['LAMP ON', 'lamp on']);

    const first = state.messages[0];
    if (!first) throw new Error('missing');
    form.draft = emptyDraft();
    state.recall(first);
    expect(form.draft).toEqual({ ...lamp, payload: '{"on":false}' });
  });

  it('refuses a payload over 1 MiB with the reason, saving nothing', async () => {
    const { profiles, id } = await savedProfile(coreApi());
    const state = new SavedMessagesState(() => id, profiles, formWith({ ...lamp, payload: 'x'.repeat(MAX_SAVED_PAYLOAD_BYTES + 1) }));
    expect(await state.save('Big', '')).toBe('failed');
    expect(state.status).toEqual({ ok: false, text: "Not saved: A saved message's payload is at most 1 MiB." });
    expect(profiles.find(id)?.savedMessages).toEqual([]);
  });
});

describe('the publish history of a tab', () => {
  const sent = (topic: string) => ({ draft: { ...emptyDraft(), topic, payload: topic }, file: null, time: 1, ok: true, outcome: 'Sent.' });

  it("of a profile's connection is kept by the core and found by the next tab; a tab without one keeps its own", async () => {
    const api = coreApi();
    const { id } = await savedProfile(api);
    const first = new PublishHistory(api, () => id);
    await first.add(sent('a/1'));
    await first.add(sent('a/2'));
    expect(first.entries.map((e) => e.draft.topic)).toEqual(['a/2', 'a/1']);

    const next = new PublishHistory(api, () => id);
    await next.follow();
    expect(next.entries.map((e) => e.draft.topic)).toEqual(['a/2', 'a/1']);
    next.query = 'A/1';
    expect(next.shown.map((e) => e.draft.topic)).toEqual(['a/1']);

    const own = new PublishHistory(api, () => null);
    await own.add(sent('b/1'));
    expect(own.entries.map((e) => e.draft.topic)).toEqual(['b/1']);
    expect(next.entries.map((e) => e.draft.topic)).toEqual(['a/2', 'a/1']);

    await next.clear();
    const after = new PublishHistory(api, () => id);
    await after.follow();
    expect(after.entries).toEqual([]);
  });
});
