import { gzipSync } from 'node:zlib';
import { encode as encodeCbor } from 'cbor-x';
import { pack } from 'msgpackr';
import { expect, test } from '@playwright/test';
import { MqttPeer } from '../harness/mqtt-peer';
import { SENSORS_PROTO, encodeReading } from '../harness/decode-payloads';
import { AppPage, broker, uniquePrefix } from './app-page';
import { watchViolations } from './csp-violations';

// "Decode as" chosen in the UI, with payloads made by the formats' own encoders
// (cbor-x, msgpackr, node:zlib, protobufjs), never by the app's code.

async function openTopic(app: AppPage, topic: string): Promise<void> {
  await app.filter(topic);
  await app.row(topic).click();
}

test('Decode as: CBOR, MessagePack, gzip then JSON and Protobuf with a .proto file, each chosen from the UI; a payload that does not decode shows why and its bytes', async ({ page }) => {
  const violations = await watchViolations(page);
  const prefix = uniquePrefix('decode');
  const peer = await MqttPeer.connect(broker());
  const app = new AppPage(page);
  await app.open();
  await app.fillTcp(broker());
  await app.connect();
  await peer.publish(`${prefix}/cbor`, Buffer.from(encodeCbor({ temp: 21.5, unit: 'C' })));
  await peer.publish(`${prefix}/msgpack`, Buffer.from(pack({ humidity: 40, room: 'lab' })));
  await peer.publish(`${prefix}/gzip`, gzipSync(Buffer.from('{"zipped":true,"n":3}')));
  await peer.publish(`${prefix}/proto`, Buffer.from(encodeReading({ deviceId: 'th-12', value: 21.5, unit: 'CELSIUS' })));
  await peer.publish(`${prefix}/text`, 'plain words');

  const details = page.getByLabel('Topic details');
  const decodeAs = details.getByLabel('Decode as', { exact: true });
  const value = details.getByLabel('Payload value', { exact: true });

  await openTopic(app, `${prefix}/cbor`);
  await expect(decodeAs).toHaveValue('auto');
  await decodeAs.selectOption({ label: 'CBOR' });
  await expect(value).toContainText('"temp": 21.5');
  await expect(value).toContainText('"unit": "C"');
  await expect(details).toContainText('rule for this topic');

  await openTopic(app, `${prefix}/msgpack`);
  await decodeAs.selectOption({ label: 'MessagePack' });
  await expect(value).toContainText('"room": "lab"');

  await openTopic(app, `${prefix}/gzip`);
  await decodeAs.selectOption({ label: 'gzip' });
  await expect(value).toContainText('"zipped": true');

  await openTopic(app, `${prefix}/proto`);
  await decodeAs.selectOption({ label: 'Protobuf' });
  await details.getByLabel('Choose a .proto file').setInputFiles({ name: SENSORS_PROTO.name, mimeType: 'text/plain', buffer: Buffer.from(SENSORS_PROTO.source) });
  await expect(details).toContainText('sensors.proto');
  await details.getByLabel('Message type', { exact: true }).fill('sensors.Reading');
  await details.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(value).toContainText('"deviceId": "th-12"');
  await expect(value).toContainText('"unit": "CELSIUS"');

  // Text is not MessagePack: the error says so, and the bytes are still there.
  await openTopic(app, `${prefix}/text`);
  await decodeAs.selectOption({ label: 'MessagePack' });
  await expect(details.getByRole('alert')).toContainText('Not MessagePack');
  await expect(details.getByRole('region', { name: 'Payload bytes' })).toContainText('00000000  70 6c 61 69 6e 20 77 6f 72 64 73');

  // The rules stay while the tab is open: back on the CBOR topic it is still decoded.
  await openTopic(app, `${prefix}/cbor`);
  await expect(decodeAs).toHaveValue('cbor');
  await expect(value).toContainText('"temp": 21.5');
  await peer.end();
  expect(violations).toEqual([]);
});
