import { expect, test, type Page } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';

async function connected(page: Page, subscribeAtQos1?: string): Promise<AppPage> {
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  if (subscribeAtQos1) await subscribeAtQos(app, subscribeAtQos1, '1');
  await app.connect();
  return app;
}

/** Replaces the form's subscriptions with one filter at `qos`, so messages arrive at up to that QoS. */
async function subscribeAtQos(app: AppPage, filter: string, qos: string): Promise<void> {
  const section = app.panel.locator('details', { has: app.panel.page().locator('summary', { hasText: /^Subscriptions/ }) });
  await section.locator('summary').click();
  const removers = section.getByRole('button', { name: /^Remove subscription / });
  for (let left = await removers.count(); left > 0; left--) await removers.first().click();
  await section.getByLabel('Subscription filter', { exact: true }).fill(filter);
  await section.getByLabel('Subscription QoS', { exact: true }).selectOption(qos);
  await section.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(section.locator('summary')).toHaveText('Subscriptions (1)');
  await section.locator('summary').click();
}

test('the History list shows each message with its size, QoS and retain flag; a click shows that message in Value', async ({ page }) => {
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('history');
  const topic = `${prefix}/lamp`;
  const peer = await MqttPeer.connect(broker());
  // Retained before the app subscribes, so it arrives with the retain flag.
  await peer.publish(topic, 'first', { qos: 1, retain: true });
  const app = await connected(page, `${prefix}/#`);
  await app.filter(topic);
  await expect(app.row(topic)).toContainText('first');
  await peer.publish(topic, 'second value', { qos: 0 });
  await peer.publish(topic, 'third', { qos: 1 });
  await expect(app.row(topic)).toContainText('third');
  await app.row(topic).click();
  const details = page.getByLabel('Topic details');
  await details.getByRole('tab', { name: 'History', exact: true }).click();
  await expect(details).toContainText('3 kept of 3 received');
  const list = details.getByRole('listbox', { name: 'History', exact: true });
  const entries = list.getByRole('option');
  await expect(entries).toHaveCount(3);
  // Newest first: size in bytes, QoS, retained or not, the time since the one before.
  await expect(entries.nth(0)).toHaveAccessibleName(/, 5 B, QoS 1, \+\d+(\.\d\d)? m?s after the previous, third$/);
  await expect(entries.nth(1)).toHaveAccessibleName(/, 12 B, QoS 0, .*second value$/);
  await expect(entries.nth(2)).toHaveAccessibleName(/, 5 B, QoS 1, retained, first$/);

  await entries.nth(1).click();
  const value = details.getByRole('tab', { name: 'Value', exact: true });
  await expect(value).toHaveAttribute('aria-selected', 'true');
  const panel = details.getByRole('tabpanel');
  await expect(panel).toContainText('Showing the message of');
  await expect(panel).toContainText('second value');
  await expect(panel).toContainText(/QoS\s*0/);

  // From the picked message to its diff with the one before it.
  await panel.getByRole('button', { name: 'Compare with previous', exact: true }).click();
  await expect(details.getByRole('tab', { name: 'Diff', exact: true })).toHaveAttribute('aria-selected', 'true');
  const differences = details.getByRole('region', { name: 'Differences', exact: true });
  await expect(differences).toContainText('1 line added, 1 removed');
  await expect(differences).toContainText(/-\s*first/);
  await expect(differences).toContainText(/\+\s*second value/);
  await value.click();
  await expect(panel).toContainText('Showing the message of');
  await panel.getByRole('button', { name: 'Back to latest', exact: true }).click();
  await expect(panel).toContainText('third');
  await expect(panel).not.toContainText('Showing the message of');

  // The keyboard: arrows move through the list, Enter shows the entry.
  await details.getByRole('tab', { name: 'History', exact: true }).click();
  await list.focus();
  for (let down = 0; down < 3; down++) await list.press('ArrowDown');
  await list.press('Enter');
  await expect(value).toHaveAttribute('aria-selected', 'true');
  await expect(panel).toContainText('first');
  await expect(panel).toContainText(/Retained\s*yes/);
  // The retained value is cleared, for later runs.
  await peer.publish(topic, '', { qos: 1, retain: true });
  await peer.end();
  expect(violations).toEqual([]);
});

