import { describe, expect, it } from 'vitest';
import { describePlace, RuleFilePlaces } from '../../sandbox/rules/rule-file-places.js';

const TEXT = `groups:
  - name: first
    interval: 30s
    rules:
      - record: r:sum
        expr: sum(up)
      - alert: Down
        expr: up == 0
        for: 5m
        labels:
          severity: page
  - name: first
    rules: []
`;

describe('RuleFilePlaces', () => {
  const places = new RuleFilePlaces(TEXT);

  it('counts the rules of every group', () => {
    expect(places.ruleCount()).toBe(2);
    expect(new RuleFilePlaces('').ruleCount()).toBe(0);
    expect(new RuleFilePlaces('groups:\n').ruleCount()).toBe(0);
    expect(new RuleFilePlaces('- just\n- a list\n').ruleCount()).toBe(0);
  });

  it('names the group and rule of a line, as promtool does', () => {
    expect(places.atLine(11)).toEqual({ line: 11, col: 11, context: 'group "first", rule 2, "Down"' });
    expect(places.atLine(5)).toEqual({ line: 5, col: 9, context: 'group "first", rule 1, "r:sum"' });
    expect(places.atLine(3)).toEqual({ line: 3, col: 5, context: 'group "first"' });
    expect(places.atLine(99)).toBeUndefined();
  });

  it('finds the n-th group of a name', () => {
    expect(places.groupName('first', 2)).toMatchObject({ line: 12, col: 11 });
    expect(places.groupName('first', 3)).toBeUndefined();
  });

  it('lists the duration fields with their places', () => {
    expect(places.durations().map((d) => `${describePlace('f.yml', d.place)}: ${d.field}=${d.text}`)).toEqual(
      ['f.yml:3:5: group "first": interval=30s', 'f.yml:9:9: group "first", rule 2, "Down": for=5m'],
    );
  });
});
