/**
 * Where browser mode keeps profiles: a folder in the user's config directory, with the
 * same store as the desktop app. There is no OS keychain here, so secrets are saved only
 * when the user agrees, in plain text in a separate file only they can read.
 *
 *   --config-dir DIR, else $TOPICSCOPE_CONFIG_DIR, else $XDG_CONFIG_HOME/topicscope,
 *   else ~/.config/topicscope
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { JsonFileStorage } from '../core/document-storage';
import { PemFolder } from '../core/pem-folder';
import { ProfileStore } from '../core/profile-store';
import { PlainTextSecretStore } from '../core/secret-store';

export const CONFIG_DIR_ENV_VAR = 'TOPICSCOPE_CONFIG_DIR';

export function resolveConfigDir(flag: string | undefined, env: NodeJS.ProcessEnv, home: string = homedir()): string {
  if (flag) return resolve(flag);
  const fromEnv = env[CONFIG_DIR_ENV_VAR];
  if (fromEnv) return resolve(fromEnv);
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env['XDG_CONFIG_HOME'];
  if (xdg && isAbsolute(xdg)) return join(xdg, 'topicscope');
  return join(home, '.config', 'topicscope');
}

export function openBrowserModeProfiles(configDir: string): ProfileStore {
  const secretPath = join(configDir, 'secrets.json');
  return ProfileStore.open({
    profiles: new JsonFileStorage(join(configDir, 'profiles.json')),
    secretFile: new JsonFileStorage(secretPath, 0o600),
    secrets: new PlainTextSecretStore(secretPath),
    pemFolder: new PemFolder(join(configDir, 'certificates')),
  });
}
