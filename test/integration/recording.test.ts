/**
 * Recording through the connection core from the harness Mosquitto, read back with the
 * shared reader: every message, in order, its bytes and MQTT 5 properties exact; gzip;
 * the size limit; a renderer that falls behind; a disk that falls behind.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Recorder } from '../../electron/core/recording/recorder';
import { readRecordingMessages } from '../../electron/core/recording/recording-file';
import type { CommandValues } from '../../shared/ipc/ipc-contract';
import type { RecordingStatus } from '../../shared/recording/recording-status';
import { readRecordingText } from '../../shared/recording/recording-reader';
import { delay, waitFor } from '../harness/wait-for';
import type { CoreProbe } from '../harness/core-probe';
import { clearRetainedAfterTest, connectionConfig, newPeer, newProbe, openConnected, sharedBroker, uniquePrefix } from './support';

const broker = sharedBroker();

async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'ts-recording-'));
  onTestFinished(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

/** A probe whose host writes recordings to a temporary folder, as browser mode does. */
async function recordingProbe(): Promise<{ probe: CoreProbe; folder: string }> {
  const folder = await tempFolder();
  const probe = newProbe();
  let made = 0;
  // Numbered: two recordings within a second would otherwise get the same name.
  probe.recordingTarget = async (fileName) => ({ path: join(folder, `${++made}-${fileName}`), downloadName: fileName });
  return { probe, folder };
}

async function start(probe: CoreProbe, args: Record<string, unknown>): Promise<RecordingStatus> {
  const started = await probe.dispatch('recording:start', args);
  if (!started.ok || !started.value.recording) throw new Error(`recording:start failed: ${JSON.stringify(started)}`);
  return started.value.recording;
}

async function stop(probe: CoreProbe, connectionId: string): Promise<CommandValues['recording:stop']['recording']> {
  const stopped = await probe.dispatch('recording:stop', { connectionId });
  if (!stopped.ok) throw new Error(`recording:stop failed: ${JSON.stringify(stopped.error)}`);
  return stopped.value.recording;
}

