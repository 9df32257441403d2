/**
 * Opening a recording offline: record what the broker sends, stop, then "Open
 * recording…" shows the file in a read-only tab of its own, where a topic is found
 * with the filter and read in the details, with no broker involved.
 */
import { expect, test } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';

test('Record, Stop recording, Open recording…: the recording is a read-only tab where a topic is found and read', async ({ page }) => {
  test.setTimeout(90_000);
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('open-recording');
  const app = new AppPage(page);
  await app.openConnected(broker(), [`${prefix}/#`]);
  const peer = await MqttPeer.connect(broker());
  let downloadName: string;
  try {
    await app.untilReceiving(peer, `${prefix}/ready`);

    await app.panel.getByRole('button', { name: 'Record', exact: true }).click();
    await expect(app.panel.getByRole('button', { name: 'Stop recording', exact: true })).toBeEnabled();
    for (let i = 0; i < 30; i++) await peer.publish(`${prefix}/plant/line${i % 3}/temp`, `{"celsius":${20 + i}}`, { qos: 1 });
    await peer.publish(`${prefix}/plant/door`, 'open', { qos: 1 });
    await expect(app.panel.getByText(/^Recording · 31 messages · /)).toBeVisible({ timeout: 10_000 });
    await app.panel.getByRole('button', { name: 'Stop recording', exact: true }).click();
    const link = app.panel.getByRole('link', { name: 'Download recording' });
    downloadName = decodeURIComponent(/\/recordings\/([^?]+)/.exec((await link.getAttribute('href')) ?? '')?.[1] ?? '');
    expect(downloadName).toMatch(/^recording-.*\.jsonl$/);
  } finally {
    await peer.end();
  }
  // The broker goes out of the picture: the recording needs none.
  await app.disconnect();

  // Ctrl+O opens the dialog as the button does.
  const dialog = page.getByRole('dialog', { name: 'Open recording' });
  await page.keyboard.press('Control+o');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Open recording…', exact: true }).click();
  await dialog.getByRole('button', { name: `Open ${downloadName}`, exact: true }).click();
  await expect(dialog).toBeHidden();

  await expect(app.tabs).toHaveCount(2);
  await expect(app.tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(app.tabs.nth(1)).toContainText(downloadName);
  const header = app.panel.getByRole('status', { name: 'Recording' });
  await expect(header).toContainText('Recording, read-only');
  await expect(header).toContainText(/31 messages, .+ to .+/);
  // Read-only: no connection form, nothing to publish.
  await expect(app.panel.getByRole('button', { name: 'Connect', exact: true })).toHaveCount(0);
  await expect(app.panel.getByRole('button', { name: /^(Show|Hide) publish$/ })).toHaveCount(0);

  const topic = `${prefix}/plant/line1/temp`;
  await app.filter('line1/temp');
  await expect(app.row(topic)).toBeVisible();
  await expect(app.row(topic)).toContainText('{"celsius":48}');
  await app.row(topic).click();
  const details = page.getByLabel('Topic details');
  await details.getByRole('tab', { name: 'History', exact: true }).click();
  await expect(details).toContainText('10 kept of 10 received');
  await expect(details.getByRole('listbox', { name: 'History', exact: true }).getByRole('option')).toHaveCount(10);

  // Closing the recording's tab leaves the connection's tab as it was.
  await page.getByRole('button', { name: `Close tab ${downloadName}` }).click();
  await expect(app.tabs).toHaveCount(1);
  await expect(app.connectButton).toBeEnabled();
  expect(violations).toEqual([]);
});

test('Open recording in browser mode uploads a file from elsewhere; a damaged one shows what it holds and says what was skipped', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const header = JSON.stringify({ format: 'topicscope-recording', version: 1, startedAt: 1_700_000_000_000, filters: [] });
  const line = (i: number): string => JSON.stringify({ receivedAt: 1_700_000_000_000 + i * 1_000, topic: `elsewhere/sensor${i % 2}`, qos: 0, retain: false, payload: String(i), encoding: 'utf8' });
  const text = [header, line(0), line(1), 'half a line that is not JSON', line(2), line(3).slice(0, 30)].join('\n');

  await page.getByRole('button', { name: 'Open recording…', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Open recording' });
  await dialog.getByLabel('Upload a recording from this computer').setInputFiles({ name: 'from-desktop.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(text) });
  await expect(dialog).toBeHidden();

  await expect(app.tabs).toHaveCount(2);
  await expect(app.panel.getByRole('status', { name: 'Recording' })).toContainText('3 messages');
  await expect(app.panel.getByRole('note').first()).toHaveText(
    '1 line skipped (line 4: not JSON); the last line was cut short; the recording has no end line: it was cut short.',
  );
  await app.filter('sensor0');
  await expect(app.row('elsewhere/sensor0')).toContainText('2');
  await expect(app.row('elsewhere/sensor1')).toHaveCount(0);
});
