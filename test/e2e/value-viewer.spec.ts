import { expect, test } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';

// A 64-bit id beyond 2^53: JSON.parse would show it as 12345678901234567000.
const READING = '{"site":"north","id":12345678901234567891,"sensors":[{"temp":20.5},{"temp":21},{"temp":22.25}]}';

test('a JSON value reads with folding, search and the path of a clicked field, styled under the CSP; binary shows as hex', async ({ page }) => {
  test.setTimeout(90_000);
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('viewer');
  const binary = Buffer.from([0x00, 0x01, 0xfe, 0xff, ...Buffer.from('Hello, bytes!'), 0x7f, 0x80, 0x0a]);
  const peer = await MqttPeer.connect(broker());
  await peer.publish(`${prefix}/reading`, READING, { qos: 1, retain: true });
  await peer.publish(`${prefix}/blob`, binary, { qos: 1, retain: true });
  await peer.end();

  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.connect();
  await app.filter(prefix);
  await app.row(`${prefix}/reading`).click();

  const details = page.getByLabel('Topic details');
  const value = details.getByLabel('Payload value', { exact: true });
  await expect(details).toContainText(`JSON, ${READING.length} bytes`);
  // Pretty-printed with the number as it was sent, not rounded to a double.
  await expect(value).toContainText('"id": 12345678901234567891');
  await expect(value).toContainText('"temp": 22.25');

  // Styled by CodeMirror's constructed stylesheets and the app's colours: the CSP lets them in.
  // The test project's types have no DOM globals: the page's own, through the element.
  const styles = (): Promise<{ display: string; background: string; numberColor: string; warn: string }> =>
    value.evaluate((content) => {
      const page = content.ownerDocument;
      const view = page.defaultView!;
      const editor = content.closest('.cm-editor');
      const number = [...content.querySelectorAll('span')].find((span) => span.textContent === '22.25');
      const probe = page.createElement('span');
      probe.style.color = 'var(--warn)';
      page.body.append(probe);
      const warn = view.getComputedStyle(probe).color;
      probe.remove();
      return {
        display: editor ? view.getComputedStyle(editor).display : '',
        background: editor ? view.getComputedStyle(editor).backgroundColor : '',
        numberColor: number ? view.getComputedStyle(number).color : '',
        warn,
      };
    });
  // Highlighting follows the parse, a moment after the text.
  await expect.poll(async () => { const { numberColor, warn } = await styles(); return numberColor === warn; }).toBe(true);
  const { display, background } = await styles();
  expect(display).toBe('flex');
  expect(background).not.toBe('rgba(0, 0, 0, 0)');

  // Folding the sensors hides their lines; unfolding brings them back.
  const sensorsLine = value.locator('.cm-line', { hasText: '"sensors": [' });
  const box = await sensorsLine.boundingBox();
  const foldMarker = details.locator('.cm-foldGutter .cm-gutterElement').filter({ has: page.locator('[title="Fold line"]') });
  const markerOnSensors = foldMarker.nth(1);
  const markerBox = await markerOnSensors.boundingBox();
  expect(Math.abs((markerBox?.y ?? 0) - (box?.y ?? -100))).toBeLessThan(4);
  await markerOnSensors.click();
  await expect(value).not.toContainText('"temp"');
  await expect(value).toContainText('"site": "north"');
  await details.locator('.cm-foldPlaceholder').click();
  await expect(value).toContainText('"temp": 22.25');

  // Clicking a field gives its path, and a number offers itself to the charts.
  await value.locator('span', { hasText: /^22\.25$/ }).click();
  await details.getByRole('button', { name: 'Copy path' }).click();
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe('$.sensors[2].temp');
  await expect(details.getByRole('button', { name: 'Chart this value' })).toBeVisible();
  await value.locator('span', { hasText: /^"north"$/ }).click();
  await expect(details.getByRole('button', { name: 'Chart this value' })).toBeHidden();
  await details.getByRole('button', { name: 'Copy path' }).click();
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe('$.site');

  // Ctrl+F inside the viewer searches the value; the topic filter keeps its Ctrl+F elsewhere.
  await value.locator('span', { hasText: /^"north"$/ }).click();
  await page.keyboard.press('Control+f');
  const find = details.getByRole('textbox', { name: 'Find' });
  await expect(find).toBeFocused();
  // Typed key by key: the panel takes its query on keyup, which fill() does not send.
  await find.fill('');
  await find.pressSequentially('sensors');
  await find.press('Enter');
  await expect(details.locator('.cm-searchMatch-selected')).toHaveText('sensors');
  await page.keyboard.press('Escape');
  await details.getByRole('tab', { name: 'Value' }).click();
  await page.keyboard.press('Control+f');
  await expect(app.panel.getByRole('searchbox', { name: 'Filter topics', exact: true })).toBeFocused();

  // The raw bytes beside the decoded view: offset, 16 bytes, ASCII.
  await details.getByRole('button', { name: 'Hex' }).click();
  const bytes = details.getByLabel('Payload bytes', { exact: true });
  await expect(bytes).toContainText('00000000  7b 22 73 69 74 65 22 3a 22 6e 6f 72 74 68 22 2c  {"site":"north",');
  await details.getByRole('button', { name: 'Hex' }).click();
  await expect(value).toBeVisible();

  // A binary payload is its hex dump.
  await app.row(`${prefix}/blob`).click();
  await expect(details).toContainText(`Binary (hex), ${binary.byteLength} bytes`);
  await expect(value).toContainText('00000000  00 01 fe ff 48 65 6c 6c 6f 2c 20 62 79 74 65 73  ....Hello, bytes');
  await expect(value).toContainText('00000010  21 7f 80 0a');
  await expect(value).toContainText('!...');
  expect(violations).toEqual([]);
});

