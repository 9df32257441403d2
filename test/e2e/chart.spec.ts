import { expect, test, type Locator } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';

/**
 * Charting topics in browser mode, against the real host and Mosquitto: back-filled from
 * the kept history, kept up to date live, several topics on one chart, pause and resume,
 * zoom, and a series saved as CSV, all under the page's CSP.
 */

async function publishNumbers(peer: MqttPeer, topic: string, values: number[]): Promise<void> {
  // QoS 1, one after the other: the broker forwards them in this order.
  for (const value of values) await peer.publish(topic, String(value), { qos: 1 });
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

/** Shows a topic's details (the filter makes its row visible) and their Chart tab. */
async function openChartOf(app: AppPage, topic: string): Promise<Locator> {
  await app.filter(topic);
  await app.row(topic).click();
  const tab = app.panel.getByRole('tablist', { name: 'Topic views' }).getByRole('tab', { name: 'Chart', exact: true });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  return app.panel.getByLabel('Topic details');
}

test('charts a numeric topic from its history, keeps it updating, zooms, and saves it as CSV', async ({ page }) => {
  const violations = await watchViolations(page);
  const topic = `${uniquePrefix('chart')}/temp`;
  const app = new AppPage(page);
  // Its own topic only: see chart-decoded.spec.ts's connectedApp for why not "#".
  await app.openConnected(broker(), [topic]);
  const peer = await MqttPeer.connect(broker());
  try {
    await app.filter(topic);
    await publishNumbers(peer, topic, range(1, 20));
    await expect(app.row(topic)).toContainText('20');

    const details = await openChartOf(app, topic);
    await details.getByRole('button', { name: 'Chart this topic', exact: true }).click();
    const chart = details.getByRole('img', { name: /^Chart of / });
    await expect(chart).toHaveAccessibleName(`Chart of ${topic}, 20 points`);
    await expect(details.getByRole('button', { name: 'Chart this topic' })).toHaveCount(0);

    await publishNumbers(peer, topic, range(21, 15));
    await expect(chart).toHaveAccessibleName(`Chart of ${topic}, 35 points`);

    // Dragging across the plot zooms in; "Reset zoom" brings the whole range back.
    const reset = details.getByRole('button', { name: 'Reset zoom', exact: true });
    await expect(reset).toBeDisabled();
    const box = await chart.boundingBox();
    if (!box) throw new Error('the chart has no box');
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect(reset).toBeEnabled();
    await reset.click();
    await expect(reset).toBeDisabled();

    const download = page.waitForEvent('download');
    await details.getByRole('listitem').filter({ hasText: topic }).getByRole('button', { name: 'Export CSV', exact: true }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^e2e-chart-.*-temp\.csv$/);
    const stream = await file.createReadStream();
    let csv = '';
    for await (const chunk of stream) csv += String(chunk);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('time_iso,time_ms,value');
    expect(lines.slice(1).map((line) => Number(line.split(',')[2]))).toEqual(range(1, 35));
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,\d{13},1$/);
    await expect(details.getByRole('status').filter({ hasText: 'Downloaded' })).toBeVisible();
  } finally {
    await peer.end();
  }
  expect(violations).toEqual([]);
});

test('puts two topics on one chart, pauses the drawing without losing points, and removes a series', async ({ page }) => {
  const prefix = uniquePrefix('chart-two');
  const [first, second] = [`${prefix}/a`, `${prefix}/b`];
  const app = new AppPage(page);
  await app.openConnected(broker(), [`${prefix}/#`]);
  const peer = await MqttPeer.connect(broker());
  try {
    await app.filter(second);
    await publishNumbers(peer, first, range(1, 5));
    await publishNumbers(peer, second, range(100, 3));
    await expect(app.row(second)).toContainText('102');

    let details = await openChartOf(app, first);
    await details.getByRole('button', { name: 'Chart this topic', exact: true }).click();
    // The details keep the Chart tab when another topic is selected.
    details = await openChartOf(app, second);
    await details.getByRole('button', { name: 'Chart this topic', exact: true }).click();
    const chart = details.getByRole('img', { name: /^Chart of / });
    await expect(chart).toHaveAccessibleName(`Chart of ${first} and ${second}, 8 points`);
    await expect(details.getByRole('list', { name: 'Series' }).getByRole('listitem')).toHaveCount(2);

    await details.getByRole('button', { name: 'Pause', exact: true }).click();
    await publishNumbers(peer, first, range(6, 4));
    await publishNumbers(peer, second, range(103, 2));
    // The app has them (the tree shows the last value) but the paused chart does not draw them.
    await expect(app.row(second)).toContainText('104');
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    await expect(chart).toHaveAccessibleName(`Chart of ${first} and ${second}, 8 points`);

    await details.getByRole('button', { name: 'Resume', exact: true }).click();
    await expect(chart).toHaveAccessibleName(`Chart of ${first} and ${second}, 14 points`);

    await details.getByRole('listitem').filter({ hasText: first }).getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(chart).toHaveAccessibleName(`Chart of ${second}, 5 points`);
  } finally {
    await peer.end();
  }
});

test('offers no chart for a value that is not a number', async ({ page }) => {
  const topic = `${uniquePrefix('chart-text')}/state`;
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.connect();
  const peer = await MqttPeer.connect(broker());
  try {
    await app.filter(topic);
    await peer.publish(topic, 'online', { qos: 1 });
    await expect(app.row(topic)).toContainText('online');
  } finally {
    await peer.end();
  }
  const details = await openChartOf(app, topic);
  await expect(details).toContainText('is not a number');
  await expect(details.getByRole('button', { name: 'Chart this topic' })).toHaveCount(0);
});
