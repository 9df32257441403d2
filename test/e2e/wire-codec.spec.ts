import { expect, test } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';

/**
 * The browser-mode wire codec (cbor-x) in the real page, under the page's CSP
 * (`script-src 'self'`, no 'unsafe-eval'): nothing may try to compile code, and MQTT 5
 * user properties whose names look like structure (`__proto__`, `constructor`, the old
 * codec's byte marker minus its forbidden U+0000) must show as plain properties, next
 * to a binary payload.
 */
test('carries binary payloads and hostile user property names under the CSP, with no CSP violation', async ({ page }) => {
  const violations = await watchViolations(page);

  const prefix = uniquePrefix('codec');
  const topic = `${prefix}/device/state`;
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.panel.getByText('Session', { exact: true }).click();
  await app.field('MQTT version').selectOption('5');
  await app.connect();

  const peer = await MqttPeer.connect(broker(), { protocolVersion: 5 });
  await peer.publish(topic, Buffer.from([0x00, 0xff, 0x10, 0x80]), {
    qos: 1,
    properties: {
      // JSON.parse makes `__proto__` an own key (an object literal would set the prototype).
      userProperties: JSON.parse('{"__proto__":"not a prototype","constructor":"plain","$b":"0"}') as Record<string, string>,
      contentType: 'application/octet-stream',
    },
  });
  await peer.end();

  await app.filter(topic);
  const row = app.row(topic);
  await expect(row).toBeVisible();
  await row.click();
  const details = page.getByLabel('Topic details');
  await expect(details).toContainText('User property "__proto__"');
  await expect(details).toContainText('not a prototype');
  await expect(details).toContainText('User property "constructor"');
  await expect(details).toContainText('User property "$b"');
  await expect(details).toContainText('application/octet-stream');
  // Nothing may try to evaluate code: not the codec, and not zod (told up front, in
  // renderer/src/zod-config.ts, that the page forbids eval).
  expect(violations).toEqual([]);
});
