/**
 * Editing the settings of an open connection: what the form held when "Edit connection"
 * unfolded it, whether the user changed anything that needs a reconnect, and what
 * "Cancel" puts back. Subscriptions are left out of both: while connected each edit is
 * applied on the broker at once, so it is neither a pending change nor undone by Cancel.
 * Pure, tested in Node.
 */
import type { ConnectionFormFields } from './connection-form';

/** The settings as they were when editing began. */
export interface EditBase {
  form: ConnectionFormFields;
  randomClientId: boolean;
}

function settingsText(form: ConnectionFormFields): string {
  return JSON.stringify({ ...form, subscriptions: [] });
}

/** True when applying the form would connect with other settings than the open connection's. */
export function settingsChanged(base: EditBase, form: ConnectionFormFields, randomClientId: boolean): boolean {
  if (base.randomClientId !== randomClientId) return true;
  return settingsText(base.form) !== settingsText(form);
}

/** The form "Cancel" leaves: every setting as it was, the subscriptions as they are now. */
export function revertedForm(base: EditBase, form: ConnectionFormFields): ConnectionFormFields {
  return { ...base.form, subscriptions: form.subscriptions };
}
