/**
 * Characters that don't show but change what a value means or how it reads: control
 * characters (`localhost\u0000.broker.example` is shown as one host and connects to
 * another), bidi controls (U+202E turns "moc.elpmaxe" into what looks like
 * "example.com") and zero-width characters. One helper, used by every schema field a
 * user types or an import fills, so each says the same thing. Pure: no DOM, no Node.
 */

/** C0 controls, DEL and C1 controls. MQTT forbids U+0000 and says the rest SHOULD NOT appear (1.5.4 / 1.5.3). */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's job.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
/** Arabic letter mark, LRM/RLM, the embeddings and overrides, and the isolates. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/** Zero-width space, non-joiner, joiner and the byte order mark (zero-width no-break space). */
const ZERO_WIDTH = /[\u200B-\u200D\uFEFF]/;

const EVERY_KIND = new RegExp(`${CONTROL.source}|${BIDI.source}|${ZERO_WIDTH.source}`, 'g');

/**
 * Which kinds a field refuses. Host names, user names, client IDs, profile names and file
 * paths refuse all of them; topics the user types refuse only control characters, since
 * bidi characters are legal MQTT and do occur in topics (right-to-left text).
 */
export type InvisibleKinds = 'all' | 'control';

function kindOf(char: string): 'control' | 'bidi' | 'zero-width' | null {
  if (CONTROL.test(char)) return 'control';
  if (BIDI.test(char)) return 'bidi';
  if (ZERO_WIDTH.test(char)) return 'zero-width';
  return null;
}

const KIND_TEXT = {
  control: 'an invisible control character',
  bidi: 'an invisible text-direction character',
  'zero-width': 'an invisible zero-width character',
} as const;

/** `U+202E`: how a character is named in messages. */
export function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why `value` can't be used, naming the first offending character, its code point and
 * its 1-based position (`The host contains an invisible control character (U+0000) at
 * position 10: retype it.`); null when it is clean. `fieldLabel` starts the sentence
 * after "The": `host`, `user name`, `CA file path`.
 */
export function controlCharacterProblem(value: string, fieldLabel: string, kinds: InvisibleKinds = 'all'): string | null {
  // Code units, not code points: every character checked here is a single code unit,
  // and the position counts what a user sees when moving the cursor in a text field.
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    const kind = kindOf(char);
    if (kind === null || (kinds === 'control' && kind !== 'control')) continue;
    return `The ${fieldLabel} contains ${KIND_TEXT[kind]} (${codePointName(char)}) at position ${i + 1}: retype it.`;
  }
  return null;
}

/**
 * `value` with every invisible character written out as `<U+202E>`, for messages that
 * quote a value the user did not type here (an imported or stored profile's name), so
 * the message itself cannot be reordered or disguised.
 */
export function showInvisible(value: string): string {
  return value.replace(EVERY_KIND, (char) => `<${codePointName(char)}>`);
}
