import { expect, test } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';

const COUNT = 20;

test('Replay…: choose the recording just made from the list, the preview counts it, Start replay sends every message under a prefix', async ({ page }) => {
  test.setTimeout(90_000);
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('replay');
  const app = new AppPage(page);
  await app.openConnected(broker(), [`${prefix}/src/#`]);
  const peer = await MqttPeer.connect(broker());
  const watcher = await MqttPeer.connect(broker());
  try {
    await watcher.subscribe(`${prefix}/copy/#`, 1);
    const statistics = app.panel.getByRole('contentinfo', { name: 'Message statistics' });
    await expect(async () => {
      await peer.publish(`${prefix}/src/ready`, 'yes', { qos: 1 });
      await expect(statistics).toHaveText(/^1 topics · [1-9]/, { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });

    // Record a session.
    await app.panel.getByRole('button', { name: 'Record', exact: true }).click();
    await expect(app.panel.getByRole('button', { name: 'Stop recording', exact: true })).toBeEnabled();
    for (let i = 0; i < COUNT; i++) await peer.publish(`${prefix}/src/m${i % 4}`, `{"n":${i}}`, { qos: 1 });
    await expect(app.panel.getByText(new RegExp(`^Recording · ${COUNT} messages · `))).toBeVisible({ timeout: 10_000 });
    await app.panel.getByRole('button', { name: 'Stop recording', exact: true }).click();
    const href = await app.panel.getByRole('link', { name: 'Download recording' }).getAttribute('href');
    const name = /\/recordings\/([^?]+)/.exec(href ?? '')?.[1];
    expect(name).toMatch(/^recording-.*\.jsonl$/);

    // Replay it into the same broker under another prefix.
    await app.panel.getByRole('button', { name: 'Replay…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay recording' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('combobox', { name: 'Recording' }).selectOption(name ?? '');
    await expect(dialog.getByTestId('replay-count')).toHaveText(`${COUNT} messages`);
    await expect(dialog.getByRole('region', { name: 'Preview' })).toContainText('on 4 topics');
    await dialog.getByRole('combobox', { name: 'Speed' }).selectOption('10');
    await dialog.getByRole('radio', { name: 'Replace the beginning' }).check();
    await dialog.getByLabel('Replace', { exact: true }).fill(`${prefix}/src/`);
    await dialog.getByLabel('With', { exact: true }).fill(`${prefix}/copy/`);
    await dialog.getByRole('button', { name: 'Start replay' }).click();
    await expect(dialog.getByRole('status', { name: 'Replay progress' })).toHaveText(new RegExp(`^Replay finished: ${COUNT} of ${COUNT} · `), { timeout: 20_000 });

    await expect.poll(() => watcher.received.length, { timeout: 10_000 }).toBe(COUNT);
    expect(watcher.received.map((m) => [m.topic, m.payload.toString()])).toEqual(Array.from({ length: COUNT }, (_, i) => [`${prefix}/copy/m${i % 4}`, `{"n":${i}}`]));
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    expect(violations).toEqual([]);
  } finally {
    await peer.end();
    await watcher.end();
  }
});
