import { expect, test, type Download, type Locator } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { readRecordingText } from '../../shared/recording/recording-reader';
import { csvObjects } from '../support/csv-records';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';

/**
 * Export in browser mode, against the real host and Mosquitto, under the page's CSP: a
 * topic's history as CSV a spreadsheet reads one row per message with its JSON fields
 * as columns, and a subtree's last values as JSON Lines that read back as a recording.
 */

async function text(download: Download): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Selects the topic's row (the filter makes it visible) and opens its Export dialog. */
async function openExport(app: AppPage, topic: string): Promise<Locator> {
  await app.filter(topic);
  await app.row(topic).click();
  await app.panel.getByLabel('Topic details').getByRole('button', { name: 'Export…', exact: true }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Export' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('exports a topic\'s history as CSV: one row per message, JSON fields as columns, a comma and a line break kept in their cell', async ({ page }) => {
  const violations = await watchViolations(page);
  const topic = `${uniquePrefix('export')}/line-1/temp`;
  const app = new AppPage(page);
  await app.openConnected(broker());
  const readings = [
    { temperature: 20.5, sensor: { id: 's-1' }, values: [1, 2] },
    { temperature: 21, sensor: { id: 's-1' }, note: 'door open, then\nclosed' },
    { temperature: 21.5, sensor: { id: 's-2', ok: true } },
    { temperature: 22, values: [3] },
  ];
  const peer = await MqttPeer.connect(broker());
  try {
    await app.filter(topic);
    // QoS 1, one after the other: the broker forwards them in this order.
    for (const reading of readings) await peer.publish(topic, JSON.stringify(reading), { qos: 1 });
  } finally {
    await peer.end();
  }

  const dialog = await openExport(app, topic);
  await expect(dialog.getByRole('radio', { name: /^History of this topic \(4 messages/ })).toBeChecked();
  await dialog.getByRole('radio', { name: /^CSV/ }).check();
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^e2e-export-.*-line-1-temp-history\.csv$/);
  const csv = await text(file);
  // The byte order mark that makes Excel read UTF-8, then RFC 4180 records.
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const { columns, rows } = csvObjects(csv.slice(1));
  expect(columns).toEqual(['time', 'topic', 'qos', 'retain', 'payload', 'encoding', 'temperature', 'sensor.id', 'values[0]', 'values[1]', 'note', 'sensor.ok']);
  expect(rows).toHaveLength(4);
  expect(rows.map((row) => row['temperature'])).toEqual(['20.5', '21', '21.5', '22']);
  expect(rows.map((row) => row['topic'])).toEqual(readings.map(() => topic));
  expect(rows[1]).toMatchObject({ note: 'door open, then\nclosed', payload: JSON.stringify(readings[1]), 'sensor.id': 's-1', 'values[0]': '' });
  expect(rows[2]).toMatchObject({ 'sensor.ok': 'true', 'sensor.id': 's-2' });
  expect(rows[3]).toMatchObject({ 'values[0]': '3', 'sensor.id': '' });
  for (const row of rows) expect(row['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  await expect(dialog.getByRole('status')).toHaveText(/^4 messages exported\. Downloaded e2e-export-.*\.csv\.$/);

  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();
  expect(violations).toEqual([]);
});

test('exports the last values of a subtree as JSON Lines that read back as a recording, bytes and MQTT 5 properties exact', async ({ page }) => {
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('export');
  const plant = `${prefix}/plant`;
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.panel.getByText('Session', { exact: true }).click();
  await app.field('MQTT version').selectOption('5');
  await app.connect();
  const binary = Buffer.from([0x00, 0xff, 0xc3, 0x28, 0x0a]);
  const peer = await MqttPeer.connect(broker(), { protocolVersion: 5 });
  try {
    await app.filter(prefix);
    await peer.publish(`${plant}/a`, 'first', { qos: 1 });
    await peer.publish(`${plant}/b/c`, binary, { qos: 1, properties: { userProperties: { site: ['north', 'south'] }, contentType: 'application/octet-stream' } });
    // Received (and so timed, to the ms) before a's last value: the file's order below.
    await expect(app.row(`${plant}/b/c`)).toBeVisible();
    await peer.publish(`${plant}/a`, '{"state":"running"}', { qos: 1 });
    await peer.publish(`${prefix}/other`, 'outside the subtree', { qos: 1 });
    await expect(app.row(`${prefix}/other`)).toBeVisible();
  } finally {
    await peer.end();
  }

  // "plant" is a level above others with no message of its own: only its subtree can be exported.
  const dialog = await openExport(app, plant);
  await expect(dialog.getByRole('radio', { name: /^History of this topic/ })).toBeDisabled();
  await expect(dialog.getByRole('radio', { name: /^Last values of this topic and every topic below it \(2 topics\)/ })).toBeChecked();
  await dialog.getByRole('radio', { name: /^JSON Lines/ }).check();
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^e2e-export-.*-plant-subtree\.jsonl$/);

  const { messages, summary } = readRecordingText(await text(file));
  expect(summary.header?.filters).toEqual([`${plant}/#`]);
  expect(summary.skippedCount).toBe(0);
  expect(summary.end).toMatchObject({ messages: 2, missed: 0 });
  // A recording is in the order received: b/c came before a's last value.
  expect(messages.map((m) => m.topic)).toEqual([`${plant}/b/c`, `${plant}/a`]);
  expect(Buffer.from(messages[0]!.payload)).toEqual(binary);
  expect(messages[0]!.properties).toMatchObject({ userProperties: { site: ['north', 'south'] }, contentType: 'application/octet-stream' });
  // As the app received it: its subscription is at QoS 0, so the broker delivered at 0.
  expect(messages[1]).toMatchObject({ qos: 0, retain: false });
  expect(new TextDecoder().decode(messages[1]!.payload)).toBe('{"state":"running"}');
  await expect(dialog.getByRole('status')).toHaveText(/^2 messages exported\. Downloaded /);
  expect(violations).toEqual([]);
});
