/** The Sparkplug state's reading of what the core's decoder (`payload:decode` with the Sparkplug decoder) answered. */
import type { DecodeResult, SparkplugPayload } from '../decode/decoded-payload';

/** Each result's Sparkplug payload, or why there is none (in words for the user). */
export function sparkplugPayloadsOf(results: readonly DecodeResult[]): (SparkplugPayload | { error: string })[] {
  return results.map((result) => {
    if (result.kind === 'structured' && result.sparkplug) return result.sparkplug;
    if (result.kind === 'error') return { error: result.message };
    return { error: `Not a Sparkplug B payload (read as ${result.format}).` };
  });
}
