import { expect, test } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';

/** Retained topics this test leaves on the broker for as long as it runs. */
const COUNT = 3_000;

test('thousands of retained values: listed sorted by topic, with only the rows in view in the DOM', async ({ page }) => {
  test.setTimeout(120_000);
  const prefix = uniquePrefix('retained-many');
  // Published out of order (and unpadded, so code point order is not numeric order).
  const topics = Array.from({ length: COUNT }, (_, i) => `${prefix}/s${(i * 7919) % COUNT}`);
  const expected = [...topics].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const peer = await MqttPeer.connect(broker());
  try {
    for (const topic of topics) peer.client.publish(topic, `value of ${topic}`, { qos: 0, retain: true });
    // A QoS 1 message last: once the broker acknowledged it, it holds everything before it.
    await peer.publish(`${prefix}/~last`, 'last', { qos: 1, retain: true });
    expected.push(`${prefix}/~last`);

    const app = new AppPage(page);
    await app.open();
    await app.fillTcp(broker());
    // Only this test's topics, so every retained value listed is ours.
    await app.setSubscriptions([`${prefix}/#`]);
    await app.connect();
    const tab = page.getByRole('tab', { name: `Retained values (${expected.length})` });
    await expect(tab).toBeVisible({ timeout: 30_000 });
    await tab.click();
    await expect(page.getByText(`${expected.length} retained values known`)).toBeVisible();

    const rows = page.locator('[data-retained-topic]');
    const shown = async (): Promise<string[]> => rows.evaluateAll((items) => items.map((li) => li.getAttribute('data-retained-topic') ?? ''));
    const top = await shown();
    expect(top.length).toBeGreaterThan(5);
    expect(top.length).toBeLessThan(100);
    expect(top).toEqual(expected.slice(0, top.length));
    await expect(rows.first()).toContainText(`value of ${expected[0]}`);

    // The end of the list, still sorted and still a small DOM.
    const list = page.getByRole('region', { name: 'Retained values by topic' });
    await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(rows.last()).toHaveAttribute('data-retained-topic', `${prefix}/~last`);
    const bottom = await shown();
    expect(bottom.length).toBeLessThan(100);
    expect(bottom).toEqual(expected.slice(expected.length - bottom.length));

    // A new value on a listed topic shows in place; the order stays. (Published from the
    // app: the broker forwards another client's retained publish to live subscribers with
    // the retain flag cleared, so that one would not count as the retained value.)
    const changed = expected[expected.length - 2]!;
    await app.field('Topic').fill(changed);
    await app.field('Payload').fill('changed');
    await app.field('QoS').selectOption('1');
    await app.field('Retain').check();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(page.locator(`[data-retained-topic="${changed}"]`)).toContainText('changed');
    expect(await shown()).toEqual(bottom);

    // The filter narrows the sorted list: s1, s10..s19, s100..s199, s1000..s1999.
    await page.getByRole('searchbox', { name: 'Filter retained values' }).fill(`${prefix}/s1`);
    await expect(page.getByText('1111 retained values known')).toBeVisible();
    await list.evaluate((el) => (el.scrollTop = 0));
    // The rows follow the scroll on the next frame: wait for the top before reading them.
    await expect(rows.first()).toHaveAttribute('data-retained-topic', `${prefix}/s1`);
    const filtered = await shown();
    expect(filtered).toEqual(expected.filter((t) => t.startsWith(`${prefix}/s1`)).slice(0, filtered.length));
  } finally {
    // Clear them on the broker, so later tests subscribed to "#" do not get them.
    for (const topic of [...topics, `${prefix}/~last`]) peer.client.publish(topic, '', { qos: 0, retain: true });
    await peer.publish(`${prefix}/~done`, '', { qos: 1, retain: true });
    await peer.end();
  }
});
