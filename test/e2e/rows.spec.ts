/**
 * The tree pane teaches and its rows read plainly: what it waits for before the first
 * message, why nothing will come when the broker refused every subscription, what
 * arrived while paused; each row's value type, age and counts; and no flashing
 * animation for those who asked for reduced motion.
 */
import { expect, test, type Locator } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { startMosquitto, type MosquittoBroker } from '../harness/mosquitto';
import { AppPage, broker, uniquePrefix } from './app-page';

/** The words the tree pane shows while it has no rows. */
function emptyTree(app: AppPage): Locator {
  return app.panel.getByRole('region', { name: 'No topics yet' });
}

/** Connects to the shared broker subscribed to the test's own prefix only, so no other traffic shows. */
async function connectTo(app: AppPage, filters: string[]): Promise<void> {
  await app.open();
  await app.fillTcp(broker());
  await app.setSubscriptions(filters);
  await app.connect();
}

function publisher(): Promise<MqttPeer> {
  return MqttPeer.connect(broker());
}

test('before connecting and before the first message, the tree says what it waits for and how to subscribe', async ({ page }) => {
  const prefix = uniquePrefix('rows-empty');
  const app = new AppPage(page);
  await app.open();
  await expect(emptyTree(app)).toContainText('Not connected.');
  await expect(emptyTree(app)).toContainText('Connect, and topics appear here as messages arrive.');

  await app.fillTcp(broker());
  await app.setSubscriptions([`${prefix}/a/#`, `${prefix}/b/+`]);
  await app.connect();
  await expect(emptyTree(app)).toContainText('Connected. No messages yet on:');
  const filters = emptyTree(app).getByRole('list', { name: 'Subscriptions' }).getByRole('listitem');
  await expect(filters).toHaveText([`${prefix}/a/# QoS 0 granted`, `${prefix}/b/+ QoS 0 granted`]);
  await expect(emptyTree(app)).toContainText('To add a filter: Edit connection → Subscriptions.');

  const peer = await publisher();
  await peer.publish(`${prefix}/b/first`, 'hello', { qos: 1 });
  await peer.end();
  // The first level of the prefix: the tree has rows, and the words gave way to them.
  await expect(app.row('e2e')).toBeVisible();
  await expect(emptyTree(app)).toHaveCount(0);
});

test.describe('a broker that refuses every subscription', () => {
  let refusing: MosquittoBroker | undefined;
  test.beforeAll(async () => {
    refusing = await startMosquitto({ refuseSubscriptions: true });
  });
  test.afterAll(async () => {
    await refusing?.stop();
  });

  test('the tree pane says so, with each filter, its reason and what to try', async ({ page }) => {
    if (!refusing) throw new Error('The refusing broker of this file did not start.');
    const prefix = uniquePrefix('rows-refused');
    const app = new AppPage(page);
    await app.open();
    await app.fillTcp(refusing.info());
    await app.panel.locator('summary', { hasText: 'Session' }).click();
    await app.field('MQTT version').selectOption('5');
    await app.setSubscriptions([`${prefix}/#`, 'secret/+/temp']);
    await app.connect();

    await expect(emptyTree(app)).toContainText('The broker refused every subscription: no messages will arrive.');
    const filters = emptyTree(app).getByRole('list', { name: 'Subscriptions' }).getByRole('listitem');
    await expect(filters).toHaveText([`${prefix}/# refused: Not authorized (0x87)`, 'secret/+/temp refused: Not authorized (0x87)']);
    await expect(emptyTree(app)).toContainText("Check the broker's ACL for this user, or try a narrower filter under Edit connection → Subscriptions.");
  });
});

