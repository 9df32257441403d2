import { describe, expect, it } from 'vitest';
import { parseProfileSort, sortProfiles } from '../../renderer/src/profiles/profile-order';
import { tabKeyAction } from '../../renderer/src/tabs/tab-keys';
import { connectionConfigSchema } from '../../shared/connection/connection-config';
import type { ProfileView } from '../../shared/profiles/connection-profile';

function profile(id: string, name: string, lastUsedAt: number | null): ProfileView {
  const config = connectionConfigSchema.parse({ protocol: 'mqtt', host: 'h', port: 1883, clientId: '' });
  return { id, name, config, randomClientId: true, savedSecrets: { password: false, keyPassphrase: false, proxyPassword: false }, createdAt: 0, updatedAt: 0, lastUsedAt, decodeRules: [], protoFiles: [], savedMessages: [] };
}

const list = [profile('1', 'staging', 200), profile('2', 'Broker 10', null), profile('3', 'broker 9', 500), profile('4', 'Alpha', null)];

describe('sortProfiles', () => {
  it('by name ignores case and orders numbers as numbers', () => {
    expect(sortProfiles(list, 'name').map((p) => p.name)).toEqual(['Alpha', 'broker 9', 'Broker 10', 'staging']);
  });

  it('last used puts the most recent first and never-used ones last, by name', () => {
    expect(sortProfiles(list, 'lastUsed').map((p) => p.name)).toEqual(['broker 9', 'staging', 'Alpha', 'Broker 10']);
  });

  it('does not reorder the list it was given', () => {
    sortProfiles(list, 'name');
    expect(list.map((p) => p.id)).toEqual(['1', '2', '3', '4']);
  });

  it('reads a stored preference, falling back to name', () => {
    expect(parseProfileSort('lastUsed')).toBe('lastUsed');
    expect(parseProfileSort('name')).toBe('name');
    expect(parseProfileSort(null)).toBe('name');
    expect(parseProfileSort('bogus')).toBe('name');
  });
});

describe('tabKeyAction (WAI-ARIA tabs)', () => {
  it('moves with the arrows and wraps around at both ends', () => {
    expect(tabKeyAction('ArrowRight', 0, 3)).toEqual({ move: 1 });
    expect(tabKeyAction('ArrowRight', 2, 3)).toEqual({ move: 0 });
    expect(tabKeyAction('ArrowLeft', 0, 3)).toEqual({ move: 2 });
  });

  it('jumps with Home and End, closes with Delete, ignores other keys', () => {
    expect(tabKeyAction('Home', 2, 3)).toEqual({ move: 0 });
    expect(tabKeyAction('End', 0, 3)).toEqual({ move: 2 });
    expect(tabKeyAction('Delete', 1, 3)).toEqual({ close: 1 });
    expect(tabKeyAction('a', 1, 3)).toBeNull();
    expect(tabKeyAction('ArrowRight', 0, 0)).toBeNull();
  });
});
