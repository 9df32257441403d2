/**
 * Connecting through an HTTP proxy from the form, as a user behind a corporate proxy
 * does: a tinyproxy of this file's own, with Basic auth, in front of the shared broker.
 */
import { expect, test } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { startHttpProxy, type RunningProxy } from '../harness/proxies';
import { AppPage, broker, uniquePrefix } from './app-page';

let proxy: RunningProxy | undefined;

test.beforeAll(async () => {
  proxy = await startHttpProxy({ auth: true, connectPorts: Object.values(broker().ports) });
});

test.afterAll(async () => {
  await proxy?.stop();
});

test('fills the Proxy section, connects through the HTTP proxy, says so in the header, and topics arrive', async ({ page }) => {
  if (!proxy?.username || proxy.password === undefined) throw new Error('The proxy of this file did not start with credentials.');
  const info = broker();
  const app = new AppPage(page);
  await app.open();
  await app.fillTls(info);
  const prefix = uniquePrefix('proxy');
  await app.setSubscriptions([`${prefix}/#`]);

  await app.panel.locator('summary', { hasText: /^Proxy$/ }).click();
  await app.field('Proxy type').selectOption('http');
  await expect(app.field('Proxy port')).toHaveValue('3128');
  await app.field('Proxy host').fill(proxy.host);
  await app.field('Proxy port').fill(String(proxy.port));
  await app.field('Proxy username').fill(proxy.username);
  await app.field('Proxy password').fill(proxy.password);
  await app.connect();

  await expect(app.panel.getByText(`via HTTP proxy ${proxy.host}:${proxy.port}`, { exact: true })).toBeVisible();
  const log = await app.log();
  await expect(log).toContainText(`Connecting through the HTTP proxy at ${proxy.host}:${proxy.port} as user "${proxy.username}"`);

  const peer = await MqttPeer.connect(info);
  try {
    await peer.publish(`${prefix}/office/door`, 'open', { qos: 1 });
    await app.filter(`${prefix}/office/door`);
    await expect(app.row(`${prefix}/office/door`)).toContainText('open');
  } finally {
    await peer.end();
  }
  // The proxy carried it: its log has the CONNECT to the broker's TLS port.
  expect(proxy.log()).toContain(`CONNECT localhost:${info.ports.mqtts}`);
});
