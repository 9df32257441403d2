import { describe, expect, it } from 'vitest';
import {
  MAX_TOPIC_BYTES,
  hasWildcard,
  topicFilterProblem,
  topicLevels,
  topicMatchesFilter,
  topicNameProblem,
} from '../../shared/mqtt/mqtt-topic';
import { seededRandom } from '../support/seeded-random';

describe('topicNameProblem', () => {
  it('refuses an empty topic with a message saying so', () => {
    expect(topicNameProblem('')).toMatch(/empty/);
  });

  it.each(['+', '#', 'a/+/c', 'a/#', 'a+b', 'sensors#'])('refuses the wildcard character in %j', (topic) => {
    expect(topicNameProblem(topic)).toMatch(/wildcards are only allowed when subscribing/);
  });

  it('refuses a NUL character anywhere in the topic, saying where', () => {
    expect(topicNameProblem('a/\u0000/b')).toBe('The topic contains an invisible control character (U+0000) at position 3: retype it.');
    expect(topicNameProblem('\u0000')).toBe('The topic contains an invisible control character (U+0000) at position 1: retype it.');
  });

  it.each([
    ['a tab', 'a\tb', 'U+0009'],
    ['a line break', 'a/b\n', 'U+000A'],
    ['DEL', 'a\u007Fb', 'U+007F'],
    ['a C1 control', 'a\u0085b', 'U+0085'],
  ])('refuses %s the user typed, which MQTT says should not appear', (_, topic, codePoint) => {
    expect(topicNameProblem(topic)).toContain(`invisible control character (${codePoint})`);
    expect(topicFilterProblem(topic)).toContain(`invisible control character (${codePoint})`);
  });

  it('accepts bidi and zero-width characters, which MQTT allows in topics (right-to-left names)', () => {
    expect(topicNameProblem('sensors/\u202Bحرارة\u202C/\u200Fvalue')).toBeNull();
    expect(topicNameProblem('a/\u200Bb/\uFEFF')).toBeNull();
    expect(topicFilterProblem('\u2067home\u2069/+/#')).toBeNull();
  });

  it('accepts exactly 65,535 bytes and refuses 65,536 (ASCII)', () => {
    expect(MAX_TOPIC_BYTES).toBe(65_535);
    expect(topicNameProblem('a'.repeat(65_535))).toBeNull();
    const problem = topicNameProblem('a'.repeat(65_536));
    expect(problem).toMatch(/65,536 bytes/);
    expect(problem).toMatch(/65,535/);
  });

  it('counts UTF-8 bytes, not characters: 3-byte characters', () => {
    // "€" is 3 bytes in UTF-8: 21,845 of them are 65,535 bytes, 21,846 are 65,538.
    expect(topicNameProblem('€'.repeat(21_845))).toBeNull();
    expect(topicNameProblem('€'.repeat(21_846))).toMatch(/65,538 bytes/);
  });

  it('counts UTF-8 bytes, not characters: 2-byte characters', () => {
    // 32,768 characters is far below 65,535 characters but is 65,536 bytes.
    expect(topicNameProblem('é'.repeat(32_768))).toMatch(/65,536 bytes/);
    expect(topicNameProblem('é'.repeat(32_767) + 'a')).toBeNull();
  });

  it('counts UTF-8 bytes, not characters: 4-byte characters (surrogate pairs)', () => {
    expect(topicNameProblem('😀'.repeat(16_383) + 'abc')).toBeNull(); // 65,532 + 3
    expect(topicNameProblem('😀'.repeat(16_384))).toMatch(/65,536 bytes/);
  });

  it.each(['/', '//', ' ', 'a/ b', 'température/salle/°C', '日本/東京', '$SYS/broker/uptime', 'a//b', '/leading', 'trailing/'])(
    'accepts the valid topic %j',
    (topic) => {
      expect(topicNameProblem(topic)).toBeNull();
    },
  );
});

