import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the Electron binary is, or why it is not there. */
function electronBinary(): { path: string } | { missing: string } {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { missing: 'the Electron binary is not installed (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1); browser mode covers the app here' };
  }
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { missing: `the Electron binary ${binary} is missing` };
}

test('the desktop app launches a sandboxed window with the explorer', async () => {
  const binary = electronBinary();
  if ('missing' in binary) console.log(`Skipping the Electron launch test: ${binary.missing}.`);
  test.skip('missing' in binary, 'missing' in binary ? binary.missing : '');
  if (!('path' in binary)) return;
  const app = await electron.launch({ executablePath: binary.path, args: ['.'] });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('button', { name: 'Connect', exact: true })).toBeVisible();
    // The sandboxed renderer has the bridge and nothing of Node.
    expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => typeof (window as unknown as { topicscope?: unknown }).topicscope)).toBe('object');
  } finally {
    await app.close();
  }
});