describe('recording', () => {
  it('records text and binary payloads, MQTT 5 properties and retained flags, in order, read back exact', async () => {
    const { probe, folder } = await recordingProbe();
    const prefix = uniquePrefix('record');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix, { mqttVersion: '5' }));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    const peer = await newPeer(broker, { protocolVersion: 5 });
    // Set before recording; it arrives retained when the app subscribes to it during the recording.
    const retainedTopic = `${prefix}-retained/config`;
    await peer.publish(retainedTopic, 'kept', { qos: 1, retain: true });
    clearRetainedAfterTest(broker, retainedTopic);

    const started = await start(probe, { connectionId });
    expect(started).toMatchObject({ state: 'recording', messages: 0, missed: 0, gzip: false, filters: [], savedTo: null });
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a]);
    const texts = Array.from({ length: 200 }, (_, i) => `{"n":${i},"unit":"°C"}`);
    for (const [i, text] of texts.entries()) await peer.publish(`${prefix}/sensor/${i % 7}`, text, { qos: 1 });
    await peer.publish(`${prefix}/raw`, binary, {
      qos: 2,
      properties: {
        contentType: 'application/octet-stream',
        correlationData: Buffer.from([1, 2, 0, 255]),
        responseTopic: `${prefix}/reply`,
        userProperties: { site: 'lab', tag: ['a', 'b', 'a'] },
      },
    });
    await probe.dispatch('subscription:add', { connectionId, filter: retainedTopic, qos: 1 });
    await waitFor('the retained message', () => probe.messages(connectionId, retainedTopic)[0]);
    await waitFor('the binary message', () => probe.messages(connectionId, `${prefix}/raw`)[0]);

    const stopped = await stop(probe, connectionId);
    expect(stopped).toMatchObject({ state: 'stopped', messages: 202, missed: 0, stoppedBecause: 'user', problem: null });
    expect(stopped.fileBytes).toBe((await stat(join(folder, stopped.fileName))).size);
    const { messages, summary } = await readRecordingMessages(join(folder, stopped.fileName));

    expect(summary).toMatchObject({ skippedCount: 0, truncatedLastLine: false, end: { messages: 202, missed: 0, reason: 'user' } });
    expect(messages.slice(0, 200).map((m) => new TextDecoder().decode(m.payload))).toEqual(texts);
    expect(messages.slice(0, 200).map((m) => m.topic)).toEqual(texts.map((_, i) => `${prefix}/sensor/${i % 7}`));
    const raw = messages[200]!;
    // Sent at QoS 2 to a QoS 1 subscription: recorded as delivered.
    expect(raw).toMatchObject({ topic: `${prefix}/raw`, qos: 1, retain: false, payload: new Uint8Array(binary) });
    expect(raw.properties).toMatchObject({ contentType: 'application/octet-stream', responseTopic: `${prefix}/reply`, correlationData: Uint8Array.of(1, 2, 0, 255), userProperties: { site: 'lab', tag: ['a', 'b', 'a'] } });
    expect(messages[201]).toMatchObject({ topic: retainedTopic, retain: true, payload: new TextEncoder().encode('kept') });
    // Receive times never go backwards, and the file says how the payload is held.
    expect(messages.every((m, i) => i === 0 || m.receivedAt >= messages[i - 1]!.receivedAt)).toBe(true);
    const lines = (await readFile(join(folder, stopped.fileName), 'utf8')).split('\n');
    expect(JSON.parse(lines[201]!)).toMatchObject({ encoding: 'base64', payload: binary.toString('base64') });
    expect(JSON.parse(lines[1]!)).toMatchObject({ encoding: 'utf8', payload: texts[0] });
  });

  it('records only what the filters match, gzip-compressed, and the file decompresses to the same lines', async () => {
    const { probe, folder } = await recordingProbe();
    const prefix = uniquePrefix('record-gzip');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    const peer = await newPeer(broker);

    const started = await start(probe, { connectionId, filters: [`${prefix}/keep/#`], gzip: true });
    expect(started.fileName).toMatch(/\.jsonl\.gz$/);
    for (let i = 0; i < 300; i++) await peer.publish(`${prefix}/${i % 3 === 0 ? 'drop' : 'keep'}/${i}`, `value ${i}`, { qos: 1 });
    await waitFor('the last message', () => probe.messages(connectionId, `${prefix}/keep/299`)[0]);
    const stopped = await stop(probe, connectionId);

    expect(stopped).toMatchObject({ messages: 200, gzip: true });
    expect(stopped.fileBytes).toBeLessThan(stopped.bytesWritten);
    const { messages, summary } = await readRecordingMessages(join(folder, stopped.fileName));
    expect(summary).toMatchObject({ skippedCount: 0, header: { filters: [`${prefix}/keep/#`] }, end: { messages: 200 } });
    expect(messages.map((m) => m.topic)).toEqual(Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 3 !== 0).map((i) => `${prefix}/keep/${i}`));
    const text = gunzipSync(await readFile(join(folder, stopped.fileName))).toString('utf8');
    expect(text.length).toBe(stopped.bytesWritten);
    expect(readRecordingText(text).messages).toHaveLength(200);
  });

  it('stops at the size limit with a whole last line and the file within the limit', async () => {
    const { probe, folder } = await recordingProbe();
    const prefix = uniquePrefix('record-limit');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    const peer = await newPeer(broker);

    await start(probe, { connectionId, maxBytes: 4_096 });
    for (let i = 0; i < 100; i++) await peer.publish(`${prefix}/m/${i}`, 'x'.repeat(100), { qos: 1 });
    const last = await waitFor('the recording to stop', () => probe.recordingStatuses(connectionId).find((s) => s.state === 'stopped'));

    expect(last).toMatchObject({ stoppedBecause: 'size-limit', missed: 0 });
    const bytes = await readFile(join(folder, last.fileName));
    expect(bytes.byteLength).toBeLessThanOrEqual(4_096);
    expect(bytes.at(-1)).toBe(0x0a);
    const { messages, summary } = readRecordingText(bytes.toString('utf8'));
    expect(summary).toMatchObject({ skippedCount: 0, truncatedLastLine: false, end: { reason: 'size-limit', messages: last.messages } });
    expect(messages.map((m) => m.topic)).toEqual(Array.from({ length: last.messages }, (_, i) => `${prefix}/m/${i}`));
    // The connection is free for the next recording.
    expect((await probe.dispatch('recording:start', { connectionId })).ok).toBe(true);
  });

  it('still records every message while the renderer falls behind and the batcher coalesces', async () => {
    const { probe, folder } = await recordingProbe();
    probe.autoAcknowledge = false;
    const prefix = uniquePrefix('record-behind');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    const peer = await newPeer(broker);

    await start(probe, { connectionId });
    const count = 5_000;
    for (let i = 0; i < count; i++) {
      peer.client.publish(`${prefix}/t${i % 10}`, String(i), { qos: 0 });
      if (i % 1_000 === 999) await delay(1);
    }
    await peer.publish(`${prefix}/done`, 'end', { qos: 1 });
    await waitFor('every message recorded', () => (probe.recordingStatuses(connectionId).at(-1)?.messages ?? 0) >= count + 1, { timeoutMs: 20_000 });
    const stopped = await stop(probe, connectionId);

    // The renderer never acknowledged: at most the first batches went out, the rest was held back and coalesced.
    const delivered = probe.batches(connectionId).reduce((sum, b) => sum + b.messages.length, 0);
    expect(delivered).toBeLessThan(count);
    const { messages } = await readRecordingMessages(join(folder, stopped.fileName));
    expect(messages).toHaveLength(count + 1);
    expect(messages.slice(0, count).map((m) => Number(new TextDecoder().decode(m.payload)))).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it('refuses a second recording on the same connection, and stops the recording when the connection closes', async () => {
    const { probe, folder } = await recordingProbe();
    const prefix = uniquePrefix('record-close');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix));
    await probe.waitForSubscribed(connectionId, [`${prefix}/#`]);
    const peer = await newPeer(broker);

    const first = await start(probe, { connectionId, gzip: true });
    const second = await probe.dispatch('recording:start', { connectionId });
    expect(second).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'This connection is already being recorded: stop that recording first (one at a time per connection).' } });
    await peer.publish(`${prefix}/a`, 'one', { qos: 1 });
    await waitFor('the message', () => probe.messages(connectionId, `${prefix}/a`)[0]);
    await probe.dispatch('connection:close', { connectionId });

    expect(probe.recordingStatuses(connectionId).at(-1)).toMatchObject({ state: 'stopped', stoppedBecause: 'connection-closed', messages: 1 });
    const { messages, summary, compressionProblem } = await readRecordingMessages(join(folder, first.fileName));
    expect(compressionProblem).toBeNull();
    expect(summary.end?.reason).toBe('connection-closed');
    expect(messages.map((m) => m.topic)).toEqual([`${prefix}/a`]);
  });

  it('refuses bad arguments before anything is written', async () => {
    const { probe, folder } = await recordingProbe();
    const prefix = uniquePrefix('record-args');
    const connectionId = await openConnected(probe, connectionConfig(broker, prefix));

    expect(await probe.dispatch('recording:start', { connectionId, filters: ['a/#/b'] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await probe.dispatch('recording:start', { connectionId, maxBytes: 10 })).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'maxBytes: The size limit is at least 1 KiB.' } });
    expect(await probe.dispatch('recording:stop', { connectionId })).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'This connection is not being recorded.' } });
    expect(await probe.dispatch('recording:start', { connectionId: 'nope' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CONNECTION' } });
    expect(await readdir(folder)).toEqual([]);
  });
});

