/**
 * The window's settings as components use them: loaded once, saved through the core
 * only when valid, times shown in the chosen format, the row height and the theme; and
 * the tabs taking the history limits and default MQTT version.
 */
import { describe, expect, it, vi } from 'vitest';
import { applyTheme } from '../../renderer/src/settings/document-theme';
import { SecondClock } from '../../renderer/src/settings/second-clock.svelte';
import { checkSettingsForm, settingsToForm } from '../../renderer/src/settings/settings-form';
import { SettingsState } from '../../renderer/src/settings/settings-state.svelte';
import { TabsState } from '../../renderer/src/tabs/tabs-state.svelte';
import type { CommandArgs } from '../../shared/ipc/ipc-contract';
import type { ReceivedMessage } from '../../shared/mqtt/mqtt-message';
import { DEFAULT_SETTINGS, type AppSettings } from '../../shared/settings/app-settings';
import { fakeApi } from './fake-api';

const chosen: AppSettings = { theme: 'dark', historyPerTopic: 3, historyBudgetMiB: 64, timeFormat: 'utc', defaultMqttVersion: '3.1.1', density: 'compact' };
const AT = Date.UTC(2026, 10, 28, 14, 3, 7, 25);

function settingsApi(stored: AppSettings = DEFAULT_SETTINGS) {
  const saved: CommandArgs<'settings:set'>[] = [];
  const api = fakeApi({
    'settings:get': async () => ({ ok: true, value: { settings: stored, recovery: null } }),
    'settings:set': async (args) => {
      saved.push(args);
      return { ok: true, value: { settings: args.settings } };
    },
  });
  return { api, saved };
}

describe('SettingsState', () => {
  it('uses the defaults until the saved settings load, then those', async () => {
    const settings = new SettingsState(settingsApi(chosen).api);
    expect(settings.current).toEqual(DEFAULT_SETTINGS);
    expect(settings.rowHeight).toBe(24);
    await settings.load();
    expect(settings.loaded).toBe(true);
    expect(settings.current).toEqual(chosen);
    expect(settings.rowHeight).toBe(20);
  });

  it('reports a recovered settings file until dismissed, and a failed load as the reason the defaults apply', async () => {
    const recovery = { backupPath: '/cfg/settings.json.corrupt-x', problem: 'it is not valid JSON (…)' };
    const recovered = new SettingsState(fakeApi({ 'settings:get': async () => ({ ok: true, value: { settings: DEFAULT_SETTINGS, recovery } }) }));
    await recovered.load();
    expect(recovered.recovery).toEqual(recovery);
    recovered.dismissRecovery();
    expect(recovered.recovery).toBeNull();

    const failed = new SettingsState(fakeApi({ 'settings:get': async () => ({ ok: false, error: { code: 'UNSUPPORTED', message: 'No settings here.' } }) }));
    await failed.load();
    expect(failed.loadError).toBe('Your settings could not be loaded, so the defaults apply: No settings here.');
    expect(failed.current).toEqual(DEFAULT_SETTINGS);
  });

  it('saves valid settings through the core and applies them; refuses an invalid one without sending it', async () => {
    const { api, saved } = settingsApi();
    const settings = new SettingsState(api);
    const refused = await settings.save({ ...chosen, historyPerTopic: 0 });
    expect(refused).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'Messages kept per topic must be a whole number from 1 to 10000.' } });
    expect(saved).toEqual([]);
    expect(settings.current).toEqual(DEFAULT_SETTINGS);

    expect(await settings.save(chosen)).toEqual({ ok: true, value: chosen });
    expect(saved).toEqual([{ settings: chosen }]);
    expect(settings.current).toEqual(chosen);
  });

  it('keeps the settings it had when the core cannot save them', async () => {
    const settings = new SettingsState(fakeApi({ 'settings:set': async () => ({ ok: false, error: { code: 'STORE_WRITE_FAILED', message: 'Disk full.' } }) }));
    expect(await settings.save(chosen)).toMatchObject({ ok: false, error: { message: 'Disk full.' } });
    expect(settings.current).toEqual(DEFAULT_SETTINGS);
  });

  it('shows every time in the chosen format: local clock, UTC clock, or an age from the window clock', async () => {
    const clock = new SecondClock(() => AT + 12_000, () => () => undefined);
    const { api } = settingsApi();
    const settings = new SettingsState(api, clock);
    const local = new Date(AT);
    expect(settings.formatTime(AT)).toBe(`${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}:07.025`);
    await settings.save({ ...DEFAULT_SETTINGS, timeFormat: 'utc' });
    expect(settings.formatTime(AT)).toBe('14:03:07.025Z');
    await settings.save({ ...DEFAULT_SETTINGS, timeFormat: 'relative' });
    expect(settings.formatTime(AT)).toBe('12 s ago');
  });
});

