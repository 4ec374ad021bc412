import type { MetricDefinition } from '../../generators/model/catalogue.js';
import type { Scenario } from '../scenario/schema.js';
import { isProduced, metricsInExpr } from './promql-metrics.js';
import type { AlertRule } from './rule-files.js';

export interface AlertCoverage {
  alert: string;
  file: string;
  /** Scenarios with an expectation that it fires. */
  firesIn: string[];
  /** Scenarios with an expectation that it does not fire (never, silent, resolves). */
  quietIn: string[];
  metrics: string[];
  /** Metrics in its expression that no generator produces. */
  unproduced: string[];
  parseError?: string;
}

/** For each alert: which scenarios exercise it and how, and which of its metrics nobody produces. */
export function alertCoverage(
  rules: readonly AlertRule[],
  scenarios: readonly Scenario[],
  metrics: readonly MetricDefinition[],
): AlertCoverage[] {
  const produced = new Set(metrics.map((m) => m.name));
  return rules.map((rule) => {
    const mentions = (kind: (e: Scenario['expect'][number]) => boolean) =>
      [
        ...new Set(
          scenarios.filter((s) => s.expect.some((e) => e.alert === rule.alert && kind(e))).map((s) => s.name),
        ),
      ].sort();
    const parsed = metricsInExpr(rule.expr);
    return {
      alert: rule.alert,
      file: rule.file,
      firesIn: mentions((e) => e.fires !== undefined),
      quietIn: mentions((e) => e.fires === undefined),
      metrics: parsed.metrics,
      unproduced: parsed.metrics.filter((m) => !isProduced(m, produced)),
      ...(parsed.error ? { parseError: parsed.error } : {}),
    };
  });
}
