/**
 * Variables in a topic or payload template, expanded when a message is made:
 *
 *   {{timestamp}}        milliseconds since the epoch      1764381600000
 *   {{iso}}              the same instant, ISO 8601 (UTC)  2025-11-29T02:00:00.000Z
 *   {{uuid}}             a random UUID (version 4)
 *   {{counter}}          this form's count of publishes, from 1
 *   {{random(min,max)}}  a whole number from min to max, both included
 *   {{clientId}}         the connection's client ID
 *
 * One message sees one instant, one UUID and one counter value wherever they appear
 * (its topic and payload agree); each {{random(…)}} draws anew. Spaces inside the
 * braces are allowed. Pure: the clock, the UUID and the random numbers are given.
 */
import { bytesToHex } from '../inspect/decode/decoded-json';

/** Everything a template may refer to, for one message. */
export interface VariableContext {
  /** The message's instant, in ms since the epoch. */
  now: number;
  uuid: string;
  counter: number;
  clientId: string;
  /** A number in [0, 1), drawn once per {{random(…)}}. */
  random: () => number;
}

export type Expansion = { ok: true; text: string } | { ok: false; problem: string };

export const VARIABLE_NAMES = ['timestamp', 'iso', 'uuid', 'counter', 'random(min,max)', 'clientId'] as const;

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const RANDOM = /^random\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)$/;

/** Whether the text holds anything that looks like a variable (the form previews only then). */
export function hasVariables(text: string): boolean {
  return text.includes('{{');
}

/** The template with every variable replaced, or what is wrong with it (every unknown name listed). */
export function expandVariables(template: string, context: VariableContext): Expansion {
  if (!hasVariables(template)) return { ok: true, text: template };
  const unknown = new Set<string>();
  const problems: string[] = [];
  const text = template.replace(VARIABLE, (whole, name: string) => {
    const value = valueOf(name, context);
    if (typeof value === 'string') return value;
    if (value.problem) problems.push(value.problem);
    else unknown.add(whole.replace(/\s+/g, ''));
    return whole;
  });
  if (unknown.size > 0) {
    const names = [...unknown].join(', ');
    problems.unshift(`Unknown ${unknown.size === 1 ? 'variable' : 'variables'} ${names}; the known ones are ${VARIABLE_NAMES.map((n) => `{{${n}}}`).join(', ')}.`);
  }
  return problems.length > 0 ? { ok: false, problem: problems.join(' ') } : { ok: true, text };
}

function valueOf(name: string, context: VariableContext): string | { problem: string | null } {
  switch (name) {
    case 'timestamp':
      return String(context.now);
    case 'iso':
      return new Date(context.now).toISOString();
    case 'uuid':
      return context.uuid;
    case 'counter':
      return String(context.counter);
    case 'clientId':
      return context.clientId;
  }
  const random = RANDOM.exec(name);
  if (!random) return { problem: name.startsWith('random') ? `{{${name}}} is not a random range: write {{random(1,100)}}, whole numbers.` : null };
  const min = Number(random[1]);
  const max = Number(random[2]);
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max)) return { problem: `{{${name}}}: the bounds must be whole numbers within ±9,007,199,254,740,991.` };
  if (min > max) return { problem: `{{${name}}}: the minimum ${min} is above the maximum ${max}.` };
  return String(min + Math.floor(context.random() * (max - min + 1)));
}

/** A version 4 UUID from 16 random bytes (crypto.randomUUID needs a secure context; browser mode may not be one). */
export function uuidV4(random: Uint8Array): string {
  if (random.byteLength < 16) throw new RangeError('A UUID takes 16 random bytes.');
  const bytes = random.slice(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytesToHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
