/**
 * Profiles, several connections in tabs, and surviving a reload, against a web host of
 * this file's own: it has its own config folder (so the profiles here are the only
 * ones) and the first test restarts it.
 */
import { expect, test } from '@playwright/test';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';
import { ownWebHost, startWebHost } from './web-host-process';

const host = ownWebHost('profiles');
const hostUrl = host.url;

// The tests build on each other's profiles and connections, in this order.
test.describe.configure({ mode: 'serial' });

const prefixA = uniquePrefix('tab-a');
const prefixB = uniquePrefix('tab-b');

test('a profile saved with its password survives a host restart and connects without typing it', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ url: hostUrl() });
  await app.fillTcp(broker());
  await app.saveProfile('Local TCP', { plainText: true });
  // The password now lives in the profile; the form only says so.
  await expect(app.field('Password')).toHaveValue('saved');

  await host.restart();
  await app.open({ url: hostUrl(), keepTabs: true });
  await expect(app.profileButton('Local TCP')).toBeVisible();
  await app.profileButton('Local TCP').click();
  await expect(app.field('Host')).toHaveValue(broker().host);
  await expect(app.field('Port')).toHaveValue(String(broker().ports.mqtt));
  await expect(app.field('Password')).toHaveValue('saved');
  await app.connect();
  await expect(app.tab('Local TCP')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Open profile Local TCP' })).toContainText('last used');
});

test('two profiles connected at once each show their own topics', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ url: hostUrl() });

  // Profile A: plain TCP, only A's topics.
  await app.fillTcp(broker());
  await app.setSubscriptions([`${prefixA}/#`]);
  await app.saveProfile('Sensors A', { plainText: true });
  await app.connect();

  // Profile B, in a new tab: the same broker over websockets, only B's topics.
  await page.getByRole('button', { name: 'New connection tab' }).click();
  await expect(app.tabs).toHaveCount(2);
  await app.field('Protocol').selectOption('ws');
  await app.field('Host').fill(broker().host);
  await app.field('Port').fill(String(broker().ports.ws));
  await app.field('Username').fill(broker().username);
  await app.field('Password').fill(broker().password);
  await app.setSubscriptions([`${prefixB}/#`]);
  await app.saveProfile('Sensors B', { plainText: true });
  await app.connect();

  const peer = await MqttPeer.connect(broker());
  await peer.publish(`${prefixA}/kitchen`, 'from A', { qos: 1 });
  await peer.publish(`${prefixB}/garage`, 'from B', { qos: 1 });
  await peer.publish(`${prefixA}/door`, 'closed', { qos: 1, retain: true });
  await peer.end();

  await app.filter('e2e/');
  await expect(app.row(`${prefixB}/garage`)).toContainText('from B');
  await expect(app.row(`${prefixA}/kitchen`)).toHaveCount(0);

  await app.tab('Sensors A').click();
  await expect(app.tab('Sensors A')).toHaveAttribute('aria-selected', 'true');
  await app.filter('e2e/');
  await expect(app.row(`${prefixA}/kitchen`)).toContainText('from A');
  await expect(app.row(`${prefixB}/garage`)).toHaveCount(0);

  // The tabs follow the WAI-ARIA pattern: arrows move between them.
  await app.tab('Sensors A').focus();
  await page.keyboard.press('ArrowRight');
  await expect(app.tab('Sensors B')).toHaveAttribute('aria-selected', 'true');
  await expect(app.tab('Sensors B')).toBeFocused();
  // Both tabs stay mounted: ids (rows, form fields) must still be unique in the page,
  // or labels and the tree's active row would point into the hidden tab.
  const duplicateIds = await page.evaluate(
    `(() => { const seen = new Set(), dup = []; for (const el of document.querySelectorAll('[id]')) { if (seen.has(el.id)) dup.push(el.id); seen.add(el.id); } return dup; })()`,
  );
  expect(duplicateIds).toEqual([]);
  await page.screenshot({ path: 'test-results/two-tabs.png' });
});