test('the Diff tab names the changed key of two JSON messages, and compares with another topic', async ({ page }) => {
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('diff');
  const topic = `${prefix}/sensor`;
  const app = await connected(page);
  const peer = await MqttPeer.connect(broker());
  await peer.publish(`${prefix}/other`, '{"t":1,"h":7}', { qos: 1 });
  await peer.publish(topic, '{"t":1,"h":5}', { qos: 1 });
  await peer.publish(topic, '{"t":2,"h":5}', { qos: 1 });

  await app.filter(topic);
  await expect(app.row(topic)).toContainText('"t":2');
  await app.row(topic).click();
  const details = page.getByLabel('Topic details');
  await details.getByRole('tab', { name: 'Diff', exact: true }).click();
  const differences = details.getByRole('region', { name: 'Differences', exact: true });
  await expect(differences).toContainText('1 change');
  const changes = differences.getByRole('table', { name: 'Changes' });
  await expect(changes.getByRole('row').nth(1)).toHaveText(/\$\.t\s*changed\s*1 → 2/);

  // Identical messages say so.
  await peer.publish(topic, '{"t":2,"h":5}', { qos: 1 });
  await expect(differences).toContainText('The two messages are identical.');

  // Older pinned to the first message: the diff is the same change again.
  await details.getByLabel('Older').selectOption({ index: 3 });
  await expect(changes.getByRole('row').nth(1)).toHaveText(/\$\.t\s*changed\s*1 → 2/);

  // The latest against another topic's last value.
  await details.getByRole('radio', { name: "another topic's last value" }).check();
  await details.getByRole('combobox', { name: 'Other topic' }).fill(`${prefix}/other`);
  await details.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(differences).toContainText('2 changes');
  await expect(changes).toContainText('$.t');
  await expect(changes).toContainText('$.h');
  await expect(changes).toContainText('7 → 5');
  await peer.end();
  expect(violations).toEqual([]);
});

test('"Search values" finds a topic by a word only in its payload', async ({ page }) => {
  const prefix = uniquePrefix('values');
  const app = await connected(page);
  const peer = await MqttPeer.connect(broker());
  await peer.publish(`${prefix}/boiler`, '{"alarm":"Overheated"}', { qos: 1 });
  await peer.publish(`${prefix}/pump`, '{"alarm":"none"}', { qos: 1 });
  await app.filter(prefix);
  await expect(app.row(`${prefix}/pump`)).toBeVisible();

  const word = `overheated-${prefix.split('/').at(-1)}`;
  await peer.publish(`${prefix}/boiler`, `{"alarm":"${word.toUpperCase()}"}`, { qos: 1 });
  await expect(app.row(`${prefix}/boiler`)).toContainText(word.toUpperCase());
  await app.filter(word);
  const stats = page.getByLabel('Message statistics');
  await expect(stats).toContainText('0 matching');
  await expect(app.row(`${prefix}/boiler`)).toHaveCount(0);

  const searchValues = app.panel.getByRole('checkbox', { name: 'Search values', exact: true });
  await searchValues.check();
  await expect(app.row(`${prefix}/boiler`)).toBeVisible();
  await expect(app.row(`${prefix}/pump`)).toHaveCount(0);
  await expect(stats).toContainText('1 topic matches (topic or value)');

  // A message arriving later that puts the word in another value shows that topic too.
  await peer.publish(`${prefix}/pump`, `{"alarm":"${word}"}`, { qos: 1 });
  await expect(app.row(`${prefix}/pump`)).toBeVisible();
  await expect(stats).toContainText('2 topics match (topic or value)');

  await searchValues.uncheck();
  await expect(app.row(`${prefix}/boiler`)).toHaveCount(0);
  await peer.end();
});
