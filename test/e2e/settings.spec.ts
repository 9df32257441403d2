/**
 * Settings as a user meets them: the "Settings" button opens a dialog; a smaller
 * history applies at once to the connected tab; the theme and the time format change
 * what the page shows; an invalid value is refused with the reason and changes nothing;
 * Escape cancels; and the settings are still there after the host restarts. Against a
 * web host of this file's own, so its settings.json is the only one.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';
import { ownWebHost } from './web-host-process';

const host = ownWebHost('settings');

test.describe.configure({ mode: 'serial' });

function settingsDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Settings' });
}

async function openSettings(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = settingsDialog(page);
  await expect(dialog).toBeVisible();
  return dialog;
}

async function saveSettings(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();
}

// A string: the e2e project has no DOM types.
const bodyBackground = (page: Page): Promise<string> => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');

test('a smaller "Messages kept per topic" trims the connected tab\'s history at once; theme and time format change the page', async ({ page }) => {
  const prefix = uniquePrefix('settings');
  const topic = `${prefix}/counter`;
  const app = new AppPage(page);
  await app.open({ url: host.url() });
  await app.fillTcp(broker());
  await app.setSubscriptions([`${prefix}/#`]);
  await app.connect();

  const peer = await MqttPeer.connect(broker());
  try {
    for (let i = 1; i <= 5; i++) await peer.publish(topic, `value ${i}`, { qos: 1 });
    await app.filter(topic);
    await app.row(topic).click();
    const details = page.getByLabel('Topic details');
    const historyTab = details.getByRole('tab', { name: 'History', exact: true });
    const valueTab = details.getByRole('tab', { name: 'Value', exact: true });
    await historyTab.click();
    await expect(details).toContainText('5 kept');

    let dialog = await openSettings(page);
    await dialog.getByLabel('Messages kept per topic', { exact: true }).fill('3');
    await saveSettings(dialog);
    // The tab that was already open keeps only the 3 newest, at once.
    await expect(details).toContainText('3 kept');
    const history = details.getByRole('listbox', { name: 'History', exact: true }).getByRole('option');
    await expect(history).toHaveCount(3);
    await expect(history.first()).toContainText('value 5');
    await expect(history.last()).toContainText('value 3');

    // And new messages are kept to the same length.
    for (let i = 6; i <= 7; i++) await peer.publish(topic, `value ${i}`, { qos: 1 });
    await expect(history.first()).toContainText('value 7');
    await expect(details).toContainText('3 kept');
    await valueTab.click();
    await expect(details).toContainText(/Messages\s*7/);

    // Theme: the page's own colours follow it, whatever the system prefers.
    dialog = await openSettings(page);
    await dialog.getByLabel('Theme', { exact: true }).selectOption('light');
    await saveSettings(dialog);
    await expect.poll(() => bodyBackground(page)).toBe('rgb(255, 255, 255)');
    dialog = await openSettings(page);
    await dialog.getByLabel('Theme', { exact: true }).selectOption('dark');
    await saveSettings(dialog);
    await expect.poll(() => bodyBackground(page)).toBe('rgb(23, 25, 28)');

    // Time format: UTC clock times end in "Z", in the details and the log alike.
    await historyTab.click();
    const firstTime = details.locator('time').first();
    await expect(firstTime).not.toHaveText(/Z$/);
    dialog = await openSettings(page);
    await dialog.getByLabel('Time format', { exact: true }).selectOption('utc');
    await saveSettings(dialog);
    await expect(firstTime).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}Z$/);
    await expect((await app.log()).locator('time').first()).toHaveText(/Z$/);

    // Relative: ages that keep counting while shown (the window's one-second clock).
    dialog = await openSettings(page);
    await dialog.getByLabel('Time format', { exact: true }).selectOption('relative');
    await saveSettings(dialog);
    await expect(firstTime).toHaveText(/^(now|\d+ s ago)$/);
    const age = await firstTime.textContent();
    await expect(firstTime).not.toHaveText(age ?? '', { timeout: 5_000 });
    dialog = await openSettings(page);
    await dialog.getByLabel('Time format', { exact: true }).selectOption('utc');
    await saveSettings(dialog);
    await expect(firstTime).toHaveText(/Z$/);

    // Row density: compact rows are 20 px high instead of 24.
    await expect.poll(async () => (await app.row(topic).boundingBox())?.height).toBe(24);
    dialog = await openSettings(page);
    await dialog.getByLabel('Row density', { exact: true }).selectOption('compact');
    await saveSettings(dialog);
    await expect.poll(async () => (await app.row(topic).boundingBox())?.height).toBe(20);
  } finally {
    await peer.end();
  }
});

test('an invalid value is refused with the reason, and nothing changes; Escape cancels an edit', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ url: host.url() });
  const dialog = await openSettings(page);
  const kept = dialog.getByLabel('Messages kept per topic', { exact: true });
  await expect(kept).toHaveValue('3');
  await kept.fill('0');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Messages kept per topic must be a whole number from 1 to 10000.');
  await expect(kept).toHaveAttribute('aria-invalid', 'true');
  await expect(kept).toBeFocused();
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(dialog).toBeHidden();

  // Nothing was saved: not on disk, and the dialog opens with the value in force.
  expect(JSON.parse(await readFile(join(host.configDir(), 'settings.json'), 'utf8'))).toMatchObject({ historyPerTopic: 3 });
  await openSettings(page);
  await expect(kept).toHaveValue('3');
  await dialog.getByLabel('Theme', { exact: true }).selectOption('light');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect.poll(() => bodyBackground(page)).toBe('rgb(23, 25, 28)');
});

test('settings persist across a host restart, and "Default MQTT version" starts new tabs', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ url: host.url() });
  let dialog = await openSettings(page);
  await dialog.getByLabel('Default MQTT version', { exact: true }).selectOption('3.1.1');
  await saveSettings(dialog);

  await host.restart();
  await app.open({ url: host.url() });
  await expect.poll(() => bodyBackground(page)).toBe('rgb(23, 25, 28)');
  dialog = await openSettings(page);
  await expect(dialog.getByLabel('Messages kept per topic', { exact: true })).toHaveValue('3');
  await expect(dialog.getByLabel('Theme', { exact: true })).toHaveValue('dark');
  await expect(dialog.getByLabel('Time format', { exact: true })).toHaveValue('utc');
  await expect(dialog.getByLabel('Default MQTT version', { exact: true })).toHaveValue('3.1.1');
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();

  await page.getByRole('button', { name: 'New connection tab' }).click();
  await expect(app.field('MQTT version')).toHaveValue('3.1.1');
});
