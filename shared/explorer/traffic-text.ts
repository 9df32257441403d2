/** How the busiest topics table writes its figures: thousands separators, units for bytes. */

const DECIMAL_UNITS = ['kB', 'MB', 'GB', 'TB'] as const;

/** A whole count: `1,234,567`. */
export function countText(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

/** Messages per second: one decimal below 100 (a topic sending every few seconds still shows), whole above. */
export function messageRateText(perSecond: number): string {
  const digits = perSecond < 100 ? 1 : 0;
  return perSecond.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Bytes in decimal units, as network traffic is counted: `512 B`, `12.3 kB`, `4.6 MB`, `1.2 GB`. */
export function bytesText(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes).toLocaleString('en-US')} B`;
  let value = bytes;
  let unit: (typeof DECIMAL_UNITS)[number] = DECIMAL_UNITS[0];
  for (const next of DECIMAL_UNITS) {
    unit = next;
    value /= 1000;
    // 999.95 would round to "1,000.0": the next unit says it better.
    if (value < 999.95) break;
  }
  return `${value.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} ${unit}`;
}

/** Bytes per second: `12.3 kB/s`. */
export function byteRateText(bytesPerSecond: number): string {
  return `${bytesText(bytesPerSecond)}/s`;
}
