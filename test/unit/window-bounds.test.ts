import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SIZE, placeWindow, type Rect } from '../../electron/main/window/window-bounds';

const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1050 };
const rightMonitor: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('placeWindow', () => {
  it('reopens where the window was closed', () => {
    expect(placeWindow({ x: 100, y: 80, width: 1400, height: 900, maximized: false }, [laptop])).toEqual({
      x: 100,
      y: 80,
      width: 1400,
      height: 900,
      maximized: false,
    });
  });

  it('keeps a window on the second monitor while that monitor is there', () => {
    expect(placeWindow({ x: 2200, y: 100, width: 1600, height: 1000 }, [laptop, rightMonitor])).toMatchObject({ x: 2200, y: 100 });
  });

  it('lets the OS place the window when its monitor was unplugged, keeping its size', () => {
    const placement = placeWindow({ x: 2200, y: 100, width: 1600, height: 1000, maximized: true }, [laptop]);
    expect(placement).toEqual({ width: 1600, height: 1000, maximized: true });
  });

  it('refuses a position whose title bar is only a few pixels on screen', () => {
    expect(placeWindow({ x: 1900, y: 10, width: 1000, height: 700 }, [laptop]).x).toBeUndefined();
    expect(placeWindow({ x: 100, y: -400, width: 1000, height: 700 }, [laptop]).x).toBeUndefined();
  });

  it('shrinks a window larger than any screen and grows one below the minimum', () => {
    expect(placeWindow({ x: 0, y: 0, width: 5000, height: 3000 }, [laptop])).toMatchObject({ width: 1920, height: 1050 });
    expect(placeWindow({ x: 0, y: 0, width: 200, height: 100 }, [laptop])).toMatchObject({ width: 800, height: 500 });
  });

  it.each([undefined, null, 'garbage', { x: 'a', y: 0, width: 10, height: 10 }, { x: 0, y: 0, width: -5, height: 10 }, { x: Number.NaN, y: 0, width: 900, height: 600 }])(
    'falls back to the default size for a stored value %j it cannot trust',
    (saved) => {
      expect(placeWindow(saved, [laptop])).toEqual({ ...DEFAULT_WINDOW_SIZE, maximized: false });
    },
  );
});
