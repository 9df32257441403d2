/**
 * Recording in browser mode, through the real host: the file lands in the config
 * folder's recordings/, and GET /recordings/<name> hands it to a request with the
 * page's token, refusing any other name, path or token. A recording in that folder
 * opens offline by its name: its messages come to the page as batches, and a damaged
 * one gives what it holds and says what was skipped.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandValues, EventPayloads } from '../../shared/ipc/ipc-contract';
import type { RecordingViewStatus } from '../../shared/recording/recording-view';
import { readRecordingText } from '../../shared/recording/recording-reader';
import { MqttPeer } from '../harness/mqtt-peer';
import { delay, waitFor } from '../harness/wait-for';
import { WebHostProcess, resultValue, type HostClient } from '../harness/web-host-process';
import { connectionConfig, sharedBroker, uniqueConnectionId, uniquePrefix } from './support';

const broker = sharedBroker();
const configDir = mkdtempSync(join(tmpdir(), 'topicscope-it-recordings-'));
let host: WebHostProcess;
let client: HostClient;

beforeAll(async () => {
  host = await WebHostProcess.start(['--config-dir', configDir]);
  client = await host.connect();
  client.autoAcknowledge = true;
});

afterAll(async () => {
  client.close();
  await host.stop();
  rmSync(configDir, { recursive: true, force: true });
});

/** A raw GET, so paths reach the host exactly as written (fetch would normalise "../"). */
function get(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: host.url.hostname, port: host.url.port, path, method: 'GET' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function recordSome(gzip: boolean, count: number): Promise<{ recording: CommandValues['recording:stop']['recording']; prefix: string }> {
  const prefix = uniquePrefix('record-web');
  const connectionId = uniqueConnectionId();
  resultValue(await client.command('connection:open', { connectionId, config: connectionConfig(broker, prefix) }));
  const started = resultValue<CommandValues['recording:start']>(await client.command('recording:start', { connectionId, gzip }));
  expect(started.recording).toMatchObject({ state: 'recording', savedTo: null });
  const peer = await MqttPeer.connect(broker);
  try {
    // The subscription is restored right after CONNACK: wait until the first message arrives.
    for (let tries = 0; !client.batches.some((b) => b.connectionId === connectionId); tries++) {
      if (tries === 100) throw new Error('No message arrived: the subscription was not restored.');
      await peer.publish(`${prefix}/probe`, 'probe', { qos: 1 });
      await delay(100);
    }
    for (let i = 0; i < count; i++) await peer.publish(`${prefix}/m/${i}`, `value ${i}`, { qos: 1 });
    await waitFor('every message', () => client.batches.some((b) => b.messages.some((m) => m.topic === `${prefix}/m/${count - 1}`)));
  } finally {
    await peer.end();
  }
  const stopped = resultValue<CommandValues['recording:stop']>(await client.command('recording:stop', { connectionId }));
  await client.command('connection:close', { connectionId });
  return { recording: stopped.recording, prefix };
}

describe('recording in browser mode', () => {
  it('writes the file to recordings/ in the config folder and serves it to the token holder', async () => {
    const { recording, prefix } = await recordSome(false, 50);
    expect(recording.downloadName).toMatch(/^recording-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-[0-9a-f]{8}\.jsonl$/);
    expect(readdirSync(join(configDir, 'recordings'))).toContain(recording.downloadName);

    const response = await get(`/recordings/${recording.downloadName}?token=${host.token}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${recording.downloadName}"`);
    const { messages, summary } = readRecordingText(response.body.toString('utf8'));
    expect(summary).toMatchObject({ skippedCount: 0, end: { reason: 'user' } });
    const recorded = messages.filter((m) => m.topic.startsWith(`${prefix}/m/`)).map((m) => m.topic);
    expect(recorded).toEqual(Array.from({ length: 50 }, (_, i) => `${prefix}/m/${i}`));
  });

  it('serves a gzip recording as it was written', async () => {
    const { recording } = await recordSome(true, 20);
    const response = await get(`/recordings/${recording.downloadName}?token=${host.token}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/gzip');
    expect(readRecordingText(gunzipSync(response.body).toString('utf8')).summary.end?.messages).toBe(recording.messages);
  });

  it('refuses requests without the token, other names, paths out of the folder and links', async () => {
    const { recording } = await recordSome(false, 1);
    const name = recording.downloadName!;
    writeFileSync(join(configDir, 'settings-copy.json'), '{"secret":true}');
    const linkName = name.replace(/-[0-9a-f]{8}\./, '-00000000.');
    symlinkSync(join(configDir, 'settings-copy.json'), join(configDir, 'recordings', linkName));

    expect((await get(`/recordings/${name}`)).status).toBe(403);
    expect((await get(`/recordings/${name}?token=${host.token}x`)).status).toBe(403);
    for (const path of [
      `/recordings/..%2Fsettings-copy.json`,
      `/recordings/%2E%2E/settings-copy.json`,
      `/recordings/../settings-copy.json`,
      `/recordings/${name}%2F..%2F..%2Fsettings-copy.json`,
      `/recordings/settings-copy.json`,
      `/recordings/${name.replace('.jsonl', '.txt')}`,
      `/recordings/${linkName}`,
    ]) {
      const response = await get(`${path}?token=${host.token}`);
      expect(response.status, path).not.toBe(200);
      expect(response.body.toString(), path).not.toContain('secret');
    }
  });

  /** Opens a listed recording offline as the page does, and waits until it is loaded. */
  async function openOffline(name: string): Promise<{ connectionId: string; done: RecordingViewStatus }> {
    const connectionId = uniqueConnectionId();
    const opened = resultValue<CommandValues['recording:open']>(await client.command('recording:open', { connectionId, source: { kind: 'recording', name } }));
    expect(opened.recording).toMatchObject({ fileName: name, state: 'loading' });
    const done = await waitFor('the recording to load', () =>
      client.events
        .filter((e): e is { name: 'recording:view-status'; payload: EventPayloads['recording:view-status'] } => e.name === 'recording:view-status')
        .map((e) => e.payload)
        .find((p) => p.connectionId === connectionId && p.recording.state !== 'loading')?.recording,
    );
    return { connectionId, done };
  }

  it('opens a recording offline by its name: every message comes to the page in order, with its recorded time', async () => {
    const { recording, prefix } = await recordSome(false, 40);
    const name = recording.downloadName!;
    const { connectionId, done } = await openOffline(name);

    const { messages: inFile } = readRecordingText((await get(`/recordings/${name}?token=${host.token}`)).body.toString('utf8'));
    const shown = client.batches.filter((b) => b.connectionId === connectionId).flatMap((b) => b.messages);
    expect(done).toMatchObject({ state: 'done', messages: inFile.length, skipped: null, firstAt: inFile[0]!.receivedAt, lastAt: inFile.at(-1)!.receivedAt });
    expect(shown.map((m) => [m.topic, m.receivedAt, new TextDecoder().decode(m.payload)])).toEqual(inFile.map((m) => [m.topic, m.receivedAt, new TextDecoder().decode(m.payload)]));
    expect(shown.filter((m) => m.topic.startsWith(`${prefix}/m/`))).toHaveLength(40);
  });

  it('opens a damaged recording with what it holds and says what was skipped; a name it did not make is refused', async () => {
    const name = 'recording-2026-01-02T03-04-05Z-0badf11e.jsonl';
    const header = JSON.stringify({ format: 'topicscope-recording', version: 1, startedAt: 1_700_000_000_000, filters: [] });
    const message = (i: number): string => JSON.stringify({ receivedAt: 1_700_000_000_000 + i, topic: `damaged/${i}`, qos: 0, retain: false, payload: `v${i}`, encoding: 'utf8' });
    writeFileSync(join(configDir, 'recordings', name), [header, message(1), '{broken', message(2), message(3).slice(0, 25)].join('\n'));

    const { connectionId, done } = await openOffline(name);
    const shown = client.batches.filter((b) => b.connectionId === connectionId).flatMap((b) => b.messages);
    expect(shown.map((m) => m.topic)).toEqual(['damaged/1', 'damaged/2']);
    expect(done).toMatchObject({ state: 'done', messages: 2, skipped: '1 line skipped (line 3: not JSON); the last line was cut short; the recording has no end line: it was cut short.' });

    const refused = (await client.command('recording:open', { connectionId: uniqueConnectionId(), source: { kind: 'recording', name: '../settings.json' } })) as { ok: boolean; error?: { code: string } };
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('keeps an uploaded recording under a generated name that opens like the others, and refuses what is not one', async () => {
    const header = JSON.stringify({ format: 'topicscope-recording', version: 1, startedAt: 1_700_000_000_000, filters: [] });
    const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify({ receivedAt: 1_700_000_000_000 + i, topic: `desktop/${i}`, qos: 1, retain: false, payload: `d${i}`, encoding: 'utf8' }));
    const bytes = gzipSync([header, ...lines, ''].join('\n'));

    const { name } = resultValue<CommandValues['recording:upload']>(await client.command('recording:upload', { bytes: new Uint8Array(bytes) }));
    expect(name).toMatch(/^recording-\d{4}-.*-[0-9a-f]{8}\.jsonl\.gz$/);
    expect(statSync(join(configDir, 'recordings', name)).mode & 0o777).toBe(0o600);
    const listed = resultValue<CommandValues['replay:list']>(await client.command('replay:list', {}));
    expect(listed.recordings.map((r) => r.name)).toContain(name);
    const { connectionId, done } = await openOffline(name);
    expect(done).toMatchObject({ state: 'done', gzip: true, messages: 5 });
    expect(client.batches.filter((b) => b.connectionId === connectionId).flatMap((b) => b.messages.map((m) => m.topic))).toEqual(lines.map((_, i) => `desktop/${i}`));

    const before = readdirSync(join(configDir, 'recordings')).length;
    const refused = (await client.command('recording:upload', { bytes: new TextEncoder().encode('PK\u0003\u0004 a zip file') })) as { ok: boolean; error?: { code: string; message: string } };
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('not a Topicscope recording') } });
    expect(readdirSync(join(configDir, 'recordings'))).toHaveLength(before);
  });
});
