/**
 * Repeat in browser mode: "Repeat every (ms)" with "Times" publishes that many, counted
 * live; an endless repeat runs until Stop; the {{counter}} goes on from where the
 * repeat left it; a retained repeat leaves the tree showing the last retained value.
 * What arrives is checked by another client (mqtt.js), and the tree's own count.
 */
import { expect, test } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';

test('a counted repeat publishes that many, in order, with a live count; an endless one runs until Stop', async ({ page }) => {
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('publish-repeat');
  const peer = await MqttPeer.connect(broker(), { protocolVersion: 5 });
  await peer.subscribe(`${prefix}/#`, 1);
  const app = new AppPage(page);
  await app.openConnected(broker());
  const form = page.getByLabel('Publish a message');
  const publish = form.getByRole('button', { name: 'Publish', exact: true });
  const progress = form.getByRole('status', { name: 'Repeat progress' });
  const stop = form.getByRole('button', { name: 'Stop', exact: true });

  await app.field('Topic').fill(`${prefix}/counted`);
  await app.field('Payload').fill('{{counter}}');
  await app.field('QoS').selectOption('1');
  await app.field('Repeat every (ms)').fill('40');
  await app.field('Times').fill('25');
  await expect(publish).toHaveAccessibleDescription('Publish sends a message every 40 ms, 25 times.');
  await publish.click();
  // The count shows while it runs (25 × 40 ms is a second), then how it ended.
  await expect(progress).toHaveText(/^Sent \d+ of 25/);
  await expect(publish).toBeDisabled();
  await expect(progress).toHaveText('Sent 25 of 25 · done');
  await expect(publish).toBeEnabled();
  await expect.poll(() => peer.messagesOn(`${prefix}/counted`).length).toBe(25);
  expect(peer.messagesOn(`${prefix}/counted`).map((m) => m.payload.toString())).toEqual(Array.from({ length: 25 }, (_, i) => String(i + 1)));
  await app.filter(`${prefix}/counted`);
  await expect(app.row(`${prefix}/counted`)).toContainText('25 msgs');

  // Endless, retained: runs until Stop; the counter goes on from 26.
  const endless = `${prefix}/endless`;
  await app.field('Topic').fill(endless);
  await app.field('Retain').check();
  await app.field('Times').fill('');
  await expect(publish).toHaveAccessibleDescription('Publish sends a message every 40 ms, until you stop it.');
  await publish.click();
  await expect(progress).toHaveText(/^Sent (1\d|[2-9]\d|\d{3,})\b/);
  await stop.click();
  await expect(progress).toHaveText(/^Sent \d+ · stopped$/);
  await expect(stop).toHaveCount(0);
  const sent = Number((await progress.textContent())?.match(/^Sent (\d+)/)?.[1]);
  await page.waitForTimeout(500);
  const received = peer.messagesOn(endless).map((m) => m.payload.toString());
  expect(received).toEqual(Array.from({ length: sent }, (_, i) => String(26 + i)));

  // The app knows the last value as retained, as after a single publish (the broker's
  // copy to our own subscription comes without the retain flag).
  await page.getByRole('tab', { name: /Retained values/ }).click();
  await page.getByRole('searchbox', { name: 'Filter retained values' }).fill(endless);
  await expect(page.locator(`[data-retained-topic="${endless}"] .value`)).toHaveText(String(25 + sent));
  await peer.publish(endless, '', { qos: 1, retain: true });
  await peer.end();
  expect(violations).toEqual([]);
});

test('a period typed wrong blocks Publish and says why', async ({ page }) => {
  const app = new AppPage(page);
  await app.openConnected(broker());
  const form = page.getByLabel('Publish a message');
  await app.field('Topic').fill('e2e/repeat-typo');
  await app.field('Repeat every (ms)').fill('1.5');
  await expect(form).toContainText('Repeat every (ms) must be a whole number; "1.5" is not.');
  await expect(form.getByRole('button', { name: 'Publish', exact: true })).toBeDisabled();
  await app.field('Repeat every (ms)').fill('0');
  await expect(form.getByRole('button', { name: 'Publish', exact: true })).toBeEnabled();
  await expect(app.field('Times')).toBeDisabled();
});
