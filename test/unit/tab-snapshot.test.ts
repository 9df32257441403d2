import { describe, expect, it } from 'vitest';
import { configToForm, defaultFormFields } from '../../renderer/src/connection/connection-form';
import { parseSnapshot, planRestore, sanitizeForm, serializeSnapshot, type TabsSnapshot } from '../../renderer/src/tabs/tab-snapshot';
import { connectionConfigSchema } from '../../shared/connection/connection-config';
import type { OpenConnection } from '../../shared/ipc/ipc-contract';

function openConnection(connectionId: string, host: string, profileId: string | null = null): OpenConnection {
  const config = connectionConfigSchema.parse({ protocol: 'mqtt', host, port: 1883, clientId: `id-${connectionId}`, username: 'alice' });
  return { connectionId, profileId, config, status: { state: 'connected', since: 1, sessionPresent: false } };
}

function snapshot(): TabsSnapshot {
  return {
    activeKey: 'tab-b',
    tabs: [
      { key: 'tab-a', connectionId: 'conn-a', profileId: 'profile-1', randomClientId: true, form: { ...defaultFormFields('x'), host: 'a.example', password: 'hunter2', keyPassphrase: 'pass', proxyType: 'socks5', proxyHost: 'proxy.corp', proxyPassword: 'proxy-pw' } },
      { key: 'tab-b', connectionId: null, profileId: null, randomClientId: false, form: { ...defaultFormFields('y'), host: 'draft.example', port: '8883' } },
    ],
  };
}

let counter = 0;
const newKey = () => `new-${++counter}`;

describe('tab snapshot', () => {
  it('never writes a password, key passphrase or proxy password to storage', () => {
    const text = serializeSnapshot(snapshot());
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('"pass"');
    expect(text).not.toContain('proxy-pw');
    const back = parseSnapshot(text);
    expect(back?.tabs[0]?.form.password).toBe('');
    expect(back?.tabs[0]?.form.keyPassphrase).toBe('');
    expect(back?.tabs[0]?.form).toMatchObject({ proxyType: 'socks5', proxyHost: 'proxy.corp', proxyPassword: '' });
  });

  it('reads back the order, the active tab and each unsaved form', () => {
    const back = parseSnapshot(serializeSnapshot(snapshot()));
    expect(back?.activeKey).toBe('tab-b');
    expect(back?.tabs.map((t) => t.key)).toEqual(['tab-a', 'tab-b']);
    expect(back?.tabs[1]).toMatchObject({ connectionId: null, profileId: null, randomClientId: false });
    expect(back?.tabs[1]?.form).toMatchObject({ host: 'draft.example', port: '8883', clientId: 'y' });
  });

  it('gives null for missing, broken or foreign storage instead of throwing', () => {
    for (const text of [null, '', '{', '[]', '{"version":2,"tabs":[]}', '{"version":1}', 'null']) {
      expect(parseSnapshot(text), String(text)).toBeNull();
    }
  });

  it('drops tabs with bad or duplicate keys and an active key that names no tab', () => {
    const text = JSON.stringify({ version: 1, activeKey: 'gone', tabs: [{ key: 'ok', form: {} }, { key: 'ok' }, { key: '../x' }, 7, { form: {} }] });
    const back = parseSnapshot(text);
    expect(back?.tabs.map((t) => t.key)).toEqual(['ok']);
    expect(back?.activeKey).toBeNull();
  });

  it('keeps valid form fields and replaces wrongly typed ones with defaults', () => {
    const form = sanitizeForm({ host: 'h', port: 8883, cleanSession: 'yes', subscriptions: [{ filter: 'a/#', qos: 1 }], password: 'leak', unknown: 1 });
    expect(form.host).toBe('h');
    expect(form.port).toBe('1883');
    expect(form.cleanSession).toBe(true);
    expect(form.subscriptions).toEqual([{ filter: 'a/#', qos: 1 }]);
    expect(form.password).toBe('');
    expect(sanitizeForm({ subscriptions: [{ filter: 'a', qos: 3 }] }).subscriptions).toEqual(defaultFormFields('').subscriptions);
  });
});

describe('planRestore', () => {
  it('re-attaches stored tabs to the connections still open and keeps their order and drafts', () => {
    const plan = planRestore(snapshot(), [openConnection('conn-a', 'a.example', 'profile-1')], newKey);
    expect(plan.tabs.map((t) => t.key)).toEqual(['tab-a', 'tab-b']);
    expect(plan.tabs[0]?.connection?.connectionId).toBe('conn-a');
    expect(plan.tabs[0]?.form.host).toBe('a.example');
    expect(plan.tabs[1]?.connection).toBeNull();
    expect(plan.activeKey).toBe('tab-b');
  });

  it('keeps a stored tab whose connection is gone as a disconnected draft', () => {
    const plan = planRestore(snapshot(), [], newKey);
    expect(plan.tabs[0]).toMatchObject({ key: 'tab-a', connectionId: null, connection: null, profileId: 'profile-1' });
    expect(plan.tabs[0]?.form.host).toBe('a.example');
  });

  it('adds a tab, after the stored ones, for each open connection the snapshot does not know', () => {
    const plan = planRestore(snapshot(), [openConnection('conn-z', 'z.example', 'profile-9'), openConnection('conn-a', 'a.example')], newKey);
    expect(plan.tabs).toHaveLength(3);
    const added = plan.tabs[2];
    expect(added?.connection?.connectionId).toBe('conn-z');
    expect(added?.profileId).toBe('profile-9');
    expect(added?.form).toEqual(configToForm(openConnection('conn-z', 'z.example').config));
  });

  it('without storage shows every open connection and activates the first', () => {
    const plan = planRestore(null, [openConnection('one', 'one.example'), openConnection('two', 'two.example')], newKey);
    expect(plan.tabs.map((t) => t.form.host)).toEqual(['one.example', 'two.example']);
    expect(plan.activeKey).toBe(plan.tabs[0]?.key);
  });

  it('has nothing to restore with no storage and no connections', () => {
    expect(planRestore(null, [], newKey)).toEqual({ tabs: [], activeKey: null, fromSnapshot: new Set() });
  });
});
