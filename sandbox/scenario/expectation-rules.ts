import { basename, dirname, resolve } from 'node:path';
import { didYouMean, UserError } from '../../generators/user-error.js';
import { alertFiles, shownPath, shownWhere, type RuleSet } from '../rules/rule-set.js';
import type { Expectation } from './scenario-schema.js';
import { fieldPath, type YamlSource } from './source-map.js';

/** A rule label the rule sets itself, with no template: the only value its alerts can carry. */
const staticValue = (value: string | undefined) =>
  value !== undefined && !value.includes('{{') ? value : undefined;

/**
 * Settles which rule file an expectation means and records it in `rule_file` (an absolute path): the one it
 * names (relative to the scenario file, or a base name), else the project file's choice, else the only file
 * that defines the alert. Left unset when several files define it and nothing says which: the run reports
 * that clash. Then checks its labels against the labels those rules set statically.
 */
export function checkExpectationRules(
  e: Expectation,
  i: number,
  source: YamlSource,
  rules: RuleSet,
  projectAlerts: Readonly<Record<string, string>> = {},
): void {
  const fail = (path: PropertyKey[], message: string): never => {
    throw new UserError(`${source.position(path)}: ${fieldPath(path)}: ${message}`);
  };
  const defining = alertFiles(rules, e.alert);
  if (e.rule_file !== undefined) {
    const given = e.rule_file;
    const exact = resolve(dirname(source.file), given);
    const matches = rules.files.includes(exact) ? [exact] : rules.files.filter((f) => basename(f) === given);
    if (matches.length === 0) {
      const names = rules.files.map((f) => basename(f));
      fail(
        ['expect', i, 'rule_file'],
        `no loaded rule file is ${given}${didYouMean(given, names)}; the loaded ones: ${names.join(', ')}`,
      );
    }
    if (matches.length > 1) {
      fail(
        ['expect', i, 'rule_file'],
        `${given} names ${matches.length} loaded files (${matches.map(shownPath).join(', ')}); give a path relative to the scenario file`,
      );
    }
    if (!defining.includes(matches[0]!)) {
      fail(
        ['expect', i, 'rule_file'],
        `${shownPath(matches[0]!)} does not define alert ${e.alert}; it is defined in ${defining.map(shownPath).join(', ')}`,
      );
    }
    e.rule_file = matches[0]!;
  } else {
    const chosen = projectAlerts[e.alert];
    if (chosen !== undefined && defining.includes(chosen)) e.rule_file = chosen;
    else if (defining.length === 1) e.rule_file = defining[0]!;
  }
  const own = rules.alerts.filter(
    (r) => r.alert === e.alert && (e.rule_file === undefined || r.file === e.rule_file),
  );
  for (const [label, value] of Object.entries(e.labels ?? {})) {
    const values = own.map((r) => staticValue(r.labels[label]));
    if (own.length === 0 || values.some((v) => v === undefined)) continue;
    const possible = [...new Set(values as string[])];
    if (possible.includes(value)) continue;
    fail(
      ['expect', i, 'labels', label],
      `alert ${e.alert} always has ${label}=${possible.map((v) => `"${v}"`).join(' or ')} (${own.map((r) => shownWhere(r.where)).join(', ')}), never "${value}"${didYouMean(value, possible) || (possible.length === 1 ? ` (did you mean ${possible[0]}?)` : '')}`,
    );
  }
}
