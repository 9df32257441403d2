/**
 * The workspace layout: the connection folding into a one-line header, editing a
 * connected tab, the splitter, the folding panels and the profiles toggle that a reload
 * keeps, a narrow window that stacks, and the room the topics get in a 1400×900 window.
 */
import { expect, test, type Locator } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';

/** The tree pane and the details pane of the active tab, for measuring. */
function panes(app: AppPage): { tree: Locator; details: Locator } {
  return { tree: app.panel.locator('[data-pane="tree"]'), details: app.panel.locator('[data-pane="details"]') };
}

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('The element is not laid out.');
  return found;
}

test('connected, the form folds into a header; Edit connection unfolds it, changes ask before reconnecting, Disconnect brings the form back', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const info = broker();
  await app.fillTcp(info);
  await app.connect();

  const form = app.panel.getByRole('form', { name: 'Connection settings' });
  const edit = app.panel.getByRole('button', { name: 'Edit connection', exact: true });
  await expect(form).toHaveCount(0);
  await expect(app.connectButton).toHaveCount(0);
  await expect(app.status).toContainText(`mqtt://${info.host}:${info.ports.mqtt}`);
  await expect(app.panel.getByText('MQTT 5', { exact: true })).toBeVisible();
  const header = app.status.locator('..');
  await expect(header).toContainText(/Client ID\s*topicscope_[0-9a-f]{8}/);
  const firstClientId = /topicscope_[0-9a-f]{8}/.exec((await header.textContent()) ?? '')?.[0] ?? '';

  // Unfolded and folded back: what was typed meanwhile is dropped.
  await edit.click();
  await expect(edit).toHaveAttribute('aria-expanded', 'true');
  await expect(form).toBeVisible();
  await app.field('Host').fill('typed.but.dropped');
  await edit.click();
  await expect(form).toHaveCount(0);
  await app.editConnection();
  await expect(app.field('Host')).toHaveValue(info.host);

  // A new client ID: Cancel in the confirmation keeps the connection as it is.
  const newClientId = `${uniquePrefix('layout').replaceAll('/', '-')}`;
  await app.panel.locator('summary', { hasText: 'Session' }).click();
  await app.panel.getByLabel('New random client ID on every connect').uncheck();
  await app.field('Client ID').fill(newClientId);
  await app.panel.getByRole('button', { name: 'Apply changes', exact: true }).click();
  const question = app.panel.getByRole('alertdialog', { name: 'Confirm reconnecting' });
  await expect(question).toContainText('with the new settings');
  await question.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(question).toHaveCount(0);
  await expect(app.status).toContainText('Connected to');
  await expect(header).toContainText(firstClientId);

  // Confirmed, the tab reconnects with the new settings and folds the form again.
  await app.panel.getByRole('button', { name: 'Apply changes', exact: true }).click();
  await question.getByRole('button', { name: 'Reconnect', exact: true }).click();
  await expect(header).toContainText(newClientId);
  await expect(app.status).toContainText('Connected to');
  await expect(form).toHaveCount(0);
  // The focus goes back to the button that unfolded the form, not to the page.
  await expect(edit).toBeFocused();
  await expect(await app.log()).toContainText(`client ID "${newClientId}"`);

  await app.disconnect();
  await expect(form).toBeVisible();
  await expect(app.status).toHaveText('Disconnected');
  await expect(edit).toHaveCount(0);
});

test('the details pane has Value and History tabs', async ({ page }) => {
  const prefix = uniquePrefix('details-tabs');
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.connect();
  const peer = await MqttPeer.connect(broker());
  await peer.publish(`${prefix}/lamp`, 'first', { qos: 1 });
  await peer.publish(`${prefix}/lamp`, 'second', { qos: 1 });
  await peer.end();
  await app.filter(`${prefix}/lamp`);
  await expect(app.row(`${prefix}/lamp`)).toContainText('second');
  await app.row(`${prefix}/lamp`).click();

  const details = page.getByLabel('Topic details');
  const value = details.getByRole('tab', { name: 'Value', exact: true });
  const history = details.getByRole('tab', { name: 'History', exact: true });
  await expect(value).toHaveAttribute('aria-selected', 'true');
  await expect(details.getByRole('tabpanel')).toContainText('second');
  await expect(details.getByRole('tabpanel')).not.toContainText('first');
  await value.press('ArrowRight');
  await expect(history).toHaveAttribute('aria-selected', 'true');
  await expect(history).toBeFocused();
  await expect(details.getByRole('tabpanel')).toContainText('first');
  await expect(details.getByRole('tabpanel')).toContainText('second');
  await app.disconnect();
});

