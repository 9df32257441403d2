/**
 * The user's settings: what they are, their defaults, and the one schema that checks
 * them wherever they come from (the settings dialog, `settings:set`, a file on disk).
 * A stored file is read field by field, so one bad or missing value costs only that
 * value; a file that is not a JSON object at all is "damaged" and handled by the core
 * (kept as a backup, defaults loaded). Pure: no DOM, no Node.
 */
import { z } from 'zod';
import { MQTT_VERSIONS } from '../connection/connection-config';
import type { TimeFormat } from '../inspect/time-text';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const TIME_FORMATS = ['local', 'utc', 'relative'] as const satisfies readonly TimeFormat[];

export const DENSITIES = ['comfortable', 'compact'] as const;
export type Density = (typeof DENSITIES)[number];

/** The range of "Messages kept per topic". */
export const HISTORY_PER_TOPIC_RANGE = { min: 1, max: 10_000 } as const;
/** The range of "History memory budget", in MiB over all topics of one connection. */
export const HISTORY_BUDGET_MIB_RANGE = { min: 8, max: 4_096 } as const;

/** Each setting's name as the dialog labels it; errors name the field the same way. */
export const SETTING_LABELS = {
  theme: 'Theme',
  historyPerTopic: 'Messages kept per topic',
  historyBudgetMiB: 'History memory budget',
  timeFormat: 'Time format',
  defaultMqttVersion: 'Default MQTT version',
  density: 'Row density',
} as const;

function wholeNumberIn(label: string, range: { min: number; max: number }, unit = '') {
  const message = `${label} must be a whole number from ${range.min} to ${range.max}${unit}.`;
  return z.number({ error: message }).int(message).min(range.min, message).max(range.max, message);
}

function oneOf<const T extends readonly [string, ...string[]]>(label: string, values: T) {
  return z.enum(values, { error: `${label} must be one of: ${values.join(', ')}.` });
}

/** One schema per field, so a stored file can be read field by field. */
const fieldSchemas = {
  /** The colour scheme: follow the system, or always light or dark. Default system. */
  theme: oneOf(SETTING_LABELS.theme, THEMES),
  /** Messages of history kept per topic (the latest is always kept). Default 50. */
  historyPerTopic: wholeNumberIn(SETTING_LABELS.historyPerTopic, HISTORY_PER_TOPIC_RANGE),
  /** Payload MiB of history kept over all topics of a connection; the oldest goes first. Default 128. */
  historyBudgetMiB: wholeNumberIn(SETTING_LABELS.historyBudgetMiB, HISTORY_BUDGET_MIB_RANGE, ' MiB'),
  /** How message and log times are shown: local clock, UTC clock, or age ("3 s ago"). Default local. */
  timeFormat: oneOf(SETTING_LABELS.timeFormat, TIME_FORMATS),
  /**
   * The MQTT version a new tab's form starts with; existing tabs and profiles keep theirs.
   * Default 5: its reason codes are how brokers explain a refusal (3.1.1 has one code for
   * every refused subscription), and a broker that refuses it offers "Use MQTT 3.1.1".
   * A settings file that stored another value keeps it.
   */
  defaultMqttVersion: oneOf(SETTING_LABELS.defaultMqttVersion, MQTT_VERSIONS),
  /** Tree row height: comfortable (24 px) or compact (20 px). Default comfortable. */
  density: oneOf(SETTING_LABELS.density, DENSITIES),
};

/** Every setting, all required: what `settings:set` accepts and `settings:get` returns. */
export const appSettingsSchema = z.object(fieldSchemas);
export type AppSettings = z.infer<typeof appSettingsSchema>;
export type SettingName = keyof AppSettings;

/** The defaults: the tree's own limits (TopicTree's DEFAULT_TREE_LIMITS) and the form's version. */
export const DEFAULT_SETTINGS: Readonly<AppSettings> = Object.freeze({
  theme: 'system',
  historyPerTopic: 50,
  historyBudgetMiB: 128,
  timeFormat: 'local',
  defaultMqttVersion: '5',
  density: 'comfortable',
});

export const SETTING_NAMES = Object.keys(fieldSchemas) as SettingName[];

export type StoredSettings =
  /** A JSON object: each field valid in it is kept, each missing or invalid one is its default. */
  | { ok: true; settings: AppSettings; defaulted: SettingName[] }
  /** Not a JSON object (an array, a number, null): nothing in it can be trusted. */
  | { ok: false; problem: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads settings as stored: unknown fields are ignored (a newer version's, or a typo),
 * and each missing or invalid field takes its default while the others are kept.
 */
export function readStoredSettings(data: unknown): StoredSettings {
  if (!isPlainObject(data)) {
    const kind = data === null ? 'null' : Array.isArray(data) ? 'a list' : `a ${typeof data}`;
    return { ok: false, problem: `it holds ${kind}, not a settings object` };
  }
  const settings: Record<string, unknown> = {};
  const defaulted: SettingName[] = [];
  for (const name of SETTING_NAMES) {
    const parsed = fieldSchemas[name].safeParse(data[name]);
    if (parsed.success) settings[name] = parsed.data;
    else {
      settings[name] = DEFAULT_SETTINGS[name];
      defaulted.push(name);
    }
  }
  // Every name was given a value its own schema accepted (or its default).
  return { ok: true, settings: settings as AppSettings, defaulted };
}

/** The tree's history limits for these settings (bytes, as TopicTree counts them). */
export function historyLimitsOf(settings: Pick<AppSettings, 'historyPerTopic' | 'historyBudgetMiB'>): { historyPerTopic: number; totalHistoryBytes: number } {
  return { historyPerTopic: settings.historyPerTopic, totalHistoryBytes: settings.historyBudgetMiB * 1024 * 1024 };
}
