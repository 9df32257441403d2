/**
 * "Open recording…" in the window: a recording opens in a read-only tab of its own,
 * which receives the batches the core sends for it even before the open command
 * answered, and is never kept in the tab snapshot; a cancelled or failed open leaves
 * no tab behind.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { TabsState } from '../../renderer/src/tabs/tabs-state.svelte';
import { OpenRecordingState } from '../../renderer/src/recording/open-recording-state.svelte';
import type { CommandArgs } from '../../shared/ipc/ipc-contract';
import type { RecordingViewStatus } from '../../shared/recording/recording-view';
import { recordingViewSummary } from '../../shared/recording/recording-view';
import { fakeApi, type FakeApi } from './fake-api';

const LOADING: RecordingViewStatus = { fileName: 'plant.jsonl', gzip: false, state: 'loading', messages: 0, firstAt: null, lastAt: null, truncatedPayloads: 0, skipped: null, problem: null };
const NAME = 'recording-2026-01-02T03-04-05Z-0badf11e.jsonl';

beforeAll(() => {
  // The tree applies batches and acknowledges them after a frame; Node has no frames.
  vi.stubGlobal('requestAnimationFrame', (callback: (time: number) => void) => setTimeout(() => callback(0), 0));
});

afterAll(() => {
  vi.unstubAllGlobals();
});

function window(answer: (args: CommandArgs<'recording:open'>, api: FakeApi) => ReturnType<FakeApi['recording:open']>) {
  const closed: string[] = [];
  const acknowledged: { connectionId: string; seq: number }[] = [];
  const api: FakeApi = fakeApi({
    'messages:ack': async (ack) => {
      acknowledged.push(ack);
      return { ok: true, value: {} };
    },
    'recording:open': async (args) => answer(args, api),
    'recording:close': async ({ connectionId }) => {
      closed.push(connectionId);
      return { ok: true, value: { stopped: false } };
    },
    'replay:list': async () => ({ ok: true, value: { dialog: false, recordings: [{ name: NAME, bytes: 2_048, modifiedAt: 1 }] } }),
  });
  const tabs = new TabsState(api);
  tabs.add();
  return { api, tabs, closed, acknowledged, opener: new OpenRecordingState(api, tabs) };
}

describe('Open recording', () => {
  it('opens a listed recording in a new active tab that shows what the core sends for it, from the first batch', async () => {
    const { tabs, opener, acknowledged } = window(async ({ connectionId, source }, api) => {
      expect(source).toEqual({ kind: 'recording', name: NAME });
      // The core may send the first batch before its answer reaches the window.
      api.emit('messages:batch', {
        connectionId,
        messages: [{ topic: 'plant/temp', payload: new TextEncoder().encode('21.5'), payloadSize: 4, qos: 0, retain: false, receivedAt: 1_700_000_000_000, coalesced: 0 }],
        coalesced: 0,
        truncated: 0,
        seq: 0,
        rendererBehind: false,
      });
      return { ok: true, value: { recording: LOADING } };
    });

    expect(await opener.begin()).toBe(false);
    expect(opener.recordings.map((r) => r.name)).toEqual([NAME]);
    expect(await opener.open(NAME)).toBe(true);

    expect(tabs.tabs).toHaveLength(2);
    const tab = tabs.active!;
    expect(tab.recordingView?.status).toEqual(LOADING);
    await expect.poll(() => (flushSync(), tab.explorer.view.stats)).toMatchObject({ topics: 1, messages: 1 });
    // Acknowledged under the recording's ID, so the core reads on.
    await expect.poll(() => acknowledged).toEqual([{ connectionId: tab.recordingView!.connectionId, seq: 0 }]);
    // A reload brings back the connection tabs only: the recording's file is read again when opened again.
    expect(tabs.snapshot().tabs).toHaveLength(1);
  });

  it('follows the loading in the tab from the status events, and stops it when the tab closes', async () => {
    const { api, tabs, closed, opener } = window(async () => ({ ok: true, value: { recording: LOADING } }));
    await opener.open(NAME);
    const tab = tabs.active!;
    const id = tab.recordingView!.connectionId;
    api.emit('recording:view-status', { connectionId: id, recording: { ...LOADING, state: 'done', messages: 12, firstAt: 0, lastAt: 5_000 } });
    expect(tab.recordingView?.status?.state).toBe('done');
    expect(recordingViewSummary(tab.recordingView!.status!, 'utc')).toBe('12 messages, 1970-01-01 00:00:00.000Z to 00:00:05.000Z');

    await tabs.close(tab.key);
    expect(closed).toEqual([id]);
    expect(tabs.tabs).toHaveLength(1);
  });

  it('leaves no tab behind when the dialog is cancelled or the file cannot be read, and says why', async () => {
    let answer: 'cancel' | 'fail' = 'cancel';
    const { tabs, opener } = window(async () =>
      answer === 'cancel' ? { ok: true, value: { recording: null } } : { ok: false, error: { code: 'FILE_UNREADABLE', message: 'The recording could not be read: EACCES' } },
    );
    const before = tabs.activeKey;
    expect(await opener.open(null)).toBe(false);
    expect(opener.error).toBeNull();
    answer = 'fail';
    expect(await opener.open(NAME)).toBe(false);
    expect(opener.error).toBe('The recording could not be read: EACCES');
    expect(tabs.tabs).toHaveLength(1);
    expect(tabs.activeKey).toBe(before);
  });

  it('refuses a file over the upload limit before reading it, saying how to open it anyway', async () => {
    const { opener, tabs } = window(async () => ({ ok: true, value: { recording: LOADING } }));
    let read = false;
    const opened = await opener.upload({ name: 'huge.jsonl', size: 40 * 1024 * 1024, bytes: async () => ((read = true), new Uint8Array()) });
    expect(opened).toBe(false);
    expect(read).toBe(false);
    expect(opener.error).toBe('"huge.jsonl" is 41,943,040 bytes, more than the 32 MiB browser mode uploads: gzip it (recordings shrink about 15-fold) or open it in the desktop app.');
    expect(tabs.tabs).toHaveLength(1);
  });

  it('says how loading ended in the header line, with the day the recording was made', () => {
    const day = Date.UTC(2026, 10, 28, 23, 59, 59, 500);
    expect(recordingViewSummary({ ...LOADING, messages: 1, firstAt: day, lastAt: day }, 'utc')).toBe('Loading: 1 message so far, 2026-11-28 23:59:59.500Z to 23:59:59.500Z');
    expect(recordingViewSummary({ ...LOADING, state: 'stopped', messages: 300, firstAt: day, lastAt: day + 1_000, problem: 'the window read nothing for 300 s' }, 'utc')).toBe(
      'Stopped after 300 messages, 2026-11-28 23:59:59.500Z to 2026-11-29 00:00:00.500Z: the window read nothing for 300 s',
    );
    expect(recordingViewSummary({ ...LOADING, state: 'failed', problem: 'the file could not be read (EIO)' }, 'utc')).toBe('Could not be read to the end (0 messages shown): the file could not be read (EIO)');
  });
});
