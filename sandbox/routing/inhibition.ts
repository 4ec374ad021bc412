import { matchesAll, parseMatchers, type LabelMatcher } from './alertmanager-matchers.js';

type Labels = Readonly<Record<string, string>>;

/** An Alertmanager inhibit rule: source alerts that mute target alerts with the same `equal` labels. */
export interface InhibitRule {
  source: LabelMatcher[];
  target: LabelMatcher[];
  equal: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `match:`-style maps (label: value, or label: regex for `_re`) as matchers. */
function mapMatchers(map: unknown, op: '=' | '=~'): LabelMatcher[] {
  if (!isObject(map)) return [];
  return Object.entries(map).flatMap(([name, value]) =>
    parseMatchers(`${JSON.stringify(name)}${op}${JSON.stringify(String(value))}`),
  );
}

function listMatchers(list: unknown): LabelMatcher[] {
  return Array.isArray(list) ? list.flatMap((line) => parseMatchers(String(line))) : [];
}

/**
 * The inhibit rules of an Alertmanager configuration, in both forms (`source_matchers`/`target_matchers`
 * and the older `source_match[_re]`/`target_match[_re]`, which apply together as Alertmanager does).
 * A matcher that cannot be parsed is an error naming `where` and the rule.
 */
export function inhibitRules(config: Record<string, unknown>, where: string): InhibitRule[] {
  const rules = Array.isArray(config.inhibit_rules) ? config.inhibit_rules : [];
  return rules.map((rule: unknown, i) => {
    const r = isObject(rule) ? rule : {};
    try {
      return {
        source: [
          ...mapMatchers(r.source_match, '='),
          ...mapMatchers(r.source_match_re, '=~'),
          ...listMatchers(r.source_matchers),
        ],
        target: [
          ...mapMatchers(r.target_match, '='),
          ...mapMatchers(r.target_match_re, '=~'),
          ...listMatchers(r.target_matchers),
        ],
        equal: Array.isArray(r.equal) ? r.equal.map(String) : [],
      };
    } catch (error) {
      throw new Error(`${where}: inhibit_rules[${i}]: ${(error as Error).message}`);
    }
  });
}

/**
 * The firing alert that mutes `target` as Alertmanager decides it, if any: a rule whose target matchers
 * `target` matches, and a firing source alert with the same values of the `equal` labels (absent is
 * empty). When `target` matches the rule's source matchers too, sources that also match its target
 * matchers are disregarded, so two such alerts do not mute each other.
 */
export function inhibitingAlert(
  rules: readonly InhibitRule[],
  firing: readonly Labels[],
  target: Labels,
): Labels | undefined {
  for (const rule of rules) {
    if (!matchesAll(rule.target, target)) continue;
    const twoSided = matchesAll(rule.source, target);
    const source = firing.find(
      (alert) =>
        matchesAll(rule.source, alert) &&
        rule.equal.every((name) => (alert[name] ?? '') === (target[name] ?? '')) &&
        !(twoSided && matchesAll(rule.target, alert)),
    );
    if (source) return source;
  }
  return undefined;
}
