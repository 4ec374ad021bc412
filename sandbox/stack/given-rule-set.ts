import type { RuleSet } from '../rules/rule-set.js';

/** A rule set read before the start (`start`, for its history warnings), with the files it was read from. */
export interface GivenRuleSet {
  files: readonly string[];
  rules: RuleSet;
}

/** The given rule set when it was read from exactly `files` (same order), so need not be parsed again. */
export function ruleSetOf(given: GivenRuleSet | undefined, files: readonly string[]): RuleSet | undefined {
  if (!given || given.files.length !== files.length) return undefined;
  return given.files.every((file, i) => file === files[i]) ? given.rules : undefined;
}
