/**
 * How tests and benchmarks launch Debian's Chromium (Playwright's own browser download
 * is not reachable here). Without the networking flags Chromium keeps trying to reach
 * hosts that are closed on these machines.
 */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
