import { encode as encodeCbor } from 'cbor-x';
import { expect, test, type Page } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { SENSORS_PROTO, encodeReading, encodeSparkplug } from '../harness/decode-payloads';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';

/**
 * Charting numbers picked in the viewer's decoded value, in browser mode against the real
 * host and Mosquitto, with payloads made by the formats' own encoders (cbor-x, Eclipse
 * Tahu, protobufjs): the core decodes the charted topic's messages, back-filled from the
 * history and live, in order.
 */

/**
 * Connected and subscribed to `filter` only: with "#", what earlier tests left retained
 * on the shared broker arrives first, and a busy window gets those and the test's own
 * messages coalesced by flow control (by design), which leaves less history to chart.
 */
async function connectedApp(page: Page, filter: string): Promise<AppPage> {
  const app = new AppPage(page);
  await app.openConnected(broker(), [filter]);
  return app;
}

async function openTopic(app: AppPage, topic: string): Promise<void> {
  await app.filter(topic);
  await app.row(topic).click();
}

/** Clicks the number shown as `text` in the viewer and charts it. */
async function chartNumber(page: Page, text: string): Promise<void> {
  const details = page.getByLabel('Topic details');
  const value = details.getByLabel('Payload value', { exact: true });
  await value.locator('span', { hasText: new RegExp(`^${text.replaceAll('.', '\\.')}$`) }).click();
  await details.getByRole('button', { name: 'Chart this value', exact: true }).click();
}

test('a CBOR field clicked in the viewer charts every message of its topic, back-filled and live', async ({ page }) => {
  const violations = await watchViolations(page);
  const topic = `${uniquePrefix('chart-cbor')}/room`;
  const app = await connectedApp(page, topic);
  const peer = await MqttPeer.connect(broker());
  try {
    await app.filter(topic);
    // QoS 1, one after the other: the broker forwards them in this order.
    for (let i = 1; i <= 5; i++) await peer.publish(topic, Buffer.from(encodeCbor({ temp: 20 + i / 4, unit: 'C' })), { qos: 1 });
    await openTopic(app, topic);
    const details = page.getByLabel('Topic details');
    await details.getByLabel('Decode as', { exact: true }).selectOption({ label: 'CBOR' });
    await expect(details.getByLabel('Payload value', { exact: true })).toContainText('"temp": 21.25');

    await chartNumber(page, '21.25');
    const chart = details.getByRole('img', { name: /^Chart of / });
    await expect(chart).toHaveAccessibleName(`Chart of ${topic} $.temp, 5 points`);

    for (let i = 6; i <= 8; i++) await peer.publish(topic, Buffer.from(encodeCbor({ temp: 20 + i / 4, unit: 'C' })), { qos: 1 });
    // Not CBOR: no point, counted in the legend.
    await peer.publish(topic, 'not cbor at all', { qos: 1 });
    await expect(chart).toHaveAccessibleName(`Chart of ${topic} $.temp, 8 points`);
    await expect(details.getByRole('list', { name: 'Series' })).toContainText('1 without a number here, skipped');

    // The points are the temperatures in the order they were sent.
    const download = page.waitForEvent('download');
    await details.getByRole('listitem').filter({ hasText: topic }).getByRole('button', { name: 'Export CSV', exact: true }).click();
    let csv = '';
    for await (const chunk of await (await download).createReadStream()) csv += String(chunk);
    expect(csv.trimEnd().split('\r\n').slice(1).map((line) => Number(line.split(',')[2]))).toEqual([20.25, 20.5, 20.75, 21, 21.25, 21.5, 21.75, 22]);
  } finally {
    await peer.end();
  }
  expect(violations).toEqual([]);
});

