import { expect, test, type Locator } from '@playwright/test';
import { startMosquitto, type MosquittoBroker } from '../harness/mosquitto';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';

/**
 * The Broker view against the harness Mosquitto and its real `$SYS` (published every
 * second: `sys_interval 1`), under the page's CSP.
 */

/** The part of a 2D canvas the test reads. */
interface PaintedCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

function stat(app: AppPage, name: string): Locator {
  return app.panel.getByRole('region', { name: 'Broker statistics' }).locator(`[data-stat="${name}"]`);
}

/** The figure as a number ("1,234" → 1234, "56.5/s" → 56.5); NaN while it says when to expect it. */
async function statNumber(app: AppPage, name: string): Promise<number> {
  const text = (await stat(app, name).textContent()) ?? '';
  return Number(text.replace(/,/g, '').replace(/\/s$/, ''));
}

test('shows Mosquitto with its version, follows clients and message rates, and charts them under the CSP', async ({ page }) => {
  test.setTimeout(90_000);
  const violations = await watchViolations(page);
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  // $SYS only: the flood below is counted by the broker without reaching this page.
  await app.setSubscriptions(['$SYS/#']);
  await app.connect();
  const tab = app.panel.getByRole('tablist', { name: 'View' }).getByRole('tab', { name: 'Broker', exact: true });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');

  await expect(stat(app, 'broker')).toHaveText('Mosquitto');
  await expect(stat(app, 'version')).toHaveText(/^2\.\d+\.\d+/);
  await expect(stat(app, 'uptime')).toHaveText(/^\d+ (s|min|h|d)\b/);
  await expect(stat(app, 'subscriptions')).toHaveText(/^[\d,]+$/);
  await expect(stat(app, 'messages-received-per-s')).toHaveText(/^[\d.,]+\/s$/);
  await expect(stat(app, 'bytes-sent-per-s')).toHaveText(/^[\d.]+ (B|kB|MB)\/s$/);

  // Extra clients connect, then leave: the count follows.
  await expect(stat(app, 'clients-connected')).toHaveText(/^\d+$/);
  const before = await statNumber(app, 'clients-connected');
  const peers = await Promise.all([1, 2, 3].map(() => MqttPeer.connect(broker())));
  await expect(stat(app, 'clients-connected')).toHaveText(String(before + 3), { timeout: 10_000 });
  await Promise.all(peers.map((peer) => peer.end()));
  await expect(stat(app, 'clients-connected')).toHaveText(String(before), { timeout: 10_000 });

  // A peer floods for a few seconds: messages received per second rises well above idle.
  const idle = await statNumber(app, 'messages-received-per-s');
  const flooder = await MqttPeer.connect(broker());
  const topic = `${uniquePrefix('broker-flood')}/load`;
  let flooding = true;
  const flood = (async () => {
    while (flooding) {
      for (let i = 0; i < 50; i++) flooder.client.publish(topic, 'x'.repeat(100), { qos: 0 });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    await expect.poll(() => statNumber(app, 'messages-received-per-s'), { timeout: 15_000 }).toBeGreaterThan(Math.max(200, idle * 5));
  } finally {
    flooding = false;
    await flood;
    await flooder.end();
  }

  // The charts are drawn by uPlot on canvases that hold pixels.
  const chart = app.panel.getByRole('img', { name: 'Messages per second over this session' });
  const canvas = chart.locator('canvas');
  await expect(canvas).toHaveCount(1);
  const painted = await canvas.evaluate((node) => {
    // The root tsconfig (which also checks this file) has no DOM types: the canvas by its shape.
    const element = node as unknown as PaintedCanvas;
    const context = element.getContext('2d');
    if (!context || element.width === 0 || element.height === 0) return 0;
    const pixels = context.getImageData(0, 0, element.width, element.height).data;
    let count = 0;
    for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) count++;
    return count;
  });
  expect(painted).toBeGreaterThan(100);
  await expect(app.panel.getByRole('img', { name: 'Clients connected over this session' }).locator('canvas')).toHaveCount(1);
  expect(violations).toEqual([]);
});

test('without a $SYS subscription, the view says so and subscribes in one click', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.setSubscriptions([`${uniquePrefix('broker-nosys')}/#`]);
  await app.connect();
  await app.panel.getByRole('tab', { name: 'Broker', exact: true }).click();
  const why = app.panel.getByRole('region', { name: 'Why there are no broker statistics' });
  await expect(why).toContainText('Not subscribed to $SYS/#.');
  await why.getByRole('button', { name: 'Subscribe to $SYS/#' }).click();
  await expect(stat(app, 'broker')).toHaveText('Mosquitto');
  await expect(why).toBeHidden();
});

test.describe('a broker that refuses $SYS', () => {
  let refusing: MosquittoBroker | undefined;
  test.beforeAll(async () => {
    refusing = await startMosquitto({ refuseSubscriptions: true });
  });
  test.afterAll(async () => {
    await refusing?.stop();
  });

  test('quotes EMQX’s default rules and the one an admin adds for this user', async ({ page }) => {
    if (!refusing) throw new Error('The refusing broker of this file did not start.');
    const app = new AppPage(page);
    await app.open();
    await app.fillTcp(refusing.info());
    await app.panel.locator('summary', { hasText: 'Session' }).click();
    await app.field('MQTT version').selectOption('5');
    await app.setSubscriptions(['$SYS/#']);
    await app.connect();
    await app.panel.getByRole('tab', { name: 'Broker', exact: true }).click();
    const why = app.panel.getByRole('region', { name: 'Why there are no broker statistics' });
    await expect(why).toContainText('The broker refused $SYS/#: Not authorized (0x87).');
    await expect(why).toContainText('{deny, all, subscribe, ["$SYS/#", {eq, "#"}, {eq, "+/#"}]}.');
    await expect(why).toContainText(`{allow, {username, "${refusing.info().username}"}, subscribe, ["$SYS/#"]}.`);
    await expect(why).toContainText('Access Control → Client Authorization');
  });
});
