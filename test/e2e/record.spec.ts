import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { readRecordingText } from '../../shared/recording/recording-reader';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';

const COUNT = 25;

test('Record, publish, Stop recording: the status counts them and the download holds every one', async ({ page }) => {
  test.setTimeout(60_000);
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('record');
  const app = new AppPage(page);
  await app.openConnected(broker(), [`${prefix}/#`]);
  const peer = await MqttPeer.connect(broker());
  try {
    await app.untilReceiving(peer, `${prefix}/ready`);

    await app.panel.getByRole('button', { name: 'Record', exact: true }).click();
    const stop = app.panel.getByRole('button', { name: 'Stop recording', exact: true });
    await expect(stop).toBeEnabled();
    await expect(app.panel.getByText(/^Recording · 0 messages · \d+ B$/)).toBeVisible();

    for (let i = 0; i < COUNT; i++) await peer.publish(`${prefix}/line/m${i % 5}`, `{"n":${i}}`, { qos: 1 });
    await peer.publish(`${prefix}/raw`, Buffer.from([0, 1, 255]), { qos: 1 });
    await expect(app.panel.getByText(new RegExp(`^Recording · ${COUNT + 1} messages · `))).toBeVisible({ timeout: 10_000 });

    await stop.click();
    await expect(app.panel.getByText(new RegExp(`^Recorded ${COUNT + 1} messages · [\\d.]+ kB$`))).toBeVisible();
    await expect(app.panel.getByRole('button', { name: 'Record', exact: true })).toBeEnabled();

    const link = app.panel.getByRole('link', { name: 'Download recording' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^recording-.*\.jsonl$/);
    const { messages, summary } = readRecordingText(await readFile(await download.path(), 'utf8'));
    expect(summary).toMatchObject({ skippedCount: 0, end: { messages: COUNT + 1, missed: 0, reason: 'user' } });
    expect(messages.map((m) => new TextDecoder().decode(m.payload)).slice(0, COUNT)).toEqual(Array.from({ length: COUNT }, (_, i) => `{"n":${i}}`));
    expect(messages[COUNT]).toMatchObject({ topic: `${prefix}/raw`, payload: Uint8Array.of(0, 1, 255) });
    expect(violations).toEqual([]);
  } finally {
    await peer.end();
  }
});

test('Recording options: only the filter given is recorded, and a bad filter is said before anything starts', async ({ page }) => {
  test.setTimeout(60_000);
  const prefix = uniquePrefix('record-options');
  const app = new AppPage(page);
  await app.openConnected(broker(), [`${prefix}/#`]);
  const peer = await MqttPeer.connect(broker());
  try {
    await app.untilReceiving(peer, `${prefix}/ready`);

    await app.panel.getByRole('button', { name: 'Recording options' }).click();
    const options = app.panel.getByRole('group', { name: 'Recording options' });
    const filters = options.getByLabel(/^Record topics matching/);
    await filters.fill(`${prefix}/a/#/b`);
    await options.getByRole('button', { name: 'Start recording' }).click();
    await expect(app.panel.getByRole('alert')).toContainText(`"${prefix}/a/#/b":`);
    await expect(app.panel.getByRole('button', { name: 'Record', exact: true })).toBeVisible();

    await app.panel.getByRole('button', { name: 'Recording options' }).click();
    await filters.fill(`${prefix}/keep/#`);
    await options.getByRole('button', { name: 'Start recording' }).click();
    await expect(app.panel.getByRole('button', { name: 'Stop recording', exact: true })).toBeEnabled();
    for (let i = 0; i < 6; i++) await peer.publish(`${prefix}/${i % 2 === 0 ? 'keep' : 'skip'}/${i}`, String(i), { qos: 1 });
    await expect(app.panel.getByText(/^Recording · 3 messages · /)).toBeVisible();
    await app.panel.getByRole('button', { name: 'Stop recording', exact: true }).click();
    await expect(app.panel.getByText(/^Recorded 3 messages · /)).toBeVisible();
  } finally {
    await peer.end();
  }
});