test('a Sparkplug metric sent by alias only charts under the name its DBIRTH gave it', async ({ page }) => {
  const violations = await watchViolations(page);
  const base = `spBv1.0/${uniquePrefix('chart-sp').replaceAll('/', '-')}`;
  const ddataTopic = `${base}/DDATA/gw/pump`;
  const app = await connectedApp(page, `${base}/#`);
  const gateway = await MqttPeer.connect(broker());
  const now = Date.now();
  const flow = (value: number, seq: number): Buffer => Buffer.from(encodeSparkplug({ timestamp: now + seq, seq, metrics: [{ alias: 7, type: 'Double', value }] }));
  try {
    await app.filter(ddataTopic);
    await gateway.publish(`${base}/NBIRTH/gw`, Buffer.from(encodeSparkplug({ timestamp: now, seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 0 }] })), { qos: 1 });
    await gateway.publish(`${base}/DBIRTH/gw/pump`, Buffer.from(encodeSparkplug({ timestamp: now, seq: 1, metrics: [
      { name: 'Flow', alias: 7, type: 'Double', value: 1.5 },
      { name: 'Mode', alias: 8, type: 'String', value: 'auto' },
    ] })), { qos: 1 });
    await gateway.publish(ddataTopic, flow(2.75, 2), { qos: 1 });
    await gateway.publish(ddataTopic, flow(3.25, 3), { qos: 1 });

    await openTopic(app, ddataTopic);
    const details = page.getByLabel('Topic details');
    await expect(details.getByLabel('Payload value', { exact: true })).toContainText('"alias": 7');
    await chartNumber(page, '3.25');
    const chart = details.getByRole('img', { name: /^Chart of / });
    // The DBIRTH's value and the two DDATA ones, under the metric's name.
    await expect(chart).toHaveAccessibleName(`Chart of ${ddataTopic} · Flow, 3 points`);

    await gateway.publish(ddataTopic, flow(4.5, 4), { qos: 1 });
    // Another metric of the device: not a point of this series.
    await gateway.publish(ddataTopic, Buffer.from(encodeSparkplug({ timestamp: now + 5, seq: 5, metrics: [{ alias: 8, type: 'String', value: 'manual' }] })), { qos: 1 });
    await gateway.publish(ddataTopic, flow(5.5, 6), { qos: 1 });
    await expect(chart).toHaveAccessibleName(`Chart of ${ddataTopic} · Flow, 5 points`);
    await expect(details.getByRole('list', { name: 'Series' })).toContainText('1 without a number here, skipped');
  } finally {
    await gateway.end();
  }
  expect(violations).toEqual([]);
});

test('a Protobuf field with a decode rule charts from its history and live', async ({ page }) => {
  const violations = await watchViolations(page);
  const topic = `${uniquePrefix('chart-proto')}/th-12`;
  const app = await connectedApp(page, topic);
  const peer = await MqttPeer.connect(broker());
  const reading = (value: number): Buffer => Buffer.from(encodeReading({ deviceId: 'th-12', value, unit: 'CELSIUS' }));
  try {
    await app.filter(topic);
    for (const value of [18.5, 19.5, 20.5]) await peer.publish(topic, reading(value), { qos: 1 });
    await openTopic(app, topic);
    const details = page.getByLabel('Topic details');
    await details.getByLabel('Decode as', { exact: true }).selectOption({ label: 'Protobuf' });
    await details.getByLabel('Choose a .proto file').setInputFiles({ name: SENSORS_PROTO.name, mimeType: 'text/plain', buffer: Buffer.from(SENSORS_PROTO.source) });
    await details.getByLabel('Message type', { exact: true }).fill('sensors.Reading');
    await details.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(details.getByLabel('Payload value', { exact: true })).toContainText('"value": 20.5');

    await chartNumber(page, '20.5');
    const chart = details.getByRole('img', { name: /^Chart of / });
    await expect(chart).toHaveAccessibleName(`Chart of ${topic} $.value, 3 points`);
    for (const value of [21.5, 22.5]) await peer.publish(topic, reading(value), { qos: 1 });
    await expect(chart).toHaveAccessibleName(`Chart of ${topic} $.value, 5 points`);
  } finally {
    await peer.end();
  }
  expect(violations).toEqual([]);
});
