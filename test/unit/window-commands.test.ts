import { describe, expect, it } from 'vitest';
import type { MenuCommand } from '../../shared/shortcuts/shortcut-table';
import { RetainedClearing } from '../../renderer/src/explorer/retained-clearing.svelte';
import { TabsState } from '../../renderer/src/tabs/tabs-state.svelte';
import { WindowCommands } from '../../renderer/src/workspace/window-commands';
import { WorkspaceState } from '../../renderer/src/workspace/workspace-state.svelte';
import { fakeApi } from './fake-api';

function windowWithTabs(count: number) {
  const api = fakeApi({});
  const tabs = new TabsState(api);
  const workspace = new WorkspaceState();
  for (let i = 0; i < count; i++) tabs.add();
  const commands = new WindowCommands(api, { tabs, workspace });
  const menu = (command: MenuCommand) => api.emit('app:menu-command', { command });
  const activeIndex = () => tabs.tabs.findIndex((t) => t.key === tabs.activeKey);
  return { api, tabs, workspace, commands, menu, activeIndex };
}

describe('WindowCommands', () => {
  it('switches to tab n, 9 to the last tab, and leaves the key alone when there is no tab n', () => {
    const { commands, activeIndex } = windowWithTabs(3);
    expect(commands.run('select-tab-1')).toBe(true);
    expect(activeIndex()).toBe(0);
    expect(commands.run('select-tab-9')).toBe(true);
    expect(activeIndex()).toBe(2);
    expect(commands.run('select-tab-2')).toBe(true);
    expect(activeIndex()).toBe(1);
    expect(commands.run('select-tab-5')).toBe(false);
    expect(activeIndex()).toBe(1);
  });

  it('opens a new tab and closes the active one', async () => {
    const { commands, tabs, activeIndex } = windowWithTabs(2);
    commands.run('new-tab');
    expect(tabs.tabs).toHaveLength(3);
    expect(activeIndex()).toBe(2);
    const closing = tabs.activeKey;
    commands.run('close-tab');
    await Promise.resolve();
    expect(tabs.tabs).toHaveLength(2);
    expect(tabs.tabs.map((t) => t.key)).not.toContain(closing);
  });

  it('asks the active tab to filter and to publish its form', () => {
    const { commands, tabs, workspace } = windowWithTabs(2);
    const before = workspace.filterFocusRequests;
    commands.run('filter');
    expect(workspace.filterFocusRequests).toBe(before + 1);
    const [first, second] = tabs.tabs;
    commands.run('publish');
    expect(second?.publisher.publishRequests).toBe(1);
    expect(first?.publisher.publishRequests).toBe(0);
  });

  it('opens the window dialogs and hides or shows the profiles', () => {
    const { commands, workspace } = windowWithTabs(1);
    const shown = workspace.profilesShown;
    commands.run('toggle-profiles');
    expect(workspace.profilesShown).toBe(!shown);
    commands.run('settings');
    expect(workspace.dialog).toBe('settings');
    commands.run('shortcuts');
    expect(workspace.dialog).toBe('shortcuts');
    commands.run('open-recording');
    expect(workspace.dialog).toBe('open-recording');
  });

  it('asks before clearing the topic Delete means, and does nothing without one', () => {
    const { commands, tabs } = windowWithTabs(1);
    expect(commands.run('clear-retained', null)).toBe(false);
    expect(tabs.active?.explorer.clearing.asking).toBeNull();
    expect(commands.run('clear-retained', 'home/lamp')).toBe(true);
    expect(tabs.active?.explorer.clearing.asking).toBe('home/lamp');
  });

  it('runs what the desktop menu sends, until disposed', () => {
    const { commands, tabs, workspace, menu } = windowWithTabs(1);
    menu('new-tab');
    expect(tabs.tabs).toHaveLength(2);
    menu('shortcuts');
    expect(workspace.dialog).toBe('shortcuts');
    commands.dispose();
    menu('new-tab');
    expect(tabs.tabs).toHaveLength(2);
  });
});

describe('RetainedClearing', () => {
  it('clears only once confirmed, then says so', async () => {
    const cleared: string[] = [];
    const clearing = new RetainedClearing(async (topic) => {
      cleared.push(topic);
      return { ok: true, value: { acknowledged: true } };
    });
    clearing.ask('a/b');
    clearing.cancel();
    expect(clearing.asking).toBeNull();
    expect(cleared).toEqual([]);
    clearing.ask('a/b');
    await clearing.confirm();
    expect(cleared).toEqual(['a/b']);
    expect(clearing.asking).toBeNull();
    expect(clearing.outcome).toEqual({ ok: true, text: 'Cleared the retained value of "a/b".' });
  });

  it('shows the broker\'s refusal', async () => {
    const clearing = new RetainedClearing(async () => ({ ok: false, error: { code: 'NOT_AUTHORIZED', message: 'Not authorized' } }));
    clearing.ask('a/b');
    await clearing.confirm();
    expect(clearing.outcome).toEqual({ ok: false, text: 'Not authorized' });
    // A new question forgets the last answer.
    clearing.ask('c');
    expect(clearing.outcome).toBeNull();
  });
});
