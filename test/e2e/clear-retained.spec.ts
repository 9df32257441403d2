import { expect, test } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { retainedTopicsOnBroker } from '../harness/retained-on-broker';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';

/** Retained topics the filter matches; one more under the prefix must stay. */
const COUNT = 120;

test('Clear retained…: find by filter, the count stated, cleared on the broker and in the tree', async ({ page }) => {
  test.setTimeout(90_000);
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('clear-retained');
  const matching = Array.from({ length: COUNT }, (_, i) => `${prefix}/devices/d${i}/status`);
  const kept = `${prefix}/devices/d1/config`;
  const peer = await MqttPeer.connect(broker());
  try {
    await Promise.all([...matching, kept].map((topic) => peer.publish(topic, `value of ${topic}`, { qos: 1, retain: true })));

    const app = new AppPage(page);
    await app.open();
    await app.fillTcp(broker());
    await app.setSubscriptions([`${prefix}/#`]);
    await app.connect();
    await expect(app.panel.getByRole('tab', { name: `Retained values (${COUNT + 1})` })).toBeVisible({ timeout: 30_000 });

    await app.panel.getByRole('button', { name: 'Clear retained…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Clear retained messages' });
    await expect(dialog).toBeVisible();
    const filter = dialog.getByLabel('Topic filter', { exact: true });
    await expect(filter).toBeFocused();
    // Nothing to clear before a find.
    await expect(dialog.getByRole('button', { name: /^Clear \d+ retained/ })).toHaveCount(0);

    await filter.fill(`${prefix}/devices/+/status`);
    await dialog.getByRole('button', { name: 'Find retained', exact: true }).click();
    await expect(dialog.getByRole('status')).toHaveText(`${COUNT} retained messages match`);
    await expect(dialog.getByRole('list', { name: 'Matching retained topics' }).getByRole('listitem')).toHaveCount(COUNT);
    // Editing the filter drops the list: what is cleared is always what was counted.
    await filter.fill(`${prefix}/devices/+/statu`);
    await expect(dialog.getByRole('button', { name: /^Clear \d+ retained/ })).toHaveCount(0);
    await filter.fill(`${prefix}/devices/+/status`);
    await dialog.getByRole('button', { name: 'Find retained', exact: true }).click();

    await dialog.getByRole('button', { name: `Clear ${COUNT} retained messages`, exact: true }).click();
    await expect(dialog.getByRole('status')).toHaveText(`Cleared ${COUNT} retained messages. The broker now holds 0 retained messages matching "${prefix}/devices/+/status".`, { timeout: 30_000 });
    expect(await retainedTopicsOnBroker(broker(), `${prefix}/#`)).toEqual([kept]);
    // The tree and its retained list forget them too.
    await expect(app.panel.getByRole('tab', { name: 'Retained values (1)' })).toBeVisible();

    // The page behind the modal dialog is inert: Tab visits the dialog's controls only
    // (past the last one Chromium hands focus to its own UI, leaving the body active).
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      const outside = await dialog.evaluate((el) => {
        const active = el.ownerDocument.activeElement;
        return active !== el.ownerDocument.body && !el.contains(active);
      });
      expect(outside).toBe(false);
    }
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(app.panel.getByRole('button', { name: 'Clear retained…', exact: true })).toBeFocused();
    expect(violations).toEqual([]);
  } finally {
    await peer.publish(kept, '', { qos: 1, retain: true });
    await peer.end();
  }
});