describe('Recorder with a disk that falls behind', () => {
  it('counts what did not fit in the write queue as missed, marks the gap, and says so in the status and the end line', async () => {
    const folder = await tempFolder();
    const statuses: RecordingStatus[] = [];
    const started = await Recorder.start({
      path: join(folder, 'slow.jsonl'),
      fileName: 'slow.jsonl',
      savedTo: null,
      downloadName: null,
      filters: [],
      gzip: false,
      maxBytes: null,
      maxDurationMs: null,
      // A queue this small fills within one turn of the event loop, as a stalled disk would.
      queueCapBytes: 2_000,
      flags: 'wx',
      onStatus: (status) => statuses.push(status),
    });
    if (!started.ok) throw new Error(started.problem);
    const { recorder } = started;
    for (let i = 0; i < 100; i++) recorder.offer(`m/${i}`, Buffer.from('x'.repeat(50)), 0, false, undefined);
    await delay(20);
    for (let i = 100; i < 110; i++) recorder.offer(`m/${i}`, Buffer.from('y'), 0, false, undefined);
    const final = await recorder.stop('user');

    expect(final.missed).toBeGreaterThan(0);
    expect(final.messages + final.missed).toBe(110);
    const { messages, summary } = await readRecordingMessages(join(folder, 'slow.jsonl'));
    expect(messages).toHaveLength(final.messages);
    expect(summary.gaps.reduce((sum, gap) => sum + gap.missed, 0)).toBe(final.missed);
    expect(summary.end).toMatchObject({ missed: final.missed, messages: final.messages });
    // Written after the gap: the queue had room again.
    expect(messages.at(-1)?.topic).toBe('m/109');
  });
});
