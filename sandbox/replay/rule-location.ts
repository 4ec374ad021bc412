import type { RuleSet } from '../rules/rule-set.js';
import type { ExpectationResult } from './judge.js';

/**
 * Adds where the rule each result was judged on is written (`file:line:col`). Of several rules of one name
 * in one file (a warning and a critical threshold), the one whose labels the fired alert (or else the
 * expectation's labels) carries; the first when none tells them apart.
 */
export function locateRules(
  results: readonly ExpectationResult[],
  rules: RuleSet,
  expectedLabels: readonly (Readonly<Record<string, string>> | undefined)[] = [],
): ExpectationResult[] {
  return results.map((result, i) => {
    if (result.ruleFile === undefined) return result;
    const own = rules.alerts.filter((r) => r.alert === result.alert && r.file === result.ruleFile);
    const labels = result.fired?.labels ?? expectedLabels[i] ?? {};
    const carried = own.filter((r) =>
      Object.entries(r.labels).every(([k, v]) => labels[k] === undefined || labels[k] === v),
    );
    const rule = carried[0] ?? own[0];
    return rule ? { ...result, ruleWhere: rule.where } : result;
  });
}
