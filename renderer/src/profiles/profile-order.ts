/** The order of the profile list: by name, or the most recently used first. Pure. */
import type { ProfileView } from '../../../shared/profiles/connection-profile';

export type ProfileSort = 'name' | 'lastUsed';
export const PROFILE_SORT_KEY = 'topicscope.profileSort';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export function sortProfiles(profiles: readonly ProfileView[], sort: ProfileSort): ProfileView[] {
  const byName = (a: ProfileView, b: ProfileView) => collator.compare(a.name, b.name) || a.id.localeCompare(b.id);
  if (sort === 'name') return profiles.toSorted(byName);
  // Never-used profiles go last, in name order.
  return profiles.toSorted((a, b) => (b.lastUsedAt ?? -1) - (a.lastUsedAt ?? -1) || byName(a, b));
}

export function parseProfileSort(value: string | null): ProfileSort {
  return value === 'lastUsed' ? 'lastUsed' : 'name';
}
