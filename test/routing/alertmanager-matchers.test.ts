import { describe, expect, it } from 'vitest';
import { matchesAll, parseMatchers } from '../../sandbox/routing/alertmanager-matchers.js';

const pick = (text: string) => parseMatchers(text).map(({ name, op, value }) => [name, op, value]);

describe('parseMatchers (Alertmanager matchers syntax)', () => {
  it('reads the four operators, quoted or not, one or several, in braces or not', () => {
    expect(pick('severity="critical"')).toEqual([['severity', '=', 'critical']]);
    expect(pick('team != ops')).toEqual([['team', '!=', 'ops']]);
    expect(pick('{service=~"api|web", env!~"dev.*"}')).toEqual([
      ['service', '=~', 'api|web'],
      ['env', '!~', 'dev.*'],
    ]);
    expect(pick('"odd name"="a \\"quoted\\" \\\\ value, with comma"')).toEqual([
      ['odd name', '=', 'a "quoted" \\ value, with comma'],
    ]);
    expect(pick('empty=""')).toEqual([['empty', '=', '']]);
  });

  it('refuses what is not a matcher, saying what it expected', () => {
    expect(() => parseMatchers('severity')).toThrow(/expected name="value".* in "severity"/);
    expect(() => parseMatchers('a="b" c="d"')).toThrow(/expected a comma after a="b"/);
    expect(() => parseMatchers('a="b')).toThrow(/unterminated quoted string/);
    expect(() => parseMatchers('a=~"("')).toThrow(/a=~"\(": invalid regular expression/);
  });

  it('matches as Alertmanager does: anchored regexes, a missing label is the empty value', () => {
    const labels = { severity: 'critical', service: 'api' };
    expect(matchesAll(parseMatchers('service=~"ap"'), labels)).toBe(false);
    expect(matchesAll(parseMatchers('service=~"ap.*"'), labels)).toBe(true);
    expect(matchesAll(parseMatchers('service!~"web|db", severity="critical"'), labels)).toBe(true);
    expect(matchesAll(parseMatchers('team=""'), labels)).toBe(true);
    expect(matchesAll(parseMatchers('team!="ops"'), labels)).toBe(true);
    expect(matchesAll(parseMatchers('team=~".+"'), labels)).toBe(false);
  });
});
