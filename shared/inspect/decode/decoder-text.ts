/** How decoders and the reason one was chosen are named to the user ("Decode as"). */
import type { DecoderKind } from './decoded-payload';
import type { DecoderChoice, InnerKind } from './decode-rules';

export const DECODER_LABELS: Record<DecoderKind, string> = {
  auto: 'Automatic',
  sparkplug: 'Sparkplug B',
  protobuf: 'Protobuf',
  cbor: 'CBOR',
  msgpack: 'MessagePack',
  gzip: 'gzip',
  deflate: 'deflate',
  base64: 'Base64',
  json: 'JSON',
  text: 'Text',
  raw: 'Raw bytes',
};

export const INNER_LABELS: Record<InnerKind, string> = { json: 'JSON', text: 'Text', cbor: 'CBOR', msgpack: 'MessagePack', raw: 'Raw bytes' };

/** Why a topic is read the way it is, in words: "rule for sensors/#", "content type application/cbor". */
export function choiceReason(choice: DecoderChoice, topic: string, rules: readonly { filter: string }[], contentType: string | undefined): string {
  switch (choice.reason) {
    case 'rule': {
      const filter = rules[choice.ruleIndex ?? -1]?.filter ?? topic;
      return filter === topic ? 'rule for this topic' : `rule for ${filter}`;
    }
    case 'content-type':
      return `MQTT 5 content type ${contentType ?? ''}`.trimEnd();
    case 'sparkplug-topic':
      return 'Sparkplug B namespace (spBv1.0)';
    case 'auto':
      return 'JSON, text or bytes, as they look';
  }
}