test('after a reload the tabs and their connections come back, with retained values and drafts', async ({ page }) => {
  const app = new AppPage(page);
  // Same page session as a user's window: open, look, then reload.
  await app.open({ url: hostUrl(), keepTabs: true });
  await expect(app.tabs).toHaveCount(2);
  // An unsaved draft in a third tab.
  await page.getByRole('button', { name: 'New connection tab' }).click();
  await app.field('Host').fill('draft.example');
  await app.field('Password').fill('draft-secret');
  await app.tab('Sensors A').click();
  // Drafts are kept for the reload, secrets never.
  // A string expression: the test tsconfig has no DOM types.
  const stored = String(await page.evaluate('JSON.stringify(sessionStorage)'));
  expect(stored).toContain('draft.example');
  expect(stored).not.toContain('draft-secret');

  await page.reload();
  await expect(app.tabs).toHaveCount(3);
  await expect(app.tabs.nth(0)).toContainText('Sensors A');
  await expect(app.tabs.nth(1)).toContainText('Sensors B');
  await expect(app.tabs.nth(2)).toContainText('draft.example');
  await expect(app.tab('Sensors A')).toHaveAttribute('aria-selected', 'true');
  await expect(app.status).toContainText('Connected to');
  // Subscribing again made the broker send the retained value to the new window.
  await app.filter(prefixA);
  await expect(app.row(`${prefixA}/door`)).toContainText('closed');
  // And new messages still reach the right tab.
  const peer = await MqttPeer.connect(broker());
  await peer.publish(`${prefixA}/window`, 'open', { qos: 1 });
  await peer.end();
  await expect(app.row(`${prefixA}/window`)).toContainText('open');

  await app.tab('draft.example').click();
  await expect(app.field('Host')).toHaveValue('draft.example');
  await expect(app.field('Password')).toHaveValue('');

  // Closing a tab disconnects it: after another reload it stays gone.
  await page.getByRole('button', { name: 'Close tab Sensors B' }).click();
  await expect(app.tabs).toHaveCount(2);
  await page.reload();
  await expect(app.tabs).toHaveCount(2);
  await expect(app.tab('Sensors B')).toHaveCount(0);
});

test('imports an MQTTX export and lists its connections, with the skipped ones explained', async ({ page }) => {
  const exportFile = join(host.configDir(), 'mqttx-export.json');
  const mqttx = [
    { id: 'a1', name: 'EMQX Cloud staging', clientId: 'mqttx_1', host: 'staging.example.com', port: 8883, protocol: 'mqtts', ssl: true, mqttVersion: '5.0', clean: true, keepalive: 60, connectTimeout: 10, reconnect: true, username: '', password: '', path: '/mqtt', subscriptions: [] },
    { id: 'a2', name: 'Local ws', clientId: 'mqttx_2', host: 'localhost', port: 8083, protocol: 'ws', ssl: false, mqttVersion: '3.1.1', clean: true, keepalive: 30, connectTimeout: 5, reconnect: false, path: '/mqtt', subscriptions: [] },
    { id: 'a3', name: 'Broken', clientId: 'mqttx_3', host: 'x.example', port: 1883, protocol: 'quic', mqttVersion: '3.1.1' },
  ];
  await writeFile(exportFile, JSON.stringify(mqttx));

  const app = new AppPage(page);
  await app.open({ url: hostUrl() });
  await page.getByLabel('Import profiles (Topicscope or MQTTX JSON)').setInputFiles(exportFile);
  const report = page.getByRole('status').filter({ hasText: 'Imported' });
  await expect(report).toContainText('Imported 2 profiles from an MQTTX export.');
  await expect(report).toContainText('Broken');
  await expect(app.profileButton('EMQX Cloud staging')).toContainText('mqtts://staging.example.com:8883');
  await expect(app.profileButton('Local ws')).toBeVisible();

  await app.profileButton('Local ws').click();
  await expect(app.field('Protocol')).toHaveValue('ws');
  await expect(app.field('Port')).toHaveValue('8083');
});

