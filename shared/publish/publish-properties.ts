/**
 * The MQTT 5 properties a publish may carry, as the `message:publish` command takes them
 * (already concrete: numbers, bytes), with the limits of the MQTT 5 specification
 * (section 3.3.2.3) checked in the core before mqtt.js sees them.
 */
import { z } from 'zod';
import { utf8ByteLength } from '../inspect/payload-format';
import { topicNameProblem } from '../mqtt/mqtt-topic';

/** Most user properties one publish carries (the form's limit; MQTT's is the packet size). */
export const MAX_USER_PROPERTIES = 100;
/** MQTT strings and binary data carry a two-byte length: at most 65,535 bytes. */
export const MAX_MQTT_STRING_BYTES = 65_535;
/** The message expiry interval is a four-byte integer, in seconds. */
export const MAX_MESSAGE_EXPIRY_S = 4_294_967_295;
/** Topic aliases are two-byte integers; 0 is not allowed. */
export const MAX_TOPIC_ALIAS = 65_535;

/** A UTF-8 string field of MQTT: at most 65,535 bytes, no U+0000 (MQTT 5 section 1.5.4). */
function mqttString(what: string) {
  return z.string().superRefine((value, ctx) => {
    if (value.includes('\u0000')) ctx.addIssue({ code: 'custom', message: `The ${what} contains the character U+0000, which MQTT forbids.` });
    else if (value.length * 3 > MAX_MQTT_STRING_BYTES && utf8ByteLength(value) > MAX_MQTT_STRING_BYTES) {
      ctx.addIssue({ code: 'custom', message: `The ${what} is longer than 65,535 bytes, the most MQTT allows.` });
    }
  });
}

export const publishPropertiesSchema = z.object({
  /** Name-value pairs in order; names may repeat. */
  userProperties: z
    .array(z.tuple([mqttString('user property name'), mqttString('user property value')]))
    .max(MAX_USER_PROPERTIES, `At most ${MAX_USER_PROPERTIES} user properties are sent with one message.`)
    .optional(),
  contentType: mqttString('content type').optional(),
  /** true: the payload is UTF-8 text (indicator 1); false or absent: unspecified bytes. */
  payloadFormatIndicator: z.boolean().optional(),
  /** Seconds the broker keeps the message for subscribers that have not received it yet. */
  messageExpiryInterval: z
    .number()
    .int('The message expiry is a whole number of seconds.')
    .min(0, 'The message expiry cannot be negative.')
    .max(MAX_MESSAGE_EXPIRY_S, `The message expiry is at most ${MAX_MESSAGE_EXPIRY_S.toLocaleString('en-US')} seconds.`)
    .optional(),
  /** 1 to the broker's Topic Alias Maximum (the session checks that part). */
  topicAlias: z.number().int('A topic alias is a whole number.').min(1, 'A topic alias is at least 1.').max(MAX_TOPIC_ALIAS, `A topic alias is at most ${MAX_TOPIC_ALIAS.toLocaleString('en-US')}.`).optional(),
  responseTopic: z
    .string()
    .superRefine((value, ctx) => {
      const problem = topicNameProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `Response topic: ${problem}` });
    })
    .optional(),
  correlationData: z
    .custom<Uint8Array>((value) => value instanceof Uint8Array, 'The correlation data must be bytes.')
    .refine((value) => value.byteLength <= MAX_MQTT_STRING_BYTES, 'The correlation data is longer than 65,535 bytes, the most MQTT allows.')
    .optional(),
});

/** Concrete MQTT 5 publish properties: what the core passes on to mqtt.js. */
export type PublishProperties = z.output<typeof publishPropertiesSchema>;

/**
 * mqtt.js's form of user properties: one key per name, repeated names as an array. It
 * keeps the order of each name's values and the names in the order they first appear
 * (integer-like names excepted: JavaScript objects list those first); pairs whose names
 * interleave (a, b, a) go out grouped (a, a, b), since mqtt-packet writes them key by key.
 */
export function userPropertiesObject(pairs: readonly (readonly [string, string])[]): Record<string, string | string[]> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  }
  // No prototype: a property named "__proto__" is a name like any other, not a prototype to set.
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [name, values] of grouped) out[name] = values.length === 1 ? values[0]! : values;
  return out;
}
