/**
 * The settings dialog's fields (as its inputs hold them: numbers as typed text) and
 * their check against the settings schema, with each problem kept at its field. Pure,
 * tested in Node.
 */
import { appSettingsSchema, type AppSettings, type SettingName } from '../../../shared/settings/app-settings';

export interface SettingsFormFields extends Omit<AppSettings, 'historyPerTopic' | 'historyBudgetMiB'> {
  historyPerTopic: string;
  historyBudgetMiB: string;
}

export type SettingsFormCheck = { ok: true; settings: AppSettings } | { ok: false; errors: Partial<Record<SettingName, string>> };

export function settingsToForm(settings: AppSettings): SettingsFormFields {
  return { ...settings, historyPerTopic: String(settings.historyPerTopic), historyBudgetMiB: String(settings.historyBudgetMiB) };
}

/** A typed number, or NaN for anything that is not one (empty, "12abc"), which the schema refuses by name. */
function typedNumber(text: string): number {
  const trimmed = text.trim();
  return /^[+-]?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

export function checkSettingsForm(form: SettingsFormFields): SettingsFormCheck {
  const parsed = appSettingsSchema.safeParse({ ...form, historyPerTopic: typedNumber(form.historyPerTopic), historyBudgetMiB: typedNumber(form.historyBudgetMiB) });
  if (parsed.success) return { ok: true, settings: parsed.data };
  const errors: Partial<Record<SettingName, string>> = {};
  for (const issue of parsed.error.issues) {
    const name = issue.path[0] as SettingName;
    errors[name] ??= issue.message;
  }
  return { ok: false, errors };
}