test('the splitter moves with the keyboard, and the split survives a reload', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const splitter = page.getByRole('separator', { name: 'Resize topic tree and details' });
  await expect(splitter).toHaveAttribute('aria-orientation', 'vertical');
  const start = Number(await splitter.getAttribute('aria-valuenow'));
  const { tree } = panes(app);
  const startWidth = (await box(tree)).width;

  await splitter.focus();
  await splitter.press('ArrowRight');
  await splitter.press('ArrowRight');
  await expect(splitter).toHaveAttribute('aria-valuenow', String(start + 4));
  expect((await box(tree)).width).toBeGreaterThan(startWidth + 20);
  await splitter.press('ArrowLeft');
  await expect(splitter).toHaveAttribute('aria-valuenow', String(start + 2));
  await splitter.press('End');
  await expect(splitter).toHaveAttribute('aria-valuenow', await splitter.getAttribute('aria-valuemax') ?? '');
  await splitter.press('Home');
  await expect(splitter).toHaveAttribute('aria-valuenow', await splitter.getAttribute('aria-valuemin') ?? '');
  await splitter.press('ArrowRight');

  // Dragged with the pointer, it follows to where it is let go.
  const split = await box(splitter.locator('..'));
  const grip = await box(splitter);
  await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
  await page.mouse.down();
  await page.mouse.move(split.x + split.width * 0.3, grip.y + 50, { steps: 5 });
  await page.mouse.move(split.x + split.width * 0.6, grip.y + 80, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => Number(await splitter.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(59);
  expect(Number(await splitter.getAttribute('aria-valuenow'))).toBeLessThanOrEqual(61);
  const chosen = await splitter.getAttribute('aria-valuenow');
  const chosenWidth = (await box(tree)).width;

  await app.open({ keepTabs: true });
  await expect(splitter).toHaveAttribute('aria-valuenow', chosen ?? '');
  expect(Math.abs((await box(tree)).width - chosenWidth)).toBeLessThan(2);
});

test('the log and publish folds and Hide profiles survive a reload', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const profiles = page.getByRole('complementary', { name: 'Profiles' });
  await expect(profiles).toBeVisible();
  const log = app.panel.getByRole('region', { name: 'Connection log', exact: true });

  await app.panel.getByRole('button', { name: 'Show log', exact: true }).click();
  await expect(log.getByRole('list')).toBeVisible();
  await app.panel.getByRole('button', { name: 'Hide publish', exact: true }).click();
  await expect(page.getByRole('form', { name: 'Publish a message' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Hide profiles', exact: true }).click();
  await expect(profiles).toBeHidden();

  await app.open({ keepTabs: true });
  await expect(log.getByRole('list')).toBeVisible();
  await expect(app.panel.getByRole('button', { name: 'Hide log', exact: true })).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('form', { name: 'Publish a message' })).toHaveCount(0);
  await expect(profiles).toBeHidden();

  const show = page.getByRole('button', { name: 'Show profiles', exact: true });
  await expect(show).toHaveAttribute('aria-expanded', 'false');
  await show.click();
  await expect(profiles).toBeVisible();
  await app.panel.getByRole('button', { name: 'Hide log', exact: true }).click();
  await expect(log.getByRole('list')).toHaveCount(0);
  await app.panel.getByRole('button', { name: 'Show publish', exact: true }).click();
  await expect(page.getByRole('form', { name: 'Publish a message' })).toBeVisible();
});

test('an 800 px window stacks the tree above the details, no wider than the window', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 800 });
  const app = new AppPage(page);
  await app.open();
  const documentWidth = async () => Number(await page.evaluate('document.documentElement.scrollWidth'));
  // The profiles start hidden in a narrow window, and open over the panes.
  await expect(page.getByRole('complementary', { name: 'Profiles' })).toBeHidden();
  expect(await documentWidth()).toBeLessThanOrEqual(800);

  await app.fillTcp(broker());
  await app.connect();
  const { tree, details } = panes(app);
  const treeBox = await box(tree);
  const detailsBox = await box(details);
  expect(treeBox.y + treeBox.height).toBeLessThanOrEqual(detailsBox.y + 1);
  expect(treeBox.width).toBeGreaterThan(700);
  expect(detailsBox.width).toBeGreaterThan(700);
  await expect(page.getByRole('separator', { name: 'Resize topic tree and details' })).toBeHidden();
  expect(await documentWidth()).toBeLessThanOrEqual(800);

  await page.getByRole('button', { name: 'Show profiles', exact: true }).click();
  await expect(page.getByRole('complementary', { name: 'Profiles' })).toBeVisible();
  expect(await documentWidth()).toBeLessThanOrEqual(800);
  await page.getByRole('button', { name: 'Hide profiles', exact: true }).click();
  await app.disconnect();
});

test('at 1400×900 a connected tab gives the tree and the details at least 85% of the width', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.connect();
  await expect(page.getByRole('complementary', { name: 'Profiles' })).toBeVisible();
  const { tree, details } = panes(app);
  const together = (await box(tree)).width + (await box(details)).width;
  expect(together).toBeGreaterThanOrEqual(0.85 * 1400);
  await app.disconnect();
});
