/**
 * Browser mode's settings: `settings.json` in the host's config folder, next to the
 * profiles, one atomic JSON file (JsonFileStorage: temp file, fsync, rename, and a copy
 * of a hand edit made while the host ran kept aside before it is replaced).
 */
import { join } from 'node:path';
import { JsonFileStorage } from '../storage/document-storage';
import { SettingsStore } from './settings-store';

export const SETTINGS_FILE_NAME = 'settings.json';

/** Opens the settings kept in `dir`; never throws (a damaged file is recovered, see SettingsStore). */
export function openSettingsFile(dir: string, now: () => number = Date.now): SettingsStore {
  return SettingsStore.open(new JsonFileStorage(join(dir, SETTINGS_FILE_NAME), 0o600, now), now);
}
