/**
 * What this machine charges for memory, measured apart from the app, so a benchmark can
 * tell the model's own work from the machine's: a first write to a fresh page, and a
 * load from memory too large for the caches. On a virtual machine both can cost many
 * times what they cost on bare metal, and they differ between machine classes far more
 * than the CPU's speed does.
 */
import { MB, median } from './stats';

const PAGE = 4096;
/** Bytes between two loads of the random walk: one cache line, so no two share one. */
const LINE = 64;

/**
 * µs per page fault on a first write to fresh memory: the median of 3 fresh 16 MiB
 * arrays touched a page at a time.
 */
export function pageFaultMicros(): number {
  const costs: number[] = [];
  for (let run = 0; run < 3; run++) {
    const faultsBefore = process.resourceUsage().minorPageFault;
    const start = performance.now();
    const fresh = new Uint8Array(16 * MB);
    for (let at = 0; at < fresh.length; at += PAGE) fresh[at] = 1;
    const micros = (performance.now() - start) * 1000;
    const faults = process.resourceUsage().minorPageFault - faultsBefore;
    costs.push(faults > 0 ? micros / faults : 0);
  }
  return median(costs);
}

/**
 * ns per load when each load's address comes from the one before (as following a
 * topic's node, its parents and its store entries does), over `bytes` of memory in a
 * random order: what a cache miss costs at that size, page-table walks included. The
 * median of 3 walks of `loads` loads each.
 */
export function randomLoadNanos(bytes: number, loads = 2_000_000): number {
  const next = randomCycle(Math.max(2, Math.floor(bytes / LINE)), LINE / Int32Array.BYTES_PER_ELEMENT);
  let at = 0;
  const times: number[] = [];
  for (let walk = 0; walk < 3; walk++) {
    const start = performance.now();
    for (let i = 0; i < loads; i++) at = next[at]!;
    times.push(((performance.now() - start) * 1e6) / loads);
  }
  // Kept so the walk is not optimised away; a slot index is never negative.
  if (at < 0) throw new Error('unreachable');
  return median(times);
}

/**
 * `slots` slots `step` elements apart, each holding the index of the next: one cycle
 * through all of them in a random order (Sattolo's shuffle), so a walk never settles
 * into a few that stay cached. From a fixed seed, so that runs compare.
 */
export function randomCycle(slots: number, step: number): Int32Array {
  const order = new Int32Array(slots);
  for (let i = 0; i < slots; i++) order[i] = i;
  let seed = 0x2545f491;
  for (let i = slots - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    const j = seed % i;
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  const next = new Int32Array(slots * step);
  for (let i = 0; i < slots; i++) next[order[i]! * step] = order[(i + 1) % slots]! * step;
  return next;
}
