/**
 * The publish form in browser mode: formats with the size before sending, JSON refused
 * with its reason, a file as the payload, MQTT 5 properties, variables previewed and
 * sent. What arrives is checked by another client (mqtt.js over MQTT 5) and decoded with
 * cbor-x, never with the app's own code.
 */
import { decode as decodeCbor } from 'cbor-x';
import { expect, test } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';

test('formats: the size shows before sending, invalid JSON is refused with its reason, Format pretty-prints, Hex, CBOR and a file go out as bytes', async ({ page }) => {
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('publish-form');
  const peer = await MqttPeer.connect(broker(), { protocolVersion: 5 });
  await peer.subscribe(`${prefix}/#`, 1);
  const app = new AppPage(page);
  await app.openConnected(broker());
  const form = page.getByLabel('Publish a message');
  const formatSelect = form.getByRole('combobox', { name: 'Format', exact: true });
  const formatButton = form.getByRole('button', { name: 'Format', exact: true });
  const publish = form.getByRole('button', { name: 'Publish', exact: true });
  const payload = app.field('Payload');

  await expect(formatSelect.locator('option')).toHaveText(['Text', 'JSON', 'Hex', 'Base64', 'CBOR', 'MessagePack']);
  await app.field('Topic').fill(`${prefix}/json`);
  await formatSelect.selectOption({ label: 'JSON' });
  await payload.fill('{\n  "a": 1,\n}');
  await expect(form).toContainText(/Cannot publish: Not valid JSON: .+ \(line 3, column 1\)\./);
  await expect(publish).toBeDisabled();
  await expect(formatButton).toBeDisabled();

  await payload.fill('{"a":1,"b":[true]}');
  await expect(form).toContainText('18 bytes');
  await expect(publish).toBeEnabled();
  await formatButton.click();
  await expect(payload).toHaveValue('{\n  "a": 1,\n  "b": [\n    true\n  ]\n}');
  await expect(form).toContainText('35 bytes');
  await publish.click();
  expect(JSON.parse((await peer.waitForMessage(`${prefix}/json`)).payload.toString())).toEqual({ a: 1, b: [true] });

  await app.field('Topic').fill(`${prefix}/hex`);
  await formatSelect.selectOption({ label: 'Hex' });
  await expect(formatButton).toHaveCount(0);
  await payload.fill('de ad');
  await expect(form).toContainText('2 bytes');
  await payload.fill('de ad b');
  await expect(form).toContainText('Not hex: 5 digits is an odd number; each byte takes two.');
  await expect(publish).toBeDisabled();
  await payload.fill('de ad\nbe ef');
  await publish.click();
  expect([...(await peer.waitForMessage(`${prefix}/hex`)).payload]).toEqual([0xde, 0xad, 0xbe, 0xef]);

  await app.field('Topic').fill(`${prefix}/cbor`);
  await formatSelect.selectOption({ label: 'CBOR' });
  await payload.fill('{"temp": 21.5, "unit": "C"}');
  await expect(form).toContainText('22 bytes');
  await publish.click();
  expect(decodeCbor((await peer.waitForMessage(`${prefix}/cbor`)).payload)).toEqual({ temp: 21.5, unit: 'C' });

  // A file's bytes, uploaded by the page: its name and size show; clearing it brings the editor back.
  await app.field('Topic').fill(`${prefix}/file`);
  await form.getByLabel('Choose a payload file').setInputFiles({ name: 'frame.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0, 1, 0xfe, 0xff, 0x80]) });
  await expect(payload).toHaveText('File frame.bin');
  await expect(form).toContainText('5 bytes');
  await expect(formatSelect).toHaveCount(0);
  await publish.click();
  expect([...(await peer.waitForMessage(`${prefix}/file`)).payload]).toEqual([0, 1, 0xfe, 0xff, 0x80]);
  await form.getByRole('button', { name: 'Clear file', exact: true }).click();
  await expect(payload).toHaveValue('{"temp": 21.5, "unit": "C"}');
  await peer.end();
  expect(violations).toEqual([]);
});

test('MQTT 5 properties and variables: user properties in order, each property sent; the preview shows what is sent', async ({ page }) => {
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('publish-props');
  const peer = await MqttPeer.connect(broker(), { protocolVersion: 5 });
  await peer.subscribe(`${prefix}/#`, 1);
  const app = new AppPage(page);
  await app.openConnected(broker());
  const form = page.getByLabel('Publish a message');

  await app.field('Topic').fill(`${prefix}/{{clientId}}/{{counter}}`);
  await form.getByRole('combobox', { name: 'Format', exact: true }).selectOption({ label: 'JSON' });
  await app.field('Payload').fill('{"n": {{counter}}, "dice": {{random(4,4)}}, "at": {{timestamp}}}');
  const preview = form.getByRole('region', { name: 'What will be sent' });
  const previewTopic = preview.locator('[data-preview="topic"]');
  await expect(previewTopic).toHaveText(new RegExp(`^${prefix}/[^/{]+/1$`));
  await expect(preview.locator('[data-preview="payload"]')).toHaveText(/^\{"n": 1, "dice": 4, "at": \d{13}\}$/);
  const expectedTopic = await previewTopic.textContent();

  await form.getByText('MQTT 5 properties').click();
  const add = form.getByRole('button', { name: 'Add user property', exact: true });
  for (const [name, value] of [['site', 'lab'], ['tag', 'a'], ['tag', 'b']] as const) {
    await add.click();
    await form.getByLabel('Property name', { exact: true }).last().fill(name);
    await form.getByLabel('Property value', { exact: true }).last().fill(value);
  }
  // One more row, removed again.
  await add.click();
  await form.getByLabel('Property name', { exact: true }).last().fill('gone');
  await form.getByRole('button', { name: 'Remove user property 4', exact: true }).click();
  await expect(form.getByLabel('Property name', { exact: true })).toHaveCount(3);
  await form.getByLabel('Content type', { exact: true }).fill('application/json');
  await form.getByLabel('Message expiry (s)', { exact: true }).fill('600');
  await form.getByLabel('Response topic', { exact: true }).fill(`${prefix}/reply`);
  await form.getByLabel('Correlation data', { exact: true }).fill('72 65 71');
  await form.getByLabel('Correlation data as', { exact: true }).selectOption({ label: 'Hex' });
  await form.getByLabel('Payload is UTF-8', { exact: true }).check();
  await form.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(form.getByText('Published, acknowledged by the broker (QoS 0).').or(form.getByText('Sent (QoS 0 is not acknowledged).'))).toBeVisible();

  const received = await peer.waitForMessage(expectedTopic ?? '');
  expect(JSON.parse(received.payload.toString())).toMatchObject({ n: 1, dice: 4 });
  const properties = received.packet.properties;
  expect(properties?.userProperties).toEqual({ site: 'lab', tag: ['a', 'b'] });
  expect(properties?.contentType).toBe('application/json');
  expect(properties?.payloadFormatIndicator).toBe(true);
  expect(properties?.messageExpiryInterval).toBeGreaterThan(590);
  expect(properties?.responseTopic).toBe(`${prefix}/reply`);
  expect(properties?.correlationData?.toString()).toBe('req');
  // The next message gets the next number.
  await expect(previewTopic).toHaveText(new RegExp(`/2$`));

  // An unknown variable is named, and nothing can be sent.
  await app.field('Payload').fill('{"x": {{nope}}}');
  await expect(form).toContainText('Payload: Unknown variable {{nope}}');
  await expect(form.getByRole('button', { name: 'Publish', exact: true })).toBeDisabled();
  await peer.end();
  expect(violations).toEqual([]);
});

test('on an MQTT 3.1.1 connection the properties are hidden, with a note saying why', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.panel.locator('summary', { hasText: 'Session' }).click();
  await app.field('MQTT version').selectOption('3.1.1');
  await app.connect();
  const form = page.getByLabel('Publish a message');
  await expect(form).toContainText('MQTT 5 properties need an MQTT 5 connection; this one is 3.1.1.');
  await expect(form.getByRole('button', { name: 'Add user property', exact: true })).toHaveCount(0);
  await expect(form.getByLabel('Content type', { exact: true })).toHaveCount(0);
});
