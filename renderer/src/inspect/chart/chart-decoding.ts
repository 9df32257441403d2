/**
 * The chart's view of the tab's decoding: the decoder its "Decode as" rules choose for a
 * message (as the viewer shows it), and `payload:decode` for the decoders that run in the
 * core. The choice is kept per topic and content type until the rules or `.proto` files
 * change (they are replaced, never edited), so a charted topic's messages do not each
 * walk the rules.
 */
import type { TopicscopeApi } from '../../../../shared/ipc/ipc-contract';
import type { ChartDecoding } from '../../../../shared/inspect/chart/decoded-readers';
import type { DecodeResult } from '../../../../shared/inspect/decode/decoded-payload';
import type { DecodeRule, DecoderSpec, ProtoFile } from '../../../../shared/inspect/decode/decode-rules';
import type { ReceivedMessage } from '../../../../shared/mqtt/mqtt-message';

/** What the chart reads of the tab's DecodingState. */
export interface TabDecoding {
  readonly rules: readonly DecodeRule[];
  readonly protoFiles: readonly ProtoFile[];
  choice(topic: string, message: ReceivedMessage | null): { decoder: DecoderSpec };
}

export function chartDecodingOf(decoding: TabDecoding, api: Pick<TopicscopeApi, 'payload:decode'>): ChartDecoding {
  let rules = decoding.rules;
  let protoFiles = decoding.protoFiles;
  const chosen = new Map<string, DecoderSpec>();
  return {
    decoderFor(topic, message) {
      if (decoding.rules !== rules || decoding.protoFiles !== protoFiles) {
        rules = decoding.rules;
        protoFiles = decoding.protoFiles;
        chosen.clear();
      }
      const key = `${message.properties?.contentType ?? ''}\u0000${topic}`;
      let decoder = chosen.get(key);
      if (!decoder) {
        // One entry per charted topic and content type; a pathological publisher changing content types is cut off here.
        if (chosen.size >= 1_000) chosen.clear();
        decoder = decoding.choice(topic, message).decoder;
        chosen.set(key, decoder);
      }
      return decoder;
    },
    async decode(decoder, payloads) {
      const failed = (message: string): DecodeResult[] => payloads.map(() => ({ kind: 'error', format: decoder.kind, message }));
      try {
        const answer = await api['payload:decode']({ decoder, protoFiles: decoder.kind === 'protobuf' ? [...decoding.protoFiles] : [], payloads });
        return answer.ok ? answer.value.results : failed(answer.error.message);
      } catch (error) {
        // The transport failed (the core went away): these messages are skipped, not retried.
        return failed(`The payload could not be decoded: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
