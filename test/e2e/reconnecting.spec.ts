/**
 * A broker outage while connected, against a Mosquitto of this file's own (the shared
 * one must stay up for the other specs): the tab shows it is reconnecting and its
 * subscriptions wait for the connection instead of changing only the form.
 */
import { expect, test } from '@playwright/test';
import { startMosquitto, type MosquittoBroker } from '../harness/mosquitto';
import { AppPage, uniquePrefix } from './app-page';

let outage: MosquittoBroker | undefined;

test.beforeAll(async () => {
  outage = await startMosquitto();
});

test.afterAll(async () => {
  await outage?.stop();
});

test('while reconnecting the subscriptions cannot be edited, with a hint, and can again once connected', async ({ page }) => {
  if (!outage) throw new Error('The broker of this file did not start.');
  const info = outage.info();
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(info);
  const prefix = uniquePrefix('reconnecting');
  await app.setSubscriptions([`${prefix}/#`]);
  await app.connect();
  // Subscriptions are edited in the unfolded form; while connected each edit applies at once.
  await app.editConnection();

  const section = app.panel.locator('details', { has: page.locator('summary', { hasText: /^Subscriptions/ }) });
  await section.locator('summary').click();
  const filterField = section.getByLabel('Subscription filter', { exact: true });
  await expect(filterField).toBeEnabled();

  await outage.pause();
  await expect(app.status).toContainText('Reconnecting to');
  await expect(filterField).toBeDisabled();
  await expect(section.getByRole('button', { name: `Remove subscription ${prefix}/#` })).toBeDisabled();
  await expect(section.getByRole('note')).toContainText('Reconnecting: the broker gets these subscriptions again once connected');

  await outage.resume();
  await expect(app.status).toContainText('Connected to');
  await expect(section.getByRole('note')).toHaveCount(0);
  // Editing is live again: a new filter is subscribed on the broker at once.
  await filterField.fill(`${prefix}/more/#`);
  await section.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(section).toContainText(`Subscribed to "${prefix}/more/#", granted QoS 0.`);
  await app.disconnect();
});