test('paused, the pane counts the messages that arrived since, live', async ({ page }) => {
  const prefix = uniquePrefix('rows-paused');
  const app = new AppPage(page);
  await connectTo(app, [`${prefix}/#`]);
  const peer = await publisher();
  await peer.publish(`${prefix}/seen`, '1', { qos: 1 });
  await expect(app.row('e2e')).toBeVisible();

  await app.panel.getByRole('button', { name: 'Pause' }).click();
  const paused = app.panel.getByText(/^Paused · /);
  await expect(paused).toHaveText('Paused · no new messages');
  for (let i = 0; i < 3; i++) await peer.publish(`${prefix}/later`, String(i), { qos: 1 });
  await expect(paused).toHaveText('Paused · 3 new messages · Resume to show them');
  await peer.publish(`${prefix}/later`, 'one more', { qos: 1 });
  await expect(paused).toHaveText('Paused · 4 new messages · Resume to show them');
  await peer.end();

  await app.panel.getByRole('button', { name: 'Resume' }).click();
  await expect(paused).toHaveCount(0);
});

test('rows hint the value type, count plainly, and their age moves on without new messages', async ({ page }) => {
  const prefix = uniquePrefix('rows-read');
  const app = new AppPage(page);
  await connectTo(app, [`${prefix}/#`]);
  const peer = await publisher();
  const values: [string, string | Buffer, string][] = [
    ['json', '{"celsius":21.5}', 'JSON'],
    ['number', '21.5', 'number'],
    ['text', 'on', 'text'],
    ['binary', Buffer.from([0x00, 0xff, 0x10, 0x80]), 'binary'],
    ['empty', '', 'empty'],
  ];
  for (const [name, payload] of values) await peer.publish(`${prefix}/values/${name}`, payload, { qos: 1 });
  await peer.publish(`${prefix}/values/json`, '{"celsius":22}', { qos: 1 });
  await peer.publish(`${prefix}/values`, 'the level itself', { qos: 1 });
  await peer.end();
  // The filter opens every level above a match.
  await app.filter(prefix);

  for (const [name, , hint] of values) {
    await expect(app.row(`${prefix}/values/${name}`).getByTitle(/^Latest value: /)).toHaveText(hint);
  }
  await expect(app.row(`${prefix}/values/json`)).toContainText('2 msgs');
  await expect(app.row(`${prefix}/values/text`)).toContainText('1 msg');
  await expect(app.row(`${prefix}/values`)).toContainText('1 here · 6 topics · 7 msgs');
  await expect(app.row(prefix)).toContainText('6 topics · 7 msgs');
  await expect(app.row(prefix).getByTitle(/topics at and below this level/)).toHaveAttribute('title', '7 messages on the 6 topics at and below this level');

  // One clock for the window moves every age on, with no message arriving.
  const age = app.row(`${prefix}/values/text`).getByTitle(/^Last message at /);
  await expect(age).toHaveText(/^(now|\d s ago)$/);
  await expect(age).toHaveText('2 s ago', { timeout: 10_000 });
  await expect(age).toHaveText('3 s ago', { timeout: 10_000 });
});

test('with reduced motion an updated row has no animation, only a still mark', async ({ page }) => {
  const prefix = uniquePrefix('rows-motion');
  const app = new AppPage(page);
  await connectTo(app, [`${prefix}/#`]);
  const peer = await publisher();
  const topic = `${prefix}/lamp`;
  const row = app.row(topic);
  const look = (): Promise<{ animation: string; mark: string }> =>
    row.evaluate((el) => {
      // Through globalThis: the test project is typechecked without the DOM library.
      const style = (globalThis as unknown as { getComputedStyle(e: unknown): { animationName: string; boxShadow: string } }).getComputedStyle(el);
      return { animation: style.animationName, mark: style.boxShadow };
    });
  await app.filter(topic);

  // Without the preference, an update flashes: the check below would see it.
  await peer.publish(topic, 'on', { qos: 1 });
  await expect.poll(async () => (await look()).animation).not.toBe('none');

  await page.emulateMedia({ reducedMotion: 'reduce' });
  await peer.publish(topic, 'off', { qos: 1 });
  await expect(row).toContainText('off');
  await expect.poll(async () => (await look()).mark).not.toBe('none');
  expect((await look()).animation).toBe('none');
  await peer.end();
});
