import { describe, expect, it } from 'vitest';
import { clampTreePercent, DEFAULT_LAYOUT, parseLayout } from '../../renderer/src/workspace/workspace-layout';

describe('the remembered pane layout', () => {
  it('comes back as it was stored', () => {
    const stored = JSON.stringify({ profilesShown: false, treePercent: 63, logOpen: true, publishOpen: false });
    expect(parseLayout(stored)).toEqual({ profilesShown: false, treePercent: 63, logOpen: true, publishOpen: false });
  });

  it('starts from the defaults when nothing or something unreadable was stored', () => {
    expect(parseLayout(null)).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('{not json')).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('[1,2]')).toEqual(DEFAULT_LAYOUT);
  });

  it('keeps the good fields of a partly damaged value and defaults the rest', () => {
    expect(parseLayout(JSON.stringify({ profilesShown: false, treePercent: 'wide', logOpen: 1 }))).toEqual({ ...DEFAULT_LAYOUT, profilesShown: false });
  });

  it('never lets the splitter squeeze either pane out of sight', () => {
    expect(parseLayout(JSON.stringify({ treePercent: 2 })).treePercent).toBe(20);
    expect(clampTreePercent(99)).toBe(80);
    expect(clampTreePercent(Number.NaN)).toBe(DEFAULT_LAYOUT.treePercent);
    expect(clampTreePercent(41.6)).toBe(42);
  });
});
