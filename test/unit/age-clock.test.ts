import { describe, expect, it } from 'vitest';
import { AGE_TICK_MS, AgeClock, Ticker, type PageVisibility } from '../../renderer/src/common/age-clock.svelte';

/** Timers and a page that only move when the test says so. */
class FakePage implements PageVisibility {
  hidden = false;
  readonly timers = new Map<number, { callback: () => void; ms: number }>();
  readonly listeners = new Set<() => void>();
  #next = 0;
  readonly deps = {
    setInterval: (callback: () => void, ms: number): number => {
      this.timers.set(++this.#next, { callback, ms });
      return this.#next;
    },
    clearInterval: (timer: unknown): void => {
      this.timers.delete(timer as number);
    },
    visibility: this as PageVisibility,
  };
  addEventListener(_type: 'visibilitychange', listener: () => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'visibilitychange', listener: () => void): void {
    this.listeners.delete(listener);
  }
  elapse(): void {
    for (const { callback } of [...this.timers.values()]) callback();
  }
  setHidden(hidden: boolean): void {
    this.hidden = hidden;
    for (const listener of [...this.listeners]) listener();
  }
}

describe('Ticker (the age clock’s timer)', () => {
  it('ticks once a second on one timer from start to stop, and leaves nothing behind', () => {
    const page = new FakePage();
    let ticks = 0;
    const ticker = new Ticker(() => ticks++, page.deps);
    expect(page.timers.size).toBe(0);
    ticker.start();
    ticker.start();
    expect([...page.timers.values()].map((t) => t.ms)).toEqual([AGE_TICK_MS]);
    page.elapse();
    page.elapse();
    expect(ticks).toBe(2);
    ticker.stop();
    expect(page.timers.size).toBe(0);
    expect(page.listeners.size).toBe(0);
  });

  it('does not tick while the page is hidden, and catches up at once when it is shown', () => {
    const page = new FakePage();
    let ticks = 0;
    const ticker = new Ticker(() => ticks++, page.deps);
    ticker.start();
    page.setHidden(true);
    expect(page.timers.size).toBe(0);
    page.setHidden(false);
    expect(ticks).toBe(1);
    expect(page.timers.size).toBe(1);
    ticker.stop();
  });

  it('started while the page is hidden, it waits until the page is shown', () => {
    const page = new FakePage();
    page.hidden = true;
    let ticks = 0;
    const ticker = new Ticker(() => ticks++, page.deps);
    ticker.start();
    expect(page.timers.size).toBe(0);
    page.setHidden(false);
    expect(ticks).toBe(1);
    expect(page.timers.size).toBe(1);
    ticker.stop();
  });
});

describe('AgeClock', () => {
  it('ticks on one timer while any view holds it, and stops when the last one lets go', () => {
    const page = new FakePage();
    let time = 1_000;
    const clock = new AgeClock({ ...page.deps, now: () => time });
    const releaseTree = clock.hold();
    const releaseOtherTab = clock.hold();
    expect(page.timers.size).toBe(1);
    time += AGE_TICK_MS;
    page.elapse();
    expect(clock.now).toBe(2_000);
    releaseTree();
    releaseTree();
    expect(page.timers.size).toBe(1);
    releaseOtherTab();
    expect(page.timers.size).toBe(0);
    // Held again after a while: the time is fresh at once, not a second later.
    time = 9_000;
    clock.hold();
    expect(clock.now).toBe(9_000);
  });
});
