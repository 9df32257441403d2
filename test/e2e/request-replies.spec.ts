/**
 * Request/response (MQTT 5) in browser mode: a response topic made by "Generate", a
 * request published with a UUID as its correlation data, and a responder on the test's
 * side (an independent mqtt.js client) answering it; the "Replies" list shows the reply
 * with its latency, and a reply nobody asked for as uncorrelated.
 */
import { expect, test } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/;

test('Generate a response topic, publish a request, and see the reply with its latency in "Replies"', async ({ page }) => {
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('request-replies');
  // The responder service: answers each request on its response topic with the same correlation data.
  const responder = await MqttPeer.connect(broker(), { protocolVersion: 5 });
  const requests: { responseTopic: string; correlation: string }[] = [];
  responder.client.on('message', (_topic, payload, packet) => {
    const responseTopic = packet.properties?.responseTopic;
    const correlationData = packet.properties?.correlationData;
    if (!responseTopic || !correlationData) return;
    requests.push({ responseTopic, correlation: correlationData.toString() });
    void responder.publish(responseTopic, `pong:${payload.toString()}`, { qos: 1, properties: { correlationData } });
  });
  await responder.subscribe(`${prefix}/req`, 1);

  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  // Subscribed to the test's own topics only, so no subscription covers the response topic: the app subscribes for it.
  await app.setSubscriptions([`${prefix}/#`]);
  await app.connect();
  const form = page.getByLabel('Publish a message');
  await form.getByText('MQTT 5 properties').click();
  await form.getByRole('button', { name: 'Generate', exact: true }).click();
  const responseTopic = form.getByLabel('Response topic', { exact: true });
  await expect(responseTopic).toHaveValue(/^topicscope\/reply\/[^/+#]+\/[a-z0-9]{8}$/);
  await expect(form.getByLabel('Wait for replies', { exact: true })).toBeChecked();

  await app.field('Topic').fill(`${prefix}/req`);
  await app.field('Payload').fill('ping');
  // The correlation data field is empty: the preview says a UUID is generated per request.
  const preview = form.getByRole('region', { name: 'What will be sent' });
  await expect(preview.locator('[data-preview="correlation"]')).toHaveText(UUID);
  await expect(preview.locator('[data-preview="correlation"]')).toContainText('a new UUID per request');
  await form.getByRole('button', { name: 'Publish', exact: true }).click();

  const replies = form.getByRole('list', { name: 'Replies' });
  const first = replies.getByRole('listitem').filter({ hasText: 'pong:ping' });
  await expect(first).toBeVisible();
  await expect(first).toContainText(/\b\d+(\.\d)?\s?ms\b/);
  expect(requests).toHaveLength(1);
  const { correlation, responseTopic: asked } = requests[0]!;
  expect(correlation).toMatch(UUID);
  await expect(responseTopic).toHaveValue(asked);
  await expect(first).toContainText(`Correlation data: ${correlation}`);
  await expect(first).toContainText(asked);
  await expect(form.getByRole('status').filter({ hasText: 'Waiting 60 s after the last request' })).toContainText('(subscribed for them)');

  // The reply reached the tree as an ordinary message too.
  await expect(app.row('topicscope')).toBeVisible();

  // Another client's reply on the same topic, answering no request of ours.
  await responder.publish(asked, 'stray', { qos: 1, properties: { correlationData: Buffer.from('not-ours') } });
  const stray = replies.getByRole('listitem').filter({ hasText: 'stray' });
  await expect(stray).toContainText('uncorrelated');
  await expect(replies.getByRole('listitem')).toHaveCount(2);

  await form.getByRole('button', { name: 'Clear replies', exact: true }).click();
  await expect(replies).toHaveCount(0);
  await responder.end();
  expect(violations).toEqual([]);
});

test('on an MQTT 3.1.1 connection request/response is hidden with the properties', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.panel.locator('summary', { hasText: 'Session' }).click();
  await app.field('MQTT version').selectOption('3.1.1');
  await app.connect();
  const form = page.getByLabel('Publish a message');
  await expect(form).toContainText('MQTT 5 properties need an MQTT 5 connection; this one is 3.1.1.');
  await expect(form.getByRole('button', { name: 'Generate', exact: true })).toHaveCount(0);
  await expect(form.getByLabel('Wait for replies', { exact: true })).toHaveCount(0);
  await expect(form.getByRole('list', { name: 'Replies' })).toHaveCount(0);
});
