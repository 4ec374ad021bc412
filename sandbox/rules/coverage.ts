import type { MetricDefinition } from '../../generators/model/metric-definitions.js';
import type { FiredAlert } from '../replay/fired.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { isProduced, metricsInExpr } from './promql-metrics.js';
import type { AlertRule } from './rule-files.js';

export interface AlertCoverage {
  alert: string;
  file: string;
  group: string;
  /** Scenarios in whose replay it actually fired. */
  firedIn: string[];
  /** Scenarios with an expectation that it fires (what they claim, not what happened). */
  claimedIn: string[];
  /** Scenarios with an expectation that it does not fire (never, silent, resolves). */
  quietIn: string[];
  metrics: string[];
  /** Metrics in its expression that no generator produces. */
  unproduced: string[];
  parseError?: string;
}

/** A scenario as coverage reads it: what it expects, and which rules fired when it was replayed. */
export interface CoverageRun {
  scenario: Scenario;
  fired: readonly FiredAlert[];
}

/**
 * For each alert (by file, group and name; several rules of one name in one group are one alert): the
 * scenarios in which it fired, those that claim it fires or stays quiet, and the metrics nobody produces.
 */
export function alertCoverage(
  rules: readonly AlertRule[],
  runs: readonly CoverageRun[],
  metrics: readonly MetricDefinition[],
): AlertCoverage[] {
  const produced = new Set(metrics.map((m) => m.name));
  const alerts = new Map<string, AlertRule[]>();
  for (const rule of rules) {
    const key = `${rule.file}\0${rule.group}\0${rule.alert}`;
    alerts.set(key, [...(alerts.get(key) ?? []), rule]);
  }
  const names = (list: readonly Scenario[]) => [...new Set(list.map((s) => s.name))].sort();
  return [...alerts.values()].map((same) => {
    const { alert, file, group } = same[0]!;
    const means = (e: Scenario['expect'][number]) =>
      e.alert === alert && (e.rule_file === undefined || e.rule_file === file);
    const claims = (kind: (e: Scenario['expect'][number]) => boolean) =>
      names(runs.filter((r) => r.scenario.expect.some((e) => means(e) && kind(e))).map((r) => r.scenario));
    const parsed = same.map((r) => metricsInExpr(r.expr));
    const selected = [...new Set(parsed.flatMap((p) => p.metrics))].sort();
    const parseError = parsed.find((p) => p.error)?.error;
    return {
      alert,
      file,
      group,
      firedIn: names(
        runs
          .filter((r) => r.fired.some((f) => f.alert === alert && f.ruleFile === file))
          .map((r) => r.scenario),
      ),
      claimedIn: claims((e) => e.fires !== undefined || e.firing !== undefined),
      quietIn: claims((e) => e.fires === undefined && e.firing === undefined),
      metrics: selected,
      unproduced: selected.filter((m) => !isProduced(m, produced)),
      ...(parseError ? { parseError } : {}),
    };
  });
}
