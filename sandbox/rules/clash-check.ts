import { UserError } from '../../generators/user-error.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { alertFiles, clashLine, ruleClashes, shownPath, type RuleClash, type RuleSet } from './rule-set.js';

/**
 * The clashes of every given rule set (one per scenario: rules of systems never loaded together do not
 * clash), each once.
 */
export function clashesOf(ruleSets: readonly RuleSet[]): RuleClash[] {
  const seen = new Map<string, RuleClash>();
  for (const clash of ruleSets.flatMap(ruleClashes)) {
    const key = `${clash.kind}\0${clash.name}\0${clash.definitions.map((d) => d.file).join('\0')}`;
    if (!seen.has(key)) seen.set(key, clash);
  }
  return [...seen.values()];
}

/**
 * Fails, one line per clash, when a name is defined in more than one loaded rule file and nothing says which
 * rule is meant: a recording rule always (both write the same series); an alert unless the project file names
 * its file, or the expectations that name it all do (their `rule_file` was settled when they loaded).
 */
export function assertRulesDistinct(
  rules: RuleSet | readonly RuleSet[],
  scenarios: readonly Scenario[],
  projectAlerts: Readonly<Record<string, string>> = {},
): void {
  const ruleSets = 'files' in rules ? [rules] : rules;
  for (const [alert, file] of Object.entries(projectAlerts)) {
    const defining = [...new Set(ruleSets.flatMap((rules) => alertFiles(rules, alert)))];
    if (defining.length > 0 && !defining.includes(file)) {
      throw new UserError(
        `project file: alerts.${alert}: ${shownPath(file)} does not define alert ${alert}; it is defined in ${defining.map(shownPath).join(', ')}`,
      );
    }
  }
  const lines = clashesOf(ruleSets)
    .filter((clash) => {
      if (clash.kind === 'record') return true;
      if (projectAlerts[clash.name] !== undefined) return false;
      const naming = scenarios.flatMap((s) => s.expect).filter((e) => e.alert === clash.name);
      return naming.length === 0 || naming.some((e) => e.rule_file === undefined);
    })
    .map(clashLine);
  if (lines.length > 0) throw new UserError(lines.join('\n'));
}
