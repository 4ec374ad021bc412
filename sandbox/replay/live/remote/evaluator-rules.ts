import type { RuleSet } from '../../../rules/rule-set.js';
import type { ApiRuleGroup } from '../rule-alerts.js';

/** Prometheus' default evaluation_interval, for a ruler that does not say a group's interval. */
const DEFAULT_INTERVAL_S = 60;

/**
 * The rules a remote evaluator has, as a rule set: its files (Mimir and Thanos rulers: namespaces) name
 * them, and a rule's place is its file and group (the evaluator does not give lines).
 */
export function evaluatorRuleSet(groups: readonly ApiRuleGroup[]): RuleSet {
  const where = (g: ApiRuleGroup) => `${g.file} (group ${g.name})`;
  return {
    files: [...new Set(groups.map((g) => g.file))],
    alerts: groups.flatMap((g) =>
      g.rules.flatMap((r) =>
        r.type === 'alerting'
          ? [
              {
                alert: r.name,
                expr: r.query,
                forMs: r.duration * 1000,
                labels: r.labels ?? {},
                file: g.file,
                group: g.name,
                where: where(g),
              },
            ]
          : [],
      ),
    ),
    records: groups.flatMap((g) =>
      g.rules.flatMap((r) =>
        r.type === 'recording' ? [{ record: r.name, expr: r.query, file: g.file, where: where(g) }] : [],
      ),
    ),
  };
}

/** The longest evaluation interval of the groups that hold these alerts, ms (every group's, if none does). */
export function evaluationIntervalMs(groups: readonly ApiRuleGroup[], alerts: readonly string[]): number {
  const holding = groups.filter((g) => g.rules.some((r) => r.type === 'alerting' && alerts.includes(r.name)));
  const chosen = holding.length > 0 ? holding : groups;
  return Math.max(...chosen.map((g) => g.interval ?? DEFAULT_INTERVAL_S), 1) * 1000;
}
