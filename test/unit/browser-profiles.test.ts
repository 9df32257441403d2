import { describe, expect, it } from 'vitest';
import { resolveConfigDir } from '../../electron/web/browser-profiles';

describe('browser-mode config folder', () => {
  it('prefers --config-dir, then TOPICSCOPE_CONFIG_DIR, then XDG_CONFIG_HOME, then ~/.config', () => {
    const env = { TOPICSCOPE_CONFIG_DIR: '/env/topicscope', XDG_CONFIG_HOME: '/xdg' };
    expect(resolveConfigDir('/flag/dir', env, '/home/me')).toBe('/flag/dir');
    expect(resolveConfigDir(undefined, env, '/home/me')).toBe('/env/topicscope');
    expect(resolveConfigDir(undefined, { XDG_CONFIG_HOME: '/xdg' }, '/home/me')).toBe('/xdg/topicscope');
    expect(resolveConfigDir(undefined, {}, '/home/me')).toBe('/home/me/.config/topicscope');
  });

  it('ignores a relative XDG_CONFIG_HOME, as the XDG spec says', () => {
    expect(resolveConfigDir(undefined, { XDG_CONFIG_HOME: 'relative/dir' }, '/home/me')).toBe('/home/me/.config/topicscope');
  });

  it('makes a relative --config-dir absolute', () => {
    expect(resolveConfigDir('conf', {}, '/home/me')).toBe(`${process.cwd()}/conf`);
  });
});
