/**
 * Saved messages and the publish history, against a web host of this file's own (its
 * own config folder, restarted in the first test): a message saved from the form is
 * recalled after a host restart with everything it held, found by search, renamed and
 * deleted (with Undo); the history refills the form with an earlier message sent.
 */
import { expect, test, type Locator } from '@playwright/test';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';
import { ownWebHost } from './web-host-process';

const host = ownWebHost('saved-messages');

function savedList(app: AppPage): Locator {
  return app.panel.getByRole('list', { name: 'Saved messages' });
}

/** The button that puts a saved message in the form: its name, then its topic. */
function savedEntry(app: AppPage, name: string): Locator {
  return savedList(app).getByRole('button', { name: new RegExp(`^${name} `) });
}

async function saveMessage(app: AppPage, name: string, collection: string): Promise<void> {
  await app.panel.getByRole('button', { name: 'Save message', exact: true }).click();
  const fields = app.panel.getByRole('group', { name: 'Save message' });
  await fields.getByLabel('Message name').fill(name);
  await fields.getByLabel('Collection').fill(collection);
  // Enter saves the message; it must not publish it.
  await fields.getByLabel('Message name').press('Enter');
}

test('a saved message is recalled after a host restart with all it held; search, rename and delete (with Undo)', async ({ page }) => {
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('saved');
  const app = new AppPage(page);
  await app.open({ url: host.url() });
  await app.fillTcp(broker());

  // Without a profile there is nowhere to keep it, and the form says what to do.
  await app.panel.getByRole('button', { name: 'Save message', exact: true }).click();
  await expect(app.panel.getByRole('status').filter({ hasText: 'Save this connection as a profile to keep messages.' })).toBeVisible();

  await app.saveProfile('Publisher', { plainText: true });
  await app.field('Topic').fill(`${prefix}/lamp/set`);
  await app.field('Format').selectOption({ label: 'JSON' });
  await app.field('Payload').fill('{"on": true}');
  await app.field('QoS').selectOption('1');
  await app.field('Retain').check();
  await app.panel.getByText('MQTT 5 properties').click();
  await app.panel.getByRole('button', { name: 'Add user property' }).click();
  await app.field('Property name').fill('source');
  await app.field('Property value').fill('topicscope');
  await app.field('Content type').fill('application/json');
  await saveMessage(app, 'Lamp on', 'Lights');
  await expect(app.panel.getByRole('status').filter({ hasText: 'Saved "Lamp on" in "Lights".' })).toBeVisible();

  // The same name in the same collection asks before replacing.
  await app.field('Payload').fill('{"on": true, "level": 80}');
  await saveMessage(app, 'lamp ON', 'Lights');
  await expect(app.panel.getByRole('status').filter({ hasText: 'A message named "Lamp on" is already saved in "Lights". Replace it?' })).toBeVisible();
  await app.panel.getByRole('button', { name: 'Replace', exact: true }).click();
  await expect(app.panel.getByRole('status').filter({ hasText: 'Replaced "lamp ON" in "Lights".' })).toBeVisible();

  await app.field('Topic').fill(`${prefix}/ping`);
  await app.field('Format').selectOption({ label: 'Text' });
  await app.field('Payload').fill('ping');
  await saveMessage(app, 'Ping', '');
  await expect(app.panel.getByRole('status').filter({ hasText: 'Saved "Ping" in Unsorted.' })).toBeVisible();

  await host.restart();
  await app.open({ url: host.url() });
  await app.profileButton('Publisher').click();
  // Grouped by collection, "Unsorted" last.
  await expect(savedList(app).locator(':scope > li > span')).toHaveText(['Lights', 'Unsorted']);
  await savedEntry(app, 'lamp ON').click();
  await expect(app.field('Topic')).toHaveValue(`${prefix}/lamp/set`);
  await expect(app.field('Format')).toHaveValue('json');
  await expect(app.field('Payload')).toHaveValue('{"on": true, "level": 80}');
  await expect(app.field('QoS')).toHaveValue('1');
  await expect(app.field('Retain')).toBeChecked();
  await expect(app.field('Property name')).toHaveValue('source');
  await expect(app.field('Property value')).toHaveValue('topicscope');
  await expect(app.field('Content type')).toHaveValue('application/json');

  // Search by name and by topic.
  const search = app.panel.getByRole('searchbox', { name: 'Search saved messages' });
  await search.fill('PING');
  await expect(savedList(app).getByRole('button', { name: /^Rename / })).toHaveCount(1);
  await expect(savedEntry(app, 'Ping')).toBeVisible();
  await search.fill('lamp/set');
  await expect(savedEntry(app, 'lamp ON')).toBeVisible();
  await expect(savedEntry(app, 'Ping')).toHaveCount(0);
  await search.fill('');

  await savedList(app).getByRole('button', { name: 'Rename Ping', exact: true }).click();
  await app.panel.getByLabel('New name for Ping').fill('Ping twice');
  await app.panel.getByLabel('New name for Ping').press('Enter');
  await expect(savedEntry(app, 'Ping twice')).toBeVisible();

  await savedList(app).getByRole('button', { name: 'Delete Ping twice', exact: true }).click();
  await expect(savedEntry(app, 'Ping twice')).toHaveCount(0);
  await app.panel.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(savedEntry(app, 'Ping twice')).toBeVisible();
  await savedList(app).getByRole('button', { name: 'Delete Ping twice', exact: true }).click();
  await expect(app.panel.getByRole('status').filter({ hasText: 'Deleted "Ping twice".' })).toBeVisible();

  // What the list shows is what the profile keeps.
  await page.reload();
  await expect(savedEntry(app, 'lamp ON')).toBeVisible();
  await expect(savedEntry(app, 'Ping twice')).toHaveCount(0);
  expect(violations).toEqual([]);
});

