import type { Expectation } from '../scenario/scenario-schema.js';
import { isProduced, metricsInExpr } from './promql-metrics.js';
import type { RuleSet } from './rule-set.js';

/**
 * The metric names that exist in a run: what the systems produce (or, live, what Prometheus has), plus the
 * outputs of recording rules that read at least one existing name (to a fixed point, since recording rules
 * read each other).
 */
export function producedNames(rules: RuleSet, metrics: readonly { name: string }[]): Set<string> {
  const produced = new Set(metrics.map((m) => m.name));
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rules.records) {
      if (produced.has(r.record)) continue;
      if (metricsInExpr(r.expr).metrics.some((m) => isProduced(m, produced))) {
        produced.add(r.record);
        grew = true;
      }
    }
  }
  return produced;
}

/**
 * For a `never` or `silent` expectation: the metrics its alert's expression selects when none of them is
 * produced (so it passes whatever the rule says), else undefined. Every rule of that name (in the file the
 * expectation means) must be so.
 */
export function vacuousMetrics(
  e: Expectation,
  rules: RuleSet,
  produced: ReadonlySet<string>,
): string[] | undefined {
  if (!e.never && !e.silent) return undefined;
  const own = rules.alerts.filter(
    (r) => r.alert === e.alert && (e.rule_file === undefined || r.file === e.rule_file),
  );
  const selected = own.map((r) => metricsInExpr(r.expr));
  if (own.length === 0 || selected.some((s) => s.error !== undefined || s.metrics.length === 0))
    return undefined;
  const names = [...new Set(selected.flatMap((s) => s.metrics))];
  return names.every((m) => !isProduced(m, produced)) ? names.sort() : undefined;
}
