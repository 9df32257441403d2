import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';

/**
 * Big values must never stall the window: whatever the broker sends (1 MiB of JSON, one
 * 1 MiB line, 1 MiB of binary) and whatever the user pastes into the publish box, no
 * main-thread task may run for seconds, as a 1 MiB value shown naively does. The bound
 * only has to tell those two apart on a shared 2-core machine whose other work can
 * stretch a 100 ms task past 200 ms; how long tasks really take is a benchmark's job.
 */
const LONGEST_TASK_MS = 500;
const MIB = 1024 * 1024;

/** A JSON array of small objects, as close to 1 MiB as whole items allow (the core keeps 1 MiB). */
function jsonArray(): string {
  const items: string[] = [];
  let length = 2;
  for (let i = 0; ; i++) {
    const item = JSON.stringify({ id: i, name: `sensor-${i}`, value: Math.round(i * 7.3) / 10, ok: i % 3 === 0 });
    if (length + item.length + 1 > MIB) break;
    items.push(item);
    length += item.length + 1;
  }
  return `[${items.join(',')}]`;
}

/** One line of 1 MiB of printable text, no spaces to break at. */
function singleLine(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = 'BEGIN-';
  while (out.length < MIB) out += alphabet;
  return out.slice(0, MIB);
}

// The page's own scripts, as text: the test project's types have no DOM.
/** Collects long tasks (over 50 ms on the main thread) from the first script on. */
const WATCH_LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push(Math.round(entry.duration));
  }).observe({ type: 'longtask', buffered: true });
