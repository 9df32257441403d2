/**
 * The README's screenshots, light and dark, taken from the running app: a broker of this
 * file's own (so no other test's topics show), reached over TLS with its CA file as a
 * cloud user would, with a few home and factory devices publishing. The theme is
 * "System", so the page follows the colour scheme Chromium reports. With
 * UPDATE_SCREENSHOTS=1 the images replace those in docs/screenshots; otherwise they go
 * to test-results, so a plain test run leaves the repository as it was.
 */
import { expect, test, type Page } from '@playwright/test';
import { startMosquitto, type MosquittoBroker } from '../harness/mosquitto';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage } from './app-page';
import { ownWebHost } from './web-host-process';

const host = ownWebHost('screenshots');
let broker: MosquittoBroker | undefined;

test.beforeAll(async () => {
  broker = await startMosquitto({ logTypes: ['error', 'warning'] });
});
test.afterAll(async () => {
  await broker?.stop();
});

const folder = process.env['UPDATE_SCREENSHOTS'] ? 'docs/screenshots' : 'test-results/screenshots';

/** What the devices publish, retained as real devices' state usually is. */
const DEVICE_STATE: [topic: string, payload: string | Buffer][] = [
  ['home/livingroom/temperature', '21.4'],
  ['home/livingroom/humidity', '48'],
  ['home/kitchen/lamp', '{"state":"on","brightness":80}'],
  ['home/garden/soil/moisture', '31.5'],
  ['factory/line1/press/energy', '3.72'],
  ['factory/line1/gateway/firmware', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x9c, 0x42, 0x61, 0x67, 0x02, 0xff])],
  ['factory/line2/robot/pose', '{"x":412.5,"y":-88.1,"z":230,"gripper":"closed"}'],
  ['factory/line2/robot/heartbeat', ''],
];

function pressStatus(cycle: number): string {
  return JSON.stringify({ state: 'running', cycle, pressure_bar: 210 + (cycle % 7) / 2, temperature_c: 61.2, tool: { id: 'T-114', strokes: 48_210 + cycle }, alarms: [] });
}

const background = (page: Page): Promise<string> => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');

test('the workspace, light and dark, as the README shows it', async ({ page }) => {
  if (!broker) throw new Error('The screenshot broker did not start.');
  const info = broker.info();
  const peer = await MqttPeer.connect(info);
  try {
    for (const [topic, payload] of DEVICE_STATE) await peer.publish(topic, payload, { qos: 1, retain: true });
    for (let cycle = 18_230; cycle < 18_236; cycle++) await peer.publish('factory/line1/press/status', pressStatus(cycle), { qos: 1, retain: true });

    await page.setViewportSize({ width: 1400, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
    const app = new AppPage(page);
    await app.open({ url: host.url() });
    await app.fillTls(info);
    await app.connect();

    // Open the factory's first line and select the press, as a user would.
    const tree = page.getByRole('tree', { name: 'Topics' });
    for (const branch of ['factory', 'factory/line1', 'factory/line1/press', 'home', 'home/livingroom']) {
      await app.row(branch).click();
      await tree.press('ArrowRight');
      await expect(app.row(branch)).toHaveAttribute('aria-expanded', 'true');
    }
    // The press keeps reporting while the app watches, so its history has something to show.
    for (let cycle = 18_236; cycle < 18_241; cycle++) await peer.publish('factory/line1/press/status', pressStatus(cycle), { qos: 1, retain: true });
    const press = app.row('factory/line1/press/status');
    await expect(press).toContainText('18240');
    await press.click();
    await expect(page.getByLabel('Topic details')).toContainText('"cycle": 18240');

    await expect.poll(() => background(page)).toBe('rgb(255, 255, 255)');
    await page.screenshot({ path: `${folder}/workspace-light.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    // "System" follows the scheme the moment it changes, without a reload.
    await expect.poll(() => background(page)).toBe('rgb(23, 25, 28)');
    await page.screenshot({ path: `${folder}/workspace-dark.png` });
  } finally {
    await peer.end();
  }
});
