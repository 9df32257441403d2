/**
 * EMQX's rules as a user meets them, against the in-test EMQX-shaped broker started by
 * this file: the default ACL refusing "#" and the one-click replacement, $SYS for
 * "dashboard" only, the SNI warning, a refused publish on MQTT 5, and a refused
 * protocol version with its one-click switch. A host of its own: the saved profile
 * must be the only one.
 */
import { expect, test, type Locator } from '@playwright/test';
import mqtt from 'mqtt';
import { DASHBOARD_USER, startEmqxLikeBroker, type EmqxLikeBroker } from '../harness/emqx-like-broker';
import { AppPage } from './app-page';
import { ownWebHost } from './web-host-process';

const host = ownWebHost('emqx-rules');
let emqx: EmqxLikeBroker | undefined;
let only311: EmqxLikeBroker | undefined;

test.beforeAll(async () => {
  [emqx, only311] = await Promise.all([startEmqxLikeBroker({ publishDenied: ['plant/forbidden/#'] }), startEmqxLikeBroker({ supportedVersions: [4] })]);
});
test.afterAll(async () => {
  await Promise.all([emqx?.stop(), only311?.stop()]);
});

function brokerOf(which: EmqxLikeBroker | undefined): EmqxLikeBroker {
  if (!which) throw new Error('The EMQX-shaped broker of this file did not start.');
  return which;
}