test('a value that keeps updating: the newest shows after a burst, and the reader stays where they scrolled to', async ({ page }) => {
  test.setTimeout(90_000);
  const topic = `${uniquePrefix('viewer-live')}/plant`;
  /** 200 sensors, each line of them carrying the reading number: wherever the viewer is scrolled, it shows. */
  const reading = (n: number): string =>
    JSON.stringify({ reading: n, sensors: Array.from({ length: 200 }, (_, id) => ({ id, reading: n, temp: 20 + id / 10 })) });
  const peer = await MqttPeer.connect(broker());
  await peer.publish(topic, reading(0), { qos: 1, retain: true });

  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.connect();
  await app.filter(topic);
  await app.row(topic).click();
  const details = page.getByLabel('Topic details');
  const value = details.getByLabel('Payload value', { exact: true });
  await expect(value).toContainText('"reading": 0');

  // Read on, halfway down the sensors.
  const scroller = value.locator('xpath=ancestor::*[contains(@class, "cm-scroller")]');
  await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
  const scrolledTo = await scroller.evaluate((el) => el.scrollTop);
  expect(scrolledTo).toBeGreaterThan(1000);
  await expect(value).toContainText('"id": 100,');

  // A burst of new readings, faster than frames: the last one is what shows.
  await Promise.all(Array.from({ length: 40 }, (_, i) => peer.publish(topic, reading(i + 1), { qos: 1 })));
  await expect(value).toContainText('"reading": 40');
  await expect(value).not.toContainText('"reading": 39');
  await expect(details.getByRole('definition').filter({ hasText: /^41$/ })).toBeVisible();
  // Still where the reader was: the new values replaced the old ones in place.
  expect(await scroller.evaluate((el) => el.scrollTop)).toBe(scrolledTo);
  await expect(value).toContainText('"id": 100,');

  // The value copied is the newest, whole.
  await details.getByRole('button', { name: 'Copy value' }).click();
  expect(JSON.parse(await page.evaluate<string>('navigator.clipboard.readText()'))).toEqual(JSON.parse(reading(40)));
  await peer.end();
});
