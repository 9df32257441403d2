/** How the History list writes its columns. */

/** Time since the previous message: `+350 ms`, `+1.02 s`, `+2 min 5 s`, `+3 h 12 min`. */
export function sincePreviousText(ms: number): string {
  const gap = Math.max(0, ms);
  if (gap < 1_000) return `+${Math.round(gap)} ms`;
  if (gap < 60_000) return `+${(gap / 1_000).toFixed(2)} s`;
  const seconds = Math.floor(gap / 1_000);
  if (seconds < 3_600) return `+${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `+${Math.floor(seconds / 3_600)} h ${Math.floor((seconds % 3_600) / 60)} min`;
}

/** A payload's size: exact bytes with separators, `1,234 B`. */
export function sizeText(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} B`;
}

/** How much of the topic's traffic the history holds: `50 kept of 1,234 received`. */
export function keptText(kept: number, received: number): string {
  return `${kept.toLocaleString('en-US')} kept of ${received.toLocaleString('en-US')} received`;
}
