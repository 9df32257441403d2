import { describe, expect, it } from 'vitest';
import { DEFAULT_TREE_LIMITS } from '../../shared/explorer/topic-tree';
import { appSettingsSchema, DEFAULT_SETTINGS, historyLimitsOf, readStoredSettings, SETTING_NAMES } from '../../shared/settings/app-settings';

describe('the settings schema', () => {
  it('defaults to the tree\'s own limits and MQTT 5 (reason codes are how brokers explain themselves)', () => {
    expect(DEFAULT_SETTINGS).toEqual({ theme: 'system', historyPerTopic: 50, historyBudgetMiB: 128, timeFormat: 'local', defaultMqttVersion: '5', density: 'comfortable' });
    expect(historyLimitsOf(DEFAULT_SETTINGS)).toEqual({ historyPerTopic: DEFAULT_TREE_LIMITS.historyPerTopic, totalHistoryBytes: DEFAULT_TREE_LIMITS.totalHistoryBytes });
    expect(appSettingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
  });

  it.each([
    [{ historyPerTopic: 0 }, 'Messages kept per topic must be a whole number from 1 to 10000.'],
    [{ historyPerTopic: 10_001 }, 'Messages kept per topic must be a whole number from 1 to 10000.'],
    [{ historyPerTopic: 2.5 }, 'Messages kept per topic must be a whole number from 1 to 10000.'],
    [{ historyPerTopic: '3' }, 'Messages kept per topic must be a whole number from 1 to 10000.'],
    [{ historyBudgetMiB: 7 }, 'History memory budget must be a whole number from 8 to 4096 MiB.'],
    [{ theme: 'purple' }, 'Theme must be one of: system, light, dark.'],
    [{ timeFormat: 'iso' }, 'Time format must be one of: local, utc, relative.'],
    [{ defaultMqttVersion: '4' }, 'Default MQTT version must be one of: 3.1, 3.1.1, 5.'],
    [{ density: 'tight' }, 'Row density must be one of: comfortable, compact.'],
  ])('refuses %j with a message naming the field as the dialog labels it', (change, message) => {
    const parsed = appSettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...change });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual([message]);
  });

  it('accepts the bounds', () => {
    expect(appSettingsSchema.safeParse({ ...DEFAULT_SETTINGS, historyPerTopic: 1, historyBudgetMiB: 4096 }).success).toBe(true);
    expect(appSettingsSchema.safeParse({ ...DEFAULT_SETTINGS, historyPerTopic: 10_000, historyBudgetMiB: 8 }).success).toBe(true);
  });
});

describe('reading stored settings', () => {
  it('fills missing and invalid fields with their defaults, keeps the valid ones and ignores unknown ones', () => {
    const stored = readStoredSettings({ theme: 'dark', historyPerTopic: -4, timeFormat: 'utc', fromTheFuture: true });
    expect(stored).toEqual({
      ok: true,
      settings: { ...DEFAULT_SETTINGS, theme: 'dark', timeFormat: 'utc' },
      defaulted: ['historyPerTopic', 'historyBudgetMiB', 'defaultMqttVersion', 'density'],
    });
  });

  it('reads a complete file as it is', () => {
    const all = { theme: 'light', historyPerTopic: 3, historyBudgetMiB: 64, timeFormat: 'relative', defaultMqttVersion: '3.1.1', density: 'compact' };
    expect(readStoredSettings(all)).toEqual({ ok: true, settings: all, defaulted: [] });
    expect(SETTING_NAMES).toEqual(Object.keys(all));
  });

  it.each([[null, 'null'], [[1, 2], 'a list'], [42, 'a number'], ['dark', 'a string']])('calls %j damaged, saying what it holds', (data, kind) => {
    expect(readStoredSettings(data)).toEqual({ ok: false, problem: `it holds ${kind}, not a settings object` });
  });
});
