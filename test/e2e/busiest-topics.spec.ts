import { expect, test } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';

/**
 * A peer publishes to three topics of its own on the harness Mosquitto, the app
 * subscribed to nothing else: one floods with small payloads, one sends a few large
 * payloads, one is calm.
 */
function startTraffic(peer: MqttPeer, prefix: string): () => void {
  const bigPayload = Buffer.alloc(20_000, 'x');
  let tick = 0;
  const timer = setInterval(() => {
    tick++;
    for (let i = 0; i < 20; i++) void peer.publish(`${prefix}/flood/fast`, `{"n":${tick * 20 + i}}`);
    void peer.publish(`${prefix}/calm/slow`, 'ok');
    if (tick % 2 === 0) void peer.publish(`${prefix}/big/blob`, bigPayload);
  }, 100);
  return () => clearInterval(timer);
}

test('the busiest topics: the flood heads the table, the big payloads by bytes/s, a row opens its topic in the tree', async ({ page }) => {
  const prefix = uniquePrefix('busiest');
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.setSubscriptions([`${prefix}/#`]);
  await app.connect();

  const peer = await MqttPeer.connect(broker());
  const stopTraffic = startTraffic(peer, prefix);
  try {
    await app.panel.getByRole('tab', { name: 'Broker', exact: true }).click();
    const table = app.panel.getByRole('table', { name: 'Busiest topics' });
    const rows = table.locator('tbody tr[data-topic]');

    // By messages per second (the default order), the flood comes first.
    await expect(table.getByRole('columnheader', { name: 'Msgs/s' })).toHaveAttribute('aria-sort', 'descending');
    await expect(rows.first()).toHaveAttribute('data-topic', `${prefix}/flood/fast`);
    await expect(rows).toHaveCount(3);
    // About 200 messages a second: a three-digit rate, written with units and separators.
    await expect(rows.first().locator('td').nth(1)).toHaveText(/^\d{2,3}(,\d{3})*(\.\d)?$/);

    // By bytes per second, the 20 kB payloads five times a second (~100 kB/s) win.
    await table.getByRole('button', { name: 'Bytes/s' }).click();
    await expect(table.getByRole('columnheader', { name: 'Bytes/s' })).toHaveAttribute('aria-sort', 'descending');
    await expect(table.getByRole('columnheader', { name: 'Msgs/s' })).not.toHaveAttribute('aria-sort');
    await expect(rows.first()).toHaveAttribute('data-topic', `${prefix}/big/blob`);
    await expect(rows.first().locator('td').nth(2)).toHaveText(/ kB\/s$/);
    await expect(rows.first().locator('td').nth(4)).toHaveText(/ (kB|MB)$/);
    // Again: the other way round.
    await table.getByRole('button', { name: 'Bytes/s' }).click();
    await expect(table.getByRole('columnheader', { name: 'Bytes/s' })).toHaveAttribute('aria-sort', 'ascending');
    await expect(rows.last()).toHaveAttribute('data-topic', `${prefix}/big/blob`);

    // Subtrees one level below the prefix: each branch summed, shown as a wildcard.
    await app.panel.getByRole('button', { name: 'Subtrees', exact: true }).click();
    await app.panel.getByRole('combobox', { name: 'Subtree level' }).selectOption('3');
    await table.getByRole('button', { name: 'Msgs/s' }).click();
    await expect(rows.first()).toHaveAttribute('data-topic', `${prefix}/flood`);
    await expect(rows.first().locator('td').first()).toHaveText(`${prefix}/flood/#`);
    await app.panel.getByRole('button', { name: 'Topics', exact: true }).click();

    // A click on a row shows the Topics view with that topic selected and its details.
    await table.locator(`tr[data-topic="${prefix}/calm/slow"]`).click();
    await expect(app.panel.getByRole('tab', { name: 'Topics', exact: true })).toHaveAttribute('aria-selected', 'true');
    const treeRow = app.row(`${prefix}/calm/slow`);
    await expect(treeRow).toBeInViewport();
    await expect(treeRow).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByLabel('Topic details')).toContainText(`${prefix}/calm/slow`);
  } finally {
    stopTraffic();
    await peer.end();
  }
});
