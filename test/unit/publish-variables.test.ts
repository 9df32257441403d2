/** Variables in the publish form's topic and payload, expanded with a given clock, UUID and random numbers. */
import { describe, expect, it } from 'vitest';
import { expandVariables, uuidV4, type VariableContext } from '../../shared/publish/publish-variables';

function context(overrides: Partial<VariableContext> = {}): VariableContext {
  return { now: Date.UTC(2025, 10, 29, 2, 0, 0, 123), uuid: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', counter: 7, clientId: 'ts_lab', random: () => 0.5, ...overrides };
}

const expand = (template: string, overrides?: Partial<VariableContext>): string => {
  const result = expandVariables(template, context(overrides));
  if (!result.ok) throw new Error(result.problem);
  return result.text;
};

describe('publish variables', () => {
  it('expands each variable; one message sees one instant, UUID and counter wherever they appear', () => {
    expect(expand('{{timestamp}} {{iso}} {{uuid}} {{counter}} {{clientId}}')).toBe(
      '1764381600123 2025-11-29T02:00:00.123Z 0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a 7 ts_lab',
    );
    expect(expand('{{ uuid }}/{{uuid}}')).toBe('0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a/0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a');
  });

  it('random(min,max) is a whole number with both bounds included, drawn anew each time', () => {
    const draws = [0, 0.999999, 0.5];
    expect(expand('{{random(1,6)}} {{random(1,6)}} {{random(-10, 10)}}', { random: () => draws.shift() ?? 0 })).toBe('1 6 0');
    expect(expand('{{random(5,5)}}')).toBe('5');
  });

  it('leaves text without variables as it is, JSON braces included', () => {
    expect(expand('{"a": {"b": 1}}')).toBe('{"a": {"b": 1}}');
  });

  it('names every unknown variable, once each', () => {
    const result = expandVariables('{{time}} {{ foo }} {{time}} {{counter}}', context());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toMatch(/^Unknown variables \{\{time\}\}, \{\{foo\}\}; the known ones are \{\{timestamp\}\}, \{\{iso\}\}/);
  });

  it('refuses a random range that is upside down or not whole numbers', () => {
    expect(expandVariables('{{random(9,1)}}', context())).toEqual({ ok: false, problem: '{{random(9,1)}}: the minimum 9 is above the maximum 1.' });
    expect(expandVariables('{{random(1.5,2)}}', context())).toEqual({ ok: false, problem: '{{random(1.5,2)}} is not a random range: write {{random(1,100)}}, whole numbers.' });
  });

  it('makes version 4 UUIDs from random bytes', () => {
    expect(uuidV4(new Uint8Array(16).fill(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(uuidV4(new Uint8Array(16))).toMatch(/^00000000-0000-4000-8000-000000000000$/);
  });
});
