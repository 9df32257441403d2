/**
 * A store file changed on disk while the app runs (disk-changes.ts, document-merge.ts):
 * through the store over real files first, then the decision itself over files in memory.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFileStorage } from '../../electron/core/storage/document-storage';
import { PemFolder } from '../../electron/core/profiles/pem-folder';
import { ProfileStore } from '../../electron/core/profiles/profile-store';
import { foldDiskChanges, keptChangeNotice } from '../../electron/core/profiles/disk-changes';
import type { StoreDocuments } from '../../electron/core/profiles/store-documents';
import type { StoredProfile } from '../../shared/profiles/profile-document';
import { localConfig, MemoryStorage, must, saveArgs, useStoreFixtures, type StoreFixture } from '../support/profile-store-fixtures';

const fixture = useStoreFixtures();

describe('a file changed on disk while the app runs', () => {
  const at = Date.UTC(2026, 10, 21, 21, 5, 39);
  type OnDisk = { profiles: Array<Record<string, unknown> & { id: string; name: string }>; lastUsedId: string | null };
  const onDisk = (f: StoreFixture): OnDisk => JSON.parse(readFileSync(f.profilesPath, 'utf8')) as OnDisk;
  const kept = (f: StoreFixture, file: string) => f.files().filter((name) => name.startsWith(`${file}.changed-`));

  it('merges a hand edit into the next save, keeps the edited file aside, and says so', () => {
    const f = fixture({ now: () => at });
    const store = f.open();
    const alpha = must(store.save(saveArgs({ name: 'Alpha' }))).profile;
    const bravo = must(store.save(saveArgs({ name: 'Bravo' }))).profile;

    // By hand: Bravo renamed, and a profile added by copying Alpha's entry.
    const edited = onDisk(f);
    edited.profiles = edited.profiles.map((p) => (p.id === bravo.id ? { ...p, name: 'Bravo (renamed by hand)' } : p));
    edited.profiles.push({ ...edited.profiles[0]!, id: 'hand-added', name: 'Hand added' });
    const editedText = JSON.stringify(edited, null, 2);
    writeFileSync(f.profilesPath, editedText);

    must(store.save(saveArgs({ id: alpha.id, name: 'Alpha', config: { ...localConfig, port: 8883 } })));
    const names = onDisk(f).profiles.map((p) => p.name).sort();
    expect(names).toEqual(['Alpha', 'Bravo (renamed by hand)', 'Hand added']);
    expect(store.list().profiles.map((p) => p.name)).toEqual(['Alpha', 'Bravo (renamed by hand)', 'Hand added']);
    expect(store.get(alpha.id)?.config.port).toBe(8883);

    expect(kept(f, 'profiles.json')).toEqual(['profiles.json.changed-2026-11-21T21-05-39.000Z']);
    expect(readFileSync(join(f.dir, 'profiles.json.changed-2026-11-21T21-05-39.000Z'), 'utf8')).toBe(editedText);
    expect(store.list().notices.join(' ')).toMatch(
      /profiles\.json was changed outside Topicscope after it was loaded .*Those changes were combined with yours\. The file as it was is kept at .*profiles\.json\.changed-2026-11-21T21-05-39\.000Z/,
    );
    // Saved once the edit was taken in: the next save needs no copy.
    must(store.save(saveArgs({ name: 'Charlie' })));
    expect(kept(f, 'profiles.json')).toHaveLength(1);
  });

  it('when both changed the same profile, keeps the change just made and names the profile', () => {
    const f = fixture();
    const store = f.open();
    const alpha = must(store.save(saveArgs({ name: 'Alpha' }))).profile;
    const edited = onDisk(f);
    edited.profiles[0] = { ...edited.profiles[0]!, name: 'Alpha by hand' };
    writeFileSync(f.profilesPath, JSON.stringify(edited));
    must(store.save(saveArgs({ id: alpha.id, name: 'Alpha in the app' })));
    expect(onDisk(f).profiles.map((p) => p.name)).toEqual(['Alpha in the app']);
    expect(store.list().notices.join(' ')).toContain('where both changed the same profile ("Alpha in the app"), your change was kept');
    expect(readFileSync(join(f.dir, kept(f, 'profiles.json')[0] ?? ''), 'utf8')).toContain('Alpha by hand');
  });

  it('takes in a profile deleted by hand instead of writing it back', () => {
    const f = fixture();
    const store = f.open();
    must(store.save(saveArgs({ name: 'Alpha' })));
    const bravo = must(store.save(saveArgs({ name: 'Bravo' }))).profile;
    const edited = onDisk(f);
    edited.profiles = edited.profiles.filter((p) => p.id !== bravo.id);
    writeFileSync(f.profilesPath, JSON.stringify(edited));
    must(store.save(saveArgs({ name: 'Charlie' })));
    expect(onDisk(f).profiles.map((p) => p.name).sort()).toEqual(['Alpha', 'Charlie']);
  });

  it('replaces an edit it cannot read, but keeps it aside and tells how to get it back', () => {
    const f = fixture();
    const store = f.open();
    must(store.save(saveArgs({ name: 'Alpha' })));
    writeFileSync(f.profilesPath, '{ "version": 2, "profiles": [ half an edit');
    must(store.save(saveArgs({ name: 'Bravo' })));
    expect(onDisk(f).profiles.map((p) => p.name).sort()).toEqual(['Alpha', 'Bravo']);
    const [copy] = kept(f, 'profiles.json');
    expect(readFileSync(join(f.dir, copy ?? ''), 'utf8')).toBe('{ "version": 2, "profiles": [ half an edit');
    expect(store.list().notices.join(' ')).toMatch(/could not be combined with yours \(it is not valid JSON.*\), so it was replaced\. It is kept at .*changed-.*"Import profiles"/);
  });

  it('refuses to save over a file a newer version wrote meanwhile', () => {
    const f = fixture();
    const store = f.open();
    must(store.save(saveArgs({ name: 'Alpha' })));
    const newer = JSON.stringify({ version: 3, profiles: [], future: true });
    writeFileSync(f.profilesPath, newer);
    expect(store.save(saveArgs({ name: 'Bravo' }))).toMatchObject({ ok: false, error: { code: 'STORE_WRITE_FAILED', message: expect.stringContaining('newer version') } });
    expect(readFileSync(f.profilesPath, 'utf8')).toBe(newer);
  });

  it('merges the secret file the same way: a password saved by someone else survives', () => {
    const f = fixture({ now: () => at });
    const store = f.open();
    const alpha = must(store.save(saveArgs({ name: 'Alpha', password: 'alpha-pass' }))).profile;
    // Another store on the same files (another host, before the folder lock) saves a password.
    const other = ProfileStore.open({
      profiles: new JsonFileStorage(f.profilesPath),
      secretFile: new JsonFileStorage(f.secretsPath),
      secrets: f.keychain,
      pemFolder: new PemFolder(join(f.dir, 'certificates')),
    });
    const bravo = must(other.save(saveArgs({ name: 'Bravo', password: 'bravo-pass' }))).profile;
    must(store.save(saveArgs({ id: alpha.id, name: 'Alpha', password: 'alpha-new' })));

    const reopened = f.open();
    expect(reopened.list().profiles.map((p) => p.name)).toEqual(['Alpha', 'Bravo']);
    expect(must(reopened.secretsOf(alpha.id))).toEqual({ password: 'alpha-new' });
    expect(must(reopened.secretsOf(bravo.id))).toEqual({ password: 'bravo-pass' });
    expect(kept(f, 'secrets.json')).toHaveLength(1);
    expect(store.list().notices.join(' ')).toContain('secrets.json was changed outside Topicscope');
  });
});

describe('foldDiskChanges, over files in memory', () => {
  const entry = (id: string, name: string): StoredProfile => ({ id, name, config: localConfig, randomClientId: true, createdAt: 1, updatedAt: 1, lastUsedAt: null });
  const documents = (profiles: StoredProfile[], secrets: Record<string, { password: string }> = {}): StoreDocuments => ({
    doc: { version: 2, profiles, lastUsedId: null },
    sealed: { version: 1, secrets },
  });

  function files(base: StoreDocuments) {
    const profiles = new MemoryStorage('/data/profiles.json', base.doc);
    const secretFile = new MemoryStorage('/data/secrets.json', base.sealed);
    profiles.read();
    secretFile.read();
    return { profiles, secretFile };
  }

  it('passes our change through when nothing changed on disk', () => {
    const base = documents([entry('a', 'A')]);
    const ours = documents([entry('a', 'A'), entry('b', 'B')]);
    expect(foldDiskChanges(files(base), base, ours, true)).toEqual({ ok: true, documents: ours, profiles: null, secrets: null });
  });

  it('merges a profile added on disk and a password saved there, keeping our change', () => {
    const base = documents([entry('a', 'A')]);
    const f = files(base);
    f.profiles.onDisk = JSON.stringify(documents([entry('a', 'A'), entry('hand', 'By hand')]).doc);
    f.secretFile.onDisk = JSON.stringify(documents([], { hand: { password: 'sealed-hand' } }).sealed);
    const ours = documents([entry('a', 'A renamed')], { a: { password: 'sealed-a' } });
    const result = foldDiskChanges(f, base, ours, true);
    expect(result).toMatchObject({ ok: true, profiles: { merged: true, conflicts: [] }, secrets: { merged: true } });
    if (!result.ok) return;
    expect(result.documents.doc.profiles.map((p) => p.name)).toEqual(['A renamed', 'By hand']);
    expect(result.documents.sealed.secrets).toEqual({ a: { password: 'sealed-a' }, hand: { password: 'sealed-hand' } });
  });

  it('leaves the secret file alone when the save does not change secrets', () => {
    const base = documents([entry('a', 'A')]);
    const f = files(base);
    f.secretFile.onDisk = '{ broken';
    expect(foldDiskChanges(f, base, base, false)).toMatchObject({ ok: true, secrets: null });
    expect(foldDiskChanges(f, base, base, true)).toMatchObject({ ok: true, secrets: { merged: false, problem: 'it is not valid JSON' } });
  });

  it('does not merge what it cannot read, so the write keeps it aside', () => {
    const base = documents([entry('a', 'A')]);
    const f = files(base);
    f.profiles.onDisk = JSON.stringify({ version: 2, profiles: [{ id: 'x' }], lastUsedId: null });
    expect(foldDiskChanges(f, base, base, false)).toMatchObject({ ok: true, profiles: { merged: false, problem: 'it holds entries this version cannot read' }, documents: base });
  });

  it('refuses the save when a newer Topicscope wrote either file, naming which', () => {
    const base = documents([entry('a', 'A')]);
    const f = files(base);
    f.secretFile.onDisk = JSON.stringify({ version: 9, secrets: {} });
    expect(foldDiskChanges(f, base, base, true)).toMatchObject({ ok: false, role: 'secrets', reason: '/data/secrets.json was replaced by a newer version of Topicscope' });
    f.profiles.onDisk = JSON.stringify({ version: 3, profiles: [] });
    expect(foldDiskChanges(f, base, base, true)).toMatchObject({ ok: false, role: 'profiles', error: { code: 'STORE_WRITE_FAILED', message: expect.stringContaining('store version 3') } });
  });
});

describe('keptChangeNotice', () => {
  it('says nothing when nothing was kept aside', () => {
    expect(keptChangeNotice('/data/profiles.json', 'profiles', null, { merged: true, conflicts: [] })).toBeNull();
  });

  it('says a change was combined, naming the profiles where ours won', () => {
    expect(keptChangeNotice('/data/profiles.json', 'profiles', '/data/profiles.json.changed-1', { merged: true, conflicts: ['Prod', 'Lab'] })).toBe(
      '/data/profiles.json was changed outside Topicscope after it was loaded (by hand, by another program or by another Topicscope). Those changes were combined with yours; where both changed the same profile ("Prod", "Lab"), your change was kept. The file as it was is kept at /data/profiles.json.changed-1.',
    );
  });

  it('says how to get back what was replaced: import for profiles, typing again for passwords', () => {
    expect(keptChangeNotice('/p.json', 'profiles', '/p.json.changed-1', { merged: false, problem: 'it is gone' })).toMatch(/could not be combined with yours \(it is gone\), so it was replaced\. It is kept at \/p\.json\.changed-1: repair it if needed, then import it/);
    expect(keptChangeNotice('/s.json', 'secrets', '/s.json.changed-1', null)).toMatch(/could not be combined with yours, so it was replaced\. It is kept at \/s\.json\.changed-1; passwords saved only there must be entered again\.$/);
  });
});
