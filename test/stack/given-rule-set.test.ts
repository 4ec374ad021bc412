import { describe, expect, it } from 'vitest';
import type { RuleSet } from '../../sandbox/rules/rule-set.js';
import { ruleSetOf } from '../../sandbox/stack/given-rule-set.js';

const rules = { alerts: [], records: [] } as unknown as RuleSet;

describe('ruleSetOf', () => {
  it('gives the rule set read from the same files', () => {
    expect(ruleSetOf({ files: ['a.yaml', 'b.yaml'], rules }, ['a.yaml', 'b.yaml'])).toBe(rules);
  });

  it('gives nothing for other files, other orders, more or fewer, or none given', () => {
    expect(ruleSetOf({ files: ['a.yaml', 'b.yaml'], rules }, ['a.yaml', 'c.yaml'])).toBeUndefined();
    expect(ruleSetOf({ files: ['a.yaml', 'b.yaml'], rules }, ['b.yaml', 'a.yaml'])).toBeUndefined();
    expect(ruleSetOf({ files: ['a.yaml'], rules }, ['a.yaml', 'b.yaml'])).toBeUndefined();
    expect(ruleSetOf({ files: ['a.yaml', 'b.yaml'], rules }, ['a.yaml'])).toBeUndefined();
    expect(ruleSetOf(undefined, ['a.yaml'])).toBeUndefined();
  });
});
