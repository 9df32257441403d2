/**
 * What every uPlot chart of the app shares: the theme it was drawn for (a canvas cannot
 * read CSS variables, so a chart is made again when the colours change), axes drawn in
 * the text colour of its box, and a width that follows the box.
 */
import { MediaQuery } from 'svelte/reactivity';
import uPlot from 'uplot';
import { useWindow } from './context';

/** Call while a component initialises: `key` changes whenever the chart's colours do. */
export function useChartTheme(): { readonly key: string } {
  const { settings } = useWindow();
  const systemDark = new MediaQuery('(prefers-color-scheme: dark)');
  return {
    get key() {
      return `${settings.current.theme}/${systemDark.current ? 'dark' : 'light'}`;
    },
  };
}

/** An axis in the box's text colour with a faint grid. */
export function themedAxis(box: HTMLElement, more: uPlot.Axis = {}): uPlot.Axis {
  const stroke = getComputedStyle(box).color;
  return { stroke, grid: { stroke: 'rgba(128,128,128,0.15)' }, ...more };
}

/**
 * A uPlot chart in `box`, `height` px tall, whose width follows the box's (at least
 * 200 px); `destroy` stops following and removes it.
 */
export function mountChart(box: HTMLElement, height: number, options: Omit<uPlot.Options, 'width' | 'height'>, data: uPlot.AlignedData): { chart: uPlot; destroy(): void } {
  const chart = new uPlot({ ...options, width: Math.max(200, box.clientWidth), height }, data, box);
  const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, box.clientWidth), height }));
  resize.observe(box);
  return {
    chart,
    destroy: () => {
      resize.disconnect();
      chart.destroy();
    },
  };
}
