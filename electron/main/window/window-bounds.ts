/**
 * Where the window reopens: the size and position it had when it closed, unless that
 * place is no longer on any screen (a monitor was unplugged, the resolution changed),
 * in which case it is moved back or falls back to the default size, centred by the OS.
 * Pure: main passes in what it stored and the displays' work areas.
 */
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

// Zod 4's z.number() already refuses Infinity and NaN.
const finite = z.number();
/** What main stores; anything else in the file is ignored rather than trusted. */
export const savedWindowStateSchema = z.object({
  x: finite,
  y: finite,
  width: finite.positive(),
  height: finite.positive(),
  maximized: z.boolean().default(false),
});
export type SavedWindowState = z.output<typeof savedWindowStateSchema>;

export interface WindowPlacement {
  /** Absent: let the OS centre the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 820 } as const;
export const MIN_WINDOW_SIZE = { width: 800, height: 500 } as const;

/** How much of the title bar must be on a screen for the window to be reachable. */
const MIN_VISIBLE_PX = 64;

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

export function placeWindow(saved: unknown, workAreas: readonly Rect[]): WindowPlacement {
  const parsed = savedWindowStateSchema.safeParse(saved);
  if (!parsed.success || workAreas.length === 0) return { ...DEFAULT_WINDOW_SIZE, maximized: false };
  const state = parsed.data;
  // Never larger than the biggest screen, never smaller than the app can be used at.
  const widest = Math.max(...workAreas.map((a) => a.width));
  const tallest = Math.max(...workAreas.map((a) => a.height));
  const width = Math.round(Math.max(MIN_WINDOW_SIZE.width, Math.min(state.width, widest)));
  const height = Math.round(Math.max(MIN_WINDOW_SIZE.height, Math.min(state.height, tallest)));
  const titleBar: Rect = { x: state.x, y: state.y, width, height: 32 };
  const reachable = workAreas.some((area) => {
    const o = overlap(titleBar, area);
    return o.width >= MIN_VISIBLE_PX && o.height > 0;
  });
  if (!reachable) return { width, height, maximized: state.maximized };
  return { x: Math.round(state.x), y: Math.round(state.y), width, height, maximized: state.maximized };
}
