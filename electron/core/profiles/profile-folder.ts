/**
 * The files a profile store keeps in its folder, named in one place so that the desktop
 * app (the user data folder) and browser mode (the config folder) store profiles the
 * same way: `profiles.json` and `secrets.json`, each one atomic JSON file
 * (JsonFileStorage: temp file, fsync, rename, backups, merge of changes made on disk),
 * and imported certificates in `certificates/`. Only the SecretStore differs.
 *
 * The desktop's files keep the names electron-store gave them before (`name: 'profiles'`
 * and `'secrets'` in `cwd: userData`, extension `.json`), and electron-store wrote plain
 * JSON, so an existing user's profiles and saved passwords load unchanged.
 */
import { join } from 'node:path';
import { JsonFileStorage } from '../storage/document-storage';
import { PemFolder } from './pem-folder';
import { ProfileStore } from './profile-store';
import type { SecretStore } from './secret-store';

export interface ProfileFolderPaths {
  profiles: string;
  secrets: string;
  certificates: string;
}

export function profileFolderPaths(dir: string): ProfileFolderPaths {
  return { profiles: join(dir, 'profiles.json'), secrets: join(dir, 'secrets.json'), certificates: join(dir, 'certificates') };
}

/** Opens the store over the files in `dir` (both readable by the user only); never throws. */
export function openProfileFolder(dir: string, secrets: SecretStore): ProfileStore {
  const paths = profileFolderPaths(dir);
  return ProfileStore.open({
    profiles: new JsonFileStorage(paths.profiles, 0o600),
    secretFile: new JsonFileStorage(paths.secrets, 0o600),
    secrets,
    pemFolder: new PemFolder(paths.certificates),
  });
}