describe('topicFilterProblem', () => {
  it.each(['a/#', 'a/+/c', '#', '+', '+/+', '/#', '+/#', '$SYS/#', 'a/b', '/', 'a//+'])('accepts %j', (filter) => {
    expect(topicFilterProblem(filter)).toBeNull();
  });

  it.each(['a/#/b', 'a#', '#/a', '##', 'a/b#', 'a/#/'])('refuses "#" that is not the whole last level: %j', (filter) => {
    expect(topicFilterProblem(filter)).toMatch(/"#" must be a whole level and the last one/);
  });

  it.each(['a+', '+a', 'a/b+/c', '++'])('refuses "+" that is not a whole level: %j', (filter) => {
    expect(topicFilterProblem(filter)).toMatch(/"\+" must be a whole level/);
  });

  it('refuses empty, NUL and oversize filters with a message about the filter', () => {
    expect(topicFilterProblem('')).toMatch(/The filter is empty/);
    expect(topicFilterProblem('a/\u0000')).toBe('The filter contains an invisible control character (U+0000) at position 3: retype it.');
    expect(topicFilterProblem('a'.repeat(65_535))).toBeNull();
    expect(topicFilterProblem('a'.repeat(65_536))).toMatch(/The filter is 65,536 bytes/);
  });
});

describe('hasWildcard', () => {
  it('is true only when "+" or "#" appears', () => {
    expect(hasWildcard('a/+/c')).toBe(true);
    expect(hasWildcard('a/#')).toBe(true);
    expect(hasWildcard('a/b/c')).toBe(false);
    expect(hasWildcard('$SYS/broker')).toBe(false);
  });
});

describe('topicLevels', () => {
  it('splits at every "/", keeping empty levels', () => {
    expect(topicLevels('/a//b/')).toEqual(['', 'a', '', 'b', '']);
    expect(topicLevels('/')).toEqual(['', '']);
    expect(topicLevels('a')).toEqual(['a']);
    expect(topicLevels('$SYS/broker/uptime')).toEqual(['$SYS', 'broker', 'uptime']);
  });
});

describe('topicMatchesFilter (table)', () => {
  const cases: Array<[filter: string, topic: string, expected: boolean]> = [
    // exact
    ['a/b/c', 'a/b/c', true],
    ['a/b/c', 'a/b', false],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b/d', false],
    ['A/b', 'a/b', false],
    // "+" fills exactly one level, including empty ones
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a//c', true],
    ['a/+', 'a/b', true],
    ['a/+', 'a/', true],
    ['a/+', 'a', false],
    ['a/+', 'a/b/c', false],
    ['+', 'a', true],
    ['+', '/', false],
    ['+/+', '/', true],
    ['+/+', 'a/b', true],
    ['+/+', 'a', false],
    ['/+', '/a', true],
    ['/+', 'a', false],
    // "#" matches the parent and everything below
    ['#', 'a', true],
    ['#', 'a/b/c', true],
    ['#', '/', true],
    ['a/#', 'a', true],
    ['a/#', 'a/', true],
    ['a/#', 'a/b', true],
    ['a/#', 'a/b/c/d', true],
    ['a/#', 'ab', false],
    ['a/#', 'b/a', false],
    ['a/b/#', 'a', false],
    ['+/#', 'a', true],
    ['/#', '/', true],
    ['/#', 'a', false],
    // leading and trailing slashes are levels of their own
    ['/a', '/a', true],
    ['/a', 'a', false],
    ['a', '/a', false],
    ['a/', 'a', false],
    ['a', 'a/', false],
    ['a/b/', 'a/b', false],
    ['a/b', 'a/b/', false],
    // "$" topics (spec 4.7.2)
    ['#', '$SYS/broker/uptime', false],
    ['+/broker/uptime', '$SYS/broker/uptime', false],
    ['+/#', '$SYS/broker', false],
    ['+', '$SYS', false],
    ['$SYS/#', '$SYS/broker/uptime', true],
    ['$SYS/#', '$SYS', true],
    ['$SYS/+/uptime', '$SYS/broker/uptime', true],
    ['$SYS/broker/uptime', '$SYS/broker/uptime', true],
    ['$SYS/#', 'SYS/broker', false],
    ['a/$SYS', 'a/$SYS', true],
    ['a/+', 'a/$SYS', true],
  ];

  it.each(cases)('filter %j vs topic %j → %s', (filter, topic, expected) => {
    expect(topicFilterProblem(filter)).toBeNull();
    expect(topicNameProblem(topic)).toBeNull();
    expect(topicMatchesFilter(filter, topic)).toBe(expected);
  });
});

