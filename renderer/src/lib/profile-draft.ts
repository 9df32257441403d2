/**
 * Turns the connection form into a `profile:save` request. Pure: the rules that keep
 * secrets out of the config and only change a saved secret when the user typed a new
 * one are tested in Node.
 */
import type { SecretChange } from '../../../shared/connection-profile';
import type { CommandArgs } from '../../../shared/ipc-contract';
import { formToProfileConfig, type ConnectionFormFields } from './connection-form';

export interface ProfileDraft {
  /** The profile to overwrite; absent to create one. */
  id?: string;
  name: string;
  form: ConnectionFormFields;
  randomClientId: boolean;
  /** Leave every secret as saved, even a typed one (the user declined plain-text storage). */
  withoutSecrets?: boolean;
  allowPlainTextSecrets?: boolean;
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
    secrets: { password: secretChange(draft.form.password, skip), keyPassphrase: secretChange(draft.form.keyPassphrase, skip) },
    allowPlainTextSecrets: draft.allowPlainTextSecrets === true,
  };
}

/** Whether a save would store a secret, so an insecure store must be asked about. */
export function savesSecrets(form: ConnectionFormFields): boolean {
  return form.password !== '' || form.keyPassphrase !== '';
}

/** The tab's title: the profile's name, else the host being edited. */
export function tabTitle(profileName: string | null, form: ConnectionFormFields): string {
  return profileName ?? (form.host.trim() || 'New connection');
}
