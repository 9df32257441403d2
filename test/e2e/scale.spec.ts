import { expect, test } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { delay } from '../harness/wait-for';
import { AppPage, broker, uniquePrefix } from './app-page';

/** 10 x 100 x 100 topics: `PREFIX/aI/bJ/cK`. */
const A = 10;
const B = 100;
const C = 100;
const TOTAL = A * B * C;

test('loads 100,000 topics: the tree keeps fewer than 200 rows in the DOM, and the filter finds a deep topic', async ({ page }) => {
  test.setTimeout(120_000);
  const prefix = uniquePrefix('scale');
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  // Only this test's topics, so the counts are exactly ours.
  await page.getByText(/^Subscriptions \(\d+\)$/).click();
  for (const filter of ['#', '$SYS/#']) await page.getByRole('button', { name: `Remove subscription ${filter}`, exact: true }).click();
  await app.field('Subscription filter').fill(`${prefix}/#`);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await app.connect();
  await expect(await app.log()).toContainText(`Subscribed to "${prefix}/#"`);

  const peer = await MqttPeer.connect(broker());
  for (let i = 0; i < A; i++) {
    for (let j = 0; j < B; j++) {
      for (let k = 0; k < C; k++) peer.client.publish(`${prefix}/a${i}/b${j}/c${k}`, `{"v":${k}}`, { qos: 0 });
      // A short pause now and then, so neither the publisher's nor the broker's queue for
      // the app grows without bound (the broker drops QoS 0 messages past its queue limit).
      if (j % 10 === 9) await delay(5);
    }
  }
  // A QoS 1 message last: once the broker acknowledged it, everything before it left the publisher.
  await peer.publish(`${prefix}/done`, 'done', { qos: 1 });
  await peer.end();

  const stats = page.getByLabel('Message statistics');
  await expect(stats).toContainText(`${(TOTAL + 1).toLocaleString('en-US')} topics`, { timeout: 60_000 });
  await expect(stats).toContainText(`${(TOTAL + 1).toLocaleString('en-US')} messages`);

  // Open the prefix, one of its 10 branches (100 children) and one of those (100 leaves).
  for (const level of ['e2e', prefix, `${prefix}/a0`, `${prefix}/a0/b0`]) {
    await app.row(level).click();
    await page.keyboard.press('ArrowRight');
    await expect(app.row(level)).toHaveAttribute('aria-expanded', 'true');
  }
  await expect(app.row(`${prefix}/a0/b0/c0`)).toBeVisible();
  const tree = page.getByRole('tree', { name: 'Topics' });
  // 212 rows are open (e2e, the prefix, a0, its 100 children, the 100 leaves of b0, a1-a9):
  // the scrollable height says so, while the DOM holds only a window of them.
  const scrollHeight = await tree.evaluate((el) => el.scrollHeight);
  expect(scrollHeight).toBeGreaterThanOrEqual(212 * 24);
  expect(await page.getByRole('treeitem').count()).toBeLessThan(200);
  // Scrolling to the end shows the last leaf, still with a small DOM.
  await tree.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(app.row(`${prefix}/a9`)).toBeVisible();
  expect(await page.getByRole('treeitem').count()).toBeLessThan(200);

  // The filter finds one deep topic among 100,000, with its ancestors opened.
  const deep = `${prefix}/a6/b42/c17`;
  await app.filter('a6/b42/c17');
  await expect(app.row(deep)).toBeVisible();
  await expect(app.row(deep)).toContainText('{"v":17}');
  await expect(stats).toContainText('1 matching');
  await expect(app.row(`${prefix}/a6/b42`)).toHaveAttribute('aria-expanded', 'true');

  // A wildcard filter: one level per "+", exactly.
  await app.filter(`${prefix}/+/b42/c17`);
  await expect(stats).toContainText(`${A} matching`);
  // The first and the last of them (the tree's height decides how many are drawn at once).
  await tree.evaluate((el) => (el.scrollTop = 0));
  await expect(app.row(`${prefix}/a0/b42/c17`)).toBeVisible();
  await tree.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(app.row(`${prefix}/a${A - 1}/b42/c17`)).toBeVisible();
  await expect(app.row(`${prefix}/a${A - 1}/b41`)).toHaveCount(0);
  expect(await page.getByRole('treeitem').count()).toBeLessThan(200);
});
