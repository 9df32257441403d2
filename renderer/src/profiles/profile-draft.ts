/**
 * Turns the connection form into a `profile:save` request. Pure: the rules that keep
 * secrets out of the config and only change a saved secret when the user typed a new
 * one are tested in Node.
 */
import type { ConnectionConfig } from '../../../shared/connection/connection-config';
import { profileConfigSchema, secretFits, type ProfileView, type SecretChange } from '../../../shared/profiles/connection-profile';
import type { CommandArgs } from '../../../shared/ipc/ipc-contract';
import { formToProfileConfig, type ConnectionFormFields } from '../connection/connection-form';

export interface ProfileDraft {
  /** The profile to overwrite; absent to create one. */
  id?: string;
  name: string;
  form: ConnectionFormFields;
  randomClientId: boolean;
  /** Leave every secret as saved, even a typed one (the user declined plain-text storage). */
  withoutSecrets?: boolean;
  allowPlainTextSecrets?: boolean;
  /** "Save as new" (no `id`): the saved profile whose secrets the copy keeps. */
  copySecretsFrom?: string;
}

/** A typed value replaces what is saved; an empty field leaves the saved secret alone. */
function secretChange(typed: string, withoutSecrets: boolean): SecretChange {
  return typed !== '' && !withoutSecrets ? { action: 'set', value: typed } : { action: 'keep' };
}

/** A profile needs a name; an empty one becomes "host:port", which is what users call a broker. */
export function profileName(name: string, form: ConnectionFormFields): string {
  const trimmed = name.trim();
  if (trimmed !== '') return trimmed;
  const host = form.host.trim() || 'broker';
  return form.port.trim() ? `${host}:${form.port.trim()}` : host;
}

export function profileSaveArgs(draft: ProfileDraft): CommandArgs<'profile:save'> {
  const skip = draft.withoutSecrets === true;
  return {
    ...(draft.id ? { id: draft.id } : {}),
    name: profileName(draft.name, draft.form),
    config: formToProfileConfig(draft.form),
    randomClientId: draft.randomClientId,
    secrets: {
      password: secretChange(draft.form.password, skip),
      keyPassphrase: secretChange(draft.form.keyPassphrase, skip),
      proxyPassword: secretChange(draft.form.proxyPassword, skip),
    },
    allowPlainTextSecrets: draft.allowPlainTextSecrets === true,
    ...(draft.copySecretsFrom && !draft.id ? { copySecretsFrom: draft.copySecretsFrom } : {}),
  };
}

/**
 * Whether the form still names the broker and user a saved profile's secrets belong
 * to (protocol, host, port, username). "Save as new" copies the saved password only
 * then: a copy pointed at another broker must not send it there unasked.
 */
export function sameBrokerAndUser(form: ConnectionFormFields, saved: ConnectionConfig): boolean {
  // The core's own rule, applied to the form as the core would parse it.
  const target = profileConfigSchema.safeParse(formToProfileConfig(form));
  return target.success && secretFits('password', saved, target.data);
}

/** Whether a save would store a secret, so an insecure store must be asked about. */
export function savesSecrets(form: ConnectionFormFields): boolean {
  return form.password !== '' || form.keyPassphrase !== '' || form.proxyPassword !== '';
}

/** The tab's title: the profile's name, else the host being edited. */
export function tabTitle(profileName: string | null, form: ConnectionFormFields): string {
  return profileName ?? (form.host.trim() || 'New connection');
}

/**
 * After "Save as new" left the original's secrets behind (another broker or user), one
 * sentence naming them so the user types them; empty when nothing is missing.
 */
export function notCopiedNote(source: Pick<ProfileView, 'name' | 'savedSecrets'> | undefined, copy: Pick<ProfileView, 'savedSecrets'>): string {
  if (!source) return '';
  const missing = [
    source.savedSecrets.password && !copy.savedSecrets.password ? 'password' : null,
    source.savedSecrets.keyPassphrase && !copy.savedSecrets.keyPassphrase ? 'key passphrase' : null,
    source.savedSecrets.proxyPassword && !copy.savedSecrets.proxyPassword ? 'proxy password' : null,
  ].filter((kind) => kind !== null);
  if (missing.length === 0) return '';
  const one = missing.length === 1;
  return ` The saved ${missing.join(' and ')} of "${source.name}" ${one ? 'was' : 'were'} not copied, because this profile names another broker or user: type ${one ? 'it' : 'them'} and save.`;
}
