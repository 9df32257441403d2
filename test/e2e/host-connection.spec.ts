/**
 * Browser mode's socket to the host, as the user sees it when it goes: the page says
 * why instead of failing every action silently. Uses a host of its own, since the test
 * stops it.
 */
import { expect, test } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppPage } from './app-page';
import { startWebHost } from './web-host-process';

test('when the host stops, the page says so and how to get back', async ({ page }) => {
  const configDir = await mkdtemp(join(tmpdir(), 'topicscope-host-connection-e2e-'));
  const host = await startWebHost({ configDir });
  try {
    const app = new AppPage(page);
    await app.open({ url: host.url });
    await expect(page.getByRole('alert').filter({ hasText: 'host' })).toHaveCount(0);
    await host.stop();
    await expect(page.getByRole('alert').filter({ hasText: 'The browser-mode host is gone' })).toContainText('restart "npm run web" and reload');
  } finally {
    await host.stop();
    await rm(configDir, { recursive: true, force: true });
  }
});
