/**
 * What the review of the profile features found, as a user meets it: store problems
 * shown once, MQTTX exports with long message histories, "Save as new" keeping the
 * saved password, and "last used" meaning a connection that opened. Against a web host
 * of this file's own, so its profiles are the only ones.
 */
import { expect, test } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freeLoopbackPort } from '../harness/mosquitto';
import { AppPage, broker } from './app-page';
import { ownWebHost } from './web-host-process';

// An unreadable secret file: the core starts anyway and reports it as a notice.
const host = ownWebHost('profile-safety', (configDir) => writeFile(join(configDir, 'secrets.json'), '{ "version": 1, "secrets": { truncated'));
const hostUrl = host.url;

test.describe.configure({ mode: 'serial' });

test('a problem the core reports about the saved passwords is shown until dismissed, and not again on a reload', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ url: hostUrl(), keepTabs: true });
  const notice = page.getByRole('alert').filter({ hasText: 'About your saved profiles' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(join(host.configDir(), 'secrets.json'));
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await page.reload();
  await expect(app.connectButton).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Profiles' })).toContainText('No saved profiles yet');
  await expect(page.getByRole('alert').filter({ hasText: 'About your saved profiles' })).toHaveCount(0);
});

test('an MQTTX export with megabytes of message history imports its connections', async ({ page }) => {
  const history = Array.from({ length: 12_000 }, (_, i) => ({
    id: `m${i}`, topic: 'factory/line1/temperature', payload: JSON.stringify({ t: 21.5, seq: i, note: 'x'.repeat(400) }), qos: 1, retain: false, out: false, createAt: '2024-05-01 10:00:00:000',
  }));
  const mqttx = [
    { id: 'h1', name: 'Factory with history', clientId: 'mqttx_factory', host: 'factory.example', port: 1883, protocol: 'mqtt', mqttVersion: '5.0', clean: true, subscriptions: [{ topic: 'factory/#', qos: 1 }], messages: history, client: { connected: false } },
    { id: 'h2', name: 'Quiet one', clientId: 'mqttx_quiet', host: 'quiet.example', port: 1883, protocol: 'mqtt', mqttVersion: '3.1.1', clean: true, subscriptions: [], messages: [] },
  ];
  const text = JSON.stringify(mqttx);
  // Above the import cap: the history is what makes it big.
  expect(text.length).toBeGreaterThan(5 * 1024 * 1024);
  const exportFile = join(host.configDir(), 'mqttx-with-history.json');
  await writeFile(exportFile, text);

  const app = new AppPage(page);
  await app.open({ url: hostUrl() });
  await page.getByLabel('Import profiles (Topicscope or MQTTX JSON)').setInputFiles(exportFile);
  const report = page.getByRole('status').filter({ hasText: 'Imported' });
  await expect(report).toContainText('Imported 2 profiles from an MQTTX export.');
  await expect(report).toContainText('The message history of 1 connection was left out');
  await app.profileButton('Factory with history').click();
  await expect(app.field('Host')).toHaveValue('factory.example');
});

test('a file too large even without histories says what to do, and imports nothing', async ({ page }) => {
  const exportFile = join(host.configDir(), 'not-an-export.json');
  await writeFile(exportFile, JSON.stringify({ rows: 'y'.repeat(33 * 1024 * 1024) }));
  const app = new AppPage(page);
  await app.open({ url: hostUrl() });
  await page.getByLabel('Import profiles (Topicscope or MQTTX JSON)').setInputFiles(exportFile);
  await expect(page.getByRole('alert').filter({ hasText: 'Topicscope imports connection exports of up to 32 MiB' })).toContainText('MQTTX "Export data" JSON file');
  await expect(page.getByRole('button', { name: /^Open profile / })).toHaveCount(2);
});

test('Save as new keeps the saved password: the copy connects without typing it', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ url: hostUrl() });
  await app.fillTcp(broker());
  await app.saveProfile('Original', { plainText: true });
  await expect(app.field('Password')).toHaveValue('saved');

  await app.saveProfile('Copy of original', { asNew: true });
  await expect(app.tab('Copy of original')).toHaveCount(1);
  await expect(app.profileButton('Copy of original')).toContainText('password saved');
  await expect(app.field('Password')).toHaveValue('saved');
  await app.connect();
});

test('Save as new for another broker leaves the password behind and says so', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ url: hostUrl() });
  await app.profileButton('Original').click();
  await app.field('Protocol').selectOption('ws');
  await app.field('Port').fill(String(broker().ports.ws));
  await app.field('Profile name').fill('Original over ws');
  await app.panel.getByRole('button', { name: 'Save as new', exact: true }).click();
  await expect(app.panel.getByRole('status').filter({ hasText: 'Saved profile "Original over ws".' })).toContainText(
    'The saved password of "Original" was not copied, because this profile names another broker or user',
  );
  await expect(app.profileButton('Original over ws')).not.toContainText('password saved');
});

test('a profile whose connection fails is not marked as last used', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ url: hostUrl() });
  const list = page.getByRole('complementary', { name: 'Profiles' });
  const lastUsed = list.getByRole('button', { name: /^Open profile / }).filter({ hasText: 'last used' });
  await expect(lastUsed).toHaveText([/^Copy of original/]);

  await app.field('Protocol').selectOption('mqtt');
  await app.field('Host').fill('127.0.0.1');
  // Nothing listens there: the first attempt fails.
  await app.field('Port').fill(String(await freeLoopbackPort()));
  await app.saveProfile('Nobody home');
  await app.connectButton.click();
  await expect(app.status).toContainText('Nothing accepted the connection');
  await expect(app.profileButton('Nobody home')).not.toContainText('last used');
  await expect(app.profileButton('Copy of original')).toContainText('last used');
  // An invalid form never reaches the broker either.
  await app.field('Port').fill('99999');
  await app.connectButton.click();
  await expect(app.panel.getByRole('alert')).toContainText('port');
  await expect(lastUsed).toHaveText([/^Copy of original/]);
  // The core agrees: what it recorded comes back after a reload.
  await page.reload();
  await expect(lastUsed).toHaveText([/^Copy of original/]);
});

test('a hand edit of profiles.json while the host runs is kept: combined into the next save, and the user is told at once', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ url: hostUrl() });
  await app.fillTcp({ ...broker(), password: '' });
  await app.saveProfile('Before the edit');
  const file = join(host.configDir(), 'profiles.json');
  const document = JSON.parse(await readFile(file, 'utf8')) as { profiles: { name: string }[] };
  const edited = document.profiles.find((p) => p.name === 'Before the edit');
  if (!edited) throw new Error(`No profile "Before the edit" in ${file}`);
  edited.name = 'Renamed by hand';
  await writeFile(file, JSON.stringify(document, null, 2));

  await app.saveProfile('Saved after the edit', { asNew: true });
  // Without a reload: the hand edit is in the list, and the notice names the kept file.
  await expect(app.profileButton('Renamed by hand')).toHaveCount(1);
  await expect(app.profileButton('Saved after the edit')).toHaveCount(1);
  const notice = page.getByRole('alert').filter({ hasText: 'About your saved profiles' });
  await expect(notice).toContainText('Those changes were combined with yours');
  await expect(notice).toContainText(`${file}.changed-`);
});