/** The spec's algorithm, written as plainly as possible with arrays. */
function referenceMatch(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Every "/"-joined sequence of 1..maxLevels levels drawn from the alphabet. */
function joinAll(alphabet: readonly string[], maxLevels: number): string[] {
  const out: string[] = [];
  let layer: string[][] = [[]];
  for (let n = 1; n <= maxLevels; n++) {
    layer = layer.flatMap((prefix) => alphabet.map((level) => [...prefix, level]));
    for (const levels of layer) out.push(levels.join('/'));
  }
  return out;
}


describe('topicMatchesFilter (cross-check against a split-based reference)', () => {
  const topicLevelsAlphabet = ['', 'a', 'b', '$SYS', '$x'] as const;
  const filterLevelsAlphabet = ['', 'a', 'b', '+', '$SYS'] as const;

  it('agrees with the reference on every topic and filter of up to 4 levels', () => {
    const topics = joinAll(topicLevelsAlphabet, 4).filter((t) => t !== '');
    const plainFilters = joinAll(filterLevelsAlphabet, 3).filter((f) => f !== '');
    const filters = ['#', ...plainFilters, ...plainFilters.map((f) => `${f}/#`)];
    for (const t of topics) expect(topicNameProblem(t)).toBeNull();
    for (const f of filters) expect(topicFilterProblem(f)).toBeNull();

    const mismatches: string[] = [];
    let matches = 0;
    let nonMatches = 0;
    for (const filter of filters) {
      for (const topic of topics) {
        const expected = referenceMatch(filter, topic);
        if (expected) matches++;
        else nonMatches++;
        if (topicMatchesFilter(filter, topic) !== expected) {
          mismatches.push(`${JSON.stringify(filter)} vs ${JSON.stringify(topic)}: expected ${expected}`);
        }
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    // The generated set exercises both outcomes in bulk, so the check is not vacuous.
    expect(matches).toBeGreaterThan(5_000);
    expect(nonMatches).toBeGreaterThan(5_000);
  });

  it('agrees with the reference on random longer topics and filters derived from them', () => {
    const random = seededRandom(20_240_601);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const levelPool = ['', 'a', 'b', 'c', 'sensor', 'temp', '$SYS', ' ', 'é'] as const;
    const mismatches: string[] = [];
    let matches = 0;
    for (let i = 0; i < 5_000; i++) {
      const depth = 1 + Math.floor(random() * 8);
      const levels: string[] = Array.from({ length: depth }, () => pick(levelPool));
      const topic = levels.join('/');
      if (topic === '') continue;
      // A filter derived from the topic (so matches are common), then mutated.
      const filterLevels: string[] = levels.map((level) => {
        const r = random();
        if (r < 0.25) return '+';
        if (r < 0.35) return pick(levelPool);
        return level;
      });
      const cut = random();
      if (cut < 0.3) {
        filterLevels.splice(Math.floor(random() * (filterLevels.length + 1)), Infinity, '#');
      } else if (cut < 0.4) {
        filterLevels.push(pick(levelPool));
      } else if (cut < 0.5 && filterLevels.length > 1) {
        filterLevels.pop();
      }
      const filter = filterLevels.join('/');
      if (topicFilterProblem(filter) !== null) continue;
      const expected = referenceMatch(filter, topic);
      if (expected) matches++;
      if (topicMatchesFilter(filter, topic) !== expected) {
        mismatches.push(`${JSON.stringify(filter)} vs ${JSON.stringify(topic)}: expected ${expected}`);
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(matches).toBeGreaterThan(500);
  });
});
