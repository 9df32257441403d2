import * as sparkplug from 'sparkplug-payload';
import type { UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { expect, test } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker } from './app-page';
import { watchViolations } from './csp-violations';

/** Payloads as a gateway running Eclipse Tahu sends them. */
const tahu = sparkplug.get('spBv1.0')!;
const encode = (payload: UPayload): Buffer => Buffer.from(tahu.encodePayload(payload));

test('Sparkplug metrics: names resolved from the births, updated live, a seq gap and a rebirth flagged', async ({ page }) => {
  const group = `e2e-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const base = `spBv1.0/${group}`;
  const app = new AppPage(page);
  const violations = await watchViolations(page);
  await app.open();
  await app.fillTcp(broker());
  await app.connect();

  const gateway = await MqttPeer.connect(broker());
  const now = Date.now();
  await gateway.publish(`${base}/NBIRTH/gw`, encode({ timestamp: now, seq: 0, metrics: [
    { name: 'bdSeq', type: 'UInt64', value: 0 },
    { name: 'Node Control/Rebirth', alias: 1, type: 'Boolean', value: false },
  ] }));
  await gateway.publish(`${base}/DBIRTH/gw/pump`, encode({ timestamp: now, seq: 1, metrics: [
    { name: 'Flow', alias: 7, type: 'Double', value: 1.5, timestamp: now },
    { name: 'Mode', alias: 8, type: 'String', value: 'auto', timestamp: now },
  ] }));
  await gateway.publish(`${base}/DDATA/gw/pump`, encode({ timestamp: now + 1, seq: 2, metrics: [{ alias: 7, type: 'Double', value: 2.5, timestamp: now + 1 }] }));

  await app.filter(`${base}/DDATA/gw/pump`);
  await app.row(`${base}/DDATA/gw/pump`).click();
  const metrics = page.getByRole('table', { name: 'Sparkplug metrics' });
  await expect(metrics.locator('[data-metric="Flow"]')).toContainText('2.5');
  await expect(metrics.locator('[data-metric="Flow"]')).toContainText('7');
  await expect(metrics.locator('[data-metric="Flow"]')).toContainText('Double');
  await expect(metrics.locator('[data-metric="Mode"]')).toContainText('auto');

  // seq 3 and 4 never come: a gap. Then the node is reborn with a new bdSeq.
  await gateway.publish(`${base}/DDATA/gw/pump`, encode({ timestamp: now + 2, seq: 5, metrics: [{ alias: 7, type: 'Double', value: 3.75 }] }));
  await expect(metrics.locator('[data-metric="Flow"]')).toContainText('3.75');
  const events = page.getByRole('list', { name: 'Sparkplug events' });
  await expect(events).toContainText('seq gap: expected 3, got 5 on DDATA of device pump (2 missing)');

  await gateway.publish(`${base}/NBIRTH/gw`, encode({ timestamp: now + 3, seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 1 }] }));
  await expect(events).toContainText('Rebirth: new session, bdSeq 0 → 1');
  await expect(page.getByLabel('Sparkplug state')).toContainText('bdSeq 1 · 2 births seen');
  await gateway.end();
  expect(violations).toEqual([]);
});

test('Sparkplug after a rebirth: the device table shows what the new births declare; commands sent to the node and device listed apart', async ({ page }) => {
  const group = `e2e-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const base = `spBv1.0/${group}`;
  const app = new AppPage(page);
  const violations = await watchViolations(page);
  await app.open();
  await app.fillTcp(broker());
  await app.connect();

  const gateway = await MqttPeer.connect(broker());
  const host = await MqttPeer.connect(broker());
  const now = Date.now();
  await gateway.publish(`${base}/NBIRTH/gw`, encode({ timestamp: now, seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 0 }] }));
  await gateway.publish(`${base}/DBIRTH/gw/pump`, encode({ timestamp: now, seq: 1, metrics: [
    { name: 'Flow', alias: 7, type: 'Double', value: 1.5 },
    { name: 'Mode', alias: 8, type: 'String', value: 'auto' },
  ] }));
  await app.filter(`${base}/DBIRTH/gw/pump`);
  await app.row(`${base}/DBIRTH/gw/pump`).click();
  const metrics = page.getByRole('table', { name: 'Sparkplug metrics' });
  await expect(metrics.locator('[data-metric="Mode"]')).toContainText('auto');

  // A host asks for a rebirth; the node is reborn and its device declares other metrics, alias 7 now "Level".
  await host.publish(`${base}/NCMD/gw`, encode({ timestamp: now + 1, metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] }));
  await gateway.publish(`${base}/NBIRTH/gw`, encode({ timestamp: now + 2, seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 0 }] }));
  await gateway.publish(`${base}/DBIRTH/gw/pump`, encode({ timestamp: now + 2, seq: 1, metrics: [{ name: 'Level', alias: 7, type: 'Double', value: 0.5 }] }));
  await gateway.publish(`${base}/DDATA/gw/pump`, encode({ timestamp: now + 3, seq: 2, metrics: [{ alias: 7, type: 'Double', value: 0.75 }] }));
  await expect(metrics.locator('[data-metric="Level"]')).toContainText('0.75');
  await expect(metrics.locator('tbody tr')).toHaveCount(1);
  await expect(metrics.locator('[data-metric="Flow"]')).toHaveCount(0);

  // A command to the device by alias: named from the new birth, not taken as the device's value.
  await host.publish(`${base}/DCMD/gw/pump`, encode({ timestamp: now + 4, metrics: [{ alias: 7, type: 'Double', value: 9 }] }));
  const commands = page.getByRole('table', { name: 'Sparkplug commands' });
  await expect(commands.locator('[data-command="Level"]')).toContainText('9');
  await expect(metrics.locator('[data-metric="Level"]')).toContainText('0.75');
  // Commands carry no seq: the device's next data is no gap.
  await gateway.publish(`${base}/DDATA/gw/pump`, encode({ timestamp: now + 5, seq: 3, metrics: [{ alias: 7, type: 'Double', value: 0.8 }] }));
  await expect(metrics.locator('[data-metric="Level"]')).toContainText('0.8');
  const events = page.getByRole('list', { name: 'Sparkplug events' });
  await expect(events).toContainText('Rebirth: NBIRTH again with bdSeq 0 unchanged');
  await expect(events).not.toContainText('seq gap');

  // The node's own view lists the rebirth request.
  await app.filter(`${base}/NBIRTH/gw`);
  await app.row(`${base}/NBIRTH/gw`).click();
  await expect(commands.locator('[data-command="Node Control/Rebirth"]')).toContainText('true');
  await gateway.end();
  await host.end();
  expect(violations).toEqual([]);
});
