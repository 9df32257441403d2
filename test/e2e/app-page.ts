/**
 * The explorer window as a test user sees it, reached through its accessible names.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { brokerInfoFromEnv, type BrokerInfo } from '../harness/mosquitto';

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

  async open(): Promise<void> {
    await this.page.goto(webUrl());
    await expect(this.page.getByRole('button', { name: 'Connect', exact: true })).toBeVisible();
  }

  field(name: string): Locator {
    return this.page.getByLabel(name, { exact: true });
  }

  get status(): Locator {
    return this.page.locator('[role="status"][aria-live]').first();
  }

  row(topic: string): Locator {
    return this.page.locator(`[role="treeitem"][data-topic="${topic.replaceAll('"', '\\"')}"]`);
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
    await this.page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(this.status).toContainText('Connected to');
  }

  async filter(text: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Filter topics', exact: true }).fill(text);
  }
}