`;

async function resetLongTasks(page: Page): Promise<void> {
  await page.evaluate('window.__longTasks = []');
}

/** The long tasks since the last reset, after two more frames have run. */
async function longTasks(page: Page): Promise<number[]> {
  return page.evaluate<number[]>(
    'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(window.__longTasks.slice()))))',
  );
}

async function expectResponsive(page: Page, what: string): Promise<void> {
  const tasks = await longTasks(page);
  console.log(`${what}: long tasks ${JSON.stringify(tasks)} ms`);
  expect(Math.max(0, ...tasks), `${what}: longest main-thread task`).toBeLessThan(LONGEST_TASK_MS);
}

test.describe('big values', () => {
  test.beforeEach(async ({ page }) => {
    await page.addInitScript({ content: WATCH_LONG_TASKS });
  });

  test('1 MiB retained values (JSON array, one long line, binary) show at once without stalling the window', async ({ page }) => {
    test.setTimeout(120_000);
    const prefix = uniquePrefix('big');
    const json = jsonArray();
    const line = singleLine();
    const binary = randomBytes(MIB);
    const peer = await MqttPeer.connect(broker());
    await peer.publish(`${prefix}/json`, json, { qos: 1, retain: true });
    await peer.publish(`${prefix}/line`, line, { qos: 1, retain: true });
    await peer.publish(`${prefix}/binary`, binary, { qos: 1, retain: true });
    await peer.publish(`${prefix}/small`, 'small value', { qos: 1, retain: true });
    await peer.end();

    const app = new AppPage(page);
    await app.open();
    await app.fillTcp(broker());
    await app.connect();
    await app.filter(prefix);
    await expect(app.row(`${prefix}/binary`)).toBeVisible();

    const details = page.getByLabel('Topic details');
    const value = details.getByLabel('Payload value', { exact: true });

    await resetLongTasks(page);
    await app.row(`${prefix}/json`).click();
    await expect(details).toContainText(/JSON, 1,04\d,\d{3} bytes/);
    // Pretty-printed: the first item's fields on lines of their own.
    await expect(value).toContainText('"name": "sensor-0"');
    // Until everything is formatted and then while it is shown: no long task.
    await expect(details.getByText(/^\s*1\d\d,\d{3} lines/)).toBeVisible();
    await expectResponsive(page, 'selecting a 1 MiB JSON array');

    // The viewer's text scrolls in CodeMirror's scroller, around it.
    const scroller = value.locator('xpath=ancestor::*[contains(@class, "cm-scroller")]');
    await resetLongTasks(page);
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    await expect(value).toContainText('"name": "sensor-');
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));

    await expect(value).toContainText(']');
    await expectResponsive(page, 'scrolling a 1 MiB JSON array');

    await resetLongTasks(page);
    await app.row(`${prefix}/line`).click();
    await expect(details).toContainText(/Text, 1,048,576 bytes/);
    await expect(value).toContainText('BEGIN-abcdefghijklmnopqrstuvwxyz0123456789');
    await expectResponsive(page, 'selecting a 1 MiB single line');
    // Scrolled sideways to its end, the line is there whole.
    await resetLongTasks(page);
    await scroller.evaluate((el) => el.scrollTo(el.scrollWidth, 0));
    await expect(value).toContainText(line.slice(-40));
    await expectResponsive(page, 'scrolling to the end of a 1 MiB single line');

    await resetLongTasks(page);
    await app.row(`${prefix}/binary`).click();
    await expect(details).toContainText(/Binary \(hex\), 1,048,576 bytes/);
    const hex = binary.subarray(0, 16).toString('hex').match(/../g)?.join(' ') ?? '';
    await expect(value).toContainText(`00000000  ${hex}`);
    await value.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    // The last row of the dump is there to scroll to: nothing was cut.
    await expect(value).toContainText('000ffff0  ');
    await expectResponsive(page, 'selecting and scrolling 1 MiB of binary');

    // The page still answers: another topic's details replace the big value.
    await resetLongTasks(page);
    await app.row(`${prefix}/small`).click();
    await expect(value).toHaveText('small value');
    await app.row(`${prefix}/json`).click();
    await expect(value).toContainText('"name": "sensor-0"');
    // As received: the one line of 1 MiB.
    await details.getByLabel('As received').check();
    await expect(value).toContainText('[{"id":0,"name":"sensor-0","value":0,"ok":true},{"id":1');
    await expect(details).toContainText(/JSON, 1,04\d,\d{3} bytes/);
    await expect(details.getByText(/lines$/)).toBeHidden();
    await details.getByLabel('As received').uncheck();
    await expect(value).toContainText('"name": "sensor-0"');
    await expectResponsive(page, 'switching between big and small values, and to the value as received');
  });

  test('a pasted 1 MiB single line in the publish box does not stall the window, and is published whole', async ({ page }) => {
    test.setTimeout(120_000);
    const topic = `${uniquePrefix('big-publish')}/line`;
    const line = singleLine();
    const watcher = await MqttPeer.connect(broker());
    await watcher.subscribe(topic, 1);

    const app = new AppPage(page);
    await app.open();
    await app.fillTcp(broker());
    await app.connect();
    await app.field('Topic').fill(topic);
    // A real paste, through the clipboard: Playwright's fill() would send the megabyte
    // as one DevTools message, which costs Chromium a quarter of a second by itself.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(line)})`);
    await app.field('Payload').focus();
    await resetLongTasks(page);
    await page.keyboard.press('Control+V');
    const form = page.getByLabel('Publish a message');
    await expect(form).toContainText('1,048,576 bytes');
    // Held beside the box, its start shown, instead of laid out in it.
    await expect(app.field('Payload')).toContainText('BEGIN-abcdefghijklmnopqrstuvwxyz');
    await expect(form).toContainText('Too long to edit here; it is published as pasted.');
    await expectResponsive(page, 'pasting a 1 MiB line');

    await resetLongTasks(page);
    await app.field('QoS').selectOption('1');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(page.getByText('Published, acknowledged by the broker (QoS 1).')).toBeVisible();
    const received = await watcher.waitForMessage(topic);
    expect(received.payload.byteLength).toBe(MIB);
    expect(received.payload.toString()).toBe(line);
    // The app subscribed to "#" receives it too: the tree shows it, the details open it.
    await app.filter(topic);
    await app.row(topic).click();
    await expect(page.getByLabel('Topic details')).toContainText(/Text, 1,048,576 bytes/);
    await expectResponsive(page, 'publishing a 1 MiB line and showing it');

    // Cleared, the box is back and edits as usual; small pastes stay in it.
    await resetLongTasks(page);
    await form.getByRole('button', { name: 'Clear payload' }).click();
    await expect(form).toContainText('0 bytes');
    await app.field('Payload').fill('{"small": "é"}');
    await expect(form).toContainText('15 bytes');
    await app.field('Payload').press('End');
    await page.keyboard.type('xyz');
    await expect(app.field('Payload')).toHaveValue('{"small": "é"}xyz');
    await expect(form).toContainText('18 bytes');
    await expectResponsive(page, 'clearing and typing');
    await watcher.end();
  });
});