test('profiles are renamed, duplicated, deleted after confirming, and the chosen order is remembered', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ url: hostUrl() });
  const list = page.getByRole('complementary', { name: 'Profiles' });

  await list.getByRole('button', { name: 'Rename profile Local TCP' }).click();
  await list.getByRole('textbox', { name: 'New name for profile Local TCP' }).fill('Local broker');
  await page.keyboard.press('Enter');
  await expect(app.profileButton('Local broker')).toBeVisible();
  await expect(app.profileButton('Local TCP')).toHaveCount(0);

  await list.getByRole('button', { name: 'Duplicate profile Local broker' }).click();
  await expect(app.profileButton('Local broker copy')).toBeVisible();
  // The copy has the saved password too.
  await expect(app.profileButton('Local broker copy')).toContainText('password saved');

  await list.getByRole('button', { name: 'Delete profile Local broker copy' }).click();
  await list.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(app.profileButton('Local broker copy')).toBeVisible();
  await list.getByRole('button', { name: 'Delete profile Local broker copy' }).click();
  await list.getByRole('alertdialog').getByRole('button', { name: 'Delete profile', exact: true }).click();
  await expect(app.profileButton('Local broker copy')).toHaveCount(0);

  const names = list.getByRole('button', { name: /^Open profile / });
  await expect(names).toHaveText([/^EMQX Cloud staging/, /^Local broker/, /^Local ws/, /^Sensors A/, /^Sensors B/]);
  await list.getByLabel('Sort').selectOption('lastUsed');
  // Sensors B was connected last, then Sensors A, then Local broker; the rest never.
  await expect(names).toHaveText([/^Sensors B/, /^Sensors A/, /^Local broker/, /^EMQX Cloud staging/, /^Local ws/]);
  await page.reload();
  await expect(list.getByLabel('Sort')).toHaveValue('lastUsed');
  await expect(names.first()).toContainText('Sensors B');
});

test('exports the profiles as a download, with passwords only when asked and warned', async ({ page }) => {
  const app = new AppPage(page);
  await app.open({ url: hostUrl() });
  const list = page.getByRole('complementary', { name: 'Profiles' });

  async function download(): Promise<{ name: string; text: string }> {
    const started = page.waitForEvent('download');
    await list.getByRole('button', { name: 'Export profiles' }).click();
    const file = await started;
    const path = await file.path();
    return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
  }

  const plain = await download();
  expect(plain.name).toMatch(/^topicscope-profiles-.*\.json$/);
  expect(plain.text).toContain('Sensors A');
  expect(plain.text).not.toContain(broker().password);
  await expect(list.getByText(/^Exported 5 profiles to topicscope-profiles-/)).toBeVisible();

  await expect(list.getByText('plain text: anyone who gets it')).toHaveCount(0);
  await list.getByLabel('Include passwords').check();
  await expect(list.getByText(/plain text: anyone who gets it/)).toBeVisible();
  const withSecrets = await download();
  expect(withSecrets.text).toContain(broker().password);
});

test('a corrupt profile store is reported once with the backup kept, and the app still works', async ({ page }) => {
  const brokenDir = await mkdtemp(join(tmpdir(), 'topicscope-corrupt-e2e-'));
  await writeFile(join(brokenDir, 'profiles.json'), '{ "version": 1, "profiles": [ this is not JSON');
  const brokenHost = await startWebHost({ configDir: brokenDir });
  try {
    const app = new AppPage(page);
    await app.open({ url: brokenHost.url, keepTabs: true });
    const notice = page.getByRole('alert').filter({ hasText: 'Your saved profiles could not be read.' });
    await expect(notice).toBeVisible();
    await expect(notice).toContainText(brokenDir);
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice).toHaveCount(0);
    // Once read, it is not shown again on a reload.
    await page.reload();
    await expect(app.connectButton).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'Your saved profiles could not be read.' })).toHaveCount(0);
    // The store starts empty and works: a new profile can be saved.
    await app.fillTcp(broker());
    await app.field('Password').fill('');
    await app.saveProfile('After recovery');
    await expect(app.profileButton('After recovery')).toBeVisible();
  } finally {
    await brokenHost.stop();
    await rm(brokenDir, { recursive: true, force: true });
  }
});