describe('the settings form', () => {
  it('round-trips the settings and keeps each problem at its field', () => {
    expect(checkSettingsForm(settingsToForm(chosen))).toEqual({ ok: true, settings: chosen });
    expect(checkSettingsForm({ ...settingsToForm(chosen), historyPerTopic: ' 7 ' })).toEqual({ ok: true, settings: { ...chosen, historyPerTopic: 7 } });
    expect(checkSettingsForm({ ...settingsToForm(chosen), historyPerTopic: '0', historyBudgetMiB: '' })).toEqual({
      ok: false,
      errors: {
        historyPerTopic: 'Messages kept per topic must be a whole number from 1 to 10000.',
        historyBudgetMiB: 'History memory budget must be a whole number from 8 to 4096 MiB.',
      },
    });
    expect(checkSettingsForm({ ...settingsToForm(chosen), historyPerTopic: '12abc' })).toMatchObject({ ok: false, errors: { historyPerTopic: expect.any(String) } });
  });
});

describe('the theme on the page', () => {
  it('sets the root colour scheme that app.css\'s light-dark() colours follow', () => {
    const root = { style: { colorScheme: '' } };
    applyTheme(root, 'dark');
    expect(root.style.colorScheme).toBe('dark');
    applyTheme(root, 'light');
    expect(root.style.colorScheme).toBe('light');
    applyTheme(root, 'system');
    expect(root.style.colorScheme).toBe('light dark');
  });
});

function message(topic: string, payload: string): ReceivedMessage {
  const bytes = new TextEncoder().encode(payload);
  return { topic, payload: bytes, payloadSize: bytes.byteLength, qos: 0, retain: false, receivedAt: AT, coalesced: 0 };
}

describe('TabsState with the settings', () => {
  // The trees ask for animation frames to publish their view; these tests read the model.
  vi.stubGlobal('requestAnimationFrame', () => 0);
  const tabsApi = () =>
    fakeApi({
      'connection:open': async () => ({ ok: true, value: { sessionPresent: false } }),
      'connection:close': async () => ({ ok: true, value: {} }),
      'messages:ack': async () => ({ ok: true, value: {} }),
    });

  it('a new tab\'s form starts with the default MQTT version; open tabs keep theirs', () => {
    const tabs = new TabsState(tabsApi());
    const before = tabs.add();
    expect(before.connection.form.mqttVersion).toBe('5');
    tabs.applySettings({ ...DEFAULT_SETTINGS, defaultMqttVersion: '3.1.1' });
    expect(tabs.add().connection.form.mqttVersion).toBe('3.1.1');
    expect(before.connection.form.mqttVersion).toBe('5');
    tabs.dispose();
  });

  it('trims the history of a connected tab at once, and a reconnect\'s new tree starts with the limits', async () => {
    const tabs = new TabsState(tabsApi());
    const tab = tabs.add();
    expect(await tab.connect()).toBe(true);
    tab.explorer.ingest({ connectionId: tab.connection.connectionId!, messages: ['1', '2', '3', '4', '5'].map((p) => message('a', p)), coalesced: 0, truncated: 0, seq: 0, rendererBehind: false });
    expect(tab.explorer.tree.find('a')?.historyLength).toBe(5);

    tabs.applySettings({ ...DEFAULT_SETTINGS, historyPerTopic: 3, historyBudgetMiB: 8 });
    expect(tab.explorer.tree.find('a')?.history.map((m) => new TextDecoder().decode(m.payload))).toEqual(['3', '4', '5']);
    expect(tab.explorer.tree.stats.historyDropped).toBe(2);

    // Disconnect, then Connect from the form: a new connection, a new tree.
    const firstTree = tab.explorer;
    await tab.connection.disconnect();
    expect(await tab.connect()).toBe(true);
    expect(tab.explorer).not.toBe(firstTree);
    expect(tab.explorer.tree.limits).toMatchObject({ historyPerTopic: 3, totalHistoryBytes: 8 * 1024 * 1024 });
    tabs.dispose();
  });
});