/** A name no other test uses, for topics and profiles. */
function unique(name: string): string {
  return `${name}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

async function fillBroker(app: AppPage, broker: EmqxLikeBroker, username = 'app-user'): Promise<void> {
  await app.field('Protocol').selectOption('mqtt');
  await app.field('Host').fill(broker.host);
  await app.field('Port').fill(String(broker.ports.mqtt));
  await app.field('Username').fill(username);
}

function emptyTree(app: AppPage): Locator {
  return app.panel.getByRole('region', { name: 'No topics yet' });
}

async function publishFromPeer(broker: EmqxLikeBroker, messages: [topic: string, payload: string][]): Promise<void> {
  const peer = await mqtt.connectAsync({ host: broker.host, port: broker.ports.mqtt, protocolVersion: 5, reconnectPeriod: 0 });
  for (const [topic, payload] of messages) await peer.publishAsync(topic, payload, { qos: 1 });
  await peer.endAsync();
}

test('a default EMQX refuses "#": the tree says so, and one click on "Subscribe to + and +/+/# instead" fills it and is saved in the profile', async ({ page }) => {
  const broker = brokerOf(emqx);
  const app = new AppPage(page);
  await app.open({ url: host.url() });
  await fillBroker(app, broker);
  const profile = unique('EMQX default');
  await app.saveProfile(profile);
  // The form's default subscriptions: "#" and "$SYS/#".
  await app.connect();

  await expect(emptyTree(app)).toContainText('The broker refuses the whole-tree filter "#", as EMQX\'s default ACL does: topics will not appear.');
  const filters = emptyTree(app).getByRole('list', { name: 'Subscriptions' }).getByRole('listitem');
  await expect(filters).toHaveText(['# refused: Not authorized (0x87)', '$SYS/# refused: Not authorized (0x87)']);
  await emptyTree(app).getByRole('button', { name: 'Subscribe to + and +/+/# instead', exact: true }).click();
  await expect(emptyTree(app)).toContainText(`Subscribed to "+" and "+/+/#" instead of "#". Saved in the profile "${profile}".`);

  const oneLevel = unique('lamp');
  const deeper = unique('plant');
  await publishFromPeer(broker, [
    [oneLevel, 'on'],
    [`${deeper}/hall/temperature`, '21.5'],
  ]);
  await expect(app.row(oneLevel)).toBeVisible();
  await expect(app.row(deeper)).toBeVisible();
  await app.filter(`${deeper}/hall/temperature`);
  await expect(app.row(`${deeper}/hall/temperature`)).toContainText('21.5');
  const log = await app.log();
  await expect(log).toContainText('Subscribed to "+", granted QoS 0');
  await expect(log).toContainText('Subscribed to "+/+/#", granted QoS 0');

  // The next time, the profile subscribes to the replacement from the start.
  await host.restart();
  await app.open({ url: host.url() });
  await app.profileButton(profile).click();
  await expect(app.field('Host')).toHaveValue(broker.host);
  await app.connect();
  await publishFromPeer(broker, [[oneLevel, 'off']]);
  await expect(app.row(oneLevel)).toBeVisible();
  await expect(emptyTree(app)).toHaveCount(0);
});

test('$SYS is refused to an ordinary user and delivered to "dashboard"', async ({ page }) => {
  const broker = brokerOf(emqx);
  const app = new AppPage(page);
  await app.open({ url: host.url() });
  await fillBroker(app, broker);
  await app.setSubscriptions(['$SYS/#']);
  await app.connect();
  await expect(emptyTree(app).getByRole('listitem')).toHaveText(['$SYS/# refused: Not authorized (0x87)']);
  await app.disconnect();

  await fillBroker(app, broker, DASHBOARD_USER);
  await app.connect();
  const version = `$SYS/brokers/${broker.nodeName}/version`;
  await app.filter(version);
  await expect(app.row(version)).toContainText(broker.version);
});

test('mqtts to an IP address without an SNI server name: a warning before connecting, and the failure names SNI', async ({ page }) => {
  const broker = brokerOf(emqx);
  const app = new AppPage(page);
  await app.open({ url: host.url() });
  const warning = app.panel.getByRole('note').filter({ hasText: 'no server name (SNI) is sent' });
  await app.field('Protocol').selectOption('mqtts');
  await app.field('Host').fill('localhost');
  await expect(warning).toHaveCount(0);
  await app.field('Host').fill(broker.host);
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('some brokers (EMQX Cloud Serverless) refuse TLS without it');

  // Non-blocking: the user may still connect, and learns why it failed.
  await app.field('Port').fill(String(broker.ports.mqtts));
  await app.field('CA certificate').fill(broker.caFile);
  await app.connectButton.click();
  await expect(app.status).toContainText('Likely cause: no server name (SNI) was sent, because the host is an IP address');

  await app.panel.locator('summary', { hasText: 'TLS' }).click();
  await app.field('SNI server name').fill('localhost');
  await expect(warning).toHaveCount(0);
  await app.connect();
});

test('a publish refused on MQTT 5 shows "Not authorized" and what it means', async ({ page }) => {
  const broker = brokerOf(emqx);
  const app = new AppPage(page);
  await app.open({ url: host.url() });
  await fillBroker(app, broker);
  await app.setSubscriptions(['plant/#']);
  await app.connect();
  await expect(app.panel.getByText('MQTT 5', { exact: true })).toBeVisible();

  await app.field('Topic').fill('plant/forbidden/valve');
  await app.field('Payload').fill('open');
  await app.field('QoS').selectOption('1');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(app.panel.getByRole('status').filter({ hasText: 'The broker refused the message' })).toHaveText(
    /^The broker refused the message to "plant\/forbidden\/valve": Not authorized \(0x87\): The broker's ACL does not let this client publish to this topic/,
  );
});

test('a broker refusing MQTT 5 (CONNACK 0x84) offers "Use MQTT 3.1.1", which connects', async ({ page }) => {
  const broker = brokerOf(only311);
  const app = new AppPage(page);
  await app.open({ url: host.url() });
  await fillBroker(app, broker);
  await app.connectButton.click();
  await expect(app.status).toHaveText('The broker does not support MQTT 5: connect with MQTT 3.1.1.');

  await app.panel.getByRole('button', { name: 'Use MQTT 3.1.1', exact: true }).click();
  await expect(app.status).toContainText('Connected to');
  await expect(app.panel.getByText('MQTT 3.1.1', { exact: true })).toBeVisible();
});
