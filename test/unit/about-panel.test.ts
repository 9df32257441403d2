import { describe, expect, it } from 'vitest';
import { aboutPanelOptions } from '../../electron/main/app/about-panel';

describe('About panel', () => {
  it('shows the app version with the runtime versions a bug report needs, on every OS', () => {
    const options = aboutPanelOptions('0.1.0', { topicscope: '0.1.0', electron: '41.10.0', chrome: '146.0.1', node: '24.1.0' });
    expect(options.applicationName).toBe('Topicscope');
    // Linux shows only name, applicationVersion and copyright, so the versions live there too.
    expect(options.applicationVersion).toBe('0.1.0 (Electron 41.10.0, Chrome 146.0.1, Node 24.1.0)');
    expect(options.credits).toContain('Electron 41.10.0');
  });

  it('leaves out versions that are unknown', () => {
    expect(aboutPanelOptions('0.1.0', { electron: '', node: '20.1.0' }).applicationVersion).toBe('0.1.0 (Node 20.1.0)');
  });
});
