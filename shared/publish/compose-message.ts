/**
 * One concrete message from the form's draft: variables expanded (topic and payload),
 * then the payload encoded in its format, then the MQTT 5 properties made concrete and
 * checked. The form calls it for its preview and its Publish button; a repeat calls it
 * once per message with a fresh context. Pure.
 */
import type { QoS } from '../mqtt/mqtt-message';
import { topicNameProblem } from '../mqtt/mqtt-topic';
import { decodeUtf8 } from '../inspect/payload-format';
import type { DraftProperties, MessageDraft } from './message-draft';
import { encodePayload, hexToBytes } from './payload-encoding';
import { publishPropertiesSchema, type PublishProperties } from './publish-properties';
import { expandVariables, type VariableContext } from './publish-variables';

/** A message ready for `message:publish`. */
export interface ComposedMessage {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  /** Absent on MQTT 3.1.1, or when none is set. */
  properties?: PublishProperties;
}

export interface ComposeOptions {
  context: VariableContext;
  /** Whether the connection speaks MQTT 5: otherwise no property is made or checked. */
  mqtt5: boolean;
  /** A file's bytes sent as they are instead of the payload text (no variables, no format). */
  file?: Uint8Array | null;
}

/** What the form shows and sends: each part's result, and the message once every part is fine. */
export interface Composition {
  /** The expanded topic; null when its variables do not expand. */
  topic: string | null;
  topicProblem: string | null;
  /** The expanded payload text; null with a file, or when its variables do not expand. */
  payloadText: string | null;
  /** The bytes to send; null when the payload has a problem. */
  payload: Uint8Array | null;
  payloadProblem: string | null;
  propertiesProblem: string | null;
  /** Set when nothing above has a problem. */
  message: ComposedMessage | null;
}

const utf8 = new TextEncoder();

export function composeMessage(draft: MessageDraft, options: ComposeOptions): Composition {
  const { context, mqtt5, file } = options;
  const topic = expandVariables(draft.topic, context);
  const topicProblem = topic.ok ? topicNameProblem(topic.text) : `Topic: ${topic.problem}`;

  let payloadText: string | null = null;
  let payload: Uint8Array | null = null;
  let payloadProblem: string | null = null;
  if (file) {
    payload = file;
  } else {
    const expanded = expandVariables(draft.payload, context);
    if (expanded.ok) {
      payloadText = expanded.text;
      const encoded = encodePayload(expanded.text, draft.format);
      if (encoded.ok) payload = encoded.bytes;
      else payloadProblem = encoded.problem;
    } else {
      payloadProblem = `Payload: ${expanded.problem}`;
    }
  }

  const properties: Concrete = mqtt5 ? concreteProperties(draft.properties) : { ok: true, value: undefined };
  let propertiesProblem = properties.ok ? null : properties.problem;
  if (properties.ok && properties.value?.payloadFormatIndicator && payload && decodeUtf8(payload) === null) {
    propertiesProblem = 'The payload is not UTF-8 text, yet "Payload is UTF-8" is checked: uncheck it, or the broker may refuse the message.';
  }

  let message: ComposedMessage | null = null;
  if (topic.ok && !topicProblem && payload && !payloadProblem && properties.ok && !propertiesProblem) {
    message = { topic: topic.text, payload, qos: draft.qos, retain: draft.retain, ...(properties.value ? { properties: properties.value } : {}) };
  }
  return { topic: topic.ok ? topic.text : null, topicProblem, payloadText, payload, payloadProblem, propertiesProblem, message };
}

type Concrete = { ok: true; value: PublishProperties | undefined } | { ok: false; problem: string };

/** The draft's properties as the command takes them, checked by the contract's own schema; undefined when none is set. */
export function concreteProperties(draft: DraftProperties): Concrete {
  const out: PublishProperties = {};
  const pairs: [string, string][] = [];
  for (const { name, value } of draft.userProperties) {
    // A row left empty is not a property; a value without a name is a mistake.
    if (name === '' && value === '') continue;
    if (name === '') return { ok: false, problem: `The user property with value "${value}" has no name.` };
    pairs.push([name, value]);
  }
  if (pairs.length > 0) out.userProperties = pairs;
  if (draft.contentType !== '') out.contentType = draft.contentType;
  if (draft.payloadIsUtf8) out.payloadFormatIndicator = true;
  const expiry = wholeNumber(draft.messageExpiry, 'Message expiry (s)');
  if (typeof expiry === 'string') return { ok: false, problem: expiry };
  if (expiry !== null) out.messageExpiryInterval = expiry;
  const alias = wholeNumber(draft.topicAlias, 'Topic alias');
  if (typeof alias === 'string') return { ok: false, problem: alias };
  if (alias !== null) out.topicAlias = alias;
  if (draft.responseTopic !== '') out.responseTopic = draft.responseTopic;
  if (draft.correlationData !== '') {
    if (draft.correlationFormat === 'hex') {
      const bytes = hexToBytes(draft.correlationData);
      if (!bytes.ok) return { ok: false, problem: `Correlation data: ${bytes.problem}` };
      out.correlationData = bytes.bytes;
    } else {
      out.correlationData = utf8.encode(draft.correlationData);
    }
  }
  if (Object.keys(out).length === 0) return { ok: true, value: undefined };
  const checked = publishPropertiesSchema.safeParse(out);
  return checked.success ? { ok: true, value: checked.data } : { ok: false, problem: checked.error.issues[0]?.message ?? 'A property is not valid.' };
}

/** A field's whole number, null when empty, or what is wrong with it. */
function wholeNumber(text: string, label: string): number | null | string {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d+$/.test(trimmed)) return `${label} must be a whole number; "${trimmed}" is not.`;
  return Number(trimmed);
}
