import { afterEach, describe, expect, it, vi } from 'vitest';
import { NOTICES_SEEN_KEY, parseSeenNotices, serializeSeenNotices, unseenNotices } from '../../renderer/src/profiles/store-notices';
import { ProfilesState } from '../../renderer/src/profiles/profiles-state.svelte';
import type { ProfileList } from '../../shared/profiles/connection-profile';
import { fakeApi } from './fake-api';

const SECRETS_UNREADABLE = 'Saved passwords could not be read from /cfg/secrets.json (Unexpected token). Enter the passwords again when you connect.';
const MIGRATED = 'The passwords of "Prod", saved in plain text by an older version of Topicscope, are now encrypted (keychain).';

function list(notices: string[]): ProfileList {
  return {
    profiles: [],
    lastUsedId: null,
    secretStorage: { encrypted: true, backend: 'keychain', description: 'Encrypted by the OS keychain.' },
    recovery: null,
    notices,
  };
}

/** sessionStorage as a window has it: it outlives a reload (a new ProfilesState), not the window. */
class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('store notices', () => {
  it('shows each notice the core reports once, in its order, except the dismissed ones', () => {
    expect(unseenNotices([SECRETS_UNREADABLE, MIGRATED, SECRETS_UNREADABLE], [])).toEqual([SECRETS_UNREADABLE, MIGRATED]);
    expect(unseenNotices([SECRETS_UNREADABLE, MIGRATED], [MIGRATED])).toEqual([SECRETS_UNREADABLE]);
  });

  it('reads what it stored, and treats anything else as nothing seen', () => {
    expect(parseSeenNotices(serializeSeenNotices([MIGRATED], [SECRETS_UNREADABLE, MIGRATED]))).toEqual([MIGRATED, SECRETS_UNREADABLE]);
    expect(parseSeenNotices(null)).toEqual([]);
    expect(parseSeenNotices('{oops')).toEqual([]);
    expect(parseSeenNotices('[1, "a"]')).toEqual(['a']);
  });

  it('ProfilesState shows the notices of profile:list until dismissed, and a reload of the window does not bring them back', async () => {
    const session = new MemoryStorage();
    vi.stubGlobal('sessionStorage', session);
    const api = fakeApi({ 'profile:list': async () => ({ ok: true, value: list([SECRETS_UNREADABLE, MIGRATED]) }) });

    const first = new ProfilesState(api);
    await first.load();
    expect(first.notices).toEqual([SECRETS_UNREADABLE, MIGRATED]);
    first.dismissNotices();
    expect(first.notices).toEqual([]);
    expect(session.getItem(NOTICES_SEEN_KEY)).toContain('secrets.json');

    const reloaded = new ProfilesState(api);
    await reloaded.load();
    expect(reloaded.notices).toEqual([]);

    // A new window session (the next start of the app) reports it again if the core does.
    vi.stubGlobal('sessionStorage', new MemoryStorage());
    const nextStart = new ProfilesState(api);
    await nextStart.load();
    expect(nextStart.notices).toEqual([SECRETS_UNREADABLE, MIGRATED]);
  });

  it('still shows the notices where web storage is unavailable', async () => {
    vi.stubGlobal('sessionStorage', undefined);
    const state = new ProfilesState(fakeApi({ 'profile:list': async () => ({ ok: true, value: list([MIGRATED]) }) }));
    await state.load();
    expect(state.notices).toEqual([MIGRATED]);
    state.dismissNotices();
    expect(state.notices).toEqual([]);
  });
});
