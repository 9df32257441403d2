import { expect, test } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { waitFor } from '../harness/wait-for';
import { AppPage, broker, uniquePrefix } from './app-page';

test('connects over TLS with the CA file and credentials, and shows $SYS/broker/uptime updating', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.fillTls(broker());
  await app.connect();
  const log = await app.log();
  await expect(log).toContainText('CONNACK accepted');
  await expect(log).toContainText('Subscribed to "$SYS/#", granted QoS 0');

  await app.filter('$SYS/broker/uptime');
  const uptime = app.row('$SYS/broker/uptime');
  await expect(uptime).toContainText(/\d+ seconds/);
  const first = Number(/(\d+) seconds/.exec((await uptime.textContent()) ?? '')?.[1]);
  // Mosquitto publishes uptime every second (sys_interval 1): the row must follow.
  await expect
    .poll(async () => Number(/(\d+) seconds/.exec((await uptime.textContent()) ?? '')?.[1]), { timeout: 15_000 })
    .toBeGreaterThan(first);
  await expect(app.row('$SYS/broker')).toHaveAttribute('aria-expanded', 'true');

  await uptime.click();
  await expect(page.getByLabel('Topic details')).toContainText('$SYS/broker/uptime');
});

test('shows a retained message published before connecting, marked retained, with its value', async ({ page }) => {
  const prefix = uniquePrefix('retained');
  const peer = await MqttPeer.connect(broker());
  await peer.publish(`${prefix}/kitchen/temperature`, '{"celsius":21.5}', { qos: 1, retain: true });
  await peer.end();

  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.connect();
  await app.filter(`${prefix}/kitchen/temperature`);
  const row = app.row(`${prefix}/kitchen/temperature`);
  await expect(row).toHaveAttribute('data-retained', 'true');
  await expect(row).toContainText('{"celsius":21.5}');
  await row.click();
  const details = page.getByLabel('Topic details');
  await expect(details).toContainText('"celsius": 21.5');
  await expect(details).toContainText(/Retained\s*yes/);
});

test('publishes a retained QoS 1 message from the form, then clears it from the retained view', async ({ page }) => {
  const prefix = uniquePrefix('publish');
  const topic = `${prefix}/lamp/state`;
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.connect();

  await app.field('Topic').fill(topic);
  await app.field('Payload').fill('on');
  await app.field('QoS').selectOption('1');
  await app.field('Retain').check();
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByText('Published, acknowledged by the broker (QoS 1).')).toBeVisible();

  // A separate client must get it from the broker as a retained message.
  const checker = await MqttPeer.connect(broker());
  await checker.subscribe(topic, 1);
  const held = await checker.waitForMessage(topic);
  expect(held.payload.toString()).toBe('on');
  expect(held.packet.retain).toBe(true);
  await checker.end();

  await page.getByRole('tab', { name: /Retained values/ }).click();
  await page.getByRole('searchbox', { name: 'Filter retained values' }).fill(prefix);
  await page.getByRole('button', { name: `Clear retained value of ${topic}` }).click();
  await page.getByRole('button', { name: 'Clear retained', exact: true }).click();
  await expect(page.getByText(`Cleared the retained value of "${topic}".`)).toBeVisible();
  await expect(page.locator(`[data-retained-topic="${topic}"]`)).toHaveCount(0);

  // Retained messages come back in subscription order: when the sentinel's arrives,
  // the cleared topic's would already have arrived if the broker still held it.
  const sentinel = `${prefix}/sentinel`;
  const verifier = await MqttPeer.connect(broker());
  await verifier.publish(sentinel, 'x', { qos: 1, retain: true });
  await verifier.subscribe(topic, 1);
  await verifier.subscribe(sentinel, 1);
  await verifier.waitForMessage(sentinel);
  expect(verifier.messagesOn(topic)).toHaveLength(0);
  await verifier.publish(sentinel, '', { qos: 1, retain: true });
  await verifier.end();
});

test('a wrong password shows the readable error', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.fillTls(broker(), 'not-the-password');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(app.status).toHaveText('Not authorized: check username and password.');
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
});

test('an invalid publish topic shows its message and sends nothing', async ({ page }) => {
  const prefix = uniquePrefix('invalid');
  const watcher = await MqttPeer.connect(broker());
  await watcher.subscribe(`${prefix}/#`, 1);
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.connect();

  await app.field('Topic').fill(`${prefix}/+/temperature`);
  await app.field('Payload').fill('should not be sent');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByText('wildcards are only allowed when subscribing')).toBeVisible();
  await expect(app.field('Topic')).toHaveAttribute('aria-invalid', 'true');

  // Then a valid publish: it must be the first and only thing the watcher sees.
  await app.field('Topic').fill(`${prefix}/ok`);
  await app.field('QoS').selectOption('1');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await waitFor('the valid message', () => watcher.received.find((m) => m.topic === `${prefix}/ok`));
  expect(watcher.received.map((m) => m.topic)).toEqual([`${prefix}/ok`]);
  await watcher.end();
});

test('the topic tree shows MQTT levels exactly, and expands with the keyboard', async ({ page }) => {
  const prefix = uniquePrefix('levels');
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.connect();
  const peer = await MqttPeer.connect(broker());
  await peer.publish(`${prefix}//double/`, 'empty levels', { qos: 1 });
  await peer.publish(`${prefix}/späti café/🌡`, 'unicode', { qos: 1 });
  await peer.end();

  await app.filter(prefix);
  await expect(app.row(`${prefix}//double/`)).toContainText('empty levels');
  await expect(app.row(`${prefix}/`)).toContainText('(empty)');
  await expect(app.row(`${prefix}/späti café/🌡`)).toContainText('unicode');

  // Collapse the prefix with the keyboard, then open it again.
  await app.row(prefix).click();
  await expect(app.row(prefix)).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(app.row(prefix)).toHaveAttribute('aria-expanded', 'false');
  await expect(app.row(`${prefix}/späti café`)).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(app.row(`${prefix}/späti café`)).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(app.row(`${prefix}/`)).toHaveAttribute('aria-selected', 'true');
});

test('each accessible name the tests and screen readers rely on appears once', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  for (const name of ['Protocol', 'Host', 'Port', 'Username', 'Password', 'CA certificate', 'Client certificate', 'Client key', 'Client ID', 'MQTT version', 'Topic', 'Payload', 'QoS', 'Retain']) {
    await expect(page.getByLabel(name, { exact: true }), name).toHaveCount(1);
  }
  for (const name of ['Connect', 'Publish', 'Hide profiles']) {
    await expect(page.getByRole('button', { name, exact: true }), name).toHaveCount(1);
  }
  await expect(page.getByRole('searchbox', { name: 'Filter topics', exact: true })).toHaveCount(1);
  await expect(page.getByRole('tree')).toHaveCount(1);
  await expect(page.getByRole('status')).toHaveCount(1);
  await expect(page.getByRole('separator', { name: 'Resize topic tree and details' })).toHaveCount(1);
  // Connected, the header stands for the form, with the same one status line.
  await app.fillTcp(broker());
  await app.connect();
  for (const name of ['Edit connection', 'Disconnect']) {
    await expect(page.getByRole('button', { name, exact: true }), name).toHaveCount(1);
  }
  await expect(page.getByRole('status')).toHaveCount(1);
  await app.disconnect();
  await expect(page.getByLabel('Protocol', { exact: true }).locator('option')).toHaveText(['mqtt', 'mqtts', 'ws', 'wss']);
  await expect(page.getByLabel('QoS', { exact: true }).locator('option')).toHaveText(['0', '1', '2']);
});
