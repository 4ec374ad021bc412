import { readUserFile } from '../../generators/model/user-file.js';
import { stringify } from 'yaml';
import { formatDuration, parseDuration } from '../../generators/model/duration.js';
import { UserError } from '../../generators/user-error.js';
import { YamlSource } from '../scenario/source-map.js';
import { exprMutants, type ExprMutant } from './promql-mutants.js';

type YamlMap = Record<string, unknown>;

/** An alerting rule as written, with its group's settings (interval, labels, …) that a mutant must keep. */
export interface MutableRule {
  alert: string;
  file: string;
  group: string;
  /** `file:line:col` of the rule. */
  position: string;
  /** The rule's fields without its annotations (they do not change when or how it fires). */
  rule: YamlMap;
  /** The group's fields other than name and rules. */
  groupSettings: YamlMap;
}

export interface RuleMutant {
  operator: ExprMutant['operator'] | 'for';
  description: string;
  /** The mutated rule, under the original alert name. */
  rule: YamlMap;
}

/** The alerting rules of the given files, in file order. */
export async function readMutableRules(files: readonly string[]): Promise<MutableRule[]> {
  const found: MutableRule[] = [];
  for (const file of files) {
    const parsed = YamlSource.parse(file, await readUserFile(file, 'rule file'));
    if ('error' in parsed) throw new UserError(parsed.error);
    const content = parsed.source.toJS() as { groups?: YamlMap[] } | null;
    (content?.groups ?? []).forEach((group, g) => {
      const { name, rules, ...groupSettings } = group;
      ((rules ?? []) as YamlMap[]).forEach((raw, r) => {
        if (typeof raw.alert !== 'string') return;
        const { annotations: _annotations, ...rule } = raw;
        found.push({
          alert: raw.alert,
          file,
          group: String(name ?? ''),
          position: parsed.source.position(['groups', g, 'rules', r]),
          rule,
          groupSettings,
        });
      });
    });
  }
  return found;
}

/** `for:` doubled, halved (whole seconds, as Prometheus evaluates no finer) and dropped. */
function forMutants(rule: YamlMap): RuleMutant[] {
  const text = typeof rule.for === 'string' ? rule.for : undefined;
  const ms = text === undefined ? undefined : parseDuration(text);
  if (!ms) return [];
  const { for: _for, ...without } = rule;
  const scaled = (factor: number) => formatDuration(Math.max(1000, Math.round((ms * factor) / 1000) * 1000));
  return [
    { operator: 'for', description: `for: ${text} ×2 = ${scaled(2)}`, rule: { ...rule, for: scaled(2) } },
    {
      operator: 'for',
      description: `for: ${text} ×0.5 = ${scaled(0.5)}`,
      rule: { ...rule, for: scaled(0.5) },
    },
    { operator: 'for', description: `for: ${text} dropped`, rule: without },
  ];
}

/** Every mutant of an alerting rule: its expression's (see exprMutants) and its `for:`'s. */
export function ruleMutants(rule: MutableRule): RuleMutant[] {
  const expr = String(rule.rule.expr ?? '');
  return [
    ...exprMutants(expr).map((m) => ({
      operator: m.operator,
      description: m.description,
      rule: { ...rule.rule, expr: m.expr },
    })),
    ...forMutants(rule.rule),
  ];
}

/** A rule as YAML, the way it would be written in a rule file. */
export function ruleText(rule: YamlMap): string {
  return stringify(rule, { lineWidth: 0 }).trimEnd();
}

/** A mutant to load beside the original rules, under a name of its own so that both are evaluated. */
export interface NamedMutant {
  rule: MutableRule;
  mutant: RuleMutant;
  name: string;
}

/**
 * A rule file holding the mutants, each renamed and in a group with the settings of its original's group,
 * so that it is evaluated at the same times as the original.
 */
export function mutantRuleFile(mutants: readonly NamedMutant[]): string {
  const groups = new Map<string, { settings: YamlMap; rules: YamlMap[] }>();
  for (const { rule, mutant, name } of mutants) {
    const key = `${rule.file}\0${rule.group}`;
    const group = groups.get(key) ?? { settings: rule.groupSettings, rules: [] };
    group.rules.push({ ...mutant.rule, alert: name });
    groups.set(key, group);
  }
  return stringify(
    {
      groups: [...groups.values()].map((g, i) => ({
        name: `sandbox-mutants-${i}`,
        ...g.settings,
        rules: g.rules,
      })),
    },
    { lineWidth: 0 },
  );
}
