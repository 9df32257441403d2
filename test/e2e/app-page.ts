/**
 * The explorer window as a test user sees it, reached through its accessible names.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { brokerInfoFromEnv, type BrokerInfo } from '../harness/mosquitto';
import type { MqttPeer } from '../harness/mqtt-peer';

export function webUrl(): string {
  const url = process.env['TOPICSCOPE_WEB_URL'];
  if (!url) throw new Error('TOPICSCOPE_WEB_URL is not set: the global setup starts the web host.');
  return url;
}

export function broker(): BrokerInfo {
  return brokerInfoFromEnv();
}

/** A topic prefix no other test uses. */
export function uniquePrefix(name: string): string {
  return `e2e/${name}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export class AppPage {
  constructor(readonly page: Page) {}

  /**
   * Opens the app. The shared host keeps connections open across pages (that is what
   * lets a reload bring them back), so by default the tabs earlier tests left are
   * closed first and the test starts from one blank tab.
   */
  async open(options: { url?: string; keepTabs?: boolean } = {}): Promise<void> {
    await this.page.goto(options.url ?? webUrl());
    // Every tab shows its status line, connected or not, once the tabs are restored.
    await expect(this.status).toBeVisible();
    if (options.keepTabs) return;
    const closers = this.page.getByRole('button', { name: /^Close tab / });
    for (let left = await closers.count(); left > 0; left--) await closers.first().click();
    await expect(this.tabs).toHaveCount(1);
    await expect(this.connectButton).toBeEnabled();
  }

  /** The connection tabs. */
  get tabs(): Locator {
    return this.page.getByRole('tablist', { name: 'Connections' }).getByRole('tab');
  }

  /**
   * The active connection tab's panel: hidden panels are not in the accessibility tree.
   * (The details pane's own tab panel is inside it.)
   */
  get panel(): Locator {
    return this.page.getByRole('tabpanel').and(this.page.locator('[id^="panel-"]'));
  }

  get connectButton(): Locator {
    return this.panel.getByRole('button', { name: 'Connect', exact: true });
  }

  field(name: string): Locator {
    return this.panel.getByLabel(name, { exact: true });
  }

  get status(): Locator {
    return this.panel.locator('[role="status"][aria-live]').first();
  }

  row(topic: string): Locator {
    return this.panel.locator(`[role="treeitem"][data-topic="${topic.replaceAll('"', '\\"')}"]`);
  }

  /** Fills the common connection fields for the harness broker over TLS with its CA. */
  async fillTls(info: BrokerInfo, password = info.password): Promise<void> {
    await this.field('Protocol').selectOption('mqtts');
    await this.field('Host').fill('localhost');
    await this.field('Port').fill(String(info.ports.mqtts));
    await this.field('Username').fill(info.username);
    await this.field('Password').fill(password);
    await this.field('CA certificate').fill(info.caFile);
  }

  async fillTcp(info: BrokerInfo): Promise<void> {
    await this.field('Protocol').selectOption('mqtt');
    await this.field('Host').fill(info.host);
    await this.field('Port').fill(String(info.ports.mqtt));
    await this.field('Username').fill(info.username);
    await this.field('Password').fill(info.password);
  }

  async connect(): Promise<void> {
    await this.connectButton.click();
    await expect(this.status).toContainText('Connected to');
  }

  /**
   * Opens the app and connects to `info` over plain TCP: the start most specs share.
   * `subscriptions` replace the form's defaults when given.
   */
  async openConnected(info: BrokerInfo, subscriptions?: string[]): Promise<void> {
    await this.open();
    await this.fillTcp(info);
    if (subscriptions) await this.setSubscriptions(subscriptions);
    await this.connect();
  }

  /**
   * Waits until the tab's subscription is in place: a message `peer` publishes now on
   * `topic` (the first the tab receives) is counted in the statistics.
   */
  async untilReceiving(peer: MqttPeer, topic: string): Promise<void> {
    const statistics = this.panel.getByRole('contentinfo', { name: 'Message statistics' });
    await expect(async () => {
      await peer.publish(topic, 'yes', { qos: 1 });
      await expect(statistics).toHaveText(/^1 topics · [1-9]/, { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
  }

  /** Disconnects from the header; the form comes back. */
  async disconnect(): Promise<void> {
    await this.panel.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await expect(this.connectButton).toBeEnabled();
  }

  /** Unfolds the form of the open connection. */
  async editConnection(): Promise<void> {
    const edit = this.panel.getByRole('button', { name: 'Edit connection', exact: true });
    if ((await edit.getAttribute('aria-expanded')) !== 'true') await edit.click();
    await expect(this.panel.getByRole('form', { name: 'Connection settings' })).toBeVisible();
  }

  /** The active tab's connection log, unfolded first when it is folded. */
  async log(): Promise<Locator> {
    const show = this.panel.getByRole('button', { name: 'Show log', exact: true });
    if (await show.isVisible()) await show.click();
    return this.panel.getByRole('region', { name: 'Connection log', exact: true });
  }

  async filter(text: string): Promise<void> {
    await this.panel.getByRole('searchbox', { name: 'Filter topics', exact: true }).fill(text);
  }

  /** Replaces the form's subscriptions (while disconnected) with these filters. */
  async setSubscriptions(filters: string[]): Promise<void> {
    const section = this.panel.locator('details', { has: this.page.locator('summary', { hasText: /^Subscriptions/ }) });
    await section.locator('summary').click();
    const removers = section.getByRole('button', { name: /^Remove subscription / });
    for (let left = await removers.count(); left > 0; left--) await removers.first().click();
    for (const filter of filters) {
      await section.getByLabel('Subscription filter', { exact: true }).fill(filter);
      await section.getByRole('button', { name: 'Add', exact: true }).click();
    }
    await expect(section.locator('summary')).toHaveText(`Subscriptions (${filters.length})`);
    await section.locator('summary').click();
  }

  /**
   * Saves the form as a profile. Browser mode cannot encrypt, so a typed password makes
   * the app ask first; `plainText` answers that question.
   */
  async saveProfile(name: string, options: { plainText?: boolean; asNew?: boolean } = {}): Promise<void> {
    await this.field('Profile name').fill(name);
    await this.panel.getByRole('button', { name: options.asNew ? 'Save as new' : 'Save', exact: true }).click();
    if (options.plainText) {
      const question = this.panel.getByRole('alertdialog', { name: 'Passwords would be stored unencrypted' });
      await expect(question).toBeVisible();
      // The user is told where the secret would go before choosing.
      await expect(question).toContainText('Browser mode cannot encrypt');
      await question.getByRole('button', { name: 'Save passwords in plain text' }).click();
    }
    await expect(this.panel.getByText(`Saved profile "${name}".`)).toBeVisible();
  }

  tab(name: string | RegExp): Locator {
    return this.tabs.filter({ hasText: name });
  }

  profileButton(name: string): Locator {
    return this.page.getByRole('button', { name: `Open profile ${name}`, exact: true });
  }
}
