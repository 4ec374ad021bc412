import { UserError } from '../../generators/model/errors.js';
import type { Scenario } from '../scenario/schema.js';
import { alertFiles, clashLine, ruleClashes, shownPath, type RuleSet } from './rule-set.js';

/**
 * Fails, one line per clash, when a name is defined in more than one loaded rule file and nothing says which
 * rule is meant: a recording rule always (both write the same series); an alert unless the project file names
 * its file, or the expectations that name it all do (their `rule_file` was settled when they loaded).
 */
export function assertRulesDistinct(
  rules: RuleSet,
  scenarios: readonly Scenario[],
  projectAlerts: Readonly<Record<string, string>> = {},
): void {
  for (const [alert, file] of Object.entries(projectAlerts)) {
    const defining = alertFiles(rules, alert);
    if (defining.length > 0 && !defining.includes(file)) {
      throw new UserError(
        `project file: alerts.${alert}: ${shownPath(file)} does not define alert ${alert}; it is defined in ${defining.map(shownPath).join(', ')}`,
      );
    }
  }
  const lines = ruleClashes(rules)
    .filter((clash) => {
      if (clash.kind === 'record') return true;
      if (projectAlerts[clash.name] !== undefined) return false;
      const naming = scenarios.flatMap((s) => s.expect).filter((e) => e.alert === clash.name);
      return naming.length === 0 || naming.some((e) => e.rule_file === undefined);
    })
    .map(clashLine);
  if (lines.length > 0) throw new UserError(lines.join('\n'));
}