test('the publish history refills the form with a message sent earlier, and its search filters by topic or payload', async ({ page }) => {
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('history');
  const app = new AppPage(page);
  await app.open({ url: host.url() });
  await app.fillTcp(broker());
  await app.connect();
  const publish = app.panel.getByRole('button', { name: 'Publish', exact: true });

  await app.field('Topic').fill(`${prefix}/first`);
  await app.field('Payload').fill('alpha {{counter}}');
  await app.field('QoS').selectOption('1');
  await publish.click();
  await expect(app.panel.getByText('Published, acknowledged by the broker (QoS 1).')).toBeVisible();
  await app.field('Topic').fill(`${prefix}/second`);
  await app.field('Format').selectOption({ label: 'JSON' });
  await app.field('Payload').fill('{"beta": 2}');
  await app.field('QoS').selectOption('0');
  await publish.click();
  await expect(app.panel.getByText('Sent (QoS 0 is not acknowledged).')).toBeVisible();

  await app.panel.getByText('History (2)').click();
  const history = app.panel.getByRole('list', { name: 'Publish history' });
  // Newest first.
  await expect(history.getByRole('listitem')).toHaveCount(2);
  await expect(history.getByRole('listitem').nth(0)).toContainText(`${prefix}/second`);
  await expect(history.getByRole('listitem').nth(1)).toContainText(`${prefix}/first`);

  // The draft as typed comes back: variables unexpanded, its format and QoS.
  await history.getByRole('button', { name: new RegExp(`${prefix}/first`) }).click();
  await expect(app.field('Topic')).toHaveValue(`${prefix}/first`);
  await expect(app.field('Payload')).toHaveValue('alpha {{counter}}');
  await expect(app.field('Format')).toHaveValue('text');
  await expect(app.field('QoS')).toHaveValue('1');

  const search = app.panel.getByRole('searchbox', { name: 'Search history' });
  await search.fill('BETA');
  await expect(history.getByRole('listitem')).toHaveCount(1);
  await expect(history.getByRole('listitem')).toContainText(`${prefix}/second`);
  await search.fill(`${prefix}/first`);
  await expect(history.getByRole('listitem')).toHaveCount(1);
  await expect(history.getByRole('listitem')).toContainText('alpha {{counter}}');
  expect(violations).toEqual([]);
});

test("a profile's publish history is there after a host restart, and Clear history forgets it", async ({ page }) => {
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('history-kept');
  const app = new AppPage(page);
  await app.open({ url: host.url() });
  await app.fillTcp(broker());
  await app.saveProfile('Sender', { plainText: true });
  await app.connect();
  await app.field('Topic').fill(`${prefix}/kept`);
  await app.field('Payload').fill('kept across a restart');
  await app.panel.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(app.panel.getByText('Sent (QoS 0 is not acknowledged).')).toBeVisible();

  await host.restart();
  await app.open({ url: host.url() });
  await app.profileButton('Sender').click();
  await app.panel.getByText('History (1)').click();
  const history = app.panel.getByRole('list', { name: 'Publish history' });
  await history.getByRole('button', { name: new RegExp(`${prefix}/kept`) }).click();
  await expect(app.field('Topic')).toHaveValue(`${prefix}/kept`);
  await expect(app.field('Payload')).toHaveValue('kept across a restart');

  await app.panel.getByRole('button', { name: 'Clear history', exact: true }).click();
  await expect(history.getByRole('listitem')).toHaveCount(0);
  await page.reload();
  await app.panel.getByText('History', { exact: true }).click();
  await expect(app.panel.getByText('Nothing sent yet')).toBeVisible();
  expect(violations).toEqual([]);
});
